import { describe, expect, it } from 'vitest';
import { bucketOf, LatencyAccumulator } from '../../src/sim/latency.js';
import { select } from '../../src/stats.js';
import { Rng } from '../../src/sim/rng.js';

describe('select (order statistics without a sort)', () => {
  it('puts the k-th smallest at k, smaller before and larger after, for any input', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rng.next() * 200);
      const kind = trial % 4;
      // Random, few distinct values (ties), already sorted, reversed.
      const a = Float64Array.from({ length: n }, (_, i) =>
        kind === 0 ? rng.next() : kind === 1 ? Math.floor(rng.next() * 3) : kind === 2 ? i : n - i,
      );
      const sorted = a.slice().sort();
      const k = Math.floor(rng.next() * n);
      select(a, k, 0, n - 1);
      expect(a[k]).toBe(sorted[k]);
      for (let i = 0; i < k; i++) expect(a[i]).toBeLessThanOrEqual(a[k]!);
      for (let i = k + 1; i < n; i++) expect(a[i]).toBeGreaterThanOrEqual(a[k]!);
      expect(a.slice().sort()).toEqual(sorted);
    }
  });

  it('gives the summary the nearest-rank percentiles of the sorted values', () => {
    // 1..1000 shuffled: nearest rank ⌈p·n⌉ → p50 = 500, p95 = 950, p99 = 990.
    const rng = new Rng(5);
    const v = Array.from({ length: 1000 }, (_, i) => i + 1);
    for (let i = v.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [v[i], v[j]] = [v[j]!, v[i]!];
    }
    const acc = new LatencyAccumulator();
    for (const x of v) acc.add(x, 0, bucketOf(x));
    expect(acc.summary()).toMatchObject({ p50: 500, p95: 950, p99: 990, max: 1000 });
  });
});
