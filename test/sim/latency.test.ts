import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bucketOf, EXACT_LIMIT, LatencyAccumulator } from '../../src/sim/latency.js';
import { Rng } from '../../src/sim/rng.js';

/*
 * LatencyAccumulator (design §3 "Latency"): exact nearest-rank percentiles while the run is small,
 * a log histogram with ≤ 1 % relative error past 200,000 values, null when empty. Expected values
 * are computed here by definition: nearest rank p of n sorted values is x[⌈p·n⌉ − 1] (1-based rank
 * ⌈p·n⌉; Hyndman & Fan 1996, definition 1 / the "nearest-rank method"). ⌈p·n⌉ is computed in
 * integer arithmetic, ⌈k·n/100⌉ = ⌊(k·n + 99)/100⌋, so float rounding in p·n cannot hide an
 * off-by-one.
 */

function accumulate(values: ArrayLike<number>, waits?: ArrayLike<number>): LatencyAccumulator {
  const acc = new LatencyAccumulator();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    acc.add(v, waits === undefined ? 0 : waits[i]!, bucketOf(v));
  }
  return acc;
}

/** Nearest rank of percentile k (integer percent) over sorted values. */
function nearestRank(sorted: ArrayLike<number>, k: number): number {
  const n = sorted.length;
  const rank = Math.floor((k * n + 99) / 100); // ⌈k·n/100⌉
  return sorted[Math.max(1, rank) - 1]!;
}

/** Fisher–Yates with the project's seeded generator, so insertion order is not sorted order. */
function shuffled(values: number[], seed: number): number[] {
  const out = [...values];
  const rng = new Rng(seed, 'latency-test/shuffle');
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('exact nearest-rank percentiles', () => {
  it('values 1..100 in random order: p50 = 50, p95 = 95, p99 = 99, max = 100, mean = 50.5', () => {
    const values = shuffled(
      Array.from({ length: 100 }, (_, i) => i + 1),
      1,
    );
    const s = accumulate(values).summary()!;
    // x[⌈0.5·100⌉−1] = x[49] = 50, x[94] = 95, x[98] = 99; mean = (1+100)/2.
    expect(s).toMatchObject({
      count: 100,
      p50: 50,
      p95: 95,
      p99: 99,
      max: 100,
      percentileMethod: 'exact-nearest-rank',
    });
    expect(s.mean).toBe(50.5);
  });

  it('small hand-worked sets: n = 1, 2, 3, 10, 101', () => {
    expect(accumulate([7]).summary()).toMatchObject({ p50: 7, p95: 7, p99: 7, max: 7, mean: 7 });
    // n = 2: ⌈1⌉ = 1 → 3; ⌈1.9⌉ = 2 → 5; ⌈1.98⌉ = 2 → 5.
    expect(accumulate([5, 3]).summary()).toMatchObject({ p50: 3, p95: 5, p99: 5 });
    // n = 3: ⌈1.5⌉ = 2 → 2nd smallest; ⌈2.85⌉ = ⌈2.97⌉ = 3 → largest.
    expect(accumulate([0.3, 0.1, 0.2]).summary()).toMatchObject({ p50: 0.2, p95: 0.3, p99: 0.3 });
    // n = 10 (10, 20, …, 100): ⌈5⌉ = 5 → 50; ⌈9.5⌉ = 10 → 100; ⌈9.9⌉ = 10 → 100.
    const tens = shuffled(
      Array.from({ length: 10 }, (_, i) => 10 * (i + 1)),
      2,
    );
    expect(accumulate(tens).summary()).toMatchObject({ p50: 50, p95: 100, p99: 100 });
    // n = 101 (1..101): ⌈50.5⌉ = 51 → 51; ⌈95.95⌉ = 96 → 96; ⌈99.99⌉ = 100 → 100.
    const v101 = shuffled(
      Array.from({ length: 101 }, (_, i) => i + 1),
      3,
    );
    expect(accumulate(v101).summary()).toMatchObject({ p50: 51, p95: 96, p99: 100, max: 101 });
  });

  it('sorts numerically, not as strings (2 < 10 < 100)', () => {
    // A lexicographic sort would give [10, 100, 2] and p50 = 100.
    expect(accumulate([100, 2, 10]).summary()).toMatchObject({ p50: 10, p95: 100 });
  });

  it('empty → null', () => {
    expect(new LatencyAccumulator().summary()).toBeNull();
  });

  it('meanWait is the mean of the waits passed alongside', () => {
    const s = accumulate([1, 2, 3, 4], [0, 0.5, 1, 2.5]).summary()!;
    expect(s.meanWait).toBe(1); // (0 + 0.5 + 1 + 2.5) / 4
    expect(s.mean).toBe(2.5);
  });

  it('matches sort-based nearest rank on random sets (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true, noDefaultInfinity: true }), {
          minLength: 1,
          maxLength: 500,
        }),
        (values) => {
          const s = accumulate(values).summary()!;
          const sorted = Float64Array.from(values).sort();
          expect(s.count).toBe(values.length);
          expect(s.p50).toBe(nearestRank(sorted, 50));
          expect(s.p95).toBe(nearestRank(sorted, 95));
          expect(s.p99).toBe(nearestRank(sorted, 99));
          expect(s.max).toBe(sorted[sorted.length - 1]);
          expect(s.percentileMethod).toBe('exact-nearest-rank');
        },
      ),
      { numRuns: 200, seed: 20260105 },
    );
  });
});

describe('switch to the log histogram', () => {
  it('stays exact at 200,000 values and switches at one more', () => {
    // Design §3 / the task: exact nearest rank up to 200,000 values, the histogram past that.
    const limit = 200_000;
    expect(EXACT_LIMIT).toBe(limit);
    const acc = new LatencyAccumulator();
    const rng = new Rng(5, 'latency-test/limit');
    const values = new Float64Array(limit + 1);
    for (let i = 0; i < values.length; i++) values[i] = 1 + 9 * rng.next();
    for (let i = 0; i < limit; i++) acc.add(values[i]!, 0, bucketOf(values[i]!));
    const exact = acc.summary()!;
    const sorted = values.slice(0, limit).sort();
    expect(exact.percentileMethod).toBe('exact-nearest-rank');
    expect(exact.p50).toBe(nearestRank(sorted, 50));
    expect(exact.p99).toBe(nearestRank(sorted, 99));
    acc.add(values[limit]!, 0, bucketOf(values[limit]!));
    expect(acc.summary()!.percentileMethod).toBe('log-histogram-1pct');
  });

  it('300k lognormal values: every percentile within 1 % of the exact nearest rank', () => {
    // Lognormal(μ = ln 2, σ = 1) by Box–Muller written out here (not the code's sampler):
    // x = 2·exp(√(−2 ln u)·cos(2πv)). It spans ~4 decades, so many histogram buckets are used.
    const n = 300_000;
    const rng = new Rng(9, 'latency-test/lognormal');
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const z = Math.sqrt(-2 * Math.log(rng.next())) * Math.cos(2 * Math.PI * rng.next());
      values[i] = 2 * Math.exp(z);
    }
    const s = accumulate(values).summary()!;
    const sorted = values.slice().sort();
    expect(s.count).toBe(n);
    expect(s.percentileMethod).toBe('log-histogram-1pct');
    for (const [k, got] of [
      [50, s.p50],
      [95, s.p95],
      [99, s.p99],
    ] as const) {
      const want = nearestRank(sorted, k);
      expect(Math.abs(got - want) / want, `p${k}: ${got} vs exact ${want}`).toBeLessThanOrEqual(0.01);
    }
    expect(s.max).toBe(sorted[n - 1]);
    // The mean is not binned: exact up to summation rounding.
    let sum = 0;
    for (const v of values) sum += v;
    expect(Math.abs(s.mean - sum / n) / (sum / n)).toBeLessThan(1e-12);
  });

  it('histogram percentiles are within 1 % for any value in [10 µs, 10⁶ s] (property)', () => {
    // One value repeated past the limit: every percentile is that value, so the reported bucket
    // value's relative error is the histogram's resolution at that point.
    fc.assert(
      fc.property(fc.double({ min: 1e-5, max: 1e6, noNaN: true }), (x) => {
        const acc = new LatencyAccumulator();
        const b = bucketOf(x);
        for (let i = 0; i <= EXACT_LIMIT; i++) acc.add(x, 0, b);
        const s = acc.summary()!;
        expect(s.percentileMethod).toBe('log-histogram-1pct');
        for (const got of [s.p50, s.p95, s.p99]) expect(Math.abs(got - x) / x).toBeLessThanOrEqual(0.01);
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});

describe('compensated mean', () => {
  it('one large value plus a million tiny ones keeps the tiny ones', () => {
    // 1 + 1e-16 rounds to 1 in binary64 (half an ulp of 1 is 1.1e-16), so a naive running sum of
    // [1, 1e-16 × 10⁶] stays exactly 1 and loses 1e-10. The true mean is (1 + 1e-10)/(10⁶ + 1).
    const n = 1_000_000;
    const acc = new LatencyAccumulator();
    acc.add(1, 1, bucketOf(1));
    for (let i = 0; i < n; i++) acc.add(1e-16, 1e-16, bucketOf(1e-16));
    const s = acc.summary()!;
    const want = (1 + 1e-10) / (n + 1);
    let naive = 1;
    for (let i = 0; i < n; i++) naive += 1e-16;
    expect(naive).toBe(1); // the failure mode being guarded against
    expect(Math.abs(s.mean - want) / want).toBeLessThan(1e-14);
    expect(Math.abs(s.meanWait - want) / want).toBeLessThan(1e-14);
  });

  it('ten million values of 0.1 average to 0.1 to within an ulp or two', () => {
    // A naive running sum of 0.1 × 10⁷ drifts to 999999.9998389754 (relative error 1.6e-10).
    const n = 10_000_000;
    const acc = new LatencyAccumulator();
    const b = bucketOf(0.1);
    for (let i = 0; i < n; i++) acc.add(0.1, 0.1, b);
    const s = acc.summary()!;
    expect(Math.abs(s.mean - 0.1)).toBeLessThanOrEqual(2 * Number.EPSILON * 0.1);
    expect(Math.abs(s.meanWait - 0.1)).toBeLessThanOrEqual(2 * Number.EPSILON * 0.1);
  });
});
