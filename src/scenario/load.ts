import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { closest } from 'fastest-levenshtein';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors.js';
import { ScenarioSchema, type Scenario } from './schema.js';
import { optionById, OPTIONS } from '../models/registry.js';

/**
 * Scenario loading: YAML → strict schema → cross-field checks. Every error names the file, the
 * line and column, the field path, what is wrong and what would be valid (design §5).
 */

export interface LoadedScenario {
  scenario: Scenario;
  /** Absolute path of the file, or `<built-in>` for objects passed in directly. */
  file: string;
  /** Folder relative paths in the scenario resolve against. */
  baseDir: string;
}

export function loadScenarioFile(path: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT' ? 'no such scenario file' : `cannot read scenario file (${code ?? 'error'})`,
      path,
    );
  }
  return parseScenarioText(text, path);
}

export function parseScenarioText(text: string, file: string): LoadedScenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const where = (offset: number | undefined): string => {
    if (offset === undefined) return file;
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new InputError(`YAML syntax error: ${e.message.split('\n')[0]}`, where(e.pos[0]));
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null))
    throw new InputError('the scenario file is empty; start from scenarios/medical-notes.yaml', file);
  if (!isMap(doc.contents))
    throw new InputError('a scenario must be a YAML mapping (name:, traffic:, options:, ...)', where(0));

  const raw: unknown = doc.toJS();
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = pickIssue(parsed.error.issues);
    const node = nodeAt(doc.contents, issue.path);
    throw new InputError(
      describeIssue(issue, raw),
      `${where(node?.range?.[0])}: ${formatPath(issue.path) || '(top level)'}`,
    );
  }
  const scenario = parsed.data as Scenario;
  checkKeys(scenario, (path) => where(nodeAt(doc.contents as YamlNode, path)?.range?.[0]));
  return { scenario, file, baseDir: dirname(resolve(file)) };
}

/** Design §5: a repeated option id needs a distinct `key` on every entry; keys are unique. */
function checkKeys(s: Scenario, where: (path: PropertyKey[]) => string): void {
  const idCount = new Map<string, number>();
  for (const o of s.options) idCount.set(o.id, (idCount.get(o.id) ?? 0) + 1);
  const seen = new Set<string>();
  s.options.forEach((o, i) => {
    if (idCount.get(o.id)! > 1 && o.key === undefined)
      throw new InputError(
        `option "${o.id}" appears ${idCount.get(o.id)} times, so each entry needs its own \`key\` (e.g. key: ${o.id}-${i + 1})`,
        `${where(['options', i])}: options.${i}`,
      );
    const key = o.key ?? o.id;
    if (seen.has(key))
      throw new InputError(
        `duplicate option key "${key}"; give each option a distinct key`,
        `${where(['options', i, 'key'])}: options.${i}.key`,
      );
    seen.add(key);
  });
}

/** The most useful issue first: an unknown key or a bad discriminator beats a generic union failure. */
function pickIssue(issues: z.core.$ZodIssue[]): z.core.$ZodIssue {
  return issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
}

function formatPath(path: PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    const valid = validKeysAt(issue.path, raw);
    return issue.keys
      .map((k) => {
        const near = valid.length > 0 ? closest(k, valid) : undefined;
        return (
          `unknown field "${k}"` +
          (near ? `; did you mean "${near}"?` : '') +
          (valid.length ? ` Valid fields: ${valid.join(', ')}` : '')
        );
      })
      .join('; ');
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
    const options = (issue as { options?: unknown[] }).options ?? [];
    const got = valueAt(raw, issue.path);
    const names = options.map(String);
    const near = typeof got === 'string' && names.length ? closest(got, names) : undefined;
    return (
      `unknown ${String(issue.discriminator)} ${JSON.stringify(got)}` +
      (near ? `; did you mean "${near}"?` : '') +
      ` Valid: ${names.join(', ')}`
    );
  }
  if (issue.code === 'invalid_type') {
    const got = valueAt(raw, issue.path);
    if (got === undefined) return `missing required field (expected ${issue.expected})`;
    return `expected ${issue.expected}, got ${JSON.stringify(got)}`;
  }
  return issue.message;
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let v = raw;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** Valid field names at a path, for "did you mean" suggestions. */
function validKeysAt(path: PropertyKey[], raw: unknown): string[] {
  type Def = { def?: Record<string, unknown> };
  let schema: unknown = ScenarioSchema;
  for (let i = 0; ; i++) {
    let s = unwrap(schema) as Def | undefined;
    // Options and traffic components: a union of objects, picked by the item's `id` or `type`.
    if (s?.def?.type === 'union') {
      const item = valueAt(raw, path.slice(0, i)) as Record<string, unknown> | undefined;
      const disc = item && ('id' in item ? item.id : item.type);
      const members = s.def.options as { def: { shape?: Record<string, { def: { values?: unknown[] } }> } }[];
      s = members.find((m) => (m.def.shape?.id ?? m.def.shape?.type)?.def.values?.includes(disc));
    }
    const def = s?.def;
    if (i === path.length) return def?.type === 'object' ? Object.keys(def.shape as object) : [];
    if (def?.type === 'object') schema = (def.shape as Record<string, unknown>)[String(path[i])];
    else if (def?.type === 'array') schema = def.element;
    else return [];
  }
}

function unwrap(schema: unknown): unknown {
  let s = schema as { def?: Record<string, unknown> } | undefined;
  while (s?.def && ['default', 'optional', 'pipe', 'prefault', 'nullable'].includes(String(s.def.type))) {
    s = (s.def.type === 'pipe' ? s.def.in : s.def.innerType) as typeof s;
  }
  return s;
}

/** The YAML node at a path (the deepest that exists), for its line number. */
function nodeAt(root: YamlNode | null, path: PropertyKey[]): YamlNode | undefined {
  let node: YamlNode | null | undefined = root;
  let last: YamlNode | undefined = root ?? undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair: { key: unknown; value: unknown } | undefined = node.items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) return last;
      node = (pair.value as YamlNode | null) ?? (pair.key as YamlNode);
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg] as YamlNode | undefined;
    } else return last;
    if (node) last = node;
  }
  return last;
}

/** For scripts and tests: validate an object (no line numbers). */
export function scenarioFromObject(obj: unknown): LoadedScenario {
  const parsed = ScenarioSchema.safeParse(obj);
  if (!parsed.success) {
    const issue = pickIssue(parsed.error.issues);
    throw new InputError(describeIssue(issue, obj), formatPath(issue.path));
  }
  checkKeys(parsed.data as Scenario, (p) => formatPath(p));
  return { scenario: parsed.data as Scenario, file: '<built-in>', baseDir: process.cwd() };
}

export { optionById, OPTIONS };
