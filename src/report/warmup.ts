import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput } from '../compare/run.js';
import { chartsOf } from './charts/index.js';
import { line } from '../billing/lines.js';

/*
 * Warm-up charts for the SVG worker: the report's own chart builders applied to a tiny made-up
 * run (two options, two hours). vega's first drawing of a kind of chart costs several times the
 * next (lazy compilation, cold caches); drawing these while the real run simulates pays that
 * cost off the critical path. Same builders ⇒ same marks, scales and guides as the real charts,
 * so a chart added to CHARTS is warmed up too. Only the worker sees these; nothing is written.
 */

const MINUTES = 120;

/** The specs to warm up on; empty if a builder cannot use the made-up run (then no warm-up). */
export function warmupSpecs(): TopLevelSpec[] {
  try {
    return chartsOf(madeUpRun()).map((c) => c.spec);
  } catch {
    return [];
  }
}

function madeUpRun(): RunOutput {
  const series = {
    minutes: MINUTES,
    arrivals: Int32Array.from({ length: MINUTES }, (_, m) => (m >= 30 && m < 60 ? 5 + (m % 3) : 0)),
    inFlight: new Int32Array(MINUTES),
    ready: Int32Array.from({ length: MINUTES }, (_, m) => (m >= 31 && m < 70 ? 1 + (m % 2) : 0)),
  };
  const sample = Float64Array.from([0.8, 1, 1.2, 1.5, 2, 40, 90]);
  const costSoFar = (minutes: number) => Float64Array.from({ length: minutes }, (_, m) => m * 0.01);
  const lines = [
    line('Compute (made up)', 1, 'hours', 1),
    line('Ops (made up)', 1, 'FTE-years', 0.2, { billedBy: 'staff' }),
  ];
  const option = (key: string, coldStartHits: number) => ({
    key,
    id: 'fixed-fleet',
    label: key,
    feasible: true,
    reasons: [],
    cost: { total: 1.2, aws: 1, staff: 0.2, currency: 'USD', lines },
    requests: {
      arrived: 100,
      served: 100,
      throttled: 0,
      failed: 0,
      heartbeats: 0,
      coldStartHits,
      coldStartHitsByClass: { interactive: coldStartHits, batch: 0 },
    },
    capacity: {},
  });
  const run = (key: string) => ({
    key,
    record: {
      series,
      latencySample: {
        all: sample,
        coldHit: sample.subarray(5),
        interactive: sample,
        batch: sample.subarray(2),
      },
    },
    bill: { lines, costSoFar },
  });
  return {
    result: {
      trace: {
        start: '2026-01-05T05:00:00Z',
        durationSeconds: MINUTES * 60,
        byClass: { interactive: { requests: 100 }, batch: { requests: 100 } },
      },
      options: [option('a', 2), option('b', 0)],
    },
    runs: [run('a'), run('b')],
    scenario: { timezone: 'America/New_York' },
  } as unknown as RunOutput;
}
