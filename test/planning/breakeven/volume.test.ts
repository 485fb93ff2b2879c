import { describe, expect, it } from 'vitest';
import { analyzeBreakeven } from '../../../src/planning/breakeven/breakeven.js';
import { cheapestOf, crossoversOf, logGrid } from '../../../src/planning/breakeven/volume.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';
import { cmiFixed, evenDay, WINDOW } from '../../compare/fixtures.js';

/*
 * Requests evenly spaced over one day, 1 s each, through a CMI copy (30 s cold starts, $0.785 a
 * window, gone 5 min after the last arrival) and one replica always on at $1.515/h. By hand:
 *
 * - 10/day (one every 8640 s) and 100/day (one every 864 s): gaps > 5 min, so every request has its
 *   own cold copy: first call at +30 s, removed at +300 s → 1 window each → 10 and 100 windows.
 * - 1000/day (one every 86.4 s): the copy never goes cold: first call 00:00:30, last request at
 *   86313.6 s → removed 86613.6 s → ⌈(86613.6 − 30)/300⌉ = ⌈288.61⌉ = 289 windows.
 * - the box: 24 h × $1.515 = $36.36 at every volume.
 * Cheapest: CMI at 10, the box at 100 and 1000. With s the storage (the same at every volume),
 * d(v) = CMI − box is 10W + s − 36.36 at 10 and 100W + s − 36.36 at 100; linear in log v between
 * them, d = 0 at log10 v = 1 + (36.36 − 10W − s) / (90W) → about 25.2 requests/day.
 */

describe('volume crossover, worked by hand', () => {
  it('prices each volume, ranks the options and interpolates the crossover in log(volume)', async () => {
    const r = await analyzeBreakeven(
      evenDay({ from: 10, to: 1000, points: 3 }),
      { heartbeat: false, volume: true },
      { workers: 1 },
    );
    const v = r.volume!;
    expect(r.heartbeat).toEqual([]);
    expect(v.points.map((p) => p.requestsPerDay)).toEqual([10, 100, 1000]);
    const cmi = v.points.map((p) => p.costs.cmi!);
    const box = v.points.map((p) => p.costs.box!);
    const s = cmi[0]! - 10 * WINDOW;
    expect(s).toBeGreaterThan(0);
    expect(s).toBeLessThan(0.5);
    expect(cmi[1]).toBeCloseTo(100 * WINDOW + s, 9);
    expect(cmi[2]).toBeCloseTo(289 * WINDOW + s, 9);
    for (const c of box) expect(c).toBeCloseTo(24 * 1.515, 9);
    expect(v.points.map((p) => p.cheapest)).toEqual(['cmi', 'box', 'box']);

    const expected = Math.pow(10, 1 + (36.36 - 10 * WINDOW - s) / (90 * WINDOW));
    expect(v.crossovers).toHaveLength(1);
    expect(v.crossovers[0]!.from).toBe('cmi');
    expect(v.crossovers[0]!.to).toBe('box');
    expect(v.crossovers[0]!.requestsPerDay).toBeCloseTo(expected, 6);
    expect(v.crossovers[0]!.requestsPerDay).toBeCloseTo(25.2, 1);
  });

  it('prices per-token pricing beside an always-on box but never ranks the baseline', async () => {
    // 1000 input + 100 output tokens a request at $0.30 / $0.60 per 1M tokens: $0.00036 a request,
    // so 10k, 100k and 1M requests/day cost $3.60, $36 and $360. The box: $1.515/h for the day,
    // plus the seconds its last request runs past midnight (it arrives 86400/N s before, takes 1 s).
    const loaded = scenarioFromObject({
      name: 'per-token vs box',
      seed: 1,
      traffic: {
        days: 1,
        components: [
          {
            type: 'batch',
            at: '00:00',
            count: 10_000,
            over: '24h',
            class: 'interactive',
            inputTokens: 1000,
            outputTokens: 100,
          },
        ],
      },
      options: [
        { id: 'bedrock-on-demand', key: 'per-token', model: 'llama-3.1-8b-instruct', rpm: 1e6, tpm: 1e9 },
        {
          id: 'fixed-fleet',
          key: 'box',
          replicas: 1,
          slotsPerReplica: 64,
          serviceTime: '1s',
          hourlyPrice: 1.515,
        },
      ],
      pricing: {
        overrides: {
          'bedrock-ondemand.llama-3-1-8b-instruct-input.us-east-1': 0.3,
          'bedrock-ondemand.llama-3-1-8b-instruct-output.us-east-1': 0.6,
        },
      },
      breakeven: { volume: { from: 1e4, to: 1e6, points: 3 } },
    });
    const v = (await analyzeBreakeven(loaded, { heartbeat: true, volume: true }, { workers: 1 })).volume!;
    const box = (n: number) => (1.515 * Math.max(86400, 86400 - 86400 / n + 1)) / 3600;
    expect(v.points.map((p) => p.costs['per-token'])).toEqual([
      expect.closeTo(3.6, 9),
      expect.closeTo(36, 9),
      expect.closeTo(360, 9),
    ]);
    expect(v.points.map((p) => p.costs.box)).toEqual([
      expect.closeTo(box(1e4), 9),
      expect.closeTo(box(1e5), 9),
      expect.closeTo(box(1e6), 9),
    ]);
    // Per token is cheaper up to ~100k a day ($36.36 ÷ $0.00036 = 101,000), but it serves the
    // catalog's base model, not the fine-tune: a baseline, priced for comparison, never ranked.
    expect(v.baselines).toEqual(['per-token']);
    expect(v.points.map((p) => p.cheapest)).toEqual(['box', 'box', 'box']);
    expect(v.crossovers).toEqual([]);
  });

  it('does not rank an option that throttles more than maxLossRate', async () => {
    // A 10 requests/minute quota: 10k a day (≤ 7 a minute) pass; 100k a day (~69 a minute) do not.
    const loaded = scenarioFromObject({
      name: 'throttled',
      traffic: {
        days: 1,
        components: [{ type: 'batch', at: '00:00', count: 10_000, over: '24h', class: 'interactive' }],
      },
      options: [
        { id: 'bedrock-on-demand', key: 'per-token', rpm: 10, tpm: 1e9 },
        { id: 'fixed-fleet', key: 'box', slotsPerReplica: 64, serviceTime: '1s', hourlyPrice: 1.515 },
      ],
      maxLossRate: 0.01,
      breakeven: { volume: { from: 1e4, to: 1e5, points: 2 } },
    });
    const v = (await analyzeBreakeven(loaded, { heartbeat: false, volume: true }, { workers: 1 })).volume!;
    // Priced where it loses ≤ 1 %, null where it loses more (and, a baseline, never ranked).
    expect(v.points[0]!.costs['per-token']).not.toBeNull();
    expect(v.points[1]!.costs['per-token']).toBeNull();
    expect(v.points.map((p) => p.cheapest)).toEqual(['box', 'box']);
    expect(v.crossovers).toEqual([]);
  });

  it('defaults to 40 points from 100 to 1,000,000 requests/day', () => {
    const g = logGrid(100, 1_000_000, 40);
    expect(g).toHaveLength(40);
    expect(g[0]).toBe(100);
    expect(g[39]).toBe(1_000_000);
    for (let i = 1; i < g.length; i++) {
      expect(g[i]).toBeGreaterThan(g[i - 1]!);
      // Evenly spaced in log(volume) within the 3-digit rounding: 10^(4/39) ≈ 1.2663 per step.
      expect(Math.abs(g[i]! / g[i - 1]! / Math.pow(10, 4 / 39) - 1)).toBeLessThan(0.01);
    }
    expect(logGrid(100, 10_000, 3)).toEqual([100, 1000, 10_000]);
  });
});

describe('ranking and crossovers', () => {
  it('ranks the cheapest, the first listed on ties, skipping options not ranked', () => {
    expect(cheapestOf(['a', 'b'], { a: 2, b: 1 })).toBe('b');
    expect(cheapestOf(['a', 'b'], { a: 1, b: 1 })).toBe('a');
    expect(cheapestOf(['a', 'b'], { a: null, b: 3 })).toBe('b');
    expect(cheapestOf(['a', 'b'], { a: null, b: null })).toBeNull();
  });

  it('puts a crossover where an option stops being ranked at the geometric midpoint', () => {
    const points = [
      { requestsPerDay: 100, costs: { a: 1, b: 5 }, cheapest: 'a' },
      { requestsPerDay: 400, costs: { a: null, b: 6 }, cheapest: 'b' },
      { requestsPerDay: 1600, costs: { a: null, b: null }, cheapest: null },
    ];
    const c = crossoversOf(points);
    expect(c).toHaveLength(1);
    expect(c[0]!.from).toBe('a');
    expect(c[0]!.to).toBe('b');
    expect(c[0]!.requestsPerDay).toBeCloseTo(200, 9);
  });

  it('finds every change of the cheapest among three options', () => {
    // a: 1 → 4 → 9; b: 3 → 3 → 3; c: 9 → 5 → 2. Cheapest a, b, c.
    const points = [
      { requestsPerDay: 10, costs: { a: 1, b: 3, c: 9 }, cheapest: 'a' },
      { requestsPerDay: 100, costs: { a: 4, b: 3, c: 5 }, cheapest: 'b' },
      { requestsPerDay: 1000, costs: { a: 9, b: 3, c: 2 }, cheapest: 'c' },
    ];
    const c = crossoversOf(points);
    // a − b goes −2 → +1: crosses 2/3 of the way from log 10 to log 100; b − c: −2 → +1, likewise.
    expect(c.map((x) => [x.from, x.to])).toEqual([
      ['a', 'b'],
      ['b', 'c'],
    ]);
    expect(c[0]!.requestsPerDay).toBeCloseTo(Math.pow(10, 1 + 2 / 3), 9);
    expect(c[1]!.requestsPerDay).toBeCloseTo(Math.pow(10, 2 + 2 / 3), 9);
  });
});

describe('ranking basis', () => {
  it('ranks the volume sweep on the AWS bill with rankBy: aws', async () => {
    // 100 requests a day, one every 864 s: CMI pays one window each (100 × $0.785 = $78.50 + storage);
    // one always-on g5.2xlarge node costs 24 h × its price + the EKS control plane on the AWS bill,
    // and 0.25 FTE of staff time (0.25 × $200,000 × 24 / 8,760 = $136.99) on top.
    const scenario = (rankBy: 'total' | 'aws') =>
      scenarioFromObject({
        name: 'basis',
        seed: 1,
        rankBy,
        traffic: {
          start: '2026-01-05T00:00',
          days: 1,
          components: [{ type: 'batch', at: '00:00', count: 100, over: '24h', class: 'interactive' }],
        },
        options: [cmiFixed, { id: 'self-hosted', key: 'nodes', minNodes: 1, maxNodes: 1, serviceTime: '1s' }],
        breakeven: { volume: { from: 100, to: 200, points: 2 } },
      });
    const total = (
      await analyzeBreakeven(scenario('total'), { heartbeat: false, volume: true }, { workers: 1 })
    ).volume!;
    const aws = (await analyzeBreakeven(scenario('aws'), { heartbeat: false, volume: true }, { workers: 1 }))
      .volume!;
    expect(total.points[0]!.costs.nodes! - aws.points[0]!.costs.nodes!).toBeCloseTo(
      (0.25 * 200_000 * 24) / 8760,
      6,
    );
    expect(total.points[0]!.cheapest).toBe('cmi');
    expect(aws.points[0]!.cheapest).toBe('nodes');
  });
});
