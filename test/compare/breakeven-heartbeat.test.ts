import { describe, expect, it } from 'vitest';
import { analyzeBreakeven } from '../../src/compare/breakeven.js';
import { defaultIntervals, labelOf, rangesOf } from '../../src/compare/breakeven-heartbeat.js';
import type { HeartbeatBreakeven, HeartbeatVariant } from '../../src/compare/result.js';
import { InputError } from '../../src/errors.js';
import { everyTwentyMinutes, WINDOW } from './fixtures.js';

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
 * Storage accrues the same in every variant and cancels in every difference.
 */

const NEVER_WINDOWS = 24;
const ALWAYS_WINDOWS = 289;
const OFFICE_WINDOWS = 109; // 08:00-17:00
const NINE_TO_FIVE_WINDOWS = 97; // 09:00-17:00

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
    // 9 windows for 3 avoided: 3 × $0.785.
    expect(h.breakEvenColdStartValue).toBeCloseTo(2.355, 9);
    const nine = variant(h, '09:00-10:00, every 4m');
    expect(nine.coldStartHits).toBe(21);
    expect(nine.cost - variant(h, 'never').cost).toBeCloseTo(9 * WINDOW, 9);
    expect(h.verdict).toBeNull();
  });

  it('without a value, the best schedule is the cheapest that avoids every cold start', async () => {
    const h = await analyse(plain);
    expect(h.bestSchedule.schedule).toBe('08:00-17:00, every 4m');
    expect(h.bestSchedule.heartbeat).toEqual({ every: '4m', during: ['08:00-17:00'], days: 'all' });
    expect(h.bestSchedule.basis).toMatch(/no coldStartValue/);
  });

  it('with $5 per avoided cold start, 09:00-17:00 wins and the verdict is in money', async () => {
    const h = await analyse({ ...plain, coldStartValue: 5 });
    const never = variant(h, 'never');
    const best = variant(h, '09:00-17:00, every 4m');
    expect(h.bestSchedule.schedule).toBe('09:00-17:00, every 4m');
    expect(best.coldStartHits).toBe(1);
    expect(best.cost - never.cost).toBeCloseTo((NINE_TO_FIVE_WINDOWS - NEVER_WINDOWS) * WINDOW, 9);
    // Net = $5 × avoided − added: always 5 × 24 − 265 × 0.785; best 5 × 23 − 73 × 0.785.
    expect(h.verdict!.coldStartValue).toBe(5);
    expect(h.verdict!.alwaysNet).toBeCloseTo(5 * 24 - 265 * 0.785, 9);
    expect(h.verdict!.alwaysNet).toBeCloseTo(-88.025, 9);
    expect(h.verdict!.bestNet).toBeCloseTo(5 * 23 - 73 * 0.785, 9);
    expect(h.verdict!.bestNet).toBeCloseTo(57.695, 9);
    // 08:00-17:00 avoids one more cold start for 12 more windows ($9.42 > $5): not the best.
    expect(variant(h, '08:00-17:00, every 4m').cost - best.cost).toBeCloseTo(12 * WINDOW, 9);
  });

  it('below the break-even value the best schedule is none', async () => {
    const h = await analyse({ ...plain, coldStartValue: 2 });
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
