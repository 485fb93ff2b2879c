import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import type {
  BatchComponent,
  PoissonComponent,
  Traffic,
  TrafficComponent,
  TrickleComponent,
} from '../../src/scenario/schema.js';
import type { Dist } from '../../src/sim/dist.js';
import { syntheticStream } from '../../src/traffic/synthetic.js';

/*
 * Expected values here are worked out by hand from the process definitions, never read back
 * from the generator. Statistical checks use 5 standard deviations (two-sided false-alarm rate
 * ≈ 6e-7 per check), and every stream is seeded, so the tests are also deterministic.
 */

const H = 3600;
const D = 86400;

interface Req {
  t: number;
  inputTokens: number;
  outputTokens: number;
  cls: number;
}

const fixed = (value: number): Dist => ({ dist: 'fixed', value });
const tokens = { inputTokens: fixed(250), outputTokens: fixed(60), days: 'all' as const };

function poisson(p: Partial<PoissonComponent> & Pick<PoissonComponent, 'rate'>): PoissonComponent {
  return { type: 'poisson', class: 'interactive', ...tokens, ...p };
}
function batch(p: Partial<BatchComponent> & Pick<BatchComponent, 'at' | 'count'>): BatchComponent {
  return { type: 'batch', over: 0, class: 'batch', ...tokens, ...p };
}
function trickle(
  p: Partial<TrickleComponent> & Pick<TrickleComponent, 'count' | 'from' | 'to'>,
): TrickleComponent {
  return { type: 'trickle', class: 'interactive', ...tokens, ...p };
}
function traffic(components: TrafficComponent[], span: Partial<Traffic> = {}): Traffic {
  return { start: '2026-01-05T00:00', components, ...span };
}

/** Drains a stream into plain objects (tests only: the stream itself never stores requests). */
function collect(tr: Traffic, tz = 'UTC', seed = 1): Req[] {
  const s = syntheticStream(tr, tz, seed);
  const out: Req[] = [];
  while (s.next()) out.push({ t: s.t, inputTokens: s.inputTokens, outputTokens: s.outputTokens, cls: s.cls });
  return out;
}

/** Counts without storing, for long spans. */
function countAll(tr: Traffic, tz = 'UTC', seed = 1): number {
  const s = syntheticStream(tr, tz, seed);
  let n = 0;
  while (s.next()) n++;
  return n;
}

/** |observed − expected| ≤ 5 sd. */
function within5sd(observed: number, expected: number, sd: number): void {
  expect(Math.abs(observed - expected)).toBeLessThanOrEqual(5 * sd);
}

describe('poisson', () => {
  it('constant rate: count over a week is λT ± 5√(λT)', () => {
    // λ = 2/s, T = 7 d = 604,800 s → mean λT = 1,209,600, sd √(λT) ≈ 1099.8, 5 sd ≈ 5499.
    const n = countAll(traffic([poisson({ rate: 2 })], { days: 7 }));
    within5sd(n, 1_209_600, Math.sqrt(1_209_600));
  });

  it('streams a 30-day month: count is λT ± 5√(λT)', () => {
    // λ = 1/s, T = 30 d = 2,592,000 s → sd ≈ 1610, 5 sd ≈ 8050.
    const n = countAll(traffic([poisson({ rate: 1 })], { days: 30 }), 'Europe/Berlin', 3);
    within5sd(n, 2_592_000, Math.sqrt(2_592_000));
  });

  it('gaps are exponential, far tail included', () => {
    // λ = 0.5/s over 2 days: N ≈ 86,400 gaps, including the one across midnight.
    // P(gap > x) = e^{−λx}; the empirical fraction has sd √(p(1 − p)/N).
    const lambda = 0.5;
    const reqs = collect(traffic([poisson({ rate: lambda })], { days: 2 }), 'UTC', 7);
    const gaps = reqs.slice(1).map((r, i) => r.t - reqs[i]!.t);
    const N = gaps.length;
    for (const k of [0.5, 1, 2, 4, 8]) {
      const x = k / lambda;
      const p = Math.exp(-k);
      const frac = gaps.filter((g) => g > x).length / N;
      within5sd(frac, p, Math.sqrt((p * (1 - p)) / N));
    }
    // Mean gap 1/λ = 2 s, sd of the mean (1/λ)/√N.
    within5sd(gaps.reduce((a, b) => a + b, 0) / N, 1 / lambda, 1 / lambda / Math.sqrt(N));
    // The longest of N ≈ 86,400 Exp(λ) gaps is about ln(N)/λ ≈ 22.7 s; far beyond 8/λ = 16 s,
    // so gaps are not capped anywhere near the tail.
    expect(Math.max(...gaps)).toBeGreaterThan(16);
  });

  it('a daily window: nothing outside it; idle nights do not clip gaps', () => {
    // 1 per 600 s between 09:00 and 17:00 for 60 days. On "open time" (the 8 open hours laid
    // end to end) the process is homogeneous, so open-time gaps — including those across nights —
    // are Exp(mean 600). Count: mean 60 × 28800/600 = 2880, sd √2880 ≈ 53.7.
    const reqs = collect(
      traffic([poisson({ rate: 1 / 600, from: 9 * H, to: 17 * H })], { days: 60 }),
      'UTC',
      11,
    );
    within5sd(reqs.length, 2880, Math.sqrt(2880));
    for (const r of reqs) {
      const tod = r.t % D;
      expect(tod).toBeGreaterThanOrEqual(9 * H);
      expect(tod).toBeLessThan(17 * H);
    }
    const open = reqs.map((r) => Math.floor(r.t / D) * 8 * H + ((r.t % D) - 9 * H));
    const gaps = open.slice(1).map((o, i) => o - open[i]!);
    const N = gaps.length;
    for (const k of [1, 2, 4]) {
      const p = Math.exp(-k);
      within5sd(gaps.filter((g) => g > k * 600).length / N, p, Math.sqrt((p * (1 - p)) / N));
    }
  });

  it('a per-hour profile: zero hours stay empty, the others get 3600·r per day', () => {
    // Hours 00–07 and 20–23 zero, 12:00 zero, 08–11 at 0.5/s, 13–19 at 1/s; 3 days.
    // Per hour over 3 days: mean 3 × 3600 × r, sd √mean.
    const profile = Array.from({ length: 24 }, (_, h) =>
      h < 8 || h >= 20 || h === 12 ? 0 : h < 12 ? 0.5 : 1,
    );
    const reqs = collect(traffic([poisson({ rate: profile })], { days: 3 }), 'UTC', 5);
    const byHour = new Array<number>(24).fill(0);
    for (const r of reqs) byHour[Math.floor((r.t % D) / H)]!++;
    profile.forEach((r, h) => {
      if (r === 0) expect(byHour[h]).toBe(0);
      else within5sd(byHour[h]!, 3 * H * r, Math.sqrt(3 * H * r));
    });
  });

  it('a per-hour profile on DST days uses real elapsed hours', () => {
    const only = (h: number) => Array.from({ length: 24 }, (_, i) => (i === h ? 1 : 0));
    // New York 2026-11-01: 01:00–02:00 happens twice (05:00Z–07:00Z), i.e. t ∈ [1 h, 3 h):
    // mean 7200, sd √7200 ≈ 84.9.
    const back = collect(
      traffic([poisson({ rate: only(1) })], { start: '2026-11-01T00:00' }),
      'America/New_York',
    );
    within5sd(back.length, 7200, Math.sqrt(7200));
    for (const r of back) expect(r.t >= H && r.t < 3 * H).toBe(true);
    // New York 2026-03-08: 02:00–03:00 does not happen, so hour 2 yields nothing…
    const fwd = (h: number) =>
      collect(traffic([poisson({ rate: only(h) })], { start: '2026-03-08T00:00' }), 'America/New_York');
    expect(fwd(2)).toHaveLength(0);
    // …and 03:00 EDT is 2 h after midnight: hour 3 is t ∈ [2 h, 3 h), mean 3600.
    const h3 = fwd(3);
    within5sd(h3.length, 3600, 60);
    for (const r of h3) expect(r.t >= 2 * H && r.t < 3 * H).toBe(true);
  });

  it('days: weekdays leaves Saturday and Sunday empty', () => {
    // 7 days from Monday 2026-01-05 at 0.01/s: 5 days × 864 = 4320 expected, sd ≈ 65.7.
    const reqs = collect(traffic([poisson({ rate: 0.01, days: 'weekdays' })], { days: 7 }));
    for (const r of reqs) expect(Math.floor(r.t / D)).toBeLessThan(5);
    within5sd(reqs.length, 4320, Math.sqrt(4320));
  });
});

describe('batch', () => {
  it('spaces requests exactly at + i·over/count', () => {
    // 09:00 = 32400; over 1 h / 4 = 900 s.
    expect(collect(traffic([batch({ at: 9 * H, count: 4, over: H })])).map((r) => r.t)).toEqual([
      32400, 33300, 34200, 35100,
    ]);
    // over 0: all at 10:00 = 36000.
    expect(collect(traffic([batch({ at: 10 * H, count: 3 })])).map((r) => r.t)).toEqual([
      36000, 36000, 36000,
    ]);
    // over 100 s / 3: 36000, 36033.33…, 36066.66…, each on the 2^-19 s tick grid (within half a tick).
    const thirds = collect(traffic([batch({ at: 10 * H, count: 3, over: 100 })])).map((r) => r.t);
    expect(thirds[0]).toBe(36000);
    expect(Math.abs(thirds[1]! - (36000 + 100 / 3))).toBeLessThanOrEqual(2 ** -20);
    expect(Math.abs(thirds[2]! - (36000 + 200 / 3))).toBeLessThanOrEqual(2 ** -20);
    expect(thirds[1]! * 2 ** 19).toBe(Math.round(thirds[1]! * 2 ** 19));
  });

  it('cuts a run at the end of the span', () => {
    // 23:50 = 85800, over 30 min / 30 = 60 s: t_i = 85800 + 60 i; t < 86400 ⇔ i ≤ 9 → 10.
    const one = collect(traffic([batch({ at: 23 * H + 50 * 60, count: 30, over: 1800 })]));
    expect(one.map((r) => r.t)).toEqual(Array.from({ length: 10 }, (_, i) => 85800 + 60 * i));
    // Two days: day 1's run (85800…87540) is whole, day 2's is cut at 172800 → 30 + 10.
    expect(
      collect(traffic([batch({ at: 23 * H + 50 * 60, count: 30, over: 1800 })], { days: 2 })),
    ).toHaveLength(40);
  });

  it('runs longer than a day interleave correctly', () => {
    // At 00:00 over 36 h / 3 = 12 h: day 1 → 0, 43200, 86400; day 2 → 86400, 129600, (172800 cut).
    const reqs = collect(traffic([batch({ at: 0, count: 3, over: 36 * H })], { days: 2 }));
    expect(reqs.map((r) => r.t)).toEqual([0, 43200, 86400, 86400, 129600]);
  });

  it('drops requests before a mid-day start', () => {
    // Start 2026-01-05T12:00 for 2 days: 09:00 on the 5th is t = −3 h (dropped); the 6th is
    // t = 21 h = 75600; the 7th is t = 45 h = 162000 (< 48 h).
    const reqs = collect(traffic([batch({ at: 9 * H, count: 1 })], { start: '2026-01-05T12:00', days: 2 }));
    expect(reqs.map((r) => r.t)).toEqual([75600, 162000]);
  });

  it('runs only on weekdays for days: weekdays', () => {
    // Monday 2026-01-05 + 7 days: Mon–Fri at 09:00, 10 each → 50 at d·86400 + 32400.
    const reqs = collect(traffic([batch({ at: 9 * H, count: 10, days: 'weekdays' })], { days: 7 }));
    expect(reqs).toHaveLength(50);
    expect([...new Set(reqs.map((r) => r.t))]).toEqual([0, 1, 2, 3, 4].map((d) => d * D + 9 * H));
  });

  it('lands on local time across DST', () => {
    // New York 2026-03-08: 00:00 EST = 05:00Z, 09:00 EDT = 13:00Z → t = 8 h; the day is 82800 s.
    const ny = syntheticStream(
      traffic([batch({ at: 9 * H, count: 1 })], { start: '2026-03-08T00:00' }),
      'America/New_York',
      1,
    );
    expect(ny.span.durationSeconds).toBe(82800);
    expect(ny.next()).toBe(true);
    expect(ny.t).toBe(8 * H);
    expect(ny.next()).toBe(false);
    // Berlin 2026-10-25: 00:00 CEST = 22:00Z, 09:00 CET = 08:00Z → t = 10 h; the day is 90000 s.
    const be = syntheticStream(
      traffic([batch({ at: 9 * H, count: 1 })], { start: '2026-10-25T00:00' }),
      'Europe/Berlin',
      1,
    );
    expect(be.span.durationSeconds).toBe(90000);
    expect(be.next()).toBe(true);
    expect(be.t).toBe(10 * H);
  });
});

describe('trickle', () => {
  it('exact count per day, inside the window, sorted, uniform', () => {
    // 1000 a day between 09:00 and 17:00 for 20 days. Positions u = (t − 09:00)/8 h are
    // U(0,1): N = 20,000, mean 1/2 (sd √(1/12/N) ≈ 0.00204), variance 1/12 (sd of the sample
    // variance √((1/80 − 1/144)/N) ≈ 0.000527), KS distance < 1.95/√N (α ≈ 0.001).
    const reqs = collect(
      traffic([trickle({ count: 1000, from: 9 * H, to: 17 * H })], { days: 20 }),
      'UTC',
      9,
    );
    expect(reqs).toHaveLength(20_000);
    const perDay = new Array<number>(20).fill(0);
    for (const r of reqs) perDay[Math.floor(r.t / D)]!++;
    expect(perDay).toEqual(new Array<number>(20).fill(1000));
    for (let i = 1; i < reqs.length; i++) expect(reqs[i]!.t).toBeGreaterThanOrEqual(reqs[i - 1]!.t);
    const u = reqs.map((r) => ((r.t % D) - 9 * H) / (8 * H));
    for (const x of u) expect(x >= 0 && x < 1).toBe(true);
    const N = u.length;
    const mean = u.reduce((a, b) => a + b, 0) / N;
    within5sd(mean, 0.5, Math.sqrt(1 / 12 / N));
    const variance = u.reduce((a, b) => a + (b - mean) ** 2, 0) / N;
    within5sd(variance, 1 / 12, Math.sqrt((1 / 80 - 1 / 144) / N));
    const sorted = [...u].sort((a, b) => a - b);
    let ks = 0;
    sorted.forEach((x, i) => (ks = Math.max(ks, Math.abs(x - i / N), Math.abs(x - (i + 1) / N))));
    expect(ks).toBeLessThan(1.95 / Math.sqrt(N));
  });

  it('the k-th of n per day has the Beta(k, n+1−k) mean k/(n+1)', () => {
    // n = 3 a day over 0–24 h for 1500 days: E[U_(k)] = k/4, Var = k(4−k)/(16·5);
    // sd of the mean over 1500 days = √(Var/1500).
    const reqs = collect(traffic([trickle({ count: 3, from: 0, to: D })], { days: 1500 }), 'UTC', 4);
    expect(reqs).toHaveLength(4500);
    for (let k = 1; k <= 3; k++) {
      const xs = reqs.filter((_, i) => i % 3 === k - 1).map((r) => (r.t % D) / D);
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      within5sd(m, k / 4, Math.sqrt((k * (4 - k)) / 80 / 1500));
    }
  });

  it('puts no request in a window the DST change skips, and counts only the hour that occurs', () => {
    // New York 2026-03-08: 02:10–02:50 does not occur (issue 17: not all 40 at 03:00 EDT). The
    // next day (midnight 2026-03-09 00:00 EDT = 04:00Z, t = 23 h) has its 40, 02:10–02:50 EDT.
    const gap = collect(
      traffic([trickle({ count: 40, from: 2 * H + 600, to: 2 * H + 3000 })], {
        start: '2026-03-08T00:00',
        days: 2,
      }),
      'America/New_York',
    );
    expect(gap).toHaveLength(40);
    for (const r of gap) expect(r.t >= 23 * H + 2 * H + 600 && r.t < 23 * H + 2 * H + 3000).toBe(true);
    // 02:30–04:00 on the DST day: only 03:00–04:00 EDT occurs (07:00Z–08:00Z, t = 2 h … 3 h).
    const half = collect(
      traffic([trickle({ count: 200, from: 2.5 * H, to: 4 * H })], { start: '2026-03-08T00:00' }),
      'America/New_York',
    );
    expect(half).toHaveLength(200);
    for (const r of half) expect(r.t >= 2 * H && r.t < 3 * H).toBe(true);
    expect(new Set(half.map((r) => r.t)).size).toBe(200);
    // …the whole of it: 02:30 is not read as 03:30 EDT (200 uniform draws all missing the first
    // half hour has probability 2^-200).
    expect(half.some((r) => r.t < 2.5 * H)).toBe(true);
  });

  it('uses real time between the local bounds on a DST day', () => {
    // New York 2026-03-08 (midnight 05:00Z): 01:00 EST = 06:00Z → t = 1 h; 04:00 EDT = 08:00Z → t = 3 h.
    const reqs = collect(
      traffic([trickle({ count: 500, from: H, to: 4 * H })], { start: '2026-03-08T00:00' }),
      'America/New_York',
    );
    expect(reqs).toHaveLength(500);
    for (const r of reqs) expect(r.t >= H && r.t < 3 * H).toBe(true);
  });
});

describe('tokens and classes', () => {
  it('rounds samples and keeps them ≥ 1; classes map to 0 and 1', () => {
    const reqs = collect(
      traffic([
        poisson({
          rate: 0.01,
          inputTokens: { dist: 'uniform', min: 0.1, max: 0.4 },
          outputTokens: fixed(7.6),
        }),
        batch({ at: 9 * H, count: 5 }),
      ]),
    );
    const p = reqs.filter((r) => r.cls === 0);
    const b = reqs.filter((r) => r.cls === 1);
    expect(b).toHaveLength(5);
    expect(p.length).toBeGreaterThan(0);
    for (const r of p) expect([r.inputTokens, r.outputTokens]).toEqual([1, 8]);
    for (const r of b) expect([r.inputTokens, r.outputTokens]).toEqual([250, 60]);
  });

  it('lognormal lengths: median and p90 as given', () => {
    // median 100, p90 200 → σ = ln 2 / 1.2816 ≈ 0.541; density at the median
    // f = 1/(100·σ·√(2π)) ≈ 0.00738, so the sample median of N = 10,000 has sd 1/(2f√N) ≈ 0.68;
    // allow 5 sd + 0.5 for rounding. P(X ≤ 200) = 0.9 with sd √(0.09/N) = 0.003.
    const reqs = collect(
      traffic([batch({ at: 0, count: 10_000, inputTokens: { dist: 'lognormal', median: 100, p90: 200 } })]),
    );
    const xs = reqs.map((r) => r.inputTokens).sort((a, b) => a - b);
    expect(Math.abs(xs[5000]! - 100)).toBeLessThanOrEqual(5 * 0.68 + 0.5);
    within5sd(xs.filter((x) => x <= 200).length / xs.length, 0.9, 0.003);
    for (const x of xs) expect(Number.isInteger(x) && x >= 1).toBe(true);
  });
});

describe('streams', () => {
  const mixed = (): TrafficComponent[] => [
    poisson({ rate: 0.05 }),
    trickle({ count: 200, from: 8 * H, to: 18 * H, outputTokens: { dist: 'uniform', min: 1, max: 500 } }),
    batch({ at: 2 * H, count: 100, over: 600 }),
  ];

  it('same seed → identical; different seed → different', () => {
    const a = collect(traffic(mixed(), { days: 2 }), 'UTC', 42);
    const b = collect(traffic(mixed(), { days: 2 }), 'UTC', 42);
    const c = collect(traffic(mixed(), { days: 2 }), 'UTC', 43);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it("adding a component leaves the first one's requests unchanged", () => {
    const a = poisson({ rate: 0.05, outputTokens: fixed(7) });
    const alone = collect(traffic([a], { days: 2 }), 'UTC', 5);
    const withB = collect(
      traffic([a, poisson({ rate: 0.2, outputTokens: fixed(9) })], { days: 2 }),
      'UTC',
      5,
    );
    expect(withB.filter((r) => r.outputTokens === 7)).toEqual(alone);
    expect(withB.length).toBeGreaterThan(alone.length);
  });

  it('breaks ties by component index', () => {
    const reqs = collect(
      traffic([
        batch({ at: 9 * H, count: 3, outputTokens: fixed(1) }),
        batch({ at: 9 * H, count: 3, outputTokens: fixed(2) }),
      ]),
    );
    expect(reqs.map((r) => r.outputTokens)).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it('stays exhausted', () => {
    const s = syntheticStream(traffic([batch({ at: 0, count: 1 })]), 'UTC', 1);
    expect(s.next()).toBe(true);
    expect(s.next()).toBe(false);
    expect(s.next()).toBe(false);
  });

  it('throws InputError for an invalid zone', () => {
    expect(() => syntheticStream(traffic([poisson({ rate: 1 })]), 'Not/AZone', 1)).toThrow(InputError);
  });

  it('is time-ordered and inside the span for any component set (property)', () => {
    const tod = fc.integer({ min: 0, max: 24 * 60 }).map((m) => m * 60);
    const window = fc
      .tuple(tod, tod)
      .filter(([a, b]) => a !== b)
      .map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) }));
    const days = fc.constantFrom('all' as const, 'weekdays' as const);
    const comp: fc.Arbitrary<TrafficComponent> = fc.oneof(
      fc.record({ rate: fc.double({ min: 1e-4, max: 0.05, noNaN: true }), days }).map((p) => poisson(p)),
      fc
        .record({
          rate: fc.array(fc.constantFrom(0, 0.001, 0.02), { minLength: 24, maxLength: 24 }),
          w: window,
          days,
        })
        .map(({ rate, w, days }) =>
          poisson({ rate: rate.some((r) => r > 0) ? rate : [...rate.slice(1), 0.01], ...w, days }),
        ),
      fc
        .record({
          at: tod.filter((t) => t < D),
          count: fc.integer({ min: 1, max: 50 }),
          over: fc.integer({ min: 0, max: 2 * D }),
          days,
        })
        .map((p) => batch(p)),
      fc
        .record({ count: fc.integer({ min: 1, max: 50 }), w: window, days })
        .map(({ count, w, days }) => trickle({ count, ...w, days })),
    );
    fc.assert(
      fc.property(
        fc.array(comp, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata'),
        fc.constantFrom(
          '2026-01-05T00:00',
          '2026-03-07T06:30',
          '2026-03-28T00:00',
          '2026-10-24T13:00',
          '2026-10-31T00:00',
        ),
        fc.integer({ min: 1, max: 3 }),
        fc.nat(),
        (components, tz, start, ndays, seed) => {
          const s = syntheticStream(traffic(components, { start, days: ndays }), tz, seed);
          let last = 0;
          let bad: string | undefined;
          while (bad === undefined && s.next()) {
            if (!(s.t >= last)) bad = `out of order: ${s.t} after ${last}`;
            else if (!(s.t < s.span.durationSeconds)) bad = `t ${s.t} past the end`;
            else if (!Number.isInteger(s.inputTokens) || s.inputTokens < 1) bad = `input ${s.inputTokens}`;
            else if (!Number.isInteger(s.outputTokens) || s.outputTokens < 1)
              bad = `output ${s.outputTokens}`;
            else if (s.cls !== 0 && s.cls !== 1) bad = `class ${s.cls}`;
            last = s.t;
          }
          expect(bad).toBeUndefined();
        },
      ),
      { numRuns: 150 },
    );
  });
});
