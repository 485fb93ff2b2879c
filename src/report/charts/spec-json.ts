import type { TopLevelSpec } from 'vega-lite';

/**
 * A spec as the `.vl.json` file: 2-space JSON, but each inline data row on one line, so the file
 * stays readable and diffs line by line.
 */
export function specJson(spec: TopLevelSpec): string {
  const blocks: string[] = [];
  const text = JSON.stringify(
    spec,
    (key, value: unknown) => {
      if (
        key === 'values' &&
        Array.isArray(value) &&
        value.every((r) => typeof r === 'object' && r !== null)
      ) {
        blocks.push(value.map((r) => JSON.stringify(r)).join(',\n'));
        return `\u0000rows${blocks.length - 1}\u0000`;
      }
      return value;
    },
    2,
  );
  return (
    text.replace(/^( *)(.*)"\\u0000rows(\d+)\\u0000"/gm, (_m, indent: string, head: string, i: string) => {
      const rows = blocks[Number(i)]!;
      if (rows === '') return `${indent}${head}[]`;
      const inner = rows
        .split('\n')
        .map((r) => `${indent}  ${r}`)
        .join('\n');
      return `${indent}${head}[\n${inner}\n${indent}]`;
    }) + '\n'
  );
}
