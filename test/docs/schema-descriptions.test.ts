import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioSchemaText } from '../../src/commands/schema.js';
import { parseDuration } from '../../src/scenario/units.js';
import { ROOT } from '../helpers/cli.js';

/*
 * Every scenario field documents itself in the JSON Schema editors show (issue 20 item 4).
 *
 * The rule, per property of every object anywhere in the schema (walked through properties,
 * items, prefixItems, anyOf, oneOf, allOf, additionalProperties and $defs):
 *   - it has a description;
 *   - the description states the unit as `Unit: <unit>.` (`Unit: none` where none makes sense, for
 *     names, enums and objects, with the allowed values in the sentence or the unit);
 *   - and the default as `Default: <value>` (`Default: absent = <what happens>` for an optional
 *     field, `No default: required` for a required one).
 */

type Node = { [key: string]: unknown };
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `[path, property schema]` for every property in the schema, paths like `options[bedrock-cmi].heartbeat.every`. */
export function properties(root: Node): [string, Node][] {
  const out: [string, Node][] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, path));
    if (!isNode(node)) return;
    if (isNode(node.properties))
      for (const [k, v] of Object.entries(node.properties)) {
        const p = path ? `${path}.${k}` : k;
        if (isNode(v)) out.push([p, v]);
        walk(v, p);
      }
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
      if (Array.isArray(node[key]))
        (node[key] as unknown[]).forEach((n, i) => walk(n, `${path}[${branchName(n) ?? `${key}${i}`}]`));
    walk(node.items, `${path}[]`);
    walk(node.prefixItems, `${path}[]`);
    walk(node.additionalProperties, `${path}{}`);
    if (isNode(node.$defs)) for (const [k, v] of Object.entries(node.$defs)) walk(v, `$defs.${k}`);
  };
  walk(root, '');
  return out;
}

/** The discriminator value of a union branch (`poisson`, `bedrock-cmi`, `lognormal`), for readable paths. */
function branchName(n: unknown): string | undefined {
  if (!isNode(n) || !isNode(n.properties)) return undefined;
  for (const k of ['type', 'id', 'dist']) {
    const d = n.properties[k];
    if (isNode(d) && typeof d.const === 'string') return d.const;
  }
  return undefined;
}

const UNIT = /\bUnit: [^.\s]/;
const DEFAULT = /\b(Default: \S|No default: required)/;

/** Why a property's description breaks the rule, or null. */
function problem(node: Node): string | null {
  const d = node.description;
  if (typeof d !== 'string' || d.trim() === '') return 'no description';
  if (!UNIT.test(d)) return `no "Unit: …" in ${JSON.stringify(d)}`;
  if (!DEFAULT.test(d)) return `no "Default: …" / "No default: required" in ${JSON.stringify(d)}`;
  return null;
}

const schema = JSON.parse(scenarioSchemaText()) as Node;

describe('scenario JSON Schema descriptions', () => {
  it('every property, at every depth, has a description with its unit and default', () => {
    const props = properties(schema);
    // The walk reaches the depths that matter (more than the top level, the options' settings, a
    // distribution's parameters): a walk that stopped early would pass vacuously.
    const paths = props.map(([p]) => p);
    expect(paths).toContain('traffic.components[][poisson].rate');
    expect(paths).toContain('options[][bedrock-cmi].heartbeat.every');
    expect(paths).toContain('options[][self-hosted].provisionTime[anyOf1][lognormal].p90');
    expect(paths).toContain('breakeven.coldStartValue[anyOf1].interactive');
    expect(props.length).toBeGreaterThan(400);
    const bad = props.flatMap(([p, n]) => {
      const why = problem(n);
      return why ? [`${p}: ${why}`] : [];
    });
    expect(bad).toEqual([]);
  });

  it('the rule refuses a property without a description, unit or default', () => {
    const bad = properties({
      type: 'object',
      properties: {
        a: { type: 'number' },
        b: { description: 'Seconds. Default: 5.' },
        c: { description: 'Requests. Unit: requests.' },
        d: { anyOf: [{ type: 'object', properties: { e: { description: 'Unit: s. Default: 1.' } } }] },
      },
    }).map(([p, n]) => [p, problem(n) === null]);
    expect(bad).toEqual([
      ['a', false],
      ['b', false],
      ['c', false],
      ['d', false],
      ['d[anyOf0].e', true],
    ]);
  });

  // A default a description quotes from a data file (`absent = 30s (src/models/x.json
  // defaults.copyLoadTime)`) is the file's current value, so a changed data file cannot leave the
  // editor hint behind.
  it('defaults quoted from data files match the files', () => {
    const quotes = [
      ...scenarioSchemaText().matchAll(
        /absent = (?:lognormal median (\S+), p90 (\S+)|(\S+)) \((src\/models\/[\w.-]+\.json) defaults\.(\w+)\)/g,
      ),
    ];
    expect(quotes.length).toBeGreaterThanOrEqual(25);
    // `30s`/`5m` in seconds (as the files store them), `8` as a number, `load` as it is.
    const read = (v: string): number | string => parseDuration(v) ?? (/^[\d.]+$/.test(v) ? Number(v) : v);
    for (const [text, median, p90, value, file, key] of quotes) {
      const d = (JSON.parse(readFileSync(join(ROOT, file!), 'utf8')) as { defaults: Record<string, Node> })
        .defaults[key!];
      expect(d, text).toBeDefined();
      if (value !== undefined) expect(read(value), text).toBe(d!.value);
      else expect([read(median!), read(p90!)], text).toEqual([d!.median, d!.p90]);
    }
  });
});
