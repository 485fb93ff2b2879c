import { describe, expect, it } from 'vitest';
import { optionById } from '../../../src/models/registry.js';
import { scenarioFromObject, type LoadedScenario } from '../../../src/scenario/load.js';
import { Rng } from '../../../src/sim/rng.js';
import { TraceCalendar } from '../../../src/traffic/calendar.js';
import { prepareOption, scenarioPriceBook, summarizeTrace } from '../../../src/compare/run.js';
import {
  applyInputs,
  collect,
  drawInputs,
  MAPPINGS,
  scaleDist,
  type UncertainInput,
} from '../../../src/planning/sensitivity/uncertain.js';

/** Every option left at its defaults (spot, so the spot rows exist too), one small day. */
function defaults(
  options: Record<string, unknown>[] = [
    { id: 'bedrock-cmi', key: 'cmi' },
    { id: 'bedrock-cmi', key: 'cmi-hb', heartbeat: { every: '5m', during: ['08:00-10:00'] } },
    { id: 'sagemaker-realtime' },
    { id: 'self-hosted', capacity: 'spot' },
    { id: 'sagemaker-inference-components' },
  ],
): LoadedScenario {
  return scenarioFromObject({
    name: 'uncertain',
    seed: 3,
    traffic: {
      start: '2026-01-05T00:00',
      days: 1,
      components: [{ type: 'batch', at: '09:00', count: 50, over: '1h', class: 'interactive' }],
    },
    options,
  });
}

const byId = (xs: UncertainInput[], id: string): UncertainInput => {
  const x = xs.find((i) => i.id === id);
  if (!x) throw new Error(`no input ${id}; have ${xs.map((i) => i.id).join(', ')}`);
  return x;
};

describe('uncertain inputs', () => {
  it('every mapped assumption name is one an option really lists', () => {
    const { scenario, baseDir } = defaults();
    const book = scenarioPriceBook(scenario, baseDir);
    const calendar = new TraceCalendar(scenario.traffic, scenario.timezone);
    const trace = summarizeTrace(scenario, calendar.span.startUtcIso, calendar.span.durationSeconds, baseDir);
    for (const [id, table] of Object.entries(MAPPINGS)) {
      const o = scenario.options.find((x) => x.id === id)!;
      expect(optionById(id)).toBeDefined();
      const names = prepareOption(
        scenario,
        o,
        book,
        calendar.span.durationSeconds,
        calendar,
        trace,
      ).assumptions.map((a) => a.name);
      for (const name of Object.keys(table)) expect(names, `${id}: ${name}`).toContain(name);
    }
  });

  it('reads bands from the options and shares one input across keys of the same id', () => {
    const { scenario, baseDir } = defaults();
    const { inputs } = collect(scenario, baseDir);
    // bedrock-cmi.json: slots per copy 8 (4–16), not published → a fact.
    expect(byId(inputs, 'bedrock-cmi.slotsPerCopy')).toMatchObject({
      keys: ['cmi', 'cmi-hb'],
      base: 8,
      low: 4,
      high: 16,
      integer: true,
      role: 'fact',
    });
    // The two CMU rates of the shipped book: $0.05718 (2026-quoted) below $0.0785 (AWS's example).
    expect(byId(inputs, 'bedrock-cmi.cmuVersion')).toMatchObject({
      kind: 'choice',
      base: 'pricing-example',
      low: '2026-quoted',
      high: 'pricing-example',
    });
    expect(byId(inputs, 'bedrock-cmi.windowRule').choices).toEqual(['active', 'invoked']);
    expect(byId(inputs, 'bedrock-cmi.maxCopies').role).toBe('setting');
    // The default cold start is lognormal(median 30 s, p90 60 s): its median is the input.
    expect(byId(inputs, 'bedrock-cmi.coldStart')).toMatchObject({ base: 30, low: 8, high: 60 });
    // scale to zero after has no band (300–300): nothing to move.
    expect(inputs.some((i) => i.id === 'bedrock-cmi.scaleToZeroAfter')).toBe(false);
    expect(byId(inputs, 'self-hosted.interruptionRatePerHour').keys).toEqual(['self-hosted']);
  });

  it('leaves out keys that set the value themselves', () => {
    const { scenario, baseDir } = defaults([
      { id: 'bedrock-cmi', key: 'a', slotsPerCopy: 12 },
      { id: 'bedrock-cmi', key: 'b' },
    ]);
    const { inputs } = collect(scenario, baseDir);
    expect(byId(inputs, 'bedrock-cmi.slotsPerCopy').keys).toEqual(['b']);
    expect(byId(inputs, 'bedrock-cmi.coldStart').keys).toEqual(['a', 'b']);
  });

  it('applies values to the keys they cover, keeping a distribution’s shape', () => {
    const { scenario, baseDir } = defaults();
    const { inputs, dists } = collect(scenario, baseDir);
    const values = new Map<string, number | string>([
      ['bedrock-cmi.slotsPerCopy', 4],
      ['bedrock-cmi.coldStart', 10],
      ['bedrock-cmi.cmuVersion', '2026-quoted'],
    ]);
    const { options } = applyInputs(scenario, inputs, values, dists);
    for (const k of ['cmi', 'cmi-hb']) {
      const o = options.find((x) => x.key === k)!;
      expect(o.slotsPerCopy).toBe(4);
      expect(o.cmuVersion).toBe('2026-quoted');
      // lognormal(30, 60) with its median moved to 10: p90 = 60 × 10/30 = 20.
      expect(o.coldStart).toEqual({ dist: 'lognormal', median: 10, p90: 20 });
    }
    const sm = options.find((x) => x.id === 'sagemaker-realtime')!;
    expect(sm.slotsPerCopy).toBeUndefined();
    // The scenario itself is untouched.
    expect(scenario.options[0]!.slotsPerCopy).toBeUndefined();
  });

  it('lets the maximum follow a minimum moved above it', () => {
    const { scenario, baseDir } = defaults();
    const { inputs, dists } = collect(scenario, baseDir);
    // Default max instances 4 (sagemaker-realtime.json); a draw of max = 1 under min 2 pulls min down.
    const up = applyInputs(scenario, inputs, new Map([['sagemaker-realtime.maxInstances', 1]]), dists);
    const sm = up.options.find((x) => x.id === 'sagemaker-realtime')!;
    expect(sm.maxInstances).toBe(1);
    expect(sm.minInstances === undefined || (sm.minInstances as number) <= 1).toBe(true);
    const two = applyInputs(
      scenario,
      inputs,
      new Map([
        ['sagemaker-realtime.minInstances', 2],
        ['sagemaker-realtime.maxInstances', 1],
      ]),
      dists,
    );
    const s2 = two.options.find((x) => x.id === 'sagemaker-realtime')!;
    expect(s2.minInstances! <= s2.maxInstances!).toBe(true);
  });

  it('scales each kind of distribution to a new median', () => {
    expect(scaleDist({ dist: 'fixed', value: 96 }, 60)).toEqual({ dist: 'fixed', value: 60 });
    expect(scaleDist({ dist: 'uniform', min: 10, max: 30 }, 40)).toEqual({
      dist: 'uniform',
      min: 20,
      max: 60,
    });
    // Exponential median = mean × ln 2, so median 10 → mean 10 / ln 2 = 14.427.
    const e = scaleDist({ dist: 'exponential', mean: 5 }, 10);
    expect(e.dist === 'exponential' && e.mean).toBeCloseTo(14.427, 3);
  });

  it('draws within the bands, reproducibly, from a triangular law with its mode at the base', () => {
    const x: UncertainInput = {
      id: 't.x',
      label: 'x',
      optionId: 't',
      keys: ['t'],
      billingOnly: false,
      kind: 'number',
      integer: false,
      role: 'fact',
      unit: 's',
      base: 2,
      low: 0,
      high: 10,
      source: 'test',
    };
    const c: UncertainInput = {
      ...x,
      id: 't.c',
      kind: 'choice',
      base: 'a',
      low: 'a',
      high: 'c',
      choices: ['a', 'b', 'c'],
    };
    const a = Rng.derive(7, 'draws');
    const b = Rng.derive(7, 'draws');
    let sum = 0;
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    const n = 40_000;
    for (let i = 0; i < n; i++) {
      const va = drawInputs([x, c], a);
      expect(drawInputs([x, c], b)).toEqual(va);
      const v = va.get('t.x') as number;
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(10);
      sum += v;
      counts[va.get('t.c') as string]!++;
    }
    // Triangular(0, 2, 10): mean (0 + 2 + 10) / 3 = 4, variance (0+4+100−0−0−20)/18 = 4.667, SE 0.0108.
    expect(Math.abs(sum / n - 4)).toBeLessThan(5 * Math.sqrt(4.667 / n));
    // Choices uniform: each ≈ n/3, SE √(n·(1/3)(2/3)) = 94.
    for (const k of ['a', 'b', 'c']) expect(Math.abs(counts[k]! - n / 3)).toBeLessThan(5 * 94);
  });
});

describe('settings the scenario names', () => {
  it('are not varied, except the window rule (a reading of AWS’s text whatever the scenario picks)', () => {
    const { scenario, baseDir } = scenarioFromObject({
      name: 'fixed-choices',
      traffic: { components: [{ type: 'batch', at: '09:00', count: 10, over: '10m', class: 'interactive' }] },
      options: [
        { id: 'bedrock-cmi', key: 'cmi', cmuVersion: '2026-quoted', routing: 'pack', windowRule: 'invoked' },
      ],
    });
    const ids = collect(scenario, baseDir).inputs.map((i) => i.id);
    expect(ids).not.toContain('bedrock-cmi.cmuVersion');
    expect(ids).not.toContain('bedrock-cmi.routing');
    expect(ids).toContain('bedrock-cmi.windowRule');
  });
});
