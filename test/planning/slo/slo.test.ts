import { describe, expect, it } from 'vitest';
import { analyzeSlo } from '../../../src/planning/slo/slo.js';
import type { SloResult } from '../../../src/compare/result.js';
import { InputError } from '../../../src/errors.js';
import { scenarioFromObject, type LoadedScenario } from '../../../src/scenario/load.js';
import type { Slo } from '../../../src/scenario/schema.js';
import { cmiFixed, everyTwentyMinutes, WINDOW } from '../../compare/fixtures.js';

/*
 * The cheapest path under a latency SLO, on cases whose answer is known without the simulator:
 * an M/M/c queue (the replica count from Erlang C), a Custom Model Import copy whose cold starts
 * only a heartbeat removes (windows counted by hand), and a target below the service time.
 */

async function slo(loaded: LoadedScenario, s: Slo): Promise<SloResult> {
  return analyzeSlo(loaded, s, { workers: 1 });
}

// ---- M/M/c: latency T = W + S, Erlang C ---------------------------------------------------------

/** Erlang's C formula: probability that an arrival waits in M/M/c with offered load a = λ/μ < c. */
function erlangC(c: number, a: number): number {
  let term = 1;
  let sum = 1; // Σ_{k<c} a^k / k!
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const top = ((term * a) / c) * (c / (c - a)); // a^c / c! · c / (c − a)
  return top / (sum + top);
}

/**
 * P(T > t) for the time in system of M/M/c (FIFO): W is 0 with probability 1 − C, else
 * exponential with rate θ = cμ − λ; S is exponential with rate μ, independent of W. So
 * P(T > t) = (1 − C)e^{−μt} + C·P(Exp(θ) + Exp(μ) > t), the hypoexponential tail
 * (θe^{−μt} − μe^{−θt}) / (θ − μ), or e^{−μt}(1 + μt) when θ = μ.
 */
function sojournTail(c: number, lambda: number, mu: number, t: number): number {
  const C = erlangC(c, lambda / mu);
  const th = c * mu - lambda;
  const hypo =
    Math.abs(th - mu) < 1e-12
      ? Math.exp(-mu * t) * (1 + mu * t)
      : (th * Math.exp(-mu * t) - mu * Math.exp(-th * t)) / (th - mu);
  return (1 - C) * Math.exp(-mu * t) + C * hypo;
}

/** The p-quantile of T, by bisection on the tail (monotone in t). */
function sojournQuantile(c: number, lambda: number, mu: number, p: number): number {
  let lo = 0;
  let hi = 100;
  for (let i = 0; i < 100; i++) {
    const m = (lo + hi) / 2;
    if (sojournTail(c, lambda, mu, m) > 1 - p) lo = m;
    else hi = m;
  }
  return (lo + hi) / 2;
}

describe('Erlang C, as written here, on hand-worked values', () => {
  it('is ρ for one server and 2ρ²/(1+ρ) for two', () => {
    expect(erlangC(1, 0.6)).toBeCloseTo(0.6, 14);
    expect(erlangC(2, 1.2)).toBeCloseTo((2 * 0.36) / 1.6, 14);
  });
  it('gives the exponential quantile −ln(1 − p)/μ when nobody waits (c large)', () => {
    expect(sojournQuantile(40, 1, 1, 0.95)).toBeCloseTo(Math.log(20), 6);
  });
});

describe('fixed fleet: the replica count Erlang C requires', () => {
  // λ = 4/s, exponential service of mean 1 s (μ = 1), single-slot replicas. p95 of latency in
  // theory: c = 5 → 4.197 s, c = 6 → 3.238 s (c ≤ 4 is unstable). A 3.7 s target needs exactly 6.
  const lambda = 4;
  const target = 3.7;
  const need = (() => {
    for (let c = lambda + 1; ; c++) if (sojournQuantile(c, lambda, 1, 0.95) <= target) return c;
  })();

  it('has a margin sampling error cannot cross', () => {
    expect(need).toBe(6);
    // Over 2 h (≈ 28,800 requests) the p95's sampling error is a few hundredths of a second.
    expect(sojournQuantile(need - 1, lambda, 1, 0.95)).toBeGreaterThan(target * 1.1);
    expect(sojournQuantile(need, lambda, 1, 0.95)).toBeLessThan(target * 0.9);
  });

  it('finds exactly that count from a fleet too small, and names queueing', async () => {
    const loaded = scenarioFromObject({
      name: 'erlang',
      seed: 11,
      traffic: {
        start: '2026-01-05T00:00',
        end: '2026-01-05T02:00',
        components: [{ type: 'poisson', rate: `${lambda}/s` }],
      },
      options: [
        {
          id: 'fixed-fleet',
          key: 'mmc',
          replicas: 2,
          slotsPerReplica: 1,
          serviceTime: { dist: 'exponential', mean: '1s' },
          hourlyPrice: 1,
        },
      ],
    });
    const r = await slo(loaded, { percentile: 'p95', target, class: 'interactive' });
    const o = r.options[0]!;
    expect(o.meets).toBe(false);
    expect(o.best?.settings).toEqual({ replicas: need });
    // need replicas × $1 an hour for 2 h, and the few seconds the last requests take to drain
    // (a fixed fleet is billed to the end of the run).
    expect(o.best!.cost).toBeGreaterThanOrEqual(need * 2);
    expect(o.best!.cost).toBeLessThan(need * 2 * 1.001);
    expect(o.best?.achieved).toBeLessThanOrEqual(target);
    // The simulated p95 agrees with the theory within sampling error.
    expect(Math.abs(o.best!.achieved! / sojournQuantile(need, lambda, 1, 0.95) - 1)).toBeLessThan(0.05);
    expect(o.binding).toBe('queueing');
    expect(r.cheapest).toBe('mmc');
  });
});

describe('Custom Model Import: the cold start binds and a heartbeat cures it', () => {
  it('keeps the copy warm over the traffic hours (and the hour before) for the cost of the extra windows', async () => {
    // 24 requests 09:00 … 16:40, 1 s each, 30 s cold starts, scale to zero after 5 min.
    // As configured every request waits on a cold start: latency 31 s, 24 windows.
    // With a beat every 5 min over 08:00–17:00: first call 08:00:30 (the 08:00 beat's cold start),
    // the last beat 16:55 → removed 17:00: ⌈(61,200 − 28,830) / 300⌉ = ⌈107.9⌉ = 108 windows, and
    // every user request finds the copy warm: 1 s. All day costs far more (≈ 289 windows).
    const r = await slo(everyTwentyMinutes(), { percentile: 'p95', target: 5, class: 'interactive' });
    const o = r.options[0]!;
    expect(o.meets).toBe(false);
    expect(o.configured?.achieved).toBeCloseTo(31, 9);
    expect(o.best?.settings).toEqual({
      heartbeat: { every: '5m', during: ['08:00-17:00'], days: 'all' },
    });
    expect(o.best?.achieved).toBeCloseTo(1, 9);
    expect(o.best!.cost - o.configured!.cost).toBeCloseTo((108 - 24) * WINDOW, 9);
    expect(o.binding).toBe('cold start');
    expect(o.note).toMatch(/cold start/);
    expect(r.cheapest).toBe('cmi');
  });
});

describe('targets no setting can meet', () => {
  // 12 requests an hour apart, each 1 s of service: nobody ever waits.
  const SPARSE = {
    start: '2026-01-05T00:00',
    days: 1,
    components: [{ type: 'batch', at: '08:00', count: 12, over: '11h', class: 'interactive' }],
  };
  const sparse = (extra: Record<string, unknown>[] = []) =>
    scenarioFromObject({
      name: 'sparse',
      traffic: SPARSE,
      options: [
        { id: 'fixed-fleet', key: 'box', replicas: 1, serviceTime: '1s', hourlyPrice: 1.515 },
        ...extra,
      ],
    });

  it('says so when p95 is below the service time, and names the service time', async () => {
    const r = await slo(sparse(), { percentile: 'p95', target: 0.5, class: 'interactive' });
    const o = r.options[0]!;
    expect(o.meets).toBe(false);
    expect(o.best).toBeNull();
    expect(o.binding).toBe('service time');
    expect(o.note).toMatch(/^no setting tried meets p95 ≤ 0\.5s: service alone takes 1\.00 s/);
    expect(r.cheapest).toBeNull();
  });

  it('never ranks a baseline cheapest, and keeps what meets as configured', async () => {
    // One box all day: 24 h × $1.515 = $36.36; the per-token baseline costs cents but is not ranked.
    const r = await slo(sparse([{ id: 'bedrock-on-demand', key: 'per-token' }]), {
      percentile: 'p95',
      target: 5,
      class: 'interactive',
    });
    const [box, perToken] = r.options;
    expect(box?.meets).toBe(true);
    expect(box?.best?.settings).toEqual({});
    expect(box?.best?.cost).toBeCloseTo(24 * 1.515, 9);
    expect(box?.binding).toBeNull();
    expect(perToken?.meets).toBe(true);
    expect(perToken!.best!.cost).toBeLessThan(box!.best!.cost);
    expect(r.cheapest).toBe('box');
  });

  it('SageMaker: the cheapest instance that fits, held at one; nothing below the service time', async () => {
    // Service is set to 1 s on every instance type, nobody waits, ops is zeroed: the cheapest
    // setting that meets p95 ≤ 5 s is one instance of the cheapest type that holds the 16 GB of
    // weights, always on. In the shipped book that is ml.g6.xlarge (L4, 24 GB: 21.6 GB for vLLM −
    // 1 GB overhead − 16.06 GB of weights leaves 4.5 GB of KV ≥ 2 GB) at $1.1267 an hour, against
    // $1.515 for the configured ml.g5.2xlarge: 24 h × $1.1267 = $27.04. Zero instances fail calls
    // until one is in service, so scaling to zero loses requests and cannot meet it.
    const sm = {
      id: 'sagemaker-realtime',
      key: 'sm',
      instanceType: 'ml.g5.2xlarge',
      minInstances: 1,
      maxInstances: 1,
      serviceTime: '1s',
      opsFte: 0,
    };
    const loaded = sparse();
    loaded.scenario.options = [
      scenarioFromObject({ name: 'x', traffic: SPARSE, options: [sm] }).scenario.options[0]!,
    ];
    const r = await slo(loaded, { percentile: 'p95', target: 5, class: 'interactive' });
    const o = r.options[0]!;
    expect(o.meets).toBe(true);
    expect(o.configured?.cost).toBeCloseTo(24 * 1.515, 6);
    expect(o.best?.settings.instanceType).toBe('ml.g6.xlarge');
    expect(o.best?.cost).toBeCloseTo(24 * 1.1267, 6);
    expect(r.cheapest).toBe('sm');
    const none = await slo(loaded, { percentile: 'p95', target: 0.5, class: 'interactive' });
    expect(none.options[0]!.best).toBeNull();
    expect(none.options[0]!.binding).toBe('service time');
  });

  it('refuses an SLO on a class the traffic does not have', async () => {
    const e = await analyzeSlo(
      sparse(),
      { percentile: 'p95', target: 2, class: 'batch' },
      { workers: 1 },
    ).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).where).toBe('slo.class');
  });
});

describe('the cheapest path over several options', () => {
  it('is the same for 1 and 2 workers, byte for byte', async () => {
    const loaded = everyTwentyMinutes({
      options: [
        cmiFixed,
        { id: 'fixed-fleet', key: 'box', replicas: 1, serviceTime: '1s', hourlyPrice: 1.515 },
      ],
    });
    const s: Slo = { percentile: 'p95', target: 5, class: 'interactive' };
    const one = await analyzeSlo(loaded, s, { workers: 1 });
    const two = await analyzeSlo(loaded, s, { workers: 2, threadsAbove: 0 });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    // The box all day (24 × $1.515 = $36.36) costs less than 108 windows (≈ $84.78).
    expect(one.cheapest).toBe('box');
  });
});
