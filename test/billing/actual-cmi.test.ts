import { describe, expect, it } from 'vitest';
import {
  activeCopiesPerMinute,
  actualVsSimulated,
  atPeriod,
  perMinuteBill,
  type ObservedCopies,
} from '../../src/billing/actual-cmi.js';
import type { CopyMeter } from '../../src/billing/cmi.js';

/*
 * The per-minute rule of design §4 item 7, worked by hand. Prices: AWS's pricing-page example,
 * 2 CMUs × $0.0785 per CMU-minute = $0.157 per minute, $0.785 per copy-window.
 */

const METER: CopyMeter = { cmusPerCopy: 2, pricePerCmuMinute: 0.0785, rule: 'active' };

/** Observed copies as the caller reads them from a trace's `model_copies` (test/compare/observed-copies.test.ts). */
function observed(perMinute: number[], periodSeconds: number): ObservedCopies {
  return { perMinute: Float64Array.from(perMinute), periodSeconds, offset: 0, source: 'cloudwatch:test' };
}

describe('per-minute copy bill', () => {
  it('one copy for 6 minutes: blocks [0–4] and [5] → 2 copy-windows ($1.57)', () => {
    const b = perMinuteBill([1, 1, 1, 1, 1, 1]);
    expect(b).toEqual({ blocks: 2, copyWindows: 2, peakCopies: 1, copyMinutes: 6 });
    expect(b.copyWindows * 2 * 0.0785 * 5).toBeCloseTo(1.57, 10);
  });

  it('each block bills its peak; a stretch ending early still bills its block in full', () => {
    // Stretch 0–2 (one block, peak 2) + stretch at 5 (peak 1) = 3 copy-windows = $2.355.
    expect(perMinuteBill([1, 2, 1, 0, 0, 1])).toEqual({
      blocks: 2,
      copyWindows: 3,
      peakCopies: 2,
      copyMinutes: 5,
    });
    // Blocks restart at each stretch's first minute: 0–4 (peak 1), 5–9 (peak 3), then 11–12 (peak 2).
    expect(perMinuteBill([1, 1, 1, 1, 1, 1, 3, 1, 1, 1, 0, 2, 2]).copyWindows).toBe(1 + 3 + 2);
  });

  it('bills nothing without copies, and exactly one window for a 5-minute stretch', () => {
    expect(perMinuteBill([0, 0, 0]).copyWindows).toBe(0);
    expect(perMinuteBill([]).copyWindows).toBe(0);
    expect(perMinuteBill([2, 2, 2, 2, 2]).copyWindows).toBe(2);
    expect(perMinuteBill([2, 2, 2, 2, 2, 0]).blocks).toBe(1);
  });
});

describe('simulated copies per minute', () => {
  it('counts copies in their active period, at their peak within each minute', () => {
    const copies = [
      { firstStartAt: 30, removedAt: 330 }, // minutes 0–5
      { firstStartAt: 100, removedAt: 170 }, // minutes 1–2: 2 at once
      { firstStartAt: NaN, removedAt: 200 }, // never served: not billed, not counted
      { firstStartAt: 330, removedAt: 400 }, // takes over as the first leaves: 1, not 2
    ];
    expect(Array.from(activeCopiesPerMinute(copies, 8))).toEqual([1, 2, 2, 1, 1, 1, 1, 0]);
  });
});

describe('actual vs simulated', () => {
  it('bills the observed model_copies and each option’s simulated copies by the same rule', () => {
    // Observed per minute over a 420 s span: 1, 1, 2, 1, 1, 1, 0 (then nothing).
    const obs = observed([1, 1, 2, 1, 1, 1, 0], 60);
    const lives = [{ firstStartAt: 0, removedAt: 540, startWindows: 1 }];
    const r = actualVsSimulated(obs, [{ key: 'cmi', meter: METER, lives, minutes: 10 }]);
    expect(r.trace).toBe('cloudwatch:test');
    expect(r.approximate).toBe(false);
    expect(r.options).toHaveLength(1);
    const o = r.options[0]!;
    // Actual: [1,1,2,1,1 | 1] → 2 + 1 = 3 copy-windows → 3 × 2 CMUs × 5 = 30 CMU-minutes = $2.355.
    expect(o.actual.copyWindows).toBe(3);
    expect(o.actual.cmuMinutes).toBe(30);
    expect(o.actual.cost).toBeCloseTo(2.355, 10);
    // Simulated: one copy 0–9 min → [1×9] → blocks 0–4, 5–8 → 2 copy-windows = $1.57.
    expect(o.simulated.copyWindows).toBe(2);
    expect(o.simulated.cost).toBeCloseTo(1.57, 10);
    expect(o.difference).toBeCloseTo(-0.785, 10);
    expect(o.relativeDifference).toBeCloseTo(-1 / 3, 10);
    // The run's own bill: one copy, first call 0, removed 540 s → ⌈540/300⌉ = 2 windows (active).
    expect(o.runBill).toMatchObject({ rule: 'active', copyWindows: 2 });
  });

  it('bills each side with the option’s own meter: its CMUs, rate and window rule', () => {
    const meter: CopyMeter = { cmusPerCopy: 8, pricePerCmuMinute: 0.05, rule: 'invoked' };
    // One copy 0–540 s that started requests in one of its two windows.
    const lives = [{ firstStartAt: 0, removedAt: 540, startWindows: 1 }];
    const o = actualVsSimulated(observed([1, 1, 1, 1, 1], 60), [{ key: 'big', meter, lives, minutes: 5 }])
      .options[0]!;
    // Actual: one block at peak 1 → 1 copy-window × 8 CMUs × 5 min = 40 CMU-minutes × $0.05 = $2.
    expect(o.actual.cmuMinutes).toBe(40);
    expect(o.actual.cost).toBeCloseTo(2, 12);
    expect(o.cmusPerCopy).toBe(8);
    expect(o.pricePerCmuMinute).toBe(0.05);
    // The run's own bill by the invoked rule: 1 window (not ⌈540/300⌉ = 2) → 40 CMU-minutes.
    expect(o.runBill).toEqual({ rule: 'invoked', copyWindows: 1, cmuMinutes: 40, cost: 40 * 0.05 });
  });

  it('compares no option when none meters copies', () => {
    const r = actualVsSimulated(observed([1], 60), []);
    expect(r.options).toEqual([]);
    expect(r.trace).toBe('cloudwatch:test');
  });

  it('a binned trace: the simulated copies are seen at its period, so equal copies bill equal (issue 15 item 5)', () => {
    // 300 s bins: ModelCopy (Maximum) is 1 in the first five minutes, 0 in the next five.
    const obs = observed([1, 1, 1, 1, 1, 0, 0, 0, 0, 0], 300);
    // The simulation: three short copies in minutes 0, 2 and 4 — exactly what a 300 s Maximum
    // would report as one copy in the first bin.
    const replicas = [
      { firstStartAt: 10, removedAt: 50, startWindows: 1 },
      { firstStartAt: 130, removedAt: 170, startWindows: 1 },
      { firstStartAt: 250, removedAt: 290, startWindows: 1 },
    ];
    const r = actualVsSimulated(obs, [{ key: 'cmi', meter: METER, lives: replicas, minutes: 10 }]);
    expect(r.approximate).toBe(true);
    const o = r.options[0]!;
    // Actual: [1,1,1,1,1, 0,…] → one block at peak 1 → 1 copy-window = 2 × 5 × $0.0785 = $0.785.
    expect(o.actual.copyWindows).toBe(1);
    expect(o.actual.cost).toBeCloseTo(0.785, 10);
    // Simulated, seen at 300 s: [1,0,1,0,1] → peak 1 over the bin → the same single window.
    // (Per minute it would be three stretches, 3 windows, a +200 % gap that is the rule, not the run.)
    expect(o.simulated.copyWindows).toBe(1);
    expect(o.difference).toBeCloseTo(0, 12);
    // The run's own bill, beside: each copy its own window (40 s → ⌈40/300⌉ = 1), 3 × $0.785.
    expect(o.runBill).toEqual({ rule: 'active', copyWindows: 3, cmuMinutes: 30, cost: expect.any(Number) });
    expect(o.runBill!.cost).toBeCloseTo(2.355, 10);
  });

  it('sees copies at a period on the trace grid; identity at 60 s', () => {
    expect(Array.from(atPeriod([1, 0, 1, 0, 1, 0, 0, 0, 0, 0], 300, 0))).toEqual([
      1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    ]);
    expect(Array.from(atPeriod([0, 2, 0, 1], 60, 0))).toEqual([0, 2, 0, 1]);
    // Bins from 120 s: minutes 0–1 before the trace stay as they are; [2,3] and [4,5] take their peaks.
    expect(Array.from(atPeriod([1, 0, 0, 3, 2, 0], 120, 120))).toEqual([1, 0, 3, 3, 2, 2]);
  });
});
