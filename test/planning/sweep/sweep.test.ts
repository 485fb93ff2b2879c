import { describe, expect, it } from 'vitest';
import { analyzeBreakeven } from '../../../src/planning/breakeven/breakeven.js';
import { runTask, scaleTraffic, trafficShape } from '../../../src/planning/sweep/sweep.js';
import { distIsCurrent, SweepPool, taskSize } from '../../../src/planning/sweep/pool.js';
import { packageRoot } from '../../../src/data.js';
import { InputError } from '../../../src/errors.js';
import { Traffic, type Scenario } from '../../../src/scenario/schema.js';
import { evenDay, everyTwentyMinutes, WINDOW } from '../../compare/fixtures.js';

describe('scaling the traffic shape', () => {
  it('multiplies rates and counts, keeping times and tokens', () => {
    const t = Traffic.parse({
      components: [
        { type: 'poisson', rate: '10/h', from: '08:00', to: '18:00' },
        { type: 'batch', at: '09:00', count: 30, over: '45m' },
        { type: 'trickle', count: 3, from: '13:00', to: '19:00' },
      ],
    });
    expect(scaleTraffic(t, 1)).toBe(t);
    const s = scaleTraffic(t, 0.1);
    const [p, b, tr] = s.components as unknown as [
      { rate: number; from: number },
      { count: number; over: number },
      { count: number },
    ];
    expect(p.rate).toBeCloseTo(1 / 3600, 12);
    expect(p.from).toBe(8 * 3600);
    expect(b.count).toBe(3);
    expect(b.over).toBe(45 * 60);
    // 0.3 rounds to 0: at least one request stays.
    expect(tr.count).toBe(1);
    const profile = Traffic.parse({ components: [{ type: 'poisson', rate: Array(24).fill('2/h') }] });
    expect((scaleTraffic(profile, 3).components[0] as { rate: number[] }).rate[5]).toBeCloseTo(6 / 3600, 12);
  });

  it('reads the shape: requests per day, the hours with traffic, weekends', () => {
    const shape = trafficShape(everyTwentyMinutes().scenario);
    expect(shape.requests).toBe(24);
    expect(shape.requestsPerDay).toBe(24);
    // Hours 09 to 16.
    expect(shape.hourMask).toBe(0xff << 9);
    expect(shape.hasWeekend).toBe(false);
    expect(shape.scalable).toBe(true);
    const week = everyTwentyMinutes();
    week.scenario.traffic = { ...week.scenario.traffic, days: 7 };
    const w = trafficShape(week.scenario);
    expect(w.hasWeekend).toBe(true);
    expect(w.requestsPerDay).toBe(24);
  });
});

describe('worker threads', () => {
  it('give the same volume crossover with 1 and 2 workers (tsx workers)', async () => {
    const loaded = evenDay({ from: 10, to: 3000, points: 6 });
    const what = { heartbeat: false, volume: true };
    const one = await analyzeBreakeven(loaded, what, { workers: 1 });
    const two = await analyzeBreakeven(loaded, what, { workers: 2, workerCode: 'source', threadsAbove: 0 });
    expect(two).toEqual(one);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  });

  // The compiled workers (what an installed servesim runs) — when dist/ is up to date.
  it.runIf(distIsCurrent(packageRoot()))('give the same results with compiled (dist) workers', async () => {
    const loaded = evenDay({ from: 10, to: 3000, points: 6 });
    const what = { heartbeat: true, volume: true };
    const one = await analyzeBreakeven(loaded, what, { workers: 1 });
    const two = await analyzeBreakeven(loaded, what, { workers: 2, workerCode: 'dist', threadsAbove: 0 });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  });

  it('give the same heartbeat analysis with 1 and 2 workers', async () => {
    const loaded = everyTwentyMinutes({
      breakeven: { coldStartValue: 5, heartbeat: { intervals: ['4m', '5m'] } },
    });
    const what = { heartbeat: true, volume: false };
    const one = await analyzeBreakeven(loaded, what, { workers: 1 });
    const two = await analyzeBreakeven(loaded, what, { workers: 2, workerCode: 'source', threadsAbove: 0 });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  });

  it('return outcomes in task order and pass input errors back as InputError', async () => {
    const loaded = everyTwentyMinutes();
    const pool = new SweepPool(
      { scenario: loaded.scenario, baseDir: loaded.baseDir },
      { workers: 2, workerCode: 'source', threadsAbove: 0 },
    );
    try {
      const o = loaded.scenario.options[0]!;
      const out = await pool.run([1, 4, 2].map((scale) => ({ scale, options: [o] })));
      expect(out.map((r) => r[0]!.arrived)).toEqual([24, 96, 48]);
      // The two heaviest went to the workers (queued while they started), the lightest stayed here.
      expect(pool.finished).toEqual({ here: 1, threads: 2 });
      // An unknown CMU price version is refused by the option itself, inside the worker.
      const bad = { ...o, cmuVersion: 'no-such-version' };
      const errors = await Promise.all(
        [1, 2, 3].map((scale) => pool.submit({ scale, options: [bad] }).catch((e: unknown) => e)),
      );
      for (const e of errors) {
        expect(e).toBeInstanceOf(InputError);
        expect((e as InputError).where).toBe('options.cmi.cmuVersion');
        expect((e as Error).message).toMatch(/unknown cmuVersion "no-such-version"/);
      }
    } finally {
      await pool.close();
    }
  });

  it('size tasks by their share of the trace: a whole month outweighs a day of seven options', () => {
    const o = everyTwentyMinutes().scenario.options[0]!;
    const day = { start: '2026-03-02T00:00', days: 1 };
    // 1 option × the whole 30 days vs 7 options × 1 day of 30 (7/30) and a scale-2 day (2/30).
    expect(taskSize({ scale: 1, options: [o] }, 30)).toBe(1);
    expect(taskSize({ scale: 1, options: Array(7).fill(o), span: day }, 30)).toBeCloseTo(7 / 30, 12);
    expect(taskSize({ scale: 2, options: [o], span: day }, 30)).toBeCloseTo(2 / 30, 12);
    // A span longer than the trace counts as the whole trace.
    expect(taskSize({ scale: 1, options: [o], span: { ...day, days: 40 } }, 30)).toBe(1);
  });

  it('refuses a worker count below 1', () => {
    const loaded = everyTwentyMinutes();
    expect(
      () => new SweepPool({ scenario: loaded.scenario, baseDir: loaded.baseDir }, { workers: 0 }),
    ).toThrow(InputError);
  });
});

describe('task fields: seed, prices, span', () => {
  const ctxOf = (loaded: { scenario: Scenario; baseDir: string }) => ({
    scenario: loaded.scenario,
    baseDir: loaded.baseDir,
  });

  it('`seed` replaces the scenario seed: the same outcome as the scenario written with that seed', () => {
    const loaded = everyTwentyMinutes();
    loaded.scenario.traffic = Traffic.parse({
      components: [{ type: 'trickle', count: 20, from: '08:00', to: '10:00', class: 'interactive' }],
    });
    const o = [loaded.scenario.options[0]!];
    const viaTask = runTask(ctxOf(loaded), { scale: 1, options: o, seed: 77 });
    const written = runTask(
      { ...ctxOf(loaded), scenario: { ...loaded.scenario, seed: 77 } },
      { scale: 1, options: o },
    );
    expect(viaTask).toEqual(written);
    // Twenty random arrival times: another seed gives another day (latencies differ).
    const other = runTask(ctxOf(loaded), { scale: 1, options: o, seed: 78 });
    expect(other[0]!.latency).not.toEqual(viaTask[0]!.latency);
  });

  it("`prices` override price-book entries on top of the scenario's own overrides", () => {
    // 24 isolated requests = 24 windows of 2 CMUs × 5 min. At $0.10 per CMU-minute a window is
    // $1.00 instead of $0.785. Storage, overridden to 0 by the scenario, stays 0.
    const loaded = everyTwentyMinutes({ pricing: { overrides: { 'bedrock-cmi.storage.us-east-1': 0 } } });
    const o = [loaded.scenario.options[0]!];
    const base = runTask(ctxOf(loaded), { scale: 1, options: o })[0]!;
    expect(base.cost).toBeCloseTo(24 * WINDOW, 9);
    const dearer = runTask(ctxOf(loaded), {
      scale: 1,
      options: o,
      prices: { 'bedrock-cmi.inference.us-east-1.pricing-example': 0.1 },
    })[0]!;
    expect(dearer.cost).toBeCloseTo(24 * 2 * 0.1 * 5, 9);
    // The cached price book follows the task: the next task without `prices` is back at base.
    const state = {};
    runTask(
      ctxOf(loaded),
      { scale: 1, options: o, prices: { 'bedrock-cmi.inference.us-east-1.pricing-example': 0.1 } },
      state,
    );
    expect(runTask(ctxOf(loaded), { scale: 1, options: o }, state)[0]!.cost).toBeCloseTo(24 * WINDOW, 9);
  });

  it('`span` moves the simulated days: weekday filters and DST day lengths follow the date', () => {
    const loaded = evenDay({});
    loaded.scenario.timezone = 'America/New_York';
    loaded.scenario.traffic = Traffic.parse({
      components: [
        { type: 'batch', at: '09:00', count: 4, over: '1h', class: 'interactive', days: 'weekdays' },
      ],
    });
    const box = [loaded.scenario.options[1]!];
    const at = (start: string, days = 1) =>
      runTask(ctxOf(loaded), { scale: 1, options: box, span: { start, days } })[0]!;
    // Saturday 2026-01-10: no requests; Monday the 12th: 4; Friday + Saturday: 4; Mon–Wed: 12.
    expect(at('2026-01-10T00:00').arrived).toBe(0);
    expect(at('2026-01-12T00:00').arrived).toBe(4);
    expect(at('2026-01-09T00:00', 2).arrived).toBe(4);
    expect(at('2026-01-12T00:00', 3).arrived).toBe(12);
    // One always-on replica at $1.515 an hour, billed for the real length of the local day.
    expect(at('2026-01-12T00:00').cost).toBeCloseTo(24 * 1.515, 9);
    expect(at('2026-03-08T00:00').cost).toBeCloseTo(23 * 1.515, 9);
    expect(at('2026-11-01T00:00').cost).toBeCloseTo(25 * 1.515, 9);
  });
});
