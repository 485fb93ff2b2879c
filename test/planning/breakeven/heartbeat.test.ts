import { describe, expect, it } from 'vitest';
import { analyzeBreakeven } from '../../../src/planning/breakeven/breakeven.js';
import { defaultIntervals } from '../../../src/planning/breakeven/heartbeat.js';
import { labelOf, rangesOf } from '../../../src/planning/breakeven/schedules.js';
import type { HeartbeatBreakeven, HeartbeatVariant } from '../../../src/compare/result.js';
import { rangesForHits } from '../../../src/planning/breakeven/schedule-fit.js';
import { InputError } from '../../../src/errors.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';
import { cmiFixed, everyTwentyMinutes, WINDOW } from '../../compare/fixtures.js';

/*
 * One user request every 20 minutes from 09:00 to 16:40 (24 requests), 1 s each, 30 s cold starts,
 * a copy of 2 CMUs at $0.785 a window, scale to zero 5 minutes after the last invocation arrived.
 * Counted by hand (t in hh:mm:ss; a copy bills ⌈(removed − first call) / 5 min⌉ windows):
 *
 * - never: each request finds no copy (the last one left 15 min earlier): cold start 30 s, served
 *   at +30 s, copy removed 5 min after the arrival → (300 − 30)/300 → 1 window. 24 windows,
 *   24 cold-start hits; first call 30 + 1 = 31 s.
 * - always, every 4 min: the 00:00 beat starts the copy (ready 00:00:30, first call then); beats
 *   keep it warm all day; the last at 23:56 → removed 00:01 next day: (86460 − 30)/300 = 288.1 →
 *   289 windows, 0 hits. +265 windows for 24 avoided → 265 × 0.785 / 24 = $8.6677 each.
 * - 08:00-17:00, every 4 min: first call 08:00:30, last beat 16:56 → removed 17:01:
 *   32430/300 = 108.1 → 109 windows, 0 hits (+85 windows).
 * - 09:00-10:00 alone: the 09:00 request arrives before the 09:00 beat (arrivals of the trace go
 *   first at equal times), so it still waits on the cold start; 09:20, 09:40 and 10:00 are warm
 *   (the 09:56 beat keeps the copy to 10:01); removed 10:05 → 3870/300 → 13 windows for 4
 *   requests, plus 20 for the other 20: 33 windows (+9) for 3 avoided → 3 × 0.785 = $2.355 per
 *   avoided cold start — the most efficient schedule (every hour from 09 to 15 alone does the same).
 * - 09:00-17:00 (hours 09–16): the 09:00 request still waits; first call 09:00:30, removed 17:01:
 *   28830/300 = 96.1 → 97 windows (+73), 1 hit (23 avoided).
 * - Fitted on the 1-minute grid: one range a minute before each request, 08:59-09:00, 09:19-09:20,
 *   … 16:39-16:40 (one beat each). The 08:59 beat starts the copy (first call 08:59:30), the 09:00
 *   request finds it ready, removal at 09:05: 330/300 → 2 windows instead of 1. 24 × 2 = 48
 *   windows (+24), 0 hits: $0.785 per avoided cold start, cheaper than any whole-hour schedule.
 *   Merging the ranges (19-minute gaps) would bill 08:59:30 … 16:45: 27930/300 → 94 windows.
 * Storage accrues the same in every variant and cancels in every difference.
 */

const NEVER_WINDOWS = 24;
const ALWAYS_WINDOWS = 289;
const OFFICE_WINDOWS = 109; // 08:00-17:00
const NINE_TO_FIVE_WINDOWS = 97; // 09:00-17:00
const FITTED_WINDOWS = 48; // a minute before each request
const FITTED = Array.from({ length: 24 }, (_, i) => {
  const m = 9 * 60 + 20 * i;
  const hm = (x: number): string =>
    `${String(Math.floor(x / 60)).padStart(2, '0')}:${String(x % 60).padStart(2, '0')}`;
  return `${hm(m - 1)}-${hm(m)}`;
});

function variant(h: HeartbeatBreakeven, schedule: string): HeartbeatVariant {
  const v = h.variants.find((x) => x.schedule === schedule);
  if (!v) throw new Error(`no variant "${schedule}" in ${h.variants.map((x) => x.schedule).join(' | ')}`);
  return v;
}

async function analyse(breakeven: Record<string, unknown>, workers = 1): Promise<HeartbeatBreakeven> {
  const r = await analyzeBreakeven(
    everyTwentyMinutes({ breakeven }),
    { heartbeat: true, volume: false },
    { workers },
  );
  expect(r.volume).toBeNull();
  expect(r.heartbeat).toHaveLength(1);
  return r.heartbeat[0]!;
}

describe('warm-heartbeat break-even, counted by hand', () => {
  const plain = {
    heartbeat: { intervals: ['4m'], schedules: [{ every: '4m', during: ['08:00-17:00'] }] },
  };

  it('counts windows and cold starts with no heartbeat, a 4-minute one and a schedule', async () => {
    const h = await analyse(plain);
    expect(h.option).toBe('cmi');
    expect(h.scaleToZeroSeconds).toBe(300);
    const never = variant(h, 'never');
    const always = variant(h, 'always, every 4m');
    const office = variant(h, '08:00-17:00, every 4m');
    expect(h.variants[0]).toBe(never);

    expect(never.coldStartHits).toBe(24);
    expect(never.firstCall).toBeCloseTo(31, 9);
    expect(never.p99Interactive).toBeCloseTo(31, 9);
    const storage = never.cost - NEVER_WINDOWS * WINDOW;
    expect(storage).toBeGreaterThan(0);
    expect(storage).toBeLessThan(0.5);

    expect(always.coldStartHits).toBe(0);
    expect(always.cost - never.cost).toBeCloseTo((ALWAYS_WINDOWS - NEVER_WINDOWS) * WINDOW, 9);
    expect(always.firstCall).toBeCloseTo(1, 9);
    expect(always.p99Interactive).toBeCloseTo(1, 9);

    expect(office.coldStartHits).toBe(0);
    expect(office.cost - never.cost).toBeCloseTo((OFFICE_WINDOWS - NEVER_WINDOWS) * WINDOW, 9);
  });

  it('prices an avoided cold start and finds the break-even value', async () => {
    const h = await analyse(plain);
    // 265 windows × $0.785 for 24 avoided cold starts.
    expect(h.costPerAvoidedColdStart).toBeCloseTo((265 * 0.785) / 24, 9);
    expect(h.costPerAvoidedColdStart).toBeCloseTo(8.6677083, 6);
    // The fitted schedule: 24 windows for 24 avoided, $0.785 each (the best whole-hour one was
    // 9 windows for 3 avoided, 3 × $0.785 = $2.355 each).
    expect(h.breakEvenColdStartValue).toBeCloseTo(0.785, 9);
    const fitted = variant(h, h.bestSchedule.schedule);
    expect(fitted.coldStartHits).toBe(0);
    expect(fitted.cost - variant(h, 'never').cost).toBeCloseTo((FITTED_WINDOWS - NEVER_WINDOWS) * WINDOW, 9);
    expect(h.verdict).toBeNull();
  });

  it('without a value, the best schedule is the cheapest that avoids every cold start', async () => {
    const h = await analyse(plain);
    expect(h.bestSchedule.heartbeat).toEqual({ every: '4m', during: FITTED, days: 'all' });
    expect(h.bestSchedule.schedule).toBe(`${FITTED.join(', ')}, every 4m`);
    expect(h.bestSchedule.basis).toMatch(/no coldStartValue/);
    expect(h.bestSchedule.avoided).toBe(24);
    expect(h.bestSchedule.addedCost).toBeCloseTo(24 * WINDOW, 9);
    expect(h.bestSchedule.costPerAvoided).toBeCloseTo(0.785, 9);
    // Batch traffic only: nothing random to redraw, one weekday.
    expect(h.bestSchedule.fittedTo).toBe('2026-01-05 (Mon)');
    // The whole-hour search's answer stays beside it: 08:00-17:00 (+85 windows).
    expect(h.wholeHourSchedule.schedule).toBe('08:00-17:00, every 4m');
    expect(variant(h, '08:00-17:00, every 4m').cost - variant(h, 'never').cost).toBeCloseTo(
      (OFFICE_WINDOWS - NEVER_WINDOWS) * WINDOW,
      9,
    );
  });

  it('with $5 per avoided cold start, the fitted schedule wins and the verdict is in money', async () => {
    const h = await analyse({ ...plain, coldStartValue: 5 });
    const never = variant(h, 'never');
    const best = variant(h, h.bestSchedule.schedule);
    expect(h.bestSchedule.heartbeat!.during).toEqual(FITTED);
    expect(best.coldStartHits).toBe(0);
    expect(best.cost - never.cost).toBeCloseTo((FITTED_WINDOWS - NEVER_WINDOWS) * WINDOW, 9);
    // Net = $5 × avoided − added: always 5 × 24 − 265 × 0.785; best 5 × 24 − 24 × 0.785.
    expect(h.verdict!.coldStartValue).toBe(5);
    expect(h.verdict!.alwaysNet).toBeCloseTo(5 * 24 - 265 * 0.785, 9);
    expect(h.verdict!.alwaysNet).toBeCloseTo(-88.025, 9);
    expect(h.verdict!.bestNet).toBeCloseTo(5 * 24 - 24 * 0.785, 9);
    expect(h.verdict!.bestNet).toBeCloseTo(101.16, 9);
    // In whole hours, 09:00-17:00 is best at $5 (1 hit, +73 windows): $57.695 net.
    expect(h.wholeHourSchedule.schedule).toBe('09:00-17:00, every 4m');
    expect(variant(h, '09:00-17:00, every 4m').cost - never.cost).toBeCloseTo(
      (NINE_TO_FIVE_WINDOWS - NEVER_WINDOWS) * WINDOW,
      9,
    );
  });

  it('below the break-even value the best schedule is none', async () => {
    // $0.50 < $0.785, the cheapest an avoided cold start gets here.
    const h = await analyse({ ...plain, coldStartValue: 0.5 });
    expect(h.bestSchedule.schedule).toBe('never');
    expect(h.bestSchedule.heartbeat).toBeNull();
    expect(h.verdict!.bestNet).toBe(0);
  });

  it('finds the volume from which traffic keeps the copy warm', async () => {
    const h = await analyse(plain);
    // The traffic's own hours are 09–16. At 4× (96 a day: one every 5 min) the requests keep the
    // copy warm by themselves and the heartbeat over those hours adds under 2 % to the bill.
    expect(h.warmByTraffic.schedule).toBe('09:00-17:00, every 4m');
    expect(h.warmByTraffic.requestsPerDay).toBeGreaterThan(24);
    expect(h.warmByTraffic.requestsPerDay).toBeLessThanOrEqual(96);
  });

  it('analyses an option listed twice (with and without a heartbeat) once', async () => {
    const loaded = everyTwentyMinutes({
      options: [
        { id: 'bedrock-cmi', key: 'cold', coldStart: '30s', evictedColdStart: '30s', serviceTime: '1s' },
        {
          id: 'bedrock-cmi',
          key: 'warm',
          coldStart: '30s',
          evictedColdStart: '30s',
          serviceTime: '1s',
          heartbeat: { every: '5m', during: ['08:00-17:00'] },
        },
      ],
      breakeven: { heartbeat: { intervals: ['5m'] } },
    });
    const r = await analyzeBreakeven(loaded, { heartbeat: true, volume: false }, { workers: 1 });
    expect(r.heartbeat.map((h) => h.option)).toEqual(['cold']);
    const own = variant(r.heartbeat[0]!, 'as in warm: 08:00-17:00, every 5m');
    expect(own.coldStartHits).toBe(0);
  });
});

describe('heartbeat schedules as scenario settings', () => {
  it('merges adjacent hours and writes ranges a scenario accepts', () => {
    expect(rangesOf(0b1110)).toEqual([{ from: 3600, to: 4 * 3600 }]);
    expect(rangesOf((1 << 0) | (1 << 23))).toEqual([
      { from: 0, to: 3600 },
      { from: 23 * 3600, to: 86400 },
    ]);
    const hb = {
      every: 300,
      during: rangesOf(0xff00),
      days: 'weekdays' as const,
      inputTokens: 1,
      outputTokens: 1,
    };
    expect(labelOf(hb)).toBe('08:00-16:00 weekdays, every 5m');
    expect(labelOf(undefined)).toBe('never');
    expect(defaultIntervals(300)).toEqual([60, 180, 300]);
  });
});

describe('bad heartbeat input', () => {
  it('refuses an interval above the scale-to-zero time (exit 2)', async () => {
    const err = await analyse({ heartbeat: { intervals: ['6m'] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).where).toBe('breakeven.heartbeat.intervals.0');
    expect((err as Error).message).toMatch(/6m is longer than cmi's scale-to-zero time \(5m\)/);
  });

  it('refuses a listed schedule that beats less often than the copy scales to zero', async () => {
    const err = await analyse({ heartbeat: { schedules: [{ every: '10m' }] } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).where).toBe('breakeven.heartbeat.schedules.0.every');
  });
});

/*
 * The case (#14): interactive calls at 14:00 and 14:07, 1 s each, 30 s cold starts, a
 * heartbeat every 5 min; the copy scales to zero 5 min after the last invocation arrived.
 * - never: 14:00 finds no copy (cold, first call 14:00:30, removed 14:05: 1 window); 14:07 again
 *   (first call 14:07:30, removed 14:12: 1 window) → 2 windows, 2 hits.
 * - 13:59-14:07 on a 1-minute grid: beats 13:59 and 14:04; the 13:59 beat starts the copy (first
 *   call 13:59:30), both calls find it ready, the last invocation (14:07) removes it at 14:12:
 *   (14:12 − 13:59:30) = 750 s → 3 windows, 0 hits.
 * - The same ranges unmerged (13:59-14:00 and 14:06-14:07) bill 2 + 2 = 4 windows: merging wins.
 */
function twoCalls(extra: Record<string, unknown> = {}, batch = false) {
  return scenarioFromObject({
    name: 'two-calls',
    seed: 1,
    traffic: {
      start: '2026-01-05T00:00',
      days: 1,
      components: [
        { type: 'batch', at: '14:00', count: 1, class: 'interactive' },
        { type: 'batch', at: '14:07', count: 1, class: 'interactive' },
        ...(batch ? [{ type: 'batch', at: '09:00', count: 50, over: '1m' }] : []),
      ],
    },
    options: [cmiFixed],
    breakeven: { heartbeat: { intervals: ['5m'] }, ...extra },
  });
}

async function analyseLoaded(loaded: ReturnType<typeof twoCalls>): Promise<HeartbeatBreakeven> {
  const r = await analyzeBreakeven(loaded, { heartbeat: true, volume: false }, { workers: 1 });
  return r.heartbeat[0]!;
}

describe('a schedule fitted on the minute grid', () => {
  it('warms a minute before the first call and through the second (counted by hand)', async () => {
    const h = await analyseLoaded(twoCalls());
    const never = variant(h, 'never');
    expect(never.coldStartHits).toBe(2);
    expect(never.coldStartHitsByClass).toEqual({ interactive: 2, batch: 0 });
    const storage = never.cost - 2 * WINDOW;
    expect(h.gridSeconds).toBe(60);
    expect(h.bestSchedule.schedule).toBe('13:59-14:07, every 5m');
    expect(h.bestSchedule.heartbeat).toEqual({ every: '5m', during: ['13:59-14:07'], days: 'all' });
    const best = variant(h, '13:59-14:07, every 5m');
    expect(best.coldStartHits).toBe(0);
    expect(best.cost - storage).toBeCloseTo(3 * WINDOW, 9);
    expect(h.bestSchedule.avoided).toBe(2);
    expect(h.bestSchedule.costPerAvoided).toBeCloseTo(WINDOW / 2, 9);
  });

  it('does not let batch hits move the schedule, and reports them apart', async () => {
    // 50 batch requests at 09:00 wait on the morning cold start; only interactive hits count.
    const h = await analyseLoaded(twoCalls({}, true));
    const never = variant(h, 'never');
    expect(never.coldStartHitsByClass.interactive).toBe(2);
    expect(never.coldStartHitsByClass.batch).toBeGreaterThan(0);
    expect(h.classes).toEqual(['interactive']);
    expect(h.bestSchedule.heartbeat!.during).toEqual(['13:59-14:07']);
    expect(h.bestSchedule.avoided).toBe(2);
    expect(h.uncounted.classes).toEqual(['batch']);
    expect(h.uncounted.hitsNever).toBe(never.coldStartHitsByClass.batch);
    expect(h.uncounted.hitsBest).toBe(never.coldStartHitsByClass.batch);
    // Counting batch too, the fit also warms the copy before 09:00.
    const both = await analyseLoaded(
      twoCalls({ heartbeat: { intervals: ['5m'], classes: ['batch', 'interactive'] } }, true),
    );
    expect(both.classes).toEqual(['batch', 'interactive']);
    // The 50 arrive 09:00:00–09:00:59, so the range ends at 09:01.
    expect(both.bestSchedule.heartbeat!.during[0]).toBe('08:59-09:01');
    expect(both.bestSchedule.avoided).toBe(never.coldStartHits);
  });

  it('values hits per class: a class missing from the map is worth nothing', async () => {
    // $0.10 per interactive hit is below $0.3925 (half a window) per avoided one: no heartbeat pays.
    const low = await analyseLoaded(twoCalls({ coldStartValue: { interactive: 0.1, batch: 100 } }));
    expect(low.bestSchedule.heartbeat).toBeNull();
    const high = await analyseLoaded(twoCalls({ coldStartValue: { interactive: 1 } }));
    expect(high.bestSchedule.heartbeat!.during).toEqual(['13:59-14:07']);
    // Net: 2 × $1 − 1 window.
    expect(high.verdict!.bestNet).toBeCloseTo(2 - WINDOW, 9);
  });
});

describe('ranges from hit times', () => {
  it('starts a lead before each hit on the grid and merges close ranges', () => {
    const at = (h: number, m: number, s = 0) => h * 3600 + m * 60 + s;
    expect(rangesForHits([at(14, 0), at(14, 7)], 60, 60, 0)).toEqual([
      { from: at(13, 59), to: at(14, 0) },
      { from: at(14, 6), to: at(14, 7) },
    ]);
    expect(rangesForHits([at(14, 0), at(14, 7)], 60, 60, 360)).toEqual([{ from: at(13, 59), to: at(14, 7) }]);
    // A hit inside a minute ends its range at the next grid point; 5-minute grid.
    expect(rangesForHits([at(14, 2, 30)], 60, 120, 0)).toEqual([{ from: at(14, 0), to: at(14, 3) }]);
    expect(rangesForHits([at(14, 2, 30)], 300, 300, 0)).toEqual([{ from: at(13, 55), to: at(14, 5) }]);
    // Clipped at midnight.
    expect(rangesForHits([at(0, 0, 20)], 60, 120, 0)).toEqual([{ from: 0, to: 60 }]);
  });
});
