import { describe, expect, it } from 'vitest';
import { registerOption, optionById } from '../../src/models/registry.js';
import { runScenario } from '../../src/compare/run.js';
import { runOnPool } from '../../src/planning/sweep/base-run.js';
import { scenarioFromObject } from '../../src/scenario/load.js';
import { analyzeSlo } from '../../src/planning/slo/slo.js';
import { analyzeSensitivity } from '../../src/planning/sensitivity/sensitivity.js';
import { rolloutOfRun } from '../../src/planning/rollout/rollout.js';
import { bareToy, toyFlat } from './toy-option.js';

/*
 * An option defined in one file (toy-option.ts) runs through `run`, the SLO search, sensitivity
 * and a rollout: each uses the option's hook or says plainly that the option does not support it.
 * Hand-worked: $10/day over a 2-day span = $20; 24 requests at 1 s each, 100 slots, one replica
 * always up ⇒ no queueing, every latency is exactly 1 s.
 */
if (optionById('toy-flat') === undefined) registerOption(toyFlat);

const loaded = () =>
  scenarioFromObject({
    name: 'toy',
    seed: 1,
    traffic: {
      start: '2026-01-05T00:00',
      days: 2,
      components: [{ type: 'batch', at: '09:00', count: 24, over: '8h', class: 'interactive' }],
    },
    options: [{ id: 'toy-flat', usdPerDay: 10 }],
    rollout: { at: '10h', evaluation: '1h', stages: [{ share: 1 }] },
  });

describe('a toy option registered from a single file', () => {
  it('run bills the flat rate: 2 days × $10 = $20', () => {
    const out = runScenario(loaded());
    const r = out.result.options[0]!;
    expect(r.cost?.total).toBeCloseTo(20, 9);
    expect(r.requests.served).toBe(48);
  });

  it('run on the pool simulates it in this thread (workers do not have it) beside shipped options', async () => {
    const mixed = scenarioFromObject({
      name: 'toy-and-cmi',
      seed: 1,
      traffic: {
        start: '2026-01-05T00:00',
        days: 2,
        components: [{ type: 'batch', at: '09:00', count: 24, over: '8h', class: 'interactive' }],
      },
      options: [{ id: 'toy-flat', usdPerDay: 10 }, { id: 'bedrock-cmi' }],
    });
    const { out, pool } = await runOnPool(mixed, {}, { workers: 2, workerCode: 'source', threadsAbove: 0 });
    await pool.close();
    expect(out.result.options[0]!.cost?.total).toBeCloseTo(20, 9);
    expect(out.result).toEqual(runScenario(mixed).result);
  }, 30_000);

  it('the SLO search uses its sizing hook: meets p99 ≤ 2 s as configured, at $20', async () => {
    const slo = await analyzeSlo(loaded(), { percentile: 'p99', target: 2, class: 'all' }, { workers: 1 });
    const o = slo.options[0]!;
    expect(o.best?.cost).toBeCloseTo(20, 9);
    expect(o.best?.achieved).toBeCloseTo(1, 9);
    expect(o.note).not.toContain('does not support');
    expect(slo.cheapest).toBe('toy-flat');
  });

  it('the SLO search says plainly when an option has no sizing hook', async () => {
    if (optionById('toy-bare') === undefined) registerOption(bareToy('toy-bare'));
    const l = loaded();
    const s = { ...l, scenario: { ...l.scenario, options: [{ ...l.scenario.options[0]!, id: 'toy-bare' }] } };
    const slo = await analyzeSlo(s, { percentile: 'p99', target: 2, class: 'all' }, { workers: 1 });
    expect(slo.options[0]!.note).toMatch(/^Toy flat rate does not support the SLO search/);
  });

  it('sensitivity says the option declares no uncertain inputs', async () => {
    const s = await analyzeSensitivity(loaded(), {}, { workers: 1 });
    expect(s.inputs).toEqual([]);
    expect(s.unsupported).toEqual([
      'toy-flat: Toy flat rate does not support the sensitivity analysis (it declares no uncertain inputs); it is priced at base throughout',
    ]);
  });

  it('rollout says it is not modelled for the option', () => {
    const l = loaded();
    const r = rolloutOfRun(runScenario(l), l.baseDir).options[0]!;
    expect(r.applicable).toBe(false);
    expect(r.note).toBe('not modelled for Toy flat rate: Ask the vendor');
  });
});
