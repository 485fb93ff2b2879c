import { describe, expect, it } from 'vitest';
import { bisect } from '../../src/planning/bisect.js';

describe('bisect', () => {
  it('narrows an integer bracket to adjacent numbers, asking at the rounded-down middle', async () => {
    // yes 1, no 100, x ≤ 37: asks 50 (no), 25 (yes), 37 (yes), 43, 40, 38 (no) → [37, 38].
    const asked: number[] = [];
    const r = await bisect(1, 100, async (x) => (asked.push(x), x <= 37), 'integer');
    expect(r).toEqual({ yes: 37, no: 38 });
    expect(asked).toEqual([50, 25, 37, 43, 40, 38]);
  });

  it('works with the "no" end below the "yes" end', async () => {
    // x ≥ 10 on [20, 0]: asks 10 (yes), 5, 7, 8, 9 (no) → [10, 9].
    const r = await bisect(20, 0, async (x) => x >= 10, 'integer');
    expect(r).toEqual({ yes: 10, no: 9 });
  });

  it('stops on a real bracket once its ends are at most `step` apart', async () => {
    // x < 0.3 on [0, 1], step 0.1: 0.5 no, 0.25 yes, 0.375 no, 0.3125 no → [0.25, 0.3125] (0.0625 ≤ 0.1).
    const r = await bisect(0, 1, async (x) => x < 0.3, 0.1);
    expect(r).toEqual({ yes: 0.25, no: 0.3125 });
  });

  it('asks nothing when the ends are already adjacent', async () => {
    let asked = 0;
    expect(await bisect(4, 5, async () => (asked++, true), 'integer')).toEqual({ yes: 4, no: 5 });
    expect(asked).toBe(0);
  });
});
