import { describe, expect, it } from 'vitest';
import { forecast, planForecast, type ForecastResult } from '../../../src/planning/forecast/forecast.js';
import { scaledDay, type DayCosts } from '../../../src/planning/forecast/volumes.js';
import type { VariantOutcome } from '../../../src/planning/sweep/sweep.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';

/*
 * `runVolumes: one` (docs/forecast.md, "Approximations"): each run simulates one volume and its
 * AWS bill at the others follows the base days' ratio. Checked three ways: the arithmetic by hand;
 * no approximation where there is nothing to scale (no growth); and the error against every run
 * simulating every volume, on a small copy of the article's day.
 */

function outcome(key: string, cost: number | null, costAws: number | null): VariantOutcome {
  return {
    key,
    feasible: cost !== null,
    reasons: cost === null ? ['no'] : [],
    cost,
    costAws,
    arrived: 10,
    served: 10,
    throttled: 0,
    failed: 0,
    heartbeats: 0,
    coldStartHits: 0,
    coldStartHitsByClass: { interactive: 0, batch: 0 },
    p99Interactive: null,
    firstCall: null,
    firstArrival: null,
    coldStarts: 0,
    latency: null,
    scaleToZeroSeconds: null,
  } as VariantOutcome;
}
const day = (...o: VariantOutcome[]): DayCosts => new Map(o.map((x) => [x.key, x]));

describe('scaledDay', () => {
  it('scales the AWS bill by the base ratio and keeps staff time', () => {
    // Run: $10 = $8 AWS + $2 staff. Base AWS $4 at the pivot, $6 at the other volume: ×1.5 → $12 + $2.
    const r = scaledDay(day(outcome('a', 10, 8)), day(outcome('a', 7, 6)), day(outcome('a', 5, 4)));
    expect(r.get('a')!.costAws).toBe(12);
    expect(r.get('a')!.cost).toBe(14);
  });

  it('adds the base change when the base bills nothing at the pivot; infeasible where the base is', () => {
    const r = scaledDay(
      day(outcome('a', 3, 1), outcome('b', 3, 3)),
      day(outcome('a', 2.5, 2.5), outcome('b', null, null)),
      day(outcome('a', 0, 0), outcome('b', 1, 1)),
    );
    expect(r.get('a')!.costAws).toBe(3.5); // 1 + 2.5 − 0
    expect(r.get('a')!.cost).toBe(5.5);
    expect(r.get('b')!.cost).toBeNull();
    expect(r.get('b')!.feasible).toBe(false);
  });

  it('is the run itself at the pivot', () => {
    const pivot = day(outcome('a', 5, 4));
    const run = day(outcome('a', 10, 8));
    expect(scaledDay(run, pivot, pivot)).toBe(run);
  });
});

/** The article's day at a tenth of its volume: a 09:00 batch and an afternoon trickle. */
function smallDay(forecastSection: Record<string, unknown>) {
  const tokens = {
    inputTokens: { dist: 'lognormal', median: 250, p90: 320 },
    outputTokens: { dist: 'lognormal', median: 60, p90: 75 },
  };
  return scenarioFromObject({
    name: 'small-notes',
    seed: 5,
    timezone: 'UTC',
    model: { parameters: 8.03e9, bytesPerParameter: 2, contextLength: 131072 },
    traffic: {
      start: '2026-01-05T00:00',
      components: [
        { type: 'batch', at: '09:00', count: 3000, over: '45m', ...tokens },
        { type: 'trickle', from: '13:00', to: '19:00', count: 20, ...tokens },
      ],
    },
    options: [
      { id: 'bedrock-cmi', key: 'cmi' },
      {
        id: 'bedrock-cmi',
        key: 'cmi-heartbeat',
        heartbeat: { every: '5m', during: ['08:00-19:00'], days: 'weekdays' },
      },
      { id: 'sagemaker-realtime', instanceType: 'ml.g5.2xlarge', minInstances: 1, maxInstances: 4 },
      { id: 'bedrock-on-demand', key: 'llama', model: 'llama-3.1-8b-instruct' },
    ],
    forecast: { months: 6, runs: 20, growth: 0.1, start: '2026-01', runVolumes: 'one', ...forecastSection },
  });
}

/** Largest |a − b| / b over every band edge of `months` and `totals`. */
function worst(a: ForecastResult, b: ForecastResult): { months: number; totals: number } {
  const rel = (x: number, y: number): number => Math.abs(x - y) / Math.abs(y);
  let months = 0;
  for (const r of b.months) {
    const s = a.months.find((x) => x.month === r.month && x.option === r.option)!;
    months = Math.max(months, rel(s.p10, r.p10), rel(s.p50, r.p50), rel(s.p90, r.p90));
  }
  let totals = 0;
  for (const r of b.totals) {
    const s = a.totals.find((x) => x.option === r.option)!;
    totals = Math.max(totals, rel(s.p10, r.p10), rel(s.p50, r.p50), rel(s.p90, r.p90));
  }
  return { months, totals };
}

describe('runVolumes: one', () => {
  it('without growth there is one volume: the same forecast as runVolumes: all', async () => {
    const one = await forecast(smallDay({ growth: 0, runs: 4, months: 2 }), { workers: 1 });
    const all = await forecast(smallDay({ growth: 0, runs: 4, months: 2, runVolumes: 'all' }), {
      workers: 1,
    });
    expect(one.settings.scaledFromVolume).toBeUndefined();
    expect({ ...one, settings: { ...one.settings, runVolumes: 'all' } }).toEqual(all);
  });

  it('simulates each run at the middle volume only', () => {
    const one = planForecast(smallDay({}));
    const all = planForecast(smallDay({ runVolumes: 'all' }));
    // all: 20 runs × 3 volumes, one task each (the heartbeat's weekend day joins its weekday's
    // task, fold.test.ts) = 60; no DST in UTC.
    expect(all.tasks).toHaveLength(60);
    // one: 20 runs × 1 volume + 3 volumes × 2 base days (weekday, weekend) = 26.
    expect(one.tasks).toHaveLength(26);
    expect(one.frame.volumes?.pivot).toBe(1);
    expect(new Set(one.frame.days.flat(2).map((t) => one.tasks[t.weekday]!.scale))).toEqual(
      new Set([one.frame.scales[1]]),
    );
  });

  it('stays within 10 % of every run simulating every volume on each band edge, 5 % on the totals', async () => {
    const one = await forecast(smallDay({}), { workers: 1 });
    const all = await forecast(smallDay({ runVolumes: 'all' }), { workers: 1 });
    expect(one.settings.scaledFromVolume).toBe(Math.pow(1.1, 3));
    const w = worst(one, all);
    // Measured: 7.4 % (a CMI band edge) and 3.3 % (a CMI total). Not vacuous: the volumes differ.
    expect(w.months).toBeLessThan(0.1);
    expect(w.totals).toBeLessThan(0.05);
    expect(w.months).toBeGreaterThan(0);
  });
});
