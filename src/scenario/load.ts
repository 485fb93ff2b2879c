import { dirname, resolve } from 'node:path';
import { nearest } from '../nearest.js';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { echo, InputError, readInputFile } from '../errors.js';
import { describeValue, pathText, valueAt, type Issue } from '../schema-issues.js';
import { scenarioSchema, type Scenario } from './schema.js';
import { contextProblem } from './context-length.js';
import { optionById, OPTIONS } from '../models/registry.js';
import { traceSpan } from '../traffic/calendar.js';
import { replicaProblem } from './limits.js';
import { shippedPath } from '../data.js';
import {
  portfolioProblem,
  portfolioShapeProblem,
  withInheritedBase,
  type PortfolioProblem,
} from './portfolio-checks.js';

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

/** The scenario commands (and `loadScenario()`) use when given none: shipped with the package. */
export const DEFAULT_SCENARIO = 'scenarios/medical-notes.yaml';

/**
 * Reads and checks a scenario file: what `runScenario` takes. Without a path, the shipped
 * example (`DEFAULT_SCENARIO`, found in the package, not the working folder).
 */
export function loadScenario(path?: string, opts: LoadOptions = {}): LoadedScenario {
  return loadScenarioFile(path ?? shippedPath(DEFAULT_SCENARIO), opts);
}

export function loadScenarioFile(path: string, opts: LoadOptions = {}): LoadedScenario {
  const text = readInputFile(path, 'scenario');
  return parseScenarioText(text, path, opts);
}

/** How a command takes a scenario. */
export interface LoadOptions {
  /** The command runs portfolios (`models:`); without it a portfolio is bad input (exit 2). */
  portfolio?: boolean;
}

export function parseScenarioText(text: string, file: string, opts: LoadOptions = {}): LoadedScenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const where = (offset: number | undefined): string => {
    if (offset === undefined) return file;
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new InputError(yamlErrorMessage(e.code, e.message, text, e.pos[0]), where(e.pos[0]));
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null))
    throw new InputError('the scenario file is empty; start from scenarios/medical-notes.yaml', file);
  if (!isMap(doc.contents))
    throw new InputError(
      `a scenario must be a YAML mapping (name:, traffic:, options:, ...), not ${isSeq(doc.contents) ? 'a list' : 'a single value'}`,
      where(doc.contents.range?.[0] ?? 0),
    );

  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (e) {
    throw new InputError(`cannot read the YAML: ${(e as Error).message}`, file);
  }
  const root = doc.contents as YamlNode;
  const locate = (path: PropertyKey[], keyOf?: PropertyKey): string =>
    where((keyOf === undefined ? nodeAt(root, path) : keyNodeAt(root, path, keyOf))?.range?.[0]);
  const pointed = (p: PortfolioProblem) =>
    new InputError(p.message, `${locate(p.path)}: ${pathText(p.path) || '(top level)'}`);
  const before = portfolioShapeProblem(raw, opts.portfolio === true);
  if (before) throw pointed(before);
  const parsed = scenarioSchema().safeParse(withInheritedBase(raw));
  if (!parsed.success) {
    const problem = explain(parsed.error.issues, raw);
    throw new InputError(
      problem.message,
      `${locate(problem.at, problem.key)}: ${pathText(problem.path) || '(top level)'}`,
    );
  }
  const scenario = parsed.data as Scenario;
  const after = portfolioProblem(scenario);
  if (after) throw pointed(after);
  checkKeys(scenario, (path) => locate(path));
  checkContext(scenario, (path) => locate(path));
  checkReplicas(scenario, (path) => locate(path));
  checkSpan(scenario, (path) => locate(path));
  return { scenario, file, baseDir: dirname(resolve(file)) };
}

/** The yaml library's message, with the offending key named and a hint where one helps. */
function yamlErrorMessage(code: string, message: string, text: string, offset: number): string {
  const first = message.split('\n')[0]!;
  if (code === 'DUPLICATE_KEY') {
    const m = /^\s*(["']?)([^\n:,{}]*?)\1\s*:/.exec(text.slice(offset));
    const key = m?.[2] ? `${echo(m[2])} ` : '';
    return `YAML syntax error: duplicate key ${key}(each key may appear only once in a mapping)`;
  }
  if (code === 'MULTIPLE_DOCS')
    return 'YAML syntax error: the file holds more than one YAML document (a second `---`); a scenario is one document';
  if (code === 'TAB_AS_INDENT')
    return 'YAML syntax error: tabs are not allowed as indentation; indent with spaces';
  return `YAML syntax error: ${first} (check the indentation and quoting here)`;
}

/** The trace's time zone, start and end, checked now so the error can point into the file. */
function checkSpan(s: Scenario, where: (path: PropertyKey[]) => string): void {
  try {
    traceSpan(s.traffic, s.timezone);
  } catch (e) {
    if (!(e instanceof InputError) || e.where === undefined) throw e;
    const prefix = `${e.where}: `;
    const message = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    throw new InputError(message, `${where(e.where.split('.'))}: ${e.where}`);
  }
}

/** Issue 15 item 12: a component's typical input longer than the model's context is bad input. */
function checkContext(s: Scenario, where: (path: PropertyKey[]) => string | undefined): void {
  const p = contextProblem(s);
  if (p === null) return;
  const at = where(p.path);
  throw new InputError(p.message, `${at === undefined ? '' : `${at}: `}${pathText(p.path)}`);
}

/** Issue 17: replicas, copies and the like at most `MAX_REPLICAS`. */
function checkReplicas(s: Scenario, where: (path: PropertyKey[]) => string | undefined): void {
  const p = replicaProblem(s);
  if (p === null) return;
  const at = where(p.path);
  throw new InputError(p.message, `${at === undefined ? '' : `${at}: `}${pathText(p.path)}`);
}

/**
 * Runs a check whose `InputError` names a field path (`traffic.days`, from src/scenario/limits.ts)
 * and points that error into the scenario file: `file:line:col: traffic.days: …`.
 */
export function inScenarioFile<T>(loaded: LoadedScenario, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (!(e instanceof InputError) || e.where === undefined || !/^[a-z][\w.]*$/i.test(e.where)) throw e;
    let text: string;
    try {
      text = readInputFile(loaded.file, 'scenario');
    } catch {
      throw e;
    }
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    const path = e.where.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const offset = nodeAt(doc.contents as YamlNode, path)?.range?.[0];
    if (offset === undefined) throw e;
    const { line, col } = lines.linePos(offset);
    throw new InputError(e.message.slice(e.where.length + 2), `${loaded.file}:${line}:${col}: ${e.where}`);
  }
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

/** What to report: the message, the field path shown, and where in the file to point. */
interface Problem {
  message: string;
  /** The field path shown to the user. */
  path: PropertyKey[];
  /** The path of the node to point at... */
  at: PropertyKey[];
  /** ...or, for an unknown field, the key of that field inside the node at `at`. */
  key?: PropertyKey;
}

/** The most useful issue first: an unknown key beats the rest, which keep zod's order. */
function explain(issues: readonly Issue[], raw: unknown): Problem {
  const flat = issues.map((i) => resolveUnion(i, []));
  const issue = flat.find((i) => i.code === 'unrecognized_keys') ?? flat[0]!;
  return describeIssue(issue, raw);
}

/**
 * A union that failed in every branch says only "Invalid input". Pick the branch the value was
 * evidently meant for (the first whose failure is not a plain type mismatch at the union itself)
 * and report its issue, with the path made absolute. If every branch is a type mismatch, say
 * which types would do.
 */
function resolveUnion(issue: Issue, base: PropertyKey[]): Issue {
  const path = [...base, ...issue.path];
  if (issue.code !== 'invalid_union' || ('discriminator' in issue && issue.discriminator))
    return { ...issue, path } as Issue;
  const branches = issue.errors.filter((b) => b.length > 0);
  const meant = branches.find((b) => !isTypeMismatch(b));
  if (meant) return resolveUnion(meant.find((i) => i.code === 'unrecognized_keys') ?? meant[0]!, path);
  const expected = [...new Set(branches.flatMap(expectedTypes))];
  if (expected.length === 0) return { ...issue, path } as Issue;
  return {
    code: 'invalid_type',
    expected: expected.join('|'),
    path,
    message: issue.message,
    input: undefined,
  } as unknown as Issue;
}

/** A branch that failed only because the value has the wrong type for it. */
function isTypeMismatch(branch: readonly Issue[]): boolean {
  const first = branch[0];
  if (first === undefined || first.path.length > 0) return false;
  if (first.code === 'invalid_type') return true;
  if (first.code === 'invalid_union' && !('discriminator' in first && first.discriminator))
    return first.errors.every(isTypeMismatch);
  return false;
}

function expectedTypes(branch: readonly Issue[]): string[] {
  const first = branch[0];
  if (first?.code === 'invalid_type') return [String(first.expected)];
  if (first?.code === 'invalid_union') return first.errors.flatMap(expectedTypes);
  return [];
}

const TYPE_NAMES: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  object: 'a mapping',
  array: 'a list',
  boolean: 'true or false',
};

function typeNames(expected: string): string {
  const names = expected.split('|').map((t) => TYPE_NAMES[t] ?? t);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0]!;
}

/** True when zod made the message up (we write a better one); false for a schema's own message. */
function isZodDefault(message: string): boolean {
  return /^(Too small|Too big|Invalid input|Invalid option|Invalid discriminator)/.test(message);
}

function describeIssue(issue: Issue, raw: unknown): Problem {
  const path = [...issue.path];
  const got = valueAt(raw, path);
  const plain = (message: string): Problem => ({ message, path, at: path });

  if (issue.code === 'unrecognized_keys') {
    const valid = validKeysAt(path, raw);
    const message = issue.keys
      .map((k) => {
        const near = nearest(k, valid);
        return `unknown field ${echo(k)}` + (near ? `; did you mean "${near}"?` : '');
      })
      .join('; ');
    const stop = message.endsWith('?') ? '' : '.';
    const list = valid.length ? `${stop} Valid fields: ${valid.join(', ')}` : '';
    return { message: message + list, path: [...path, issue.keys[0]!], at: path, key: issue.keys[0]! };
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
    const field = String(issue.discriminator);
    const names = ((issue as { options?: unknown[] }).options ?? []).map(String);
    if (got === undefined) return plain(`missing required field "${field}"; one of: ${names.join(', ')}`);
    const near = typeof got === 'string' ? nearest(got, names) : undefined;
    return plain(
      `unknown ${field} ${describeValue(got, 'yaml')}` +
        (near ? `; did you mean "${near}"?` : '.') +
        ` Valid: ${names.join(', ')}`,
    );
  }
  if (issue.code === 'invalid_type') {
    const expected = typeNames(String(issue.expected));
    if (got === undefined) {
      const field = path.at(-1);
      return typeof field === 'string'
        ? plain(`missing required field "${field}" (expected ${expected})`)
        : plain(`missing value (expected ${expected})`);
    }
    return plain(`expected ${expected}, got ${describeValue(got, 'yaml')}`);
  }
  if (issue.code === 'invalid_value' && isZodDefault(issue.message)) {
    const names = issue.values.map((v) => String(v));
    const near = typeof got === 'string' && names.length > 1 ? nearest(got, names) : undefined;
    return plain(
      `expected ${names.length > 1 ? 'one of ' : ''}${names.map((n) => JSON.stringify(n)).join(', ')}, got ${describeValue(got, 'yaml')}` +
        (near ? `; did you mean "${near}"?` : ''),
    );
  }
  if ((issue.code === 'too_small' || issue.code === 'too_big') && isZodDefault(issue.message))
    return plain(boundMessage(issue, got));
  if (isZodDefault(issue.message)) return plain(`${issue.message}, got ${describeValue(got, 'yaml')}`);
  return plain(issue.message);
}

/** "must be greater than 0, got -1", "list at least 1 item", "must not be empty". */
function boundMessage(issue: Issue & { code: 'too_small' | 'too_big' }, got: unknown): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  if (issue.origin === 'array' || issue.origin === 'set') {
    const items = `${bound} item${bound === 1 ? '' : 's'}`;
    if (issue.exact) return `list exactly ${items}`;
    return `list ${small ? 'at least' : 'at most'} ${items}`;
  }
  if (issue.origin === 'string') {
    if (small && bound === 1) return 'must not be empty';
    return `must be ${small ? 'at least' : 'at most'} ${bound} characters long`;
  }
  const rel = small ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than';
  return `must be ${rel} ${bound}, got ${describeValue(got, 'yaml')}`;
}

/** Valid field names at a path, for "did you mean" suggestions. */
function validKeysAt(path: PropertyKey[], raw: unknown): string[] {
  type Def = { def?: Record<string, unknown> };
  let schema: unknown = scenarioSchema();
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

/** The key node of field `key` in the mapping at `path` (for unknown fields). */
function keyNodeAt(root: YamlNode | null, path: PropertyKey[], key: PropertyKey): YamlNode | undefined {
  const parent = nodeAt(root, path);
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
    if (pair && isScalar(pair.key)) return pair.key;
  }
  return parent;
}

/** For scripts and tests: validate an object (no line numbers). */
export function scenarioFromObject(obj: unknown, opts: LoadOptions = {}): LoadedScenario {
  const before = portfolioShapeProblem(obj, opts.portfolio === true);
  if (before) throw new InputError(before.message, pathText(before.path) || '(top level)');
  const parsed = scenarioSchema().safeParse(withInheritedBase(obj));
  if (!parsed.success) {
    const problem = explain(parsed.error.issues, obj);
    throw new InputError(problem.message, pathText(problem.path));
  }
  const after = portfolioProblem(parsed.data as Scenario);
  if (after) throw new InputError(after.message, pathText(after.path));
  checkKeys(parsed.data as Scenario, (p) => pathText(p));
  checkContext(parsed.data as Scenario, () => undefined);
  checkReplicas(parsed.data as Scenario, () => undefined);
  return { scenario: parsed.data as Scenario, file: '<built-in>', baseDir: process.cwd() };
}

export { optionById, OPTIONS };
