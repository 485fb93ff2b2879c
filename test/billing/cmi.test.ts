import { describe, expect, it } from 'vitest';
import {
  cmiInferenceLine,
  cmiStorageLine,
  copyWindows,
  InvokedWindows,
  totalWindows,
  type CopyLife,
} from '../../src/billing/cmi.js';

function copy(firstStartAt: number, removedAt: number, startWindows = 1): CopyLife {
  return { firstStartAt, removedAt, startWindows };
}

describe('CMI billing meters', () => {
  it("reproduces AWS's worked example: 2 CMUs × $0.0785 = $0.157/min, $0.785 per window", () => {
    // https://aws.amazon.com/bedrock/pricing/ (Custom Model Import): Llama 3.1 8B, 2 CMUs.
    const l = cmiInferenceLine(1, 2, 0.0785, 'example');
    expect(l.quantity).toBe(10); // 1 window × 2 CMUs × 5 minutes
    expect(l.unit).toBe('CMU-minutes');
    expect(l.amount).toBeCloseTo(0.785, 10);
    expect(cmiInferenceLine(1, 2, 0.0785, 'x').amount / 5).toBeCloseTo(0.157, 10);
  });

  it('bills at least one window for a copy that served anything', () => {
    expect(copyWindows(copy(0, 1), 'active')).toBe(1);
    expect(copyWindows(copy(0, 300), 'active')).toBe(1);
    expect(copyWindows(copy(0, 300.0000001), 'active')).toBe(1); // float noise at the boundary
    expect(copyWindows(copy(0, 301), 'active')).toBe(2);
    expect(copyWindows(copy(0, 540), 'active')).toBe(2); // calls at 0 and 4 min, removed at 9 min
  });

  it('bills nothing for a copy that never served', () => {
    expect(copyWindows({ ...copy(NaN, 500, 0) }, 'active')).toBe(0);
    expect(copyWindows({ ...copy(NaN, 500, 0) }, 'invoked')).toBe(0);
  });

  it('`invoked` bills the windows with a started request', () => {
    expect(copyWindows(copy(0, 540, 1), 'invoked')).toBe(1);
    expect(totalWindows([copy(0, 540, 1), copy(900, 2000, 3)], 'invoked')).toBe(4);
    // active: ⌈540/300⌉ + ⌈1100/300⌉ = 2 + 4
    expect(totalWindows([copy(0, 540, 1), copy(900, 2000, 3)], 'active')).toBe(6);
  });

  it('counts the windows with a start on each copy’s own grid, from its first call', () => {
    const w = new InvokedWindows();
    // Copy 0, first call at 10 s: windows [10, 310), [310, 610), [610, 910), …
    // 10 and 200 → window 0; 320 → 1; 900 → 2 (≤ 910); 1 000 → 3 → 4 windows.
    for (const t of [10, 200, 320, 900, 1000]) w.start(0, t);
    // Copy 40 (past the first growth), first call at 300: 300, 599 → window 0; 600 → 1.
    for (const t of [300, 599, 600]) w.start(40, t);
    expect(w.of(0)).toBe(4);
    expect(w.of(40)).toBe(2);
    // A copy that never started a request (inside and past the arrays).
    expect(w.of(3)).toBe(0);
    expect(w.of(1000)).toBe(0);
  });

  it('pro-rates storage over a 730-hour month', () => {
    // 2 CMUs × $1.95 = $3.90 per month; one day = 24/730 of it = $0.128219…
    const l = cmiStorageLine(2, 86400, 1.95);
    expect(l.unit).toBe('CMU-months');
    expect(l.quantity).toBeCloseTo((2 * 24) / 730, 12);
    expect(l.amount).toBeCloseTo((3.9 * 24) / 730, 12);
  });
});
