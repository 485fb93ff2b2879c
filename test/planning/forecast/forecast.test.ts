import { describe, expect, it } from 'vitest';
import { bandOf } from '../../../src/planning/forecast/bands.js';
import { nearestRank } from '../../../src/stats.js';
import { addMonths, forecastMonths, regularDay } from '../../../src/planning/forecast/calendar.js';
import {
  anchorScales,
  bracket,
  forecast,
  forecastSettings,
  runSeed,
  type ForecastResult,
} from '../../../src/planning/forecast/forecast.js';
import { InputError } from '../../../src/errors.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';
import { cmiFixed, WINDOW } from '../../compare/fixtures.js';

/*
 * Forecasts small enough to count by hand: `batch` components only, fixed token lengths, fixed
 * service and cold-start times, `uncertainty: none` — every run then simulates the same days, so
 * every band must collapse onto one monthly total worked out below.
 *
 * CMI (`cmiFixed`): 3 requests a day at 09:00, 09:20, 09:40, each 1 s after a 30 s cold start; the
 * copy scales to zero 300 s after each arrival, long before the next, so each is its own active
 * period: 3 windows a day × $0.785 (2 CMUs × $0.0785 × 5). Storage, overridden to $7.30 per
 * CMU-month and pro-rated over 730 h a month: 2 CMUs × 7.30 × 24/730 = $0.48 a (24 h) day.
 * The box: one replica always on at $1.50 an hour = $36 a 24 h day.
 * January 2026 (Thu 1 … Sat 31): 22 weekdays, 9 weekend days; February: 20 and 8.
 */

const STORAGE_PER_DAY = (2 * 7.3 * 24) / 730;
const CMI_PER_DAY = 3 * WINDOW + STORAGE_PER_DAY;

function hand(
  extra: { days?: 'all' | 'weekdays'; timezone?: string; forecast?: Record<string, unknown> } = {},
) {
  return scenarioFromObject({
    name: 'hand-forecast',
    seed: 3,
    timezone: extra.timezone ?? 'UTC',
    traffic: {
      start: '2026-01-05T00:00',
      components: [
        {
          type: 'batch',
          at: '09:00',
          count: 3,
          over: '1h',
          class: 'interactive',
          inputTokens: 250,
          outputTokens: 60,
          days: extra.days ?? 'all',
        },
      ],
    },
    options: [cmiFixed, { id: 'fixed-fleet', key: 'box', replicas: 1, serviceTime: '1s', hourlyPrice: 1.5 }],
    pricing: { overrides: { 'bedrock-cmi.storage.us-east-1': 7.3 } },
    forecast: { months: 2, runs: 5, uncertainty: 'none', start: '2026-01', ...extra.forecast },
  });
}

function row(r: ForecastResult, month: string, option: string) {
  const x = r.months.find((m) => m.month === month && m.option === option);
  if (!x) throw new Error(`no row ${month} ${option}`);
  return x;
}

function expectCollapsed(r: ForecastResult, month: string, option: string, total: number) {
  const x = row(r, month, option);
  expect(x.p10).toBeCloseTo(total, 9);
  expect(x.p50).toBeCloseTo(total, 9);
  expect(x.p90).toBeCloseTo(total, 9);
}

describe('forecast bands collapse on deterministic traffic', () => {
  it('zero growth, no uncertainty: every band is the hand-counted monthly total', async () => {
    const r = await forecast(hand(), { workers: 1 });
    expect(r.months.map((m) => `${m.month} ${m.option}`)).toEqual([
      '2026-01 cmi',
      '2026-01 box',
      '2026-02 cmi',
      '2026-02 box',
    ]);
    expectCollapsed(r, '2026-01', 'cmi', 31 * CMI_PER_DAY);
    expectCollapsed(r, '2026-01', 'box', 31 * 24 * 1.5);
    expectCollapsed(r, '2026-02', 'cmi', 28 * CMI_PER_DAY);
    expectCollapsed(r, '2026-02', 'box', 28 * 24 * 1.5);
    const cmiTotal = r.totals.find((t) => t.option === 'cmi')!;
    expect(cmiTotal.p10).toBeCloseTo(59 * CMI_PER_DAY, 9);
    expect(cmiTotal.p90).toBeCloseTo(59 * CMI_PER_DAY, 9);
    expect(r.cheapest).toEqual([
      { month: '2026-01', option: 'cmi' },
      { month: '2026-02', option: 'cmi' },
    ]);
    expect(r.calendar.map((c) => [c.days, c.weekdays, c.weekendDays])).toEqual([
      [31, 22, 9],
      [28, 20, 8],
    ]);
  });

  it('monthly totals scale with month length: January / February = 31 / 28', async () => {
    const r = await forecast(hand(), { workers: 1 });
    for (const k of ['cmi', 'box'])
      expect(row(r, '2026-01', k).p50 / row(r, '2026-02', k).p50).toBeCloseTo(31 / 28, 12);
  });

  it('traffic on weekdays only: requests on the 22 and 20 weekdays, storage and the box every day', async () => {
    const r = await forecast(hand({ days: 'weekdays' }), { workers: 1 });
    expectCollapsed(r, '2026-01', 'cmi', 22 * 3 * WINDOW + 31 * STORAGE_PER_DAY);
    expectCollapsed(r, '2026-02', 'cmi', 20 * 3 * WINDOW + 28 * STORAGE_PER_DAY);
    expectCollapsed(r, '2026-01', 'box', 31 * 24 * 1.5);
  });

  it('DST: March and November in New York have 743 and 721 hours', async () => {
    const r = await forecast(
      hand({ timezone: 'America/New_York', forecast: { start: '2026-03', months: 9, runs: 2 } }),
      { workers: 1 },
    );
    expectCollapsed(r, '2026-03', 'box', (31 * 24 - 1) * 1.5);
    expectCollapsed(r, '2026-04', 'box', 30 * 24 * 1.5);
    expectCollapsed(r, '2026-11', 'box', (30 * 24 + 1) * 1.5);
    // Storage is pro-rated by the hour too; the windows do not move (the requests are at 09:00).
    expectCollapsed(r, '2026-03', 'cmi', 31 * 3 * WINDOW + ((31 * 24 - 1) * 2 * 7.3) / 730);
  });
});

describe('growth', () => {
  it('month m carries (1 + g)^m × the daily volume (a per-token option, linear in volume)', async () => {
    // 1,000 requests a day of 1,000 input + 500 output tokens at $0.50 and $2.00 per 1M tokens:
    // $0.0015 a request. With 10 % growth: 1,000, 1,100, 1,210, 1,331 requests a day.
    const loaded = scenarioFromObject({
      name: 'hand-growth',
      traffic: {
        start: '2026-04-01T00:00',
        components: [
          {
            type: 'batch',
            at: '00:00',
            count: 1000,
            over: '20h',
            class: 'interactive',
            inputTokens: 1000,
            outputTokens: 500,
          },
        ],
      },
      options: [{ id: 'bedrock-on-demand', key: 'tokens', model: 'llama-3.1-8b-instruct' }],
      pricing: {
        overrides: {
          'bedrock-ondemand.llama-3-1-8b-instruct-input.us-east-1': 0.5,
          'bedrock-ondemand.llama-3-1-8b-instruct-output.us-east-1': 2,
        },
      },
      forecast: { months: 4, runs: 3, uncertainty: 'none', growth: '10%' },
    });
    // Default volumePoints 3: April, June and July are simulated, May interpolated between 1,000
    // and 1,210 requests — exact here, as per-token cost is linear in volume.
    const r = await forecast(loaded, { workers: 1 });
    expect(r.settings.start).toBe('2026-04');
    expectCollapsed(r, '2026-04', 'tokens', 30 * 1000 * 0.0015);
    expectCollapsed(r, '2026-05', 'tokens', 31 * 1100 * 0.0015);
    expectCollapsed(r, '2026-06', 'tokens', 30 * 1210 * 0.0015);
    expectCollapsed(r, '2026-07', 'tokens', 31 * 1331 * 0.0015);
    // The option serves a catalog model: shown, never ranked.
    expect(r.options[0]!.baseline).toBe(true);
    expect(r.cheapest.every((c) => c.option === null)).toBe(true);
  });
});

describe('volumes simulated under growth', () => {
  const f = [1, 1.1, 1.21, 1.331, 1.4641];
  it('picks first, last and evenly spread months; all of them on request', () => {
    // 5 months, 3 points: month indices 0, round(4/2) = 2, 4.
    expect(anchorScales(f, 3)).toEqual([1, 1.21, 1.4641]);
    expect(anchorScales(f, 'all')).toEqual(f);
    expect(anchorScales([1, 1, 1], 3)).toEqual([1]);
    // Decline: ascending volumes whatever the direction of growth.
    expect(anchorScales([1, 0.9, 0.81], 2)).toEqual([0.81, 1]);
  });
  it('brackets a volume between its simulated neighbours with a linear weight', () => {
    const a = [1, 1.21, 1.4641];
    expect(bracket(a, 1.21)).toEqual({ lo: 1, hi: 1, w: 0 });
    // 1.1 lies (1.1 − 1) / (1.21 − 1) = 0.476 of the way from 1 to 1.21.
    const b = bracket(a, 1.1);
    expect([b.lo, b.hi]).toEqual([0, 1]);
    expect(b.w).toBeCloseTo(0.1 / 0.21, 12);
  });
});

describe('Monte Carlo over seeds', () => {
  it('random traffic spreads the band; the same seed gives the same bytes', async () => {
    const loaded = scenarioFromObject({
      name: 'seeds',
      seed: 9,
      traffic: {
        components: [{ type: 'trickle', count: 20, from: '08:00', to: '10:00', class: 'interactive' }],
      },
      options: [cmiFixed],
      pricing: { overrides: { 'bedrock-cmi.storage.us-east-1': 0 } },
      forecast: { months: 1, runs: 20, uncertainty: 'none', start: '2026-01' },
    });
    const a = await forecast(loaded, { workers: 1 });
    const b = await forecast(loaded, { workers: 1 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const x = row(a, '2026-01', 'cmi');
    expect(x.p10).toBeLessThanOrEqual(x.p50);
    expect(x.p50).toBeLessThanOrEqual(x.p90);
    // 20 requests at random in 2 hours: gaps sometimes above the 5-minute scale-to-zero time, so
    // the windows of a day differ between seeds — at least 1 a day, at most one per request.
    expect(x.p90).toBeGreaterThan(x.p10);
    expect(x.p10).toBeGreaterThanOrEqual(31 * WINDOW - 1e-9);
    expect(x.p90).toBeLessThanOrEqual(31 * 20 * WINDOW + 1e-9);
    // Every band edge is one run's total: whole windows × 31 days.
    for (const v of [x.p10, x.p50, x.p90]) {
      const windows = v / (31 * WINDOW);
      expect(Math.abs(windows - Math.round(windows))).toBeLessThan(1e-9);
    }
    // A different seed moves the runs' seeds.
    expect(runSeed(9, 0, 0)).not.toBe(runSeed(10, 0, 0));
    expect(runSeed(9, 0, 0)).not.toBe(runSeed(9, 1, 0));
  });

  it('uncertain inputs: one draw per run, constant over its months (the CMU rate version)', async () => {
    // With 3 isolated requests a day, of the CMI inputs only the CMU rate changes the bill (one
    // copy, 1 window per request under either window rule; the cold start and service time are
    // set). Rates: pricing-example $0.0785, 2026-quoted overridden to $0.05 per CMU-minute.
    const loaded = hand({ forecast: { uncertainty: 'all', runs: 20 } });
    loaded.scenario.pricing.overrides['bedrock-cmi.inference.us-east-1.2026-quoted'] = 0.05;
    // The rate version is an unknown only while the scenario leaves it unset (default: AWS's example).
    const cmi = loaded.scenario.options.find((o) => o.key === 'cmi')!;
    delete cmi.cmuVersion;
    const r = await forecast(loaded, { workers: 1 });
    expect(r.uncertainInputs.map((x) => x.id)).toContain('bedrock-cmi.cmuVersion');
    const perDay = [3 * 2 * 0.05 * 5 + STORAGE_PER_DAY, CMI_PER_DAY];
    const jan = row(r, '2026-01', 'cmi');
    const feb = row(r, '2026-02', 'cmi');
    expect(jan.p10).toBeCloseTo(31 * perDay[0]!, 9);
    expect(jan.p90).toBeCloseTo(31 * perDay[1]!, 9);
    expect([31 * perDay[0]!, 31 * perDay[1]!].some((v) => Math.abs(v - jan.p50) < 1e-9)).toBe(true);
    // The same run sits at the same rank in both months: February = January × 28/31 at every edge.
    for (const p of ['p10', 'p50', 'p90'] as const) expect(feb[p] / jan[p]).toBeCloseTo(28 / 31, 12);
    // The box has no uncertain input: its band still collapses.
    expectCollapsed(r, '2026-01', 'box', 31 * 24 * 1.5);
  });

  it('an option that cannot serve the model is listed with its reasons and has no rows', async () => {
    const loaded = hand();
    loaded.scenario.options.push({ id: 'sagemaker-jumpstart' });
    const r = await forecast(loaded, { workers: 1 });
    expect(r.months.some((m) => m.option === 'sagemaker-jumpstart')).toBe(false);
    const info = r.options.find((o) => o.option === 'sagemaker-jumpstart')!;
    expect(info.feasible).toBe(false);
    expect(info.reasons.join(' ')).toMatch(/catalog/);
  });
});

describe('settings and bad input', () => {
  it('months, runs and growth from the flags override the section; bad values are input errors', () => {
    const s = hand().scenario;
    expect(forecastSettings(s, { months: 6, runs: 7, growth: 0.02 })).toMatchObject({
      months: 6,
      runs: 7,
      growth: 0.02,
      start: '2026-01',
    });
    for (const months of [0, -1, 1.5]) expect(() => forecastSettings(s, { months })).toThrow(InputError);
    expect(() => forecastSettings(s, { months: 0 })).toThrow(/months must be a whole number ≥ 1, got 0/);
    expect(() => forecastSettings(s, { growth: -1 })).toThrow(InputError);
  });

  it('the scenario section is strict: months ≤ 0, a bad month or growth are refused', () => {
    expect(() => hand({ forecast: { months: 0 } })).toThrow(InputError);
    expect(() => hand({ forecast: { start: '2026-13' } })).toThrow(/YYYY-MM/);
    // Years time zones have no rules for (and 5-digit years past the horizon) are refused up front.
    expect(() => hand({ forecast: { start: '0000-01' } })).toThrow(/1970-01 to 2199-12/);
    expect(() => hand({ forecast: { months: 601 } })).toThrow(/at most 600/);
    expect(() => hand({ forecast: { growth: '-120%' } })).toThrow(/growth/);
    expect(() => hand({ forecast: { month: 3 } })).toThrow(InputError);
    expect(hand({ forecast: { growth: '5%' } }).scenario.forecast!.growth).toBeCloseTo(0.05, 12);
  });

  it('a trace-file component is refused (not a day that repeats)', async () => {
    const loaded = hand();
    loaded.scenario.traffic.components.push({ type: 'trace', file: 'x.csv', offset: 0 });
    await expect(forecast(loaded, { workers: 1 })).rejects.toThrow(/daily traffic patterns/);
  });
});

describe('calendar and percentiles', () => {
  it('counts weekdays, weekend days and DST days per month', () => {
    expect(addMonths('2026-11', 3)).toBe('2027-02');
    const [feb24] = forecastMonths('2024-02', 1, 'UTC');
    expect(feb24).toMatchObject({ days: 29, weekdays: 21, weekendDays: 8, irregular: [] });
    const ny = forecastMonths('2026-03', 9, 'America/New_York');
    expect(ny[0]!.irregular).toEqual([{ date: '2026-03-08', weekday: false, seconds: 23 * 3600 }]);
    expect(ny[8]!.irregular).toEqual([{ date: '2026-11-01', weekday: false, seconds: 25 * 3600 }]);
    // 2026-03-01 is a Sunday; the 8th (DST) is skipped for the regular weekend day.
    expect(regularDay('2026-03', 'America/New_York', false)).toBe('2026-03-01');
    expect(regularDay('2026-03', 'America/New_York', true)).toBe('2026-03-02');
  });

  it('nearest rank: the ⌈p·n⌉-th smallest', () => {
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(bandOf(ten)).toEqual({ p10: 1, p50: 5, p90: 9 });
    // 0.1 × 30 = 3 exactly: the 3rd smallest, not the 4th.
    expect(
      nearestRank(
        Float64Array.from({ length: 30 }, (_, i) => i + 1),
        0.1,
      ),
    ).toBe(3);
    expect(bandOf([4])).toEqual({ p10: 4, p50: 4, p90: 4 });
    expect(() => nearestRank([], 0.5)).toThrow(RangeError);
  });
});
