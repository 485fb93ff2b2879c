import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/compare/run.js';
import { analyzeBreakeven } from '../../../src/planning/breakeven/breakeven.js';
import { analyzeSensitivity } from '../../../src/planning/sensitivity/sensitivity.js';
import { runOnPool } from '../../../src/planning/sweep/base-run.js';
import type { PoolOptions } from '../../../src/planning/sweep/pool.js';
import { variantOutcome } from '../../../src/planning/sweep/sweep.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';

// `servesim run` on the pool (issue 16): the base run's options on worker threads over one shared
// trace, then break-even and sensitivity side by side on the same pool. Results must not depend
// on the threads: byte-identical with 1 and 2, and equal to runScenario alone.

const loaded = scenarioFromObject({
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
});

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
