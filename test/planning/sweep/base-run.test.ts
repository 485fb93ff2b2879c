import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/compare/run.js';
import { analyzeBreakeven } from '../../../src/planning/breakeven/breakeven.js';
import { analyzeSensitivity } from '../../../src/planning/sensitivity/sensitivity.js';
import { runOnPool } from '../../../src/planning/sweep/base-run.js';
import { expectedRequests } from '../../../src/traffic/expected.js';
import type { PoolOptions } from '../../../src/planning/sweep/pool.js';
import { simulateWeight, variantOutcome } from '../../../src/planning/sweep/sweep.js';
import { holdTrace } from '../../../src/traffic/held.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';

// `servesim run` on the pool (issue 16): the base run's options on worker threads over one shared
// trace, then break-even and sensitivity side by side on the same pool. Results must not depend
// on the threads: byte-identical with 1 and 2, and equal to runScenario alone.

const raw = {
  name: 'pool-run',
  seed: 11,
  traffic: {
    start: '2026-01-05T08:00',
    end: '2026-01-05T20:00',
    components: [
      { type: 'poisson', rate: '0.3/s', from: '09:00', to: '11:00' },
      { type: 'trickle', count: 30, from: '13:00', to: '19:00' },
    ],
  },
  options: [
    { id: 'bedrock-cmi', key: 'cmi' },
    { id: 'bedrock-cmi', key: 'cmi-hb', heartbeat: { every: '5m', during: ['12:00-19:00'] } },
    { id: 'sagemaker-realtime', instanceType: 'ml.g5.2xlarge', maxInstances: 3 },
    { id: 'bedrock-on-demand', key: 'base', model: 'llama-3.1-8b-instruct' },
  ],
};
const loaded = scenarioFromObject(raw);

async function runAll(pool: PoolOptions): Promise<{ json: string; threads: number }> {
  const { out, pool: p } = await runOnPool(loaded, {}, pool);
  try {
    const baseline = new Map(
      out.runs.map((run, i) => [
        run.key,
        variantOutcome({ result: out.result.options[i]!, run, assumed: run.assumed ?? [] }, { hits: true }),
      ]),
    );
    const [breakeven, sensitivity] = await Promise.all([
      analyzeBreakeven(loaded, { heartbeat: true, volume: false }, { pool: p, baseline }),
      analyzeSensitivity(
        loaded,
        { baseline: out.result.options, runs: { runs: out.runs, trace: out.result.trace } },
        { pool: p },
      ),
    ]);
    return {
      json: JSON.stringify({ result: out.result, breakeven, sensitivity }),
      threads: p.finished.threads,
    };
  } finally {
    await p.close();
  }
}

describe('the run on the pool', () => {
  it('gives byte-identical results with 1 and 2 threads, and the base run of runScenario alone', async () => {
    const one = await runAll({ workers: 1 });
    const two = await runAll({ workers: 2, workerCode: 'source', threadsAbove: 0 });
    // The worker thread really took part.
    expect(two.threads).toBeGreaterThan(0);
    expect(two.json).toBe(one.json);
    expect(JSON.parse(one.json).result).toEqual(JSON.parse(JSON.stringify(runScenario(loaded).result)));
  }, 60_000);
});

describe('the base run dealt out over the threads', () => {
  it('weighs an option by what simulating it costs: infeasible 0, per-token (never queues) 0.5, a fleet 1', () => {
    const withServerless = scenarioFromObject({
      ...raw,
      options: [...raw.options, { id: 'sagemaker-serverless', memoryMB: 6144 }],
    });
    const scenario = withServerless.scenario;
    const ctx = { scenario, baseDir: loaded.baseDir, trace: holdTrace(scenario, loaded.baseDir).columns };
    // cmi, cmi-hb, sagemaker-realtime queue; bedrock-on-demand never does; serverless cannot
    // serve an 8B model on 6 GB (infeasible, as bench/month.yaml shows).
    expect(scenario.options.map((_, i) => simulateWeight(ctx, i))).toEqual([1, 1, 1, 0.5, 0]);
    // Without a held trace nothing is prepared (that would generate the trace): all alike.
    expect(simulateWeight({ ...ctx, trace: null }, 3)).toBe(1);
  });

  it('heaviest first to the thread with the least work: 1 + 1 here, 1 + 0.5 on the worker', async () => {
    // Weights 1, 1, 1, 0.5: this thread takes cmi (ties go here), the worker cmi-hb, this thread
    // sagemaker-realtime (1 = 1), the worker the per-token option (2 > 1).
    const { pool } = await runOnPool(loaded, {}, { workers: 2, workerCode: 'source', threadsAbove: 0 });
    try {
      expect(pool.finished).toEqual({ here: 2, threads: 2 });
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('expects rate × open hours × days of Poisson traffic, nothing of the rest (it only decides when threads start)', () => {
    // 0.3/s over 09:00–11:00 (7,200 s) is 2,160 a day; the span is 12 hours, half a day, pro rata
    // (a guess: the real count here is all 2,160); the trickle counts nothing.
    expect(expectedRequests(loaded.scenario, loaded.baseDir)).toBeCloseTo(2160 * 0.5, 6);
    const month = scenarioFromObject({
      name: 'm',
      traffic: { start: '2026-03-02T00:00', days: 30, components: [{ type: 'poisson', rate: '2/s' }] },
      options: [{ id: 'bedrock-cmi' }],
    });
    expect(expectedRequests(month.scenario, month.baseDir)).toBeCloseTo(2 * 86400 * 30, 3);
  });
});
