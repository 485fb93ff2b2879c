import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/compare/run.js';
import { rebiller } from '../../../src/planning/sensitivity/rebill.js';
import { applyInputs, collect } from '../../../src/planning/sensitivity/uncertain.js';
import { runTask } from '../../../src/planning/sweep/sweep.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';

// Inputs marked billingOnly are re-billed from the run's records instead of re-simulated (issue 16):
// that is only right if the re-bill equals a full re-simulation, for every such input, at both ends.

const scenario = {
  name: 'rebill',
  seed: 3,
  traffic: {
    start: '2026-01-05T08:00',
    end: '2026-01-05T14:00',
    components: [
      { type: 'poisson', rate: '0.4/s', from: '08:00', to: '10:00' },
      { type: 'trickle', count: 40, from: '11:00', to: '13:00', class: 'batch' },
    ],
  },
  options: [
    { id: 'bedrock-cmi', key: 'cmi' },
    { id: 'sagemaker-realtime', instanceType: 'ml.g5.2xlarge', maxInstances: 3 },
    { id: 'self-hosted', instanceType: 'g5.2xlarge', maxNodes: 3, capacity: 'spot' },
  ],
};

describe('re-billing the run for billing-only inputs', () => {
  const loaded = scenarioFromObject(scenario);
  const out = runScenario(loaded);
  const { inputs, dists } = collect(out.scenario, loaded.baseDir);
  const billing = inputs.filter((x) => x.billingOnly);
  const rebill = rebiller(out.scenario, loaded.baseDir, out.runs, out.result.trace);

  it('has billing-only inputs of every kind to check (ops, the CMU rate, the spot discount)', () => {
    const ids = billing.map((x) => x.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'bedrock-cmi.cmuVersion',
        'sagemaker-realtime.opsFte',
        'sagemaker-realtime.opsCostPerFteYear',
        'self-hosted.opsFte',
        'self-hosted.spotDiscount',
      ]),
    );
    // The window rule's `invoked` meter counts while copies serve: it must be re-simulated.
    expect(inputs.find((x) => x.id === 'bedrock-cmi.windowRule')?.billingOnly).toBe(false);
  });

  for (const end of ['low', 'high'] as const)
    it(`gives every billing-only input's ${end} end exactly the cost of a full re-simulation`, () => {
      for (const x of billing) {
        if (x[end] === x.base) continue;
        const { options, prices } = applyInputs(out.scenario, inputs, new Map([[x.id, x[end]]]), dists);
        const moved = options.filter((o) => x.keys.includes(o.key ?? o.id));
        const fast = rebill(moved, prices);
        expect(fast, `${x.id} at ${end} re-bills`).not.toBeNull();
        const full = runTask(
          { scenario: out.scenario, baseDir: loaded.baseDir },
          { scale: 1, options: moved, ...(Object.keys(prices).length > 0 ? { prices } : {}) },
        );
        expect(fast!.map((o) => [o.key, o.cost, o.costAws])).toEqual(
          full.map((o) => [o.key, o.cost, o.costAws]),
        );
        // And the end really moves the cost (else the check above proves nothing).
        const base = out.result.options.find((o) => o.key === (moved[0]!.key ?? moved[0]!.id))!.cost!.total;
        expect(fast![0]!.cost, `${x.id} at ${end}`).not.toBe(base);
      }
    });
});
