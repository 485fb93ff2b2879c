import { describe, expect, it } from 'vitest';
import { analyzeBreakeven } from '../../src/compare/breakeven.js';
import { distIsCurrent, scaleTraffic, SweepPool, trafficShape } from '../../src/compare/sweep.js';
import { packageRoot } from '../../src/data.js';
import { InputError } from '../../src/errors.js';
import { Traffic } from '../../src/scenario/schema.js';
import { evenDay, everyTwentyMinutes } from './fixtures.js';

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

  it('refuses a worker count below 1', () => {
    const loaded = everyTwentyMinutes();
    expect(
      () => new SweepPool({ scenario: loaded.scenario, baseDir: loaded.baseDir }, { workers: 0 }),
    ).toThrow(InputError);
  });
});
