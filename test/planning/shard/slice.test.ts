import { describe, expect, it } from 'vitest';
import { shardSlice, taskWeight } from '../../../src/planning/shard/slice.js';
import { Rng } from '../../../src/sim/rng.js';

/* Which tasks shard K of N computes (design §11.7): a partition, deterministic, balanced by weight. */

const slices = (w: number[], n: number): number[][] =>
  Array.from({ length: n }, (_, i) => shardSlice(w, { k: i + 1, n }));

describe('shardSlice', () => {
  it('deals the heaviest task first to the least-loaded shard (worked example)', () => {
    // Task 0 (4) → shard 1; task 3 (2) → shard 2; task 1 (1) → shard 2 (load 2 < 4); task 2 (1) →
    // shard 2 (3 < 4). Loads 4 and 4.
    expect(slices([4, 1, 1, 2], 2)).toEqual([[0], [1, 2, 3]]);
    // Equal weights: round robin by index.
    expect(slices([1, 1, 1, 1, 1], 3)).toEqual([[0, 3], [1, 4], [2]]);
    // One shard takes everything; more shards than tasks leaves some empty.
    expect(slices([3, 1], 1)).toEqual([[0, 1]]);
    expect(slices([3, 1], 3)).toEqual([[0], [1], []]);
  });

  it('puts every task in exactly one shard, and no shard carries more than the mean plus the heaviest task', () => {
    const rng = new Rng(20261203);
    for (let trial = 0; trial < 200; trial++) {
      const count = Math.floor(rng.next() * 40);
      const n = 1 + Math.floor(rng.next() * 7);
      const w = Array.from({ length: count }, () => Math.round(rng.next() * 100) / 10);
      const all = slices(w, n);
      expect(all.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
      // The greedy bound: the last task added to a shard went to the least loaded, so a shard's
      // load is at most (total − its last task) / n + its last task ≤ total / n + max.
      const total = w.reduce((s, x) => s + x, 0);
      const max = Math.max(0, ...w);
      for (const s of all)
        expect(s.reduce((sum, i) => sum + w[i]!, 0)).toBeLessThanOrEqual(total / n + max + 1e-9);
      expect(slices(w, n)).toEqual(all);
    }
  });

  it('weighs a task as the pool does: volume × options', () => {
    expect(taskWeight({ scale: 2.5, options: [{ id: 'a' }, { id: 'b' }] as never })).toBe(5);
  });
});
