import { describe, expect, it } from 'vitest';
import { analyzeModelCount } from '../../../src/planning/breakeven/models.js';
import {
  checkModelSweepWork,
  clonePortfolio,
  modelGrid,
} from '../../../src/planning/breakeven/models-clones.js';
import { crossoversOf } from '../../../src/planning/breakeven/models-result.js';
import { runPortfolio } from '../../../src/portfolio/run.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';
import { DEFAULT_LIMITS } from '../../../src/scenario/limits.js';
import { inputError } from '../../helpers/errors.js';

/*
 * `servesim breakeven models` (issue 21 item 3): the mix cloned to 1 … N models, every option
 * simulated at each count. The toy portfolio's costs are fixed by always-on capacity, so each is
 * worked by hand from the shipped prices (us-east-1): ml.g5.2xlarge $1.515 per instance-hour
 * (1 GPU, 32 GiB); ops $200,000 per FTE-year, pro-rated over the 1-day span (÷ 365).
 */

const ops = (fte: number) => (fte * 200000) / 365;
/** A trickle of 10 short calls a day: one copy or instance serves it, never scaling. */
const light = { type: 'batch', at: '09:00', count: 10, over: '8h', inputTokens: 250, outputTokens: 60 };
const toy = (models: unknown[]) =>
  scenarioFromObject(
    {
      name: 'toy-models',
      seed: 5,
      traffic: { start: '2026-01-05T00:00', days: 1 },
      options: [
        // One endpoint per model: one instance always on ($1.515 × 24 = $36.36) and 0.1 FTE of
        // ops each ($54.794521): $91.154521 per model.
        {
          id: 'sagemaker-realtime',
          instanceType: 'ml.g5.2xlarge',
          minInstances: 1,
          maxInstances: 1,
          opsFte: 0.1,
        },
        // One shared endpoint: one copy per model always on, one copy per 1-GPU instance
        // ($36.36 a model), and one ops line of 0.45 FTE for the endpoint ($246.575342).
        {
          id: 'sagemaker-inference-components',
          instanceType: 'ml.g5.2xlarge',
          minCopies: 1,
          maxCopies: 1,
          maxInstances: 64,
          opsFte: 0.45,
        },
      ],
      models,
    },
    { portfolio: true },
  );

describe('the model-count crossover', () => {
  it('a toy portfolio: shared capacity overtakes one deployment per model where worked by hand', () => {
    // Per model: realtime 36.36 + 54.794521 n; shared 36.36 n + 246.575342. Equal where
    // 54.794521 n = 246.575342 → n = 0.45 / 0.1 = 4.5: realtime is cheaper at 1, 2 and 4 models,
    // shared at 8; the shared endpoint is cheaper from 5 models on.
    const r = analyzeModelCount(toy([{ name: 'a', components: [light] }]), { max: 8 });
    expect(r.points.map((p) => p.models)).toEqual([1, 2, 4, 8]);
    const perModel = 36.36 + ops(0.1);
    r.points.forEach((p) => {
      const [rt, ic] = p.options;
      expect(rt!.key).toBe('sagemaker-realtime');
      expect(rt!.total).toBeCloseTo(p.models * perModel, 8);
      expect(rt!.staff).toBeCloseTo(p.models * ops(0.1), 8);
      expect(ic!.total).toBeCloseTo(p.models * 36.36 + ops(0.45), 8);
      expect(ic!.aws).toBeCloseTo(p.models * 36.36, 8);
      expect(rt!.feasible && ic!.feasible).toBe(true);
    });
    expect(r.points.map((p) => p.cheapest)).toEqual([
      'sagemaker-realtime',
      'sagemaker-realtime',
      'sagemaker-realtime',
      'sagemaker-inference-components',
    ]);
    expect(r.shared).toEqual(['sagemaker-inference-components']);
    expect(r.crossovers).toHaveLength(1);
    expect(r.crossovers[0]).toMatchObject({
      from: 'sagemaker-realtime',
      to: 'sagemaker-inference-components',
      atModels: 5,
      between: [4, 8],
      interpolated: true,
    });
    expect(r.sentence).toBe(
      'shared capacity (sagemaker-inference-components) overtakes one deployment per model (sagemaker-realtime) at 5 models (interpolated between the runs at 4 and 8 models)',
    );
  });

  it('a count of the sweep bills what a portfolio run of those clones bills', () => {
    // Two models in the mix, --max 4: the 4-model point is clones a, b, a.1, b.1 (seeds 5 … 8).
    const loaded = toy([
      { name: 'a', components: [light] },
      { name: 'b', components: [{ ...light, at: '13:00' }] },
    ]);
    const r = analyzeModelCount(loaded, { max: 4 });
    const four = clonePortfolio(loaded.scenario, 4);
    expect(four.models!.map((m) => m.name)).toEqual(['a', 'b', 'a.1', 'b.1']);
    const run = runPortfolio({ ...loaded, scenario: four }).result;
    const point = r.points.find((p) => p.models === 4)!;
    run.options.forEach((o, i) => {
      expect(point.options[i]!.total).toBeCloseTo(o.cost!.total, 9);
      expect(point.options[i]!.aws).toBeCloseTo(o.cost!.aws, 9);
    });
    expect(run.models!.map((m) => m.seed)).toEqual([5, 6, 7, 8]);
  });

  it('never: says so up to --max, with both costs', () => {
    // Shared ops 0.95 FTE: equal at 9.5 models, past --max 8.
    const loaded = toy([{ name: 'a', components: [light] }]);
    loaded.scenario.options[1] = { ...loaded.scenario.options[1]!, opsFte: 0.95 };
    const r = analyzeModelCount(loaded, { max: 8 });
    expect(r.crossovers).toEqual([]);
    expect(r.sentence).toMatch(
      /^shared capacity \(sagemaker-inference-components\) never overtakes one deployment per model \(sagemaker-realtime\) up to 8 models/,
    );
  });

  it('a single-model scenario: its one model is the mix', () => {
    const single = scenarioFromObject({
      name: 'one',
      seed: 2,
      model: { name: 'solo' },
      traffic: { start: '2026-01-05T00:00', days: 1, components: [light] },
      options: [
        {
          id: 'sagemaker-realtime',
          instanceType: 'ml.g5.2xlarge',
          minInstances: 1,
          maxInstances: 1,
          opsFte: 0,
        },
      ],
    });
    expect(clonePortfolio(single.scenario, 3).models!.map((m) => m.name)).toEqual([
      'solo',
      'solo.1',
      'solo.2',
    ]);
    const r = analyzeModelCount(single, { max: 2 });
    expect(r.mix).toEqual(['solo']);
    // 1 and 2 always-on instances for 24 h: $36.36 and $72.72.
    expect(r.points.map((p) => p.options[0]!.total)).toEqual([
      expect.closeTo(36.36, 9),
      expect.closeTo(72.72, 9),
    ]);
    expect(r.sentence).toMatch(/^no option of the scenario shares capacity/);
  });
});

describe('the grid, the clones and the work estimate', () => {
  it('the grid doubles up to --max, which it always ends on', () => {
    expect(modelGrid(64)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(modelGrid(10)).toEqual([1, 2, 4, 8, 10]);
    expect(modelGrid(2)).toEqual([1, 2]);
    expect(inputError(() => modelGrid(1)).message).toMatch(/--max must be a whole number of models from 2/);
    expect(inputError(() => modelGrid(2.5)).message).toMatch(/--max/);
  });

  it('a LoRA clone keeps its adapter on its base clone of the same round', () => {
    const p = toy([
      { name: 'base', components: [light] },
      { name: 'tuned', fineTune: { lora: { base: 'base' } }, components: [light] },
    ]).scenario;
    const c = clonePortfolio(p, 4).models!;
    expect(c.map((m) => [m.name, m.fineTune === 'full' ? 'full' : m.fineTune.lora.base])).toEqual([
      ['base', 'full'],
      ['tuned', 'base'],
      ['base.1', 'full'],
      ['tuned.1', 'base.1'],
    ]);
  });

  it('counts the requests each kind of option simulates, and refuses above the limit', () => {
    // 10 requests a model. --max 4 (grid 1, 2, 4): the per-model option simulates 4 clones
    // (40), the shared option 1 + 2 + 4 = 7 clones (70): 110.
    const s = toy([{ name: 'a', components: [light] }]).scenario;
    expect(checkModelSweepWork(s, '.', modelGrid(4), { perModel: 1, shared: 1 }, DEFAULT_LIMITS)).toBe(110);
    expect(
      inputError(() =>
        checkModelSweepWork(
          s,
          '.',
          modelGrid(4),
          { perModel: 1, shared: 1 },
          { ...DEFAULT_LIMITS, maxRequests: 100 },
        ),
      ).message,
    ).toMatch(/model-count sweep .* about 110 requests, above the limit of 100/);
  });

  it('crossovers between counts where one option is not ranked fall on the second run', () => {
    const frame = { mix: ['a'], days: 1, basis: 'total' as const, shared: ['s'], baselines: [] };
    const opt = (key: string, total: number | null) => ({
      key,
      total,
      aws: total,
      staff: 0,
      feasible: total !== null,
    });
    const c = crossoversOf(
      [
        { models: 1, options: [opt('p', 10), opt('s', null)], cheapest: 'p' },
        { models: 2, options: [opt('p', 20), opt('s', 15)], cheapest: 's' },
      ],
      frame,
    );
    expect(c).toEqual([expect.objectContaining({ from: 'p', to: 's', atModels: 2, interpolated: false })]);
    expect(c[0]!.sentence).toMatch(
      /^shared capacity \(s\) overtakes one deployment per model \(p\) by 2 models/,
    );
  });
});
