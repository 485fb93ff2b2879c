import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/compare/run.js';
import { InputError } from '../../../src/errors.js';
import { analyzeSensitivity } from '../../../src/planning/sensitivity/sensitivity.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';
import { BOX, burst, OVERFLOW_BOX, steadyOverflow } from './fixtures.js';
import { WINDOW } from '../../compare/fixtures.js';
import type { SensitivityInput } from '../../../src/compare/result.js';

// The scenario and every expected number are worked out by hand in sensitivity-fixtures.ts.

function input(inputs: SensitivityInput[], id: string): SensitivityInput {
  const x = inputs.find((i) => i.id === id);
  if (!x) throw new Error(`no input ${id}; have ${inputs.map((i) => i.id).join(', ')}`);
  return x;
}

describe('sensitivity, worked by hand', async () => {
  const slo = { percentile: 'p99', target: 600, class: 'interactive' } as const;
  const r = await analyzeSensitivity(burst(), { slo }, { workers: 1 });
  const base = r.baseline.costs;
  const st = base.cmi! - 5 * 2 * WINDOW;

  it('ranks the baseline: five copies of CMI beat the box', () => {
    expect(st).toBeGreaterThan(0);
    expect(st).toBeLessThan(0.5);
    expect(base.box).toBeCloseTo(BOX, 9);
    expect(r.baseline.cheapest).toBe('cmi');
    expect(r.baseline.runnerUp).toBe('box');
    expect(r.baseline.margin).toBeCloseTo(5 * 2 * WINDOW + st - BOX, 9);
  });

  it('finds that slots per copy flips the choice below 7, and the cost at each end', () => {
    const x = input(r.inputs, 'bedrock-cmi.slotsPerCopy');
    expect([x.base, x.low, x.high]).toEqual([8, 4, 16]);
    expect(x.keys).toEqual(['cmi']);
    expect(x.costs.low.cmi).toBeCloseTo(10 * 2 * WINDOW + st, 9);
    expect(x.costs.high.cmi).toBeCloseTo(3 * 2 * WINDOW + st, 9);
    // The box is not re-simulated (the input does not apply to it) and keeps its cost.
    expect(x.costs.low.box).toBeCloseTo(BOX, 9);
    expect(x.cheapestAt).toEqual({ low: 'box', high: 'cmi' });
    // Margin over the box: positive (flipped) at the low end, more negative at the high end.
    expect(x.margin.low).toBeCloseTo(10 * 2 * WINDOW + st - BOX, 9);
    expect(x.margin.high).toBeCloseTo(3 * 2 * WINDOW + st - BOX, 9);
    // Swing of the baseline-cheapest option: 10 copies − 3 copies = 7 × 2 windows.
    expect(x.swing).toBeCloseTo(7 * 2 * WINDOW, 9);
    expect(x.flips).toBe(true);
    expect(x.effect).toBe('choice');
    expect(x.threshold).toBe(7);
    expect(x.thresholds).toEqual([{ side: 'below', value: 7, to: 'box' }]);
    expect(x.sentence).toBe(
      'the cheapest option becomes box if slots per copy (bedrock-cmi) is below 7 requests',
    );
  });

  it('reports an input with no effect as such', () => {
    // evictAfter: the trace's first call finds the model evicted whatever the threshold (the
    // assumed idle before the trace is longer than any), no later call comes after an idle gap,
    // and an evicted start takes the same fixed 30 s as a cold one anyway.
    // scaleInAfter and the scale-in rule: no copy is ever idle while the burst runs (each serves
    // its requests from the moment it is ready until the scale-to-zero rule removes it), and the
    // load (40 requests in the system) never fits in one copy fewer before the copies go (`load`:
    // the first check a full 300 s after the last copy is ready, 70 s, sees a mean of 40 > 4 × 8),
    // so nothing is scaled in.
    for (const id of ['bedrock-cmi.evictAfter', 'bedrock-cmi.scaleInAfter', 'bedrock-cmi.scaleInRule']) {
      const x = input(r.inputs, id);
      expect(x.effect, id).toBe('none');
      expect(x.flips).toBe(false);
      expect(x.swing).toBe(0);
      expect(x.threshold).toBeNull();
      expect(x.costs.low).toEqual(base);
      expect(x.costs.high).toEqual(base);
      expect(x.sentence).toContain("no effect on any option's cost");
    }
  });

  it('reports both ends of a choice input (window rule active vs invoked)', () => {
    const x = input(r.inputs, 'bedrock-cmi.windowRule');
    expect([x.base, x.low, x.high]).toEqual(['active', 'active', 'invoked']);
    // active: 2 windows a copy (the baseline); invoked: only the first window has started requests.
    expect(x.costs.low).toEqual(base);
    expect(x.costs.high.cmi).toBeCloseTo(5 * WINDOW + st, 9);
    expect(x.choices!.map((c) => c.value)).toEqual(['active', 'invoked']);
    expect(x.cheapestAt).toEqual({ low: 'cmi', high: 'cmi' });
    expect(x.effect).toBe('cost');
    expect(x.flips).toBe(false);
    expect(x.threshold).toBeNull();
    expect(x.swing).toBeCloseTo(5 * WINDOW, 9);
    expect(x.sentence).toContain('moves costs but not the choice');
  });

  it('checks the SLO on the baseline-cheapest option at each end', () => {
    // The last request waits for the last copy: ready at 30 + 10(n − 1) s, then 500 s of service,
    // minus its arrival offset (< 1 s). n = 5 → about 570 s: the 600 s target is met at base.
    expect(r.slo!.option).toBe('cmi');
    expect(r.slo!.value!).toBeGreaterThan(569);
    expect(r.slo!.value!).toBeLessThanOrEqual(570);
    expect(r.slo!.met).toBe(true);
    const x = input(r.inputs, 'bedrock-cmi.slotsPerCopy');
    // s = 4 → 10 copies → about 620 s (misses); s = 16 → 3 copies → about 550 s.
    expect(x.slo!.low!).toBeGreaterThan(619);
    expect(x.slo!.low!).toBeLessThanOrEqual(620);
    expect(x.slo!.high!).toBeGreaterThan(549);
    expect(x.slo!.high!).toBeLessThanOrEqual(550);
    expect(x.slo!.breaks).toBe(true);
    expect(input(r.inputs, 'bedrock-cmi.evictAfter').slo!.breaks).toBe(false);
  });

  it('is deterministic and equal with the baseline taken from `servesim run`', async () => {
    const loaded = burst();
    const run = runScenario(loaded);
    const again = await analyzeSensitivity(loaded, { slo, baseline: run.result.options }, { workers: 1 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(r));
  });
});

describe('sensitivity: bad SLO', () => {
  it('rejects an unknown percentile and a non-positive target with the field named', async () => {
    const bad = (slo: object) =>
      analyzeSensitivity(burst(), { slo: slo as never }, { workers: 1 }).catch((e: unknown) => e);
    const e1 = (await bad({ percentile: 'p90', target: 2, class: 'interactive' })) as InputError;
    expect(e1).toBeInstanceOf(InputError);
    expect(e1.where).toBe('slo.percentile');
    const e2 = (await bad({ percentile: 'p95', target: 0, class: 'interactive' })) as InputError;
    expect(e2).toBeInstanceOf(InputError);
    expect(e2.where).toBe('slo.target');
  });
});

describe('sensitivity: a real-valued threshold', () => {
  it('bisects ops effort to 1 % of its band', async () => {
    // One ml.g5.2xlarge endpoint (min = max = 1: in service all day, nothing to scale) at
    // $1.515/h = $36.36 a day, plus ops: opsFte × $200,000 × 24/8,760 = opsFte × $547.945 a day
    // (0.1 FTE by default, band 0.05–0.25). Against one always-on box at $3.50/h = $84.00 a day,
    // the endpoint is cheaper below (84 − 36.36) / 547.945 = 0.086942 FTE. Bisection stops once
    // the bracket is ≤ 1 % of the band (0.002), so its middle is within 0.001 of that.
    const loaded = scenarioFromObject({
      name: 'ops threshold',
      seed: 1,
      traffic: {
        start: '2026-01-05T00:00',
        days: 1,
        components: [{ type: 'batch', at: '09:00', count: 20, over: '1h', class: 'interactive' }],
      },
      options: [
        {
          id: 'sagemaker-realtime',
          key: 'endpoint',
          instanceType: 'ml.g5.2xlarge',
          minInstances: 1,
          maxInstances: 1,
          serviceTime: '1s',
          opsCostPerFteYear: 200000,
        },
        { id: 'fixed-fleet', key: 'box', replicas: 1, serviceTime: '1s', hourlyPrice: 3.5 },
      ],
    });
    const r = await analyzeSensitivity(loaded, {}, { workers: 1 });
    const perFte = (200000 * 24) / 8760;
    expect(r.baseline.costs.endpoint).toBeCloseTo(36.36 + 0.1 * perFte, 9);
    expect(r.baseline.cheapest).toBe('box');
    const x = r.inputs.find((i) => i.id === 'sagemaker-realtime.opsFte')!;
    expect(x.costs.low.endpoint).toBeCloseTo(36.36 + 0.05 * perFte, 9);
    expect(x.cheapestAt).toEqual({ low: 'endpoint', high: 'box' });
    expect(x.thresholds).toHaveLength(1);
    expect(x.thresholds[0]!.side).toBe('below');
    expect(x.thresholds[0]!.to).toBe('endpoint');
    expect(Math.abs(x.threshold! - (84 - 36.36) / perFte)).toBeLessThanOrEqual(0.001);
    // With a single instance that can never scale, the scaling datapoints change nothing.
    for (const id of ['sagemaker-realtime.scaleOutDatapoints', 'sagemaker-realtime.scaleInDatapoints'])
      expect(r.inputs.find((i) => i.id === id)!.effect, id).toBe('none');
  });
});

describe('sensitivity: the CMI copy scale-in rule (issue 15 item 2)', () => {
  it('lists the rule; under design §4.2’s `idle` a second copy stays and the choice flips', async () => {
    // Worked by hand in sensitivity-fixtures.ts (steadyOverflow): `load` 14 windows, `idle` 26.
    const r = await analyzeSensitivity(steadyOverflow(), {}, { workers: 1 });
    const st = (2 * 1.95 * 24) / 730;
    expect(r.baseline.costs.cmi).toBeCloseTo(14 * WINDOW + st, 9);
    expect(r.baseline.cheapest).toBe('cmi');
    const x = input(r.inputs, 'bedrock-cmi.scaleInRule');
    expect(x.label).toBe('scale-in rule');
    expect([x.base, x.low, x.high]).toEqual(['load', 'load', 'idle']);
    expect(x.choices!.map((c) => c.value)).toEqual(['load', 'idle']);
    expect(x.costs.high.cmi).toBeCloseTo(26 * WINDOW + st, 9);
    expect(x.costs.high.box).toBeCloseTo(OVERFLOW_BOX, 9);
    expect(x.cheapestAt).toEqual({ low: 'cmi', high: 'box' });
    expect(x.swing).toBeCloseTo(12 * WINDOW, 9);
    expect(x.flips).toBe(true);
    expect(x.effect).toBe('choice');
  });
});
