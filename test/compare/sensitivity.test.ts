import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/compare/run.js';
import { analyzeSensitivity, type SensitivityInput } from '../../src/compare/sensitivity.js';
import { scenarioFromObject } from '../../src/scenario/load.js';
import { WINDOW } from './fixtures.js';

/*
 * A burst countable by hand: 40 interactive requests at 09:00 (spread over 1 s), each served in
 * exactly 500 s, through
 *
 * - `cmi`: Custom Model Import with fixed 30 s cold (and evicted) starts and copy loads, a copy
 *   added every 10 s while queued requests exceed the slots of copies still loading, at most 10
 *   copies, $0.785 a window (AWS's example rate). `slotsPerCopy` is left at its default (8, band
 *   4–16), so it is an uncertain input. Queue = 40 − ready·s and loading = live − ready, so
 *   "queue > loading·s" ⟺ 40 > live·s: copies are added until live·s ≥ 40, i.e.
 *   n = ⌈40 / s⌉ copies. Each copy takes its requests the moment it is ready and serves them all
 *   at once for 500 s; by then no invocation has arrived for > 300 s, so it is removed as it goes
 *   idle: active 500 s → ⌈500/300⌉ = 2 windows (`active` rule), 1 window (`invoked`: every request
 *   starts in the first). CMI = 2n·W + storage.
 *     s = 4 → 10 copies, s = 6 → 7, s = 7 → 6 (⌈5.7⌉), s = 8 → 5, s = 16 → 3 (⌈2.5⌉).
 * - `box`: one always-on replica with 64 slots at $0.425/h: 24 h × 0.425 = $10.20 whatever happens.
 *
 * With storage st (2 CMUs × $/CMU-month × 24/730 ≈ $0.13): CMI at 7 copies = 10.99 + st > 10.20 >
 * 9.42 + st = CMI at 6 copies. So CMI is cheapest for s ≥ 7 and the box for s ≤ 6: the choice
 * flips below 7 (an integer, found exactly), and not at the high end.
 */
function burst() {
  return scenarioFromObject({
    name: 'sensitivity-burst',
    seed: 5,
    traffic: {
      start: '2026-01-05T00:00',
      days: 1,
      components: [{ type: 'batch', at: '09:00', count: 40, over: '1s', class: 'interactive' }],
    },
    options: [
      {
        id: 'bedrock-cmi',
        key: 'cmi',
        cmuVersion: 'pricing-example',
        coldStart: '30s',
        evictedColdStart: '30s',
        copyLoadTime: '30s',
        scaleOutAfter: '10s',
        maxCopies: 10,
        serviceTime: '500s',
      },
      {
        id: 'fixed-fleet',
        key: 'box',
        replicas: 1,
        slotsPerReplica: 64,
        serviceTime: '500s',
        hourlyPrice: 0.425,
      },
    ],
  });
}

const BOX = 24 * 0.425;

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
    // scaleInAfter: no copy is ever idle while the burst runs (each serves its requests from the
    // moment it is ready until it is removed by the scale-to-zero rule), so nothing is scaled in.
    for (const id of ['bedrock-cmi.evictAfter', 'bedrock-cmi.scaleInAfter']) {
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
