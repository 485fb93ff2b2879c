import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { heartbeatUnits, runUnits, unitsInPlace } from '../../../src/planning/shard/run-units.js';
import { shardSlice } from '../../../src/planning/shard/slice.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';

/* The heartbeat option groups as shard units: shared by `run` and `breakeven heartbeat` (design §11.7). */

const scenario = scenarioFromObject({
  name: 'units',
  seed: 3,
  traffic: { components: [{ type: 'poisson', rate: '1/m', inputTokens: 100, outputTokens: 10 }] },
  options: [
    { id: 'fixed-fleet', key: 'box', replicas: 1, serviceTime: '1s', hourlyPrice: 1 },
    { id: 'bedrock-cmi', key: 'cmi-hb', maxCopies: 2, heartbeat: { every: '5m' } },
    { id: 'bedrock-cmi', key: 'cmi', maxCopies: 2 },
    { id: 'bedrock-cmi', key: 'big', maxCopies: 4 },
    { id: 'sagemaker-serverless', key: 'sls', memoryMB: 6144 },
  ],
  breakeven: { volume: { from: 100, to: 1000, points: 3 } },
}).scenario;

describe('heartbeatUnits', () => {
  it('lists one unit per option group, under its entry without a heartbeat, in option order', () => {
    // cmi-hb and cmi differ only in key and heartbeat: one group, under cmi (the entry without
    // one); big has another maxCopies; the fixed fleet and serverless take no heartbeat.
    const { units, weights } = heartbeatUnits(scenario);
    expect(units).toEqual(['heartbeat:cmi', 'heartbeat:big']);
    expect(weights).toHaveLength(2);
    expect(weights[0]).toBe(weights[1]);
  });

  it("is run's first units, and nothing else (no volume sweep)", () => {
    const hb = heartbeatUnits(scenario);
    const run = runUnits({ scenario, baseDir: '.', trace: null, sensitivity: false, slo: false, fit: false });
    expect(run.units).toEqual([...hb.units, 'volume']);
    expect(run.weights.slice(0, hb.units.length)).toEqual(hb.weights);
  });

  it('deals equal groups round-robin: with 3 groups over 2 shards, 0 and 2 to shard 1', () => {
    const w = [80, 80, 80];
    expect(shardSlice(w, { k: 1, n: 2 })).toEqual([0, 2]);
    expect(shardSlice(w, { k: 2, n: 2 })).toEqual([1]);
  });
});

describe('unitsInPlace', () => {
  it('returns results naming their units in order, and refuses one out of place (exit 2)', () => {
    const units = ['heartbeat:cmi', 'heartbeat:big'];
    const good = [
      { unit: 'heartbeat:cmi', result: null },
      { unit: 'heartbeat:big', result: { option: 'big' } },
    ];
    expect(unitsInPlace(units, good)).toEqual(good);
    const swapped = [good[1], good[0]];
    expect(() => unitsInPlace(units, swapped)).toThrow(InputError);
    expect(() => unitsInPlace(units, swapped)).toThrow(
      'unit 0 is "heartbeat:big", the list says "heartbeat:cmi"',
    );
  });
});
