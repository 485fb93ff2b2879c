import { describe, expect, it } from 'vitest';
import { bucketOf, EXACT_LIMIT, LatencyAccumulator, QUANTILE_SAMPLE } from '../../src/sim/latency.js';
import { Rng } from '../../src/sim/rng.js';
import { simulate } from '../../src/sim/engine.js';
import { DistService } from '../../src/sim/service.js';
import { ArrayStream } from '../helpers/sim.js';

/*
 * LatencyAccumulator.quantiles and SimRecord.latencySample: the bounded, sorted sample the report's
 * latency CDF is drawn from. Expected values by definition: with k = min(n, size) points, point i
 * (1-based) is the nearest-rank value x[⌈i·n/k⌉ − 1] of the sorted values.
 */

function accumulate(values: ArrayLike<number>): LatencyAccumulator {
  const acc = new LatencyAccumulator();
  for (let i = 0; i < values.length; i++) acc.add(values[i]!, 0, bucketOf(values[i]!));
  return acc;
}

describe('LatencyAccumulator.quantiles', () => {
  it('is empty for no values and every value, sorted, when there are at most `size`', () => {
    expect(new LatencyAccumulator().quantiles()).toEqual(new Float64Array(0));
    expect([...accumulate([3, 1, 2]).quantiles()]).toEqual([1, 2, 3]);
  });

  it('takes nearest ranks ⌈i·n/k⌉ when there are more values than `size`', () => {
    // n = 10, k = 4: ranks ⌈2.5⌉, ⌈5⌉, ⌈7.5⌉, ⌈10⌉ = 3, 5, 8, 10.
    const values = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect([...accumulate(values).quantiles(4)]).toEqual([3, 5, 8, 10]);
    expect(accumulate(values).quantiles().length).toBe(10);
    expect(QUANTILE_SAMPLE).toBe(2000);
  });

  it('reads the histogram past the exact limit: sorted, each within 1 % of the exact value, last = max', () => {
    const rng = new Rng(11, 'latency-sample');
    const n = EXACT_LIMIT + 5000;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = Math.exp(rng.next() * 8 - 3); // 0.05 s … 150 s
    const q = accumulate(values).quantiles(500);
    const sorted = values.slice().sort();
    expect(q.length).toBe(500);
    for (let i = 1; i <= 500; i++) {
      const exact = sorted[Math.ceil((i * n) / 500) - 1]!;
      expect(Math.abs(q[i - 1]! - exact) / exact, `point ${i}`).toBeLessThanOrEqual(0.01);
      if (i > 1) expect(q[i - 1]!).toBeGreaterThanOrEqual(q[i - 2]!);
    }
    expect(q[499]).toBe(sorted[n - 1]);
  });
});

describe('SimRecord.latencySample', () => {
  it('holds the sorted latencies of the served user requests, at most QUANTILE_SAMPLE of them', () => {
    // One replica, one slot, deterministic 1 s service: arrivals at 0, 0, 0 wait 0, 1 and 2 s.
    const service = new DistService({ dist: 'fixed', value: 1 }, new Rng(1, 'svc'));
    const record = simulate(
      { slotsPerReplica: 1, routing: 'pack', service, initialReplicas: 1, policy: null },
      new ArrayStream([0, 0, 0]),
      null,
      10,
    );
    expect([...record.latencySample.all]).toEqual([1, 2, 3]);
    expect(record.latencySample.coldHit.length).toBe(0);
  });
});
