/*
 * Helpers the chart tests share: reading a vega-lite spec as plain JSON.
 */

export type Json = Record<string, unknown>;

/** Every object in a spec that has `key` (encodings, scales, ...), found by walking it. */
export function collect(node: unknown, key: string, out: Json[] = []): Json[] {
  if (Array.isArray(node)) for (const n of node) collect(n, key, out);
  else if (node && typeof node === 'object') {
    const o = node as Json;
    if (key in o) out.push(o[key] as Json);
    for (const [k, v] of Object.entries(o)) if (k !== 'values') collect(v, key, out);
  }
  return out;
}

/** The inline data rows of a single-view spec. */
export function rowsOf(spec: unknown): Json[] {
  return (spec as { data: { values: Json[] } }).data.values;
}
