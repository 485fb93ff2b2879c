import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import type { ShardSpec } from '../planning/shard/slice.js';

/*
 * `--shard K/N` and `--shards N` (design §11.7; docs/scale-out.md): which slice of a sweep this
 * process computes. With `--shards N` the index comes from the array-job engine, 0-based:
 * AWS Batch sets AWS_BATCH_JOB_ARRAY_INDEX, a Kubernetes Indexed Job JOB_COMPLETION_INDEX.
 */

/** The environment variables an array-job engine sets to this task's 0-based index. */
export const INDEX_VARS = ['AWS_BATCH_JOB_ARRAY_INDEX', 'JOB_COMPLETION_INDEX'] as const;

const WHOLE = /^\d+$/;

/** `--shard K/N`, as yargs declares it. */
export const SHARD_OPTION = {
  type: 'string',
  describe:
    'Compute only slice K of N (1-based) and write <out>/partial-K-of-N.json; join with `servesim merge`',
} as const;

/** `--shards N`, as yargs declares it. */
export const SHARDS_OPTION = {
  type: 'string',
  describe: `Like --shard, with K = 1 + the 0-based index in ${INDEX_VARS.join(' or ')} (array jobs)`,
} as const;

/** Adds `--shard` and `--shards` to a sweep command. */
export function shardOptions(y: Argv): Argv {
  return y.option('shard', SHARD_OPTION).option('shards', SHARDS_OPTION);
}

/** Whether the user asked for a shard at all (either flag present). */
export function wantsShard(argv: Record<string, unknown>): boolean {
  return argv.shard !== undefined || argv.shards !== undefined;
}

/**
 * The shard this process computes, or undefined when neither flag is given. Bad input (exit 2)
 * names the flag and how to fix it: K outside 1..N, N < 1, not K/N, `--shards` without an index
 * variable, both flags at once.
 */
export function shardFlag(
  argv: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ShardSpec | undefined {
  const { shard, shards } = argv;
  for (const [name, v] of [
    ['shard', shard],
    ['shards', shards],
  ] as const)
    if (Array.isArray(v)) throw new InputError(`--${name} given more than once; give it once`);
  if (shard !== undefined && shards !== undefined)
    throw new InputError(
      `give either --shard K/N or --shards N (K from ${INDEX_VARS.join(' or ')}), not both`,
    );
  if (shard !== undefined) return parseShard(String(shard));
  if (shards === undefined) return undefined;
  const text = String(shards).trim();
  if (!WHOLE.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text)))
    throw new InputError(
      `--shards must be a whole number ≥ 1 (the array job's size), got "${String(shards)}"`,
    );
  const n = Number(text);
  const set = INDEX_VARS.filter((name) => (env[name] ?? '').trim() !== '');
  if (set.length === 0)
    throw new InputError(
      `--shards ${n} takes this shard's index from ${INDEX_VARS.join(' or ')} (0-based), and neither is set; run it as an array job, or give --shard K/${n}`,
    );
  const values = set.map((name) => env[name]!.trim());
  if (values.some((v) => v !== values[0]))
    throw new InputError(
      `${set.map((name, i) => `${name}=${values[i]}`).join(' and ')} disagree; set only one`,
    );
  const [name, value] = [set[0]!, values[0]!];
  if (!WHOLE.test(value))
    throw new InputError(`${name} must be a whole number ≥ 0 (a 0-based index), got "${value}"`);
  const index = Number(value);
  if (index >= n)
    throw new InputError(
      `${name}=${index} is outside 0..${n - 1} for --shards ${n}; make the array job's size ${n}, or --shards match it`,
    );
  return { k: index + 1, n };
}

/** `K/N` with 1 ≤ K ≤ N → the spec; anything else is a usage error naming `--shard`. */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m)
    throw new InputError(`--shard must be K/N (slice K of N, 1-based), e.g. --shard 2/8; got "${text}"`);
  const [k, n] = [Number(m[1]), Number(m[2])];
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InputError(`--shard ${text}: N must be a whole number ≥ 1 (the number of shards)`);
  if (!Number.isSafeInteger(k) || k < 1 || k > n)
    throw new InputError(
      `--shard ${text}: K must be between 1 and ${n} (shards are numbered from 1), e.g. --shard 1/${n}`,
    );
  return { k, n };
}
