import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/compare/run.js';
import type { OptionResult } from '../../src/compare/result.js';
import { runPortfolio } from '../../src/portfolio/run.js';
import { scenarioFromObject } from '../../src/scenario/load.js';

// A portfolio run (issue 21 item 2): one deployment per model, each through the single-model
// pipeline, summed per option. Expected values come from the single-model runs computed here on
// their own, and one line worked by hand.

const batchAt = (at: string) => ({
  type: 'batch',
  at,
  count: 10,
  over: '0s',
  inputTokens: 250,
  outputTokens: 60,
});
const CMI = { id: 'bedrock-cmi', maxCopies: 1 };
const common = { name: 'toy', seed: 3, traffic: { days: 1 }, options: [CMI] };

/** The single-model scenario a portfolio entry stands for (its seed is the scenario's + its index). */
const single = (name: string, at: string, seed: number) =>
  scenarioFromObject({
    ...common,
    seed,
    model: { name },
    traffic: { days: 1, components: [batchAt(at)] },
  });

/** The option without what a portfolio adds (perModel), as plain JSON (latency getters read). */
const plain = (o: OptionResult): unknown => {
  const { perModel: _p, ...rest } = JSON.parse(JSON.stringify(o)) as OptionResult;
  return rest;
};

describe('a portfolio of per-model deployments', () => {
  it('two CMI models with disjoint traffic bill exactly the sum of their single-model runs', () => {
    // a at 09:00, b at 15:00: hours apart, each copy long gone (scale-to-zero 5 min) before the other's.
    const p = runPortfolio(
      scenarioFromObject(
        {
          ...common,
          models: [
            { name: 'a', components: [batchAt('09:00')] },
            { name: 'b', components: [batchAt('15:00')] },
          ],
        },
        { portfolio: true },
      ),
    ).result.options[0]!;
    const a = runScenario(single('a', '09:00', 3)).result.options[0]!;
    const b = runScenario(single('b', '15:00', 4)).result.options[0]!;

    expect(p.cost!.total).toBeCloseTo(a.cost!.total + b.cost!.total, 10);
    expect(p.cost!.aws).toBeCloseTo(a.cost!.aws + b.cost!.aws, 10);
    expect(p.cost!.lines.map((l) => l.lineId)).toEqual(a.cost!.lines.map((l) => l.lineId));
    p.cost!.lines.forEach((l, i) => {
      expect(l.quantity).toBeCloseTo(a.cost!.lines[i]!.quantity + b.cost!.lines[i]!.quantity, 10);
      expect(l.amount).toBeCloseTo(a.cost!.lines[i]!.amount + b.cost!.lines[i]!.amount, 10);
    });
    // By hand: storage is 2 CMUs per Llama 3.1 8B copy (aws-facts §1.5) for each of the two
    // models, pro-rated over 24 h of a 730-h month, at $1.95 per CMU-month (price book,
    // bedrock-cmi.storage.us-east-1): 2 × 2 × 24/730 = 0.13150685 CMU-months, $0.25643836.
    const storage = p.cost!.lines.find((l) => l.lineId === 'cmi-storage')!;
    expect(storage.quantity).toBeCloseTo((2 * 2 * 24) / 730, 12);
    expect(storage.amount).toBeCloseTo(((2 * 2 * 24) / 730) * 1.95, 12);
    // Each model: ten requests at once, served by one copy within its first 5-minute window
    // (removed 300 s after the last arrival, less than 300 s after its first call): 1 window ×
    // 2 CMUs × 5 min = 10 CMU-minutes per model, 20 in all, at $0.0785 → $1.57.
    const inference = p.cost!.lines.find((l) => l.lineId === 'cmi-inference')!;
    expect(inference.quantity).toBe(20);
    expect(inference.amount).toBeCloseTo(20 * 0.0785, 10);

    expect(p.requests.arrived).toBe(20);
    expect(p.requests.served).toBe(a.requests.served + b.requests.served);
    expect(p.capacity!.coldStarts).toBe(a.capacity!.coldStarts + b.capacity!.coldStarts);
    // Latency over all 20 requests: the maximum is the larger model's; the count adds.
    expect(p.latency!.all!.count).toBe(20);
    expect(p.latency!.all!.max).toBe(Math.max(a.latency!.all!.max, b.latency!.all!.max));
    // The merged median is a value of the 20, between the two models' medians (never their mean).
    const p50s = [a.latency!.all!.p50, b.latency!.all!.p50].sort((x, y) => x - y);
    expect(p.latency!.all!.p50).toBeGreaterThanOrEqual(p50s[0]!);
    expect(p.latency!.all!.p50).toBeLessThanOrEqual(p50s[1]!);

    expect(p.perModel!.map((m) => [m.model, m.split, m.cost!.total, m.coldStarts])).toEqual([
      ['a', 'own', a.cost!.total, a.capacity!.coldStarts],
      ['b', 'own', b.cost!.total, b.capacity!.coldStarts],
    ]);
    expect(p.perModel![1]!.latency).toEqual(b.latency);
  });

  it('a portfolio of one model deep-equals the single-model run once perModel and models are removed', () => {
    const one = runPortfolio(
      scenarioFromObject(
        {
          ...common,
          options: [CMI, { id: 'sagemaker-realtime', minInstances: 0 }],
          models: [{ name: 'a', components: [batchAt('09:00'), batchAt('15:00')] }],
        },
        { portfolio: true },
      ),
    ).result;
    const alone = runScenario(
      scenarioFromObject({
        ...common,
        options: [CMI, { id: 'sagemaker-realtime', minInstances: 0 }],
        model: { name: 'a' },
        traffic: { days: 1, components: [batchAt('09:00'), batchAt('15:00')] },
      }),
    ).result;
    const { models, options, ...rest } = JSON.parse(JSON.stringify(one)) as typeof one;
    expect(models).toEqual([
      { name: 'a', fineTune: 'full', seed: 3, requests: 20, inputTokens: 5000, outputTokens: 1200 },
    ]);
    expect(options.every((o) => o.perModel?.length === 1 && o.perModel[0]!.model === 'a')).toBe(true);
    expect({ ...rest, options: options.map(plain) }).toEqual(JSON.parse(JSON.stringify(alone)));
  });

  it('an option infeasible for one model is infeasible for the portfolio, naming that model', () => {
    const r = runPortfolio(
      scenarioFromObject(
        {
          ...common,
          models: [
            { name: 'small', components: [batchAt('09:00')] },
            // Over Bedrock's 200 GB import limit (aws-facts §1.6): 120e9 × 2 bytes = 240 GB.
            { name: 'huge', parameters: 120e9, components: [batchAt('10:00')] },
          ],
        },
        { portfolio: true },
      ),
    ).result.options[0]!;
    expect(r.feasible).toBe(false);
    expect(r.cost).toBeNull();
    expect(r.reasons.length).toBeGreaterThan(0);
    expect(r.reasons.every((x) => x.startsWith('huge: '))).toBe(true);
    expect(r.perModel!.map((m) => m.feasible)).toEqual([true, false]);
    expect(r.requests.arrived).toBe(20);
  });
});
