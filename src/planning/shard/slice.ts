import type { SweepTask } from '../sweep/sweep.js';

/*
 * Which tasks of a sweep one shard computes (design §11.7). The slice is a pure function of
 * (task list, K, N), so every shard of an array job agrees on it without talking to the others,
 * and a task's outcome never depends on which shard computed it (sweep tasks are pure in
 * (context, task)).
 */

/** Shard K of N, 1-based: `--shard 2/8` is `{ k: 2, n: 8 }`. */
export interface ShardSpec {
  k: number;
  n: number;
}

/** A task's work as the sweep pool weighs it: traffic volume × options simulated. */
export function taskWeight(t: SweepTask): number {
  return t.scale * t.options.length;
}

/**
 * The task indices shard K of N computes, ascending: greedy balancing by weight (heaviest task
 * first, the lowest index on ties, each to the shard with the least work so far, the lowest
 * shard on ties). Every index lands in exactly one shard. A shard may get none (N > tasks).
 *
 * Example: weights [4, 1, 1, 2] over 2 shards → shard 1 gets task 0 (4), shard 2 gets 3, 1 and
 * 2 (2 + 1 + 1): shardSlice(w, {k: 1, n: 2}) = [0], shardSlice(w, {k: 2, n: 2}) = [1, 2, 3].
 */
export function shardSlice(weights: readonly number[], spec: ShardSpec): number[] {
  const order = weights.map((_, i) => i).sort((a, b) => weights[b]! - weights[a]! || a - b);
  const load = new Float64Array(spec.n);
  const mine: number[] = [];
  for (const i of order) {
    let s = 0;
    for (let j = 1; j < spec.n; j++) if (load[j]! < load[s]!) s = j;
    load[s] = load[s]! + weights[i]!;
    if (s === spec.k - 1) mine.push(i);
  }
  return mine.sort((a, b) => a - b);
}
