import { describe, expect, it } from 'vitest';
import { assembleModelCount, type OptionCost } from '../../../src/planning/breakeven/models-result.js';
import { modelCountCrossoverChart } from '../../../src/report/charts/model-count-crossover.js';
import { modelCountText } from '../../../src/report/text/breakeven-models.js';

// The model-count-crossover chart and text (issue 21 item 3) on a hand-made sweep: a per-model
// option at $100 a model, a shared one at $300 + $40 a model, a baseline at $1 a model.

type Json = Record<string, unknown>;
const at = (models: number, sharedFeasible = true): { models: number; options: OptionCost[] } => ({
  models,
  options: [
    { key: 'own', total: 100 * models, aws: 100 * models, staff: 0, feasible: true },
    {
      key: 'pool',
      total: sharedFeasible ? 300 + 40 * models : null,
      aws: sharedFeasible ? 300 + 40 * models : null,
      staff: 0,
      feasible: sharedFeasible,
    },
    { key: 'tokens', total: models, aws: models, staff: 0, feasible: true },
  ],
});
const sweep = assembleModelCount(
  { mix: ['a', 'b'], days: 1, basis: 'total', shared: ['pool'], baselines: ['tokens'] },
  [at(1, false), at(2), at(4), at(8)],
);

describe('model-count crossover result, chart and text', () => {
  it('the crossover worked by hand: $100 n = $300 + $40 n at n = 5 (a tie) → at 6 models', () => {
    expect(sweep.points.map((p) => p.cheapest)).toEqual(['own', 'own', 'own', 'pool']);
    expect(sweep.crossovers).toEqual([
      expect.objectContaining({ from: 'own', to: 'pool', atModels: 6, between: [4, 8], interpolated: true }),
    ]);
  });

  it('draws cost per model against the count, leaves out what does not count, marks the crossover', () => {
    const spec = modelCountCrossoverChart(sweep)!.spec as unknown as {
      layer: { data: { values: Json[] }; mark: { type: string }; encoding?: Json }[];
    };
    const line = spec.layer.find((l) => l.mark.type === 'line')!;
    const rows = line.data.values;
    // 4 counts × 3 options, less the shared option at 1 model (not feasible there).
    expect(rows).toHaveLength(11);
    // Per model: pool (300 + 40 n) / n at 2, 4, 8 = 190, 115, 77.5; own 100 throughout.
    expect(rows.filter((r) => r.option === 'pool').map((r) => [r.models, r.usd])).toEqual([
      [2, 190],
      [4, 115],
      [8, 77.5],
    ]);
    expect(rows.filter((r) => r.option === 'own').every((r) => r.usd === 100)).toBe(true);
    expect(rows.filter((r) => r.baseline === true).map((r) => r.option)).toEqual(Array(4).fill('tokens'));
    expect(JSON.stringify(line.encoding)).toContain('"type":"log"');
    const rule = spec.layer.find((l) => l.mark.type === 'rule')!;
    expect(rule.data.values.map((r) => [r.at, r.label])).toEqual([[6, 'own → pool at 6 models']]);
  });

  it('has nothing to draw without a counted point', () => {
    const none = assembleModelCount({ mix: ['a'], days: 1, basis: 'total', shared: [], baselines: [] }, [
      { models: 1, options: [{ key: 'x', total: null, aws: null, staff: null, feasible: false }] },
    ]);
    expect(modelCountCrossoverChart(none)).toBeNull();
  });

  it('prints the costs per count, the crossover and the sentence', () => {
    const text = modelCountText(sweep, 200);
    expect(text).toMatch(/models +own +pool \(shared\) +tokens \(baseline\) +cheapest/);
    expect(text).toMatch(/\n +1 +\$100\.00 +— +\$1\.00 +own\n/);
    expect(text).toMatch(/\n +8 +\$800\.00 +\$620\.00 +\$8\.00 +pool\n/);
    expect(text.replace(/\s+/g, ' ')).toContain(
      'Shared capacity (pool) overtakes one deployment per model (own) at 6 models (interpolated between the runs at 4 and 8 models).',
    );
  });
});
