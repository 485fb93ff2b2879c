import type { HeartbeatBreakeven, HeartbeatVariant, VolumeBreakeven } from '../../../src/compare/result.js';
import type { ForecastResult } from '../../../src/planning/forecast/result.js';

/*
 * Small, hand-written break-even and forecast results for the planning charts' tests and golden
 * specs: the charts draw results, so a frozen result (numbers chosen to check by hand) tests them
 * without simulating.
 */

const variant = (schedule: string, cost: number, interactive: number, batch = 0): HeartbeatVariant => ({
  schedule,
  cost,
  coldStartHits: interactive + batch,
  coldStartHitsByClass: { interactive, batch },
  p99Interactive: interactive > 0 ? 60 : 1.2,
  firstCall: 1.1,
});

/**
 * One option, counting interactive cold starts: never $10 (12 hits); always $40 at 1m and 5m (0);
 * office hours $15 (2 hits: 10 avoided for +$5, the break-even $0.50 each) — the chosen schedule;
 * a night window past midnight $11 (11 hits). A cold start is worth $1.
 */
export function heartbeatFixture(): HeartbeatBreakeven {
  return {
    option: 'cmi',
    keys: ['cmi'],
    scaleToZeroSeconds: 300,
    classes: ['interactive'],
    gridSeconds: 60,
    method: { search: 'whole-trace', searchDays: 1, note: '' },
    variants: [
      variant('never', 10, 12, 7),
      variant('always, every 1m', 40, 0),
      variant('always, every 5m', 40, 0),
      variant('09:00-17:00, every 5m', 15, 2, 7),
      variant('22:00-02:00, every 5m', 11, 11, 7),
    ],
    costPerAvoidedColdStart: 30 / 12,
    breakEvenColdStartValue: 0.5,
    bestSchedule: {
      schedule: '09:00-17:00, every 5m',
      heartbeat: { every: '5m', during: ['09:00-17:00'], days: 'weekdays' },
      basis: 'by value',
      addedCost: 5,
      avoided: 10,
      costPerAvoided: 0.5,
      daysRun: 1,
      fittedTo: 'this trace',
    },
    wholeHourSchedule: {
      schedule: '09:00-17:00, every 5m',
      heartbeat: { every: '5m', during: ['09:00-17:00'], days: 'all' },
    },
    uncounted: { classes: ['batch'], hitsNever: 7, hitsBest: 7, slowestLongerBy: 0 },
    verdict: { coldStartValue: 1, alwaysNet: 12 - 30, bestNet: 10 - 5 },
    warmByTraffic: { schedule: '09:00-17:00, every 5m', requestsPerDay: null },
  };
}

/**
 * Four volumes; `cmi` grows with volume, `box` is flat at $36, the baseline `tokens` is linear.
 * One crossover, cmi → box, at 316 requests/day.
 */
export function volumeFixture(): VolumeBreakeven {
  return {
    points: [
      { requestsPerDay: 10, costs: { cmi: 5, box: 36, tokens: 0.1 }, cheapest: 'cmi' },
      { requestsPerDay: 100, costs: { cmi: 20, box: 36, tokens: 1 }, cheapest: 'cmi' },
      { requestsPerDay: 1000, costs: { cmi: 60, box: 36, tokens: 10 }, cheapest: 'box' },
      { requestsPerDay: 10000, costs: { cmi: 200, box: null, tokens: 100 }, cheapest: 'cmi' },
    ],
    crossovers: [
      { from: 'cmi', to: 'box', requestsPerDay: 316.2 },
      { from: 'box', to: 'cmi', requestsPerDay: 3162 },
    ],
    baselines: ['tokens'],
  };
}

/** Three months, two options and a baseline; totals are the months' sums (P10, P50, P90). */
export function forecastFixture(): ForecastResult {
  const months = ['2026-01', '2026-02', '2026-03'];
  const band = (p50: number) => ({ p10: p50 * 0.8, p50, p90: p50 * 1.3 });
  const rows = months.flatMap((month, i) => [
    { month, option: 'cmi', ...band(1000 + 100 * i) },
    { month, option: 'box', ...band(2000) },
    { month, option: 'tokens', ...band(30) },
  ]);
  const info = (option: string, baseline: boolean) => ({
    option,
    id: option,
    baseline,
    feasible: true,
    reasons: [],
    lossRate: 0,
    lossExceeded: false,
  });
  return {
    months: rows,
    scenario: 'fixture',
    seed: 1,
    region: 'us-east-1',
    settings: {
      start: '2026-01',
      months: 3,
      growth: 0,
      runs: 50,
      uncertainty: 'all',
      sampleDays: 1,
      volumePoints: 'all',
      runVolumes: 'all',
      seedOnlyRuns: 'all',
      percentileMethod: 'nearest-rank',
      representativeDays: { weekday: '2026-01-05', weekend: '2026-01-03' },
    },
    calendar: months.map((month) => ({ month, days: 30, weekdays: 22, weekendDays: 8, volumeFactor: 1 })),
    totals: [
      { option: 'cmi', ...band(3300) },
      { option: 'box', ...band(6000) },
      { option: 'tokens', ...band(90) },
    ],
    cheapest: months.map((month) => ({ month, option: 'cmi' })),
    options: [
      info('cmi', false),
      info('box', false),
      info('tokens', true),
      { ...info('gone', false), feasible: false },
    ],
    uncertainInputs: [],
    commitments: [],
  };
}
