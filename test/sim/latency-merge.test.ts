import { describe, expect, it } from 'vitest';
import { bucketOf, EXACT_LIMIT, LatencyAccumulator } from '../../src/sim/latency.js';

// LatencyAccumulator.mergeFrom (issue 21): a portfolio's latency over all its models' requests is
// the accumulators merged value by value — exactly what one accumulator fed every value reports.

function accumulate(values: readonly number[]): LatencyAccumulator {
  const a = new LatencyAccumulator();
  for (const v of values) a.add(v, v / 4, bucketOf(v));
  return a;
}

describe('LatencyAccumulator.mergeFrom', () => {
  it('exact: 1..10 and 11..20 merged report the nearest ranks of 1..20 (p50 10, p95 19), not averages', () => {
    const a = accumulate([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const b = accumulate([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    a.mergeFrom(b);
    const s = a.summary()!;
    // Nearest rank over 20 values: p50 = the 10th = 10, p95 = the 19th = 19, p99 = the 20th.
    expect(s).toMatchObject({
      count: 20,
      p50: 10,
      p95: 19,
      p99: 20,
      max: 20,
      percentileMethod: 'exact-nearest-rank',
    });
    expect(s.mean).toBeCloseTo(10.5, 12);
    expect(s.meanWait).toBeCloseTo(10.5 / 4, 12);
    // Averaging the halves' p95 (10 and 20) would say 15.
    expect(s.p95).not.toBe((10 + 20) / 2);
  });

  it('merging an empty accumulator changes nothing; merging into one gives the other', () => {
    const a = accumulate([3, 1, 2]);
    const before = a.summary();
    a.mergeFrom(new LatencyAccumulator());
    expect(a.summary()).toEqual(before);
    const e = new LatencyAccumulator();
    e.mergeFrom(accumulate([3, 1, 2]));
    expect(e.summary()).toEqual(before);
  });

  it('past EXACT_LIMIT in all: the histogram of the merged values, as one accumulator fed them all', () => {
    const n = EXACT_LIMIT / 2 + 1; // two halves whose sum is just over the limit
    const xs = Array.from({ length: n }, (_, i) => 0.5 + (i % 997) / 100);
    const ys = Array.from({ length: n }, (_, i) => 3 + (i % 503) / 50);
    const merged = accumulate(xs);
    merged.mergeFrom(accumulate(ys));
    const one = accumulate([...xs, ...ys]);
    const m = merged.summary()!;
    const o = one.summary()!;
    expect(m.percentileMethod).toBe('log-histogram-1pct');
    expect({ ...m, mean: 0, meanWait: 0 }).toEqual({ ...o, mean: 0, meanWait: 0 });
    expect(m.mean).toBeCloseTo(o.mean, 9);
  });
});
