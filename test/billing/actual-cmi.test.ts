import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  activeCopiesPerMinute,
  actualVsSimulated,
  atPeriod,
  perMinuteBill,
  type SimulatedCmi,
} from '../../src/billing/actual-cmi.js';
import type { TrafficComponent } from '../../src/scenario/schema.js';

/*
 * The per-minute rule of design §4 item 7, worked by hand. Prices: AWS's pricing-page example,
 * 2 CMUs × $0.0785 per CMU-minute = $0.157 per minute, $0.785 per copy-window.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-actual-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

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
  it('bills the observed model_copies and each CMI option’s simulated copies by the same rule', () => {
    const trace = join(TMP, 'cw.csv');
    writeFileSync(
      trace,
      '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned period_s=60 source=cloudwatch%3Atest\n' +
        't_s,requests,input_tokens,output_tokens,model_copies\n' +
        '0,5,5,5,1\n60,5,5,5,1\n120,5,5,5,2\n180,0,0,0,1\n240,0,0,0,1\n300,0,0,0,1\n360,0,0,0,0\n',
    );
    const components: TrafficComponent[] = [{ type: 'trace', file: 'cw.csv', offset: 0 }];
    const assumptions = [
      { option: 'cmi', name: 'CMUs per copy', value: 2 },
      { option: 'cmi', name: 'CMU rate', value: 0.0785 },
    ];
    const sims: SimulatedCmi[] = [
      {
        key: 'cmi',
        id: 'bedrock-cmi',
        replicas: [{ firstStartAt: 0, removedAt: 540, startWindows: 1 }],
        minutes: 10,
        assumptions,
      },
      { key: 'ff', id: 'fixed-fleet', replicas: [], minutes: 10, assumptions },
    ];
    const r = actualVsSimulated(components, TMP, 420, sims)!;
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
    // The run's own bill: one copy, first call 0, removed 540 s → ⌈540/300⌉ = 2 windows (no rule row: active).
    expect(o.runBill).toMatchObject({ rule: 'active', copyWindows: 2 });
  });

  it('a binned trace: the simulated copies are seen at its period, so equal copies bill equal (issue 15 item 5)', () => {
    // 300 s bins: ModelCopy (Maximum) is 1 in the first five minutes, 0 in the next five.
    const trace = join(TMP, 'cw300.csv');
    writeFileSync(
      trace,
      '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned period_s=300 source=cloudwatch%3Atest\n' +
        't_s,requests,input_tokens,output_tokens,model_copies\n' +
        '0,3,3,3,1\n300,0,0,0,0\n',
    );
    // The simulation: three short copies in minutes 0, 2 and 4 — exactly what a 300 s Maximum
    // would report as one copy in the first bin.
    const replicas = [
      { firstStartAt: 10, removedAt: 50, startWindows: 1 },
      { firstStartAt: 130, removedAt: 170, startWindows: 1 },
      { firstStartAt: 250, removedAt: 290, startWindows: 1 },
    ];
    const assumptions = [
      { option: 'cmi', name: 'CMUs per copy', value: 2 },
      { option: 'cmi', name: 'CMU rate', value: 0.0785 },
      { option: 'cmi', name: 'window rule', value: 'active' },
    ];
    const r = actualVsSimulated([{ type: 'trace', file: 'cw300.csv', offset: 0 }], TMP, 600, [
      { key: 'cmi', id: 'bedrock-cmi', replicas, minutes: 10, assumptions },
    ])!;
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

  it('is absent without a trace that has model_copies', () => {
    const plain = join(TMP, 'plain.csv');
    writeFileSync(
      plain,
      '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned period_s=60 source=x\nt_s,requests,input_tokens,output_tokens\n0,1,1,1\n',
    );
    expect(actualVsSimulated([{ type: 'trace', file: plain, offset: 0 }], TMP, 60, [])).toBeNull();
    expect(actualVsSimulated([], TMP, 60, [])).toBeNull();
  });
});
