import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { shippedPath } from '../../data.js';
import { InputError, readInputFile } from '../../errors.js';
import { interruptPoint, removeOnInterrupt } from '../../interrupt.js';
import { makeDirs } from '../../out-path.js';
import { SHIPPED_BOOK } from '../../pricing/book.js';
import type { Scenario } from '../../scenario/schema.js';
import { VERSION } from '../../version.js';
import type { VariantOutcome } from '../sweep/sweep.js';
import type { ShardSpec } from './slice.js';

/*
 * A shard's partial result, `partial-K-of-N.json` (design §11.7; docs/scale-out.md): the outcomes
 * of the tasks shard K of N computed, keyed by task index, with what `servesim merge` needs to
 * check that a set of partials belongs together (fingerprint, K, N, task count) and to assemble
 * the report without the scenario file (the frame).
 */

export const PARTIAL_FORMAT = 'servesim-partial';
/** Bumped when a partial's fields change meaning; merge reads only its own version. */
export const PARTIAL_VERSION = 1;

/** The sweeps that shard; a partial names the one it belongs to. */
export const SHARDED_COMMANDS = ['forecast', 'breakeven volume', 'breakeven heartbeat', 'run'] as const;
export type ShardedCommand = (typeof SHARDED_COMMANDS)[number];

export interface ShardPartial<F = unknown, O = VariantOutcome[]> {
  format: typeof PARTIAL_FORMAT;
  version: typeof PARTIAL_VERSION;
  command: ShardedCommand;
  /** The command's arguments that shape the result, normalized (effective values, not as typed). */
  args: Record<string, string | number>;
  /** SHA-256 (hex) of the inputs that determine the result: see `fingerprint`. */
  fingerprint: string;
  /** servesim's version (also inside the fingerprint). */
  servesim: string;
  shard: number;
  shards: number;
  /** Tasks in the whole sweep (all shards). */
  tasks: number;
  /** What the assembly needs besides the outcomes (per command: the forecast's or the volume sweep's). */
  frame: F;
  /**
   * This shard's task outcomes by task index (decimal string keys, ascending); for `run` and
   * `breakeven heartbeat`, its analysis units' results by unit index (run-units.ts).
   */
  outcomes: Record<string, O>;
  /**
   * `run` only: the base simulation every shard runs itself. `result` is the SHA-256 of its
   * results (merge checks that the shards agree, and re-runs it for the charts and timeline);
   * `dir` the scenario's folder, where the files it names (price book, traces) are read.
   */
  base?: { result: string; dir: string };
}

/** `partial-K-of-N.json`. */
export function partialName(spec: ShardSpec): string {
  return `partial-${spec.k}-of-${spec.n}.json`;
}

/**
 * SHA-256 of the canonical JSON (keys sorted) of what determines a sweep's result: the command,
 * its normalized arguments, the scenario as parsed (seed and region overrides applied), the
 * price book's bytes and servesim's version. Not the worker count or paths: they do not change
 * the result, and array jobs may run on machines with different folders.
 */
export function fingerprint(
  command: ShardedCommand,
  args: ShardPartial['args'],
  scenario: Scenario,
  baseDir: string,
): string {
  const bookPath =
    scenario.pricing.book === undefined ? shippedPath(SHIPPED_BOOK) : resolve(baseDir, scenario.pricing.book);
  let book: Buffer;
  try {
    book = readFileSync(bookPath);
  } catch (e) {
    throw new InputError(
      `cannot read price book (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      bookPath,
    );
  }
  const priceBook = createHash('sha256').update(book).digest('hex');
  const canonical = encode({ command, args, scenario, priceBook, servesim: VERSION }, true);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * JSON that round-trips every number exactly: JSON has no NaN, ±Infinity or −0, so those become
 * `{"$n": "NaN"}` etc., and a Float64Array `{"$f64": [...]}`. `sorted` orders object keys (for
 * hashing); otherwise key order is kept, so decoded objects serialize as the originals did.
 */
export function encode(value: unknown, sorted = false): string {
  return JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return { $n: 'NaN' };
      if (v === Infinity) return { $n: 'Infinity' };
      if (v === -Infinity) return { $n: '-Infinity' };
      if (Object.is(v, -0)) return { $n: '-0' };
      return v;
    }
    if (v instanceof Float64Array) return { $f64: Array.from(v) };
    if (sorted && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .map((k) => [k, o[k]]),
      );
    }
    return v;
  });
}

/** The inverse of `encode`. */
export function decode(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === '$n') return Number((v as { $n: string }).$n);
      if (keys.length === 1 && keys[0] === '$f64') return Float64Array.from((v as { $f64: number[] }).$f64);
    }
    return v;
  });
}

/**
 * Writes `<dir>/partial-K-of-N.json` atomically (a temporary file in the same folder, then a
 * rename) and touches nothing else in `dir`: the shards of an array job share it. Returns the path.
 */
export function writePartial(dir: string, partial: ShardPartial<unknown, unknown>): string {
  makeDirs(dir);
  const name = partialName({ k: partial.shard, n: partial.shards });
  const final = join(dir, name);
  // The pid alone may repeat across the machines of one array job; a retried shard may overlap.
  const tmp = join(dir, `.${name}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const forget = removeOnInterrupt(tmp);
  try {
    writeFileSync(tmp, encode(partial) + '\n');
    interruptPoint();
    renameSync(tmp, final);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    forget();
  }
  return final;
}

/** Reads one partial file and checks its envelope; errors name the file and how to fix it. */
export function readPartial(path: string): ShardPartial {
  const text = readInputFile(path, 'partial');
  let doc: unknown;
  try {
    doc = decode(text);
  } catch (e) {
    throw new InputError(`not a servesim partial: not valid JSON (${(e as Error).message})`, path);
  }
  const p = doc as ShardPartial;
  if (p === null || typeof p !== 'object' || p.format !== PARTIAL_FORMAT)
    throw new InputError(
      `not a servesim partial (no "format": "${PARTIAL_FORMAT}"); give the partial-K-of-N.json files a sharded command wrote`,
      path,
    );
  if (p.version !== PARTIAL_VERSION)
    throw new InputError(
      `partial format version ${String(p.version)}, but servesim ${VERSION} reads version ${PARTIAL_VERSION}; merge with the servesim that wrote it`,
      path,
    );
  const whole = (v: unknown, min: number): boolean => Number.isSafeInteger(v) && (v as number) >= min;
  if (
    !SHARDED_COMMANDS.includes(p.command) ||
    typeof p.fingerprint !== 'string' ||
    !whole(p.shards, 1) ||
    !whole(p.shard, 1) ||
    p.shard > p.shards ||
    !whole(p.tasks, 0) ||
    p.outcomes === null ||
    typeof p.outcomes !== 'object' ||
    p.frame === undefined ||
    (p.command === 'run' && (typeof p.base?.result !== 'string' || typeof p.base.dir !== 'string'))
  )
    throw new InputError(
      'damaged servesim partial (command, fingerprint, shard, shards, tasks, frame, outcomes or base missing or invalid); run that shard again',
      path,
    );
  return p;
}
