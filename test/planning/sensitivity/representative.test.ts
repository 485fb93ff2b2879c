import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/compare/run.js';
import { analyzeSensitivity } from '../../../src/planning/sensitivity/sensitivity.js';
import { representativeDays } from '../../../src/planning/sensitivity/representative.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';
import type { SensitivityResult } from '../../../src/compare/result.js';

// On long traces the sensitivity analysis estimates each input's effect from representative days
// (issue 16). Its error is bounded here against the full computation on a small case: two weeks of
// office-hours traffic with quieter weekends, three options that scale.

// Measured worst: 0.32 % on office hours, 1.9 % on flat traffic (each simulated day starts cold, and
// how hard that start hits depends on the input); the bound leaves room without hiding a real bias.
const TOLERANCE = 0.03;

const scenario = {
  name: 'representative',
  seed: 5,
  traffic: {
    start: '2026-01-05T00:00',
    days: 14,
    components: [
      { type: 'poisson', rate: '0.5/s', from: '08:00', to: '18:00', days: 'weekdays' },
      { type: 'poisson', rate: '0.05/s' },
    ],
  },
  options: [
    { id: 'bedrock-cmi', key: 'cmi' },
    { id: 'sagemaker-realtime', instanceType: 'ml.g5.2xlarge', maxInstances: 4 },
    { id: 'self-hosted', instanceType: 'g5.2xlarge', maxNodes: 4 },
  ],
};

/** The analysis with representative days forced (any trace over 7 days) and in full. */
async function bothWays(loaded: ReturnType<typeof scenarioFromObject>) {
  const out = runScenario(loaded);
  const cfg = { baseline: out.result.options, runs: { runs: out.runs, trace: out.result.trace } };
  const fast = await analyzeSensitivity(
    loaded,
    { ...cfg, longAbove: { days: 7, requests: 0 } },
    { workers: 1 },
  );
  const full = await analyzeSensitivity(loaded, cfg, { workers: 1 });
  return { fast, full };
}

/** Every input's estimated cost at each end against the full computation; returns how many moved. */
function expectWithinTolerance(fast: SensitivityResult, full: SensitivityResult): number {
  expect(fast.inputs.map((x) => x.id)).toEqual(full.inputs.map((x) => x.id));
  let moved = 0;
  fast.inputs.forEach((x, i) => {
    const y = full.inputs[i]!;
    for (const end of ['low', 'high'] as const)
      for (const [k, c] of Object.entries(y.costs[end])) {
        const e = x.costs[end][k];
        if (c === null) {
          expect(e, `${x.id} ${end} ${k}`).toBeNull();
          continue;
        }
        if (c !== full.baseline.costs[k]) moved++;
        expect(Math.abs(e! - c) / c, `${x.id} at ${end}: ${k} estimated ${e}, full ${c}`).toBeLessThanOrEqual(
          TOLERANCE,
        );
      }
  });
  return moved;
}

describe('sensitivity on representative days', async () => {
  const loaded = scenarioFromObject(scenario);
  const { fast, full } = await bothWays(loaded);

  it('picks the first full weekday and weekend day, weighted by the days of their type', () => {
    expect(representativeDays(loaded.scenario)).toEqual([
      { date: '2026-01-05', weekday: true, weight: 10 },
      { date: '2026-01-10', weekday: false, weight: 4 },
    ]);
    expect(fast.simulated.on).toBe('representative-days');
    expect(fast.simulated.note).toMatch(
      /^Sensitivity on 2 representative days of 14: a weekday \(2026-01-05\)/,
    );
    expect(full.simulated.on).toBe('whole-trace');
  });

  it(`estimates every input's cost at each end within ${TOLERANCE * 100} % of the full computation`, () => {
    // The case must have inputs that move costs, or the bound says nothing.
    expect(expectWithinTolerance(fast, full)).toBeGreaterThan(5);
  });

  it('flips the choice on the same inputs as the full computation', () => {
    expect(fast.inputs.map((x) => [x.id, x.flips])).toEqual(full.inputs.map((x) => [x.id, x.flips]));
  });
});

describe('sensitivity on representative days, traffic the same every day', async () => {
  // Flat traffic and no weekday heartbeat: the first day stands for all ten.
  const { fast, full } = await bothWays(
    scenarioFromObject({
      ...scenario,
      traffic: { start: '2026-01-05T00:00', days: 10, components: [{ type: 'poisson', rate: '0.2/s' }] },
    }),
  );

  it(`estimates every input's cost at each end within ${TOLERANCE * 100} % of the full computation`, () => {
    expect(fast.simulated.on).toBe('representative-days');
    expect(expectWithinTolerance(fast, full)).toBeGreaterThan(5);
  });

  it('flips the choice on the same inputs as the full computation', () => {
    expect(fast.inputs.map((x) => [x.id, x.flips])).toEqual(full.inputs.map((x) => [x.id, x.flips]));
  });
});
