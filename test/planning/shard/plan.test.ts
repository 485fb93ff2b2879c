import { describe, expect, it } from 'vitest';
import { assembleVolume } from '../../../src/planning/breakeven/volume.js';
import { analyzeBreakeven, planBreakevenVolume } from '../../../src/planning/breakeven/breakeven.js';
import { assembleForecast } from '../../../src/planning/forecast/assemble.js';
import { forecast, planForecast } from '../../../src/planning/forecast/forecast.js';
import { decode, encode } from '../../../src/planning/shard/partial.js';
import { runSlice, type SweepPlan } from '../../../src/planning/shard/plan.js';
import { shardSlice, taskWeight } from '../../../src/planning/shard/slice.js';
import type { VariantOutcome } from '../../../src/planning/sweep/sweep.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';

/*
 * The sweep seam (design §11.7) in one process: for any N, the shards' slices — each through the
 * partial's JSON encoding, as merge reads them — assemble to exactly the unsharded result.
 */

const loaded = scenarioFromObject({
  name: 'seam',
  seed: 5,
  timezone: 'Europe/Berlin', // DST on Sunday 2026-03-29
  traffic: {
    start: '2026-03-02T00:00',
    days: 1,
    components: [
      {
        type: 'poisson',
        rate: '40/h',
        inputTokens: { dist: 'lognormal', median: 200, p90: 300 },
        outputTokens: 50,
      },
    ],
  },
  options: [
    { id: 'fixed-fleet', key: 'box', replicas: 1, serviceTime: '2s', hourlyPrice: 1.2 },
    {
      id: 'bedrock-cmi',
      key: 'cmi',
      maxCopies: 2,
      heartbeat: { every: '5m', during: ['08:00-18:00'], days: 'weekdays' },
    },
  ],
  forecast: { runs: 3, months: 2, growth: 0.1 },
  breakeven: { volume: { from: 50, to: 5000, points: 4 } },
});

/** Every shard of N run separately, each slice round-tripped through a partial's encoding. */
async function sharded<F>(plan: SweepPlan<F>, n: number): Promise<VariantOutcome[][]> {
  const all: VariantOutcome[][] = [];
  for (let k = 1; k <= n; k++) {
    const mine = shardSlice(plan.tasks.map(taskWeight), { k, n });
    const out = await runSlice(plan, mine, { workers: 1 });
    const back = decode(encode(Object.fromEntries(out))) as Record<string, VariantOutcome[]>;
    for (const [i, o] of Object.entries(back)) all[Number(i)] = o;
  }
  return all;
}

describe('shards assembled = the unsharded sweep', () => {
  it('forecast, N = 1, 2, 5 and more shards than tasks', async () => {
    const whole = JSON.stringify(await forecast(loaded, { workers: 1 }));
    const plan = planForecast(loaded);
    const frame = decode(encode(plan.frame)) as typeof plan.frame;
    expect(frame.dst.flat().length).toBeGreaterThan(0); // the DST branch is exercised
    for (const n of [1, 2, 5, plan.tasks.length + 2])
      expect(JSON.stringify(assembleForecast(frame, await sharded(plan, n)))).toBe(whole);
  });

  it('breakeven volume, N = 1, 3', async () => {
    const whole = JSON.stringify(
      (await analyzeBreakeven(loaded, { heartbeat: false, volume: true }, { workers: 1 })).volume,
    );
    const plan = planBreakevenVolume(loaded);
    expect(plan.tasks).toHaveLength(4);
    for (const n of [1, 3])
      expect(JSON.stringify(assembleVolume(plan.frame, await sharded(plan, n)))).toBe(whole);
  });
});
