import { describe, expect, it } from 'vitest';
import { Counters } from '../../src/sim/counters.js';
import { bucketOf, EXACT_LIMIT, LatencyAccumulator } from '../../src/sim/latency.js';
import { Rng } from '../../src/sim/rng.js';

/*
 * `Counters.time` adds a latency to `all` only while the class group and `warm` would hold the
 * same values, and copies them from `all` where they part (or at the end). Its record must equal,
 * bit for bit, that of adding every value to every group it belongs to (the plain rule).
 */

/** Summaries and CDF samples of the five groups, every number spelled exactly. */
function exact(groups: Record<string, LatencyAccumulator>): string {
  const out: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(groups))
    out[k] = { summary: a.summary(), sample: Array.from(a.quantiles()) };
  return JSON.stringify(out, (_k, v: unknown) =>
    typeof v === 'number' && (Object.is(v, -0) || !Number.isFinite(v)) ? `#${String(v)}` : v,
  );
}

interface Served {
  latency: number;
  wait: number;
  cls: number;
  cold: boolean;
}

function check(served: readonly Served[]): void {
  const plain = {
    all: new LatencyAccumulator(),
    interactive: new LatencyAccumulator(),
    batch: new LatencyAccumulator(),
    warm: new LatencyAccumulator(),
    coldHit: new LatencyAccumulator(),
  };
  const counters = new Counters();
  for (const s of served) {
    const b = bucketOf(s.latency);
    plain.all.add(s.latency, s.wait, b);
    (s.cls === 0 ? plain.interactive : plain.batch).add(s.latency, s.wait, b);
    (s.cold ? plain.coldHit : plain.warm).add(s.latency, s.wait, b);
    counters.time(s.latency, s.wait, s.cls, s.cold);
  }
  const record = counters.toRecord({} as never);
  const lat = counters.lat;
  const timed = {
    all: lat.all,
    interactive: lat.byClass[0]!,
    batch: lat.byClass[1]!,
    warm: lat.warm,
    coldHit: lat.coldHit,
  };
  expect(exact(timed)).toBe(exact(plain));
  // The record reads the same groups.
  expect(record.latency.warm).toEqual(plain.warm.summary());
  expect(record.latency.interactive).toEqual(plain.interactive.summary());
}

/** `n` served requests: sub-second to minute latencies (sums that round), classes and cold hits as asked. */
function sequence(seed: number, n: number, batchShare: number, coldAt: (i: number) => boolean): Served[] {
  const rng = new Rng(seed, 'counters-time');
  return Array.from({ length: n }, (_, i) => {
    const wait = rng.next() < 0.5 ? 0 : rng.exponential(0.7);
    return {
      latency: wait + rng.exponential(1.3),
      wait,
      cls: rng.next() < batchShare ? 1 : 0,
      cold: coldAt(i),
    };
  });
}

describe('Counters.time: groups copied from `all` equal groups added to one by one', () => {
  it('one class or both; no cold hit, the first request cold, cold hits later on', () => {
    const colds: ((i: number) => boolean)[] = [() => false, (i) => i === 0, (i) => i % 97 === 40];
    for (const [seed, share] of [
      [1, 0],
      [2, 1],
      [3, 0.3],
      [4, 0.001],
    ] as const)
      for (const coldAt of colds) check(sequence(seed, 3000, share, coldAt));
  });

  it('past the exact limit (the histogram), the second class first seen late', () => {
    const n = EXACT_LIMIT + 5000;
    check(sequence(5, n, 0, (i) => i === 7).map((s, i) => (i === n - 10 ? { ...s, cls: 1 } : s)));
  });

  it('nothing timed: every group empty', () => {
    check([]);
  });
});
