import { InputError } from '../../errors.js';
import type { VariantOutcome } from '../sweep/sweep.js';
import { encode, partialName, type ShardPartial, type ShardedCommand } from './partial.js';

/*
 * Whether a set of partials is one whole sweep (design §11.7): one command and fingerprint, one
 * N, every shard 1..N exactly once, every task 0..total−1 exactly once, one frame. Anything else
 * is bad input (exit 2) naming what is missing or which file differs.
 */

/** A partial and the path it was read from (for messages). */
export interface PartialFile {
  path: string;
  partial: ShardPartial;
}

/** A whole sweep put back together: what the unsharded command would assemble. */
export interface MergedSweep {
  command: ShardedCommand;
  args: ShardPartial['args'];
  frame: unknown;
  /** Every task's outcomes, in task order (for `run`, every analysis unit's result). */
  outcomes: VariantOutcome[][];
  /** `run`: the base simulation the shards agree on (the first partial's folder). */
  base?: ShardPartial['base'];
}

/** At most `max` items of a list, then "…" (long lists of missing tasks stay one line). */
function few(xs: readonly (string | number)[], max = 8): string {
  return xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')}, … (${xs.length} in all)`;
}

/** What differs between two partials' inputs, in words, for "belongs to another sweep". */
function difference(a: ShardPartial, b: ShardPartial): string {
  if (a.servesim !== b.servesim) return `servesim ${b.servesim} wrote it, ${a.servesim} the other`;
  const keys = [...new Set([...Object.keys(a.args), ...Object.keys(b.args)])];
  const args = keys.filter((k) => a.args[k] !== b.args[k]);
  if (args.length > 0)
    return args
      .map((k) => `${k} ${String(b.args[k] ?? '(none)')} vs ${String(a.args[k] ?? '(none)')}`)
      .join(', ');
  return 'the scenario or its price book differs';
}

export function checkPartials(files: readonly PartialFile[]): MergedSweep {
  if (files.length === 0) throw new InputError('merge needs the partial-K-of-N.json files of one sweep');
  const first = files[0]!;
  const ref = first.partial;
  for (const { path, partial: p } of files.slice(1)) {
    if (p.command !== ref.command)
      throw new InputError(
        `a partial of \`servesim ${p.command}\`, but ${first.path} is one of \`servesim ${ref.command}\`; merge the partials of one sweep`,
        path,
      );
    if (p.fingerprint !== ref.fingerprint)
      throw new InputError(
        `belongs to another sweep than ${first.path} (fingerprint differs: ${difference(ref, p)}); merge the partials of one run of the array job`,
        path,
      );
    if (p.shards !== ref.shards)
      throw new InputError(
        `is shard ${p.shard} of ${p.shards}, but ${first.path} is shard ${ref.shard} of ${ref.shards}; merge the partials of one array job`,
        path,
      );
    if (p.tasks !== ref.tasks || encode(p.frame) !== encode(ref.frame))
      throw new InputError(
        `same fingerprint as ${first.path} but another task list; the file was altered: run that shard again`,
        path,
      );
    // Same scenario and price book, another base run: a file the scenario reads (a trace) differs.
    if (p.base?.result !== ref.base?.result)
      throw new InputError(
        `its base simulation differs from ${first.path}'s: a file the scenario reads (a trace, under ${p.base?.dir ?? '?'}) differs between the shards' machines; give every shard the same files and run them again`,
        path,
      );
  }
  const n = ref.shards;
  const byShard = new Map<number, string>();
  for (const { path, partial: p } of files) {
    const seen = byShard.get(p.shard);
    if (seen !== undefined)
      throw new InputError(`shard ${p.shard} of ${n} given twice: ${seen} and ${path}; give each shard once`);
    byShard.set(p.shard, path);
  }
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !byShard.has(k));
  if (missing.length > 0)
    throw new InputError(
      `missing shard${missing.length > 1 ? 's' : ''} ${few(missing)} of ${n} (${few(
        missing.map((k) => partialName({ k, n })),
        3,
      )}); wait for ${missing.length > 1 ? 'them' : 'it'} to finish, or run ${missing.length > 1 ? 'them' : 'it'} again`,
    );
  const total = ref.tasks;
  const outcomes: (VariantOutcome[] | undefined)[] = new Array<VariantOutcome[] | undefined>(total);
  const owner: string[] = new Array<string>(total);
  for (const { path, partial: p } of files)
    for (const [key, out] of Object.entries(p.outcomes)) {
      const i = Number(key);
      if (!/^\d+$/.test(key) || i >= total || out === null || typeof out !== 'object')
        throw new InputError(
          `task "${key}" is not one of the sweep's ${total} tasks; run that shard again`,
          path,
        );
      if (owner[i] !== undefined)
        throw new InputError(`task ${i} is in both ${owner[i]} and ${path}; run those shards again`);
      owner[i] = path;
      outcomes[i] = out;
    }
  const lost: number[] = [];
  for (let i = 0; i < total; i++) if (outcomes[i] === undefined) lost.push(i);
  if (lost.length > 0)
    throw new InputError(
      `task${lost.length > 1 ? 's' : ''} ${few(lost)} of ${total} in no partial; the partials are incomplete: run their shards again`,
    );
  return {
    command: ref.command,
    args: ref.args,
    frame: ref.frame,
    outcomes: outcomes as VariantOutcome[][],
    ...(ref.base ? { base: ref.base } : {}),
  };
}
