import { describe, expect, it } from 'vitest';
import {
  dominantShare,
  fitsInstance,
  InstancePacker,
  packCopies,
  splitByReservation,
} from '../../src/billing/shared-instances.js';

/*
 * Issue 21 item 2: copies of several models (inference components) packed onto shared instances
 * and metered per instance-second. Every figure below is counted by hand from the copy lives.
 * The instance is an ml.g5.12xlarge: 4 GPUs, 192 GiB of host memory.
 */

const G5_12 = { accelerators: 4, memoryGiB: 192 };
const ONE_GPU = { accelerators: 1, memoryGiB: 1 };
const TWO_GPU = { accelerators: 2, memoryGiB: 1 };
const limits = (end: number, minInstances = 0, maxInstances = 10) => ({ minInstances, maxInstances, end });

describe('packCopies', () => {
  it('two components that fit one instance bill one instance while both are busy', () => {
    // A: one copy 0–3,600 s; B: one copy 600–3,000 s; one GPU each → both on the one instance.
    const p = packCopies(
      [
        { model: 'a', reservation: ONE_GPU, copies: [{ requestedAt: 0, removedAt: 3600 }] },
        { model: 'b', reservation: ONE_GPU, copies: [{ requestedAt: 600, removedAt: 3000 }] },
      ],
      G5_12,
      limits(3600),
    );
    // Launched at 0 by A's copy, released at 3,600 s when A's copy goes: 3,600 instance-seconds.
    expect(p.instances).toEqual([{ requestedAt: 0, removedAt: 3600 }]);
    expect(p.instanceSeconds).toBe(3600);
    expect(p.peakInstances).toBe(1);
    expect(p.overMax).toBe(0);
    // Dominant share of a 1-GPU, 1-GiB copy: max(1/4, 1/192) = 0.25. A 3,600 × 0.25 = 900; B 2,400 × 0.25 = 600.
    expect(p.reservedShareSeconds).toEqual([900, 600]);
  });

  it('three copies that need two instances bill two over the overlap only', () => {
    // Two GPUs per copy: two copies fill an instance. A: 0–3,600 and 1,200–2,400; B: 1,800–3,000.
    const p = packCopies(
      [
        {
          model: 'a',
          reservation: TWO_GPU,
          copies: [
            { requestedAt: 0, removedAt: 3600 },
            { requestedAt: 1200, removedAt: 2400 },
          ],
        },
        { model: 'b', reservation: TWO_GPU, copies: [{ requestedAt: 1800, removedAt: 3000 }] },
      ],
      G5_12,
      limits(3600),
    );
    // 0: A0 launches I0. 1,200: A1 fills I0. 1,800: B0 fits nowhere → I1 launched at 1,800.
    // 2,400: A1 leaves I0 (A0 still there). 3,000: B0 leaves I1, now empty → released at 3,000.
    // 3,600: A0 leaves I0 → released. Instance-seconds 3,600 + 1,200 = 4,800: two instances over
    // the overlap 1,800–3,000 (1,200 s), one otherwise.
    expect(p.instances).toEqual([
      { requestedAt: 0, removedAt: 3600 },
      { requestedAt: 1800, removedAt: 3000 },
    ]);
    expect(p.instanceSeconds).toBe(4800);
    expect(p.peakInstances).toBe(2);
    // Dominant share 2/4 = 0.5: A (3,600 + 1,200) × 0.5 = 2,400; B 1,200 × 0.5 = 600.
    expect(p.reservedShareSeconds).toEqual([2400, 600]);
  });

  it('a copy goes to the first instance with room, and memory binds as well as GPUs', () => {
    // 100 GiB per copy: two never share a 192 GiB instance, though GPUs are free.
    const big = { accelerators: 1, memoryGiB: 100 };
    const p = packCopies(
      [
        {
          model: 'a',
          reservation: big,
          copies: [
            { requestedAt: 0, removedAt: 600 },
            { requestedAt: 100, removedAt: 300 },
            // At 400 I1 is gone (released at 300); I0 is full → a third instance.
            { requestedAt: 400, removedAt: 500 },
          ],
        },
      ],
      G5_12,
      limits(600),
    );
    expect(p.instances).toEqual([
      { requestedAt: 0, removedAt: 600 },
      { requestedAt: 100, removedAt: 300 },
      { requestedAt: 400, removedAt: 500 },
    ]);
    expect(p.instanceSeconds).toBe(600 + 200 + 100);
    // Dominant share max(1/4, 100/192) = 100/192.
    expect(p.reservedShareSeconds[0]).toBeCloseTo(((600 + 200 + 100) * 100) / 192, 9);
  });

  it('ends come before starts at equal times: a copy asked for as another goes finds its room', () => {
    const full = { accelerators: 4, memoryGiB: 1 };
    const p = packCopies(
      [
        { model: 'a', reservation: full, copies: [{ requestedAt: 0, removedAt: 600 }] },
        { model: 'b', reservation: full, copies: [{ requestedAt: 600, removedAt: 1200 }] },
      ],
      G5_12,
      limits(1200),
    );
    // A's copy leaves at 600 and its instance is released at once; B's copy then launches a new one.
    expect(p.instances).toEqual([
      { requestedAt: 0, removedAt: 600 },
      { requestedAt: 600, removedAt: 1200 },
    ]);
    expect(p.instanceSeconds).toBe(1200);
  });

  it('minInstances are billed from 0 to the end even with no copy; copies use them first', () => {
    const p = packCopies(
      [{ model: 'a', reservation: ONE_GPU, copies: [{ requestedAt: 1000, removedAt: 2000 }] }],
      G5_12,
      limits(7200, 1),
    );
    // The kept instance hosts the copy; it never goes below the minimum: 0–7,200 s.
    expect(p.instances).toEqual([{ requestedAt: 0, removedAt: 7200 }]);
    expect(p.instanceSeconds).toBe(7200);
    expect(packCopies([], G5_12, limits(3600, 2)).instanceSeconds).toBe(7200);
  });

  it('counts copies placed past maxInstances, and still bills their instance', () => {
    const full = { accelerators: 4, memoryGiB: 1 };
    const p = packCopies(
      [
        { model: 'a', reservation: full, copies: [{ requestedAt: 0, removedAt: 100 }] },
        { model: 'b', reservation: full, copies: [{ requestedAt: 50, removedAt: 100 }] },
      ],
      G5_12,
      limits(100, 0, 1),
    );
    expect(p.overMax).toBe(1);
    expect(p.instanceSeconds).toBe(100 + 50);
  });

  it('copies still up at the end are billed to the end; an empty input bills nothing', () => {
    const p = packCopies(
      [{ model: 'a', reservation: ONE_GPU, copies: [{ requestedAt: 10, removedAt: 500 }] }],
      G5_12,
      limits(500),
    );
    expect(p.instanceSeconds).toBe(490);
    expect(packCopies([], G5_12, limits(3600))).toMatchObject({ instanceSeconds: 0, peakInstances: 0 });
  });
});

describe('InstancePacker (the live placement)', () => {
  it('refuses a copy at the maximum unless forced, and reports launches', () => {
    const p = new InstancePacker({ accelerators: 1, memoryGiB: 16 }, 0, 1);
    expect(p.place(0, ONE_GPU, 0)).toEqual({ at: 0, launched: true });
    expect(p.fit(ONE_GPU)).toBe('full');
    expect(p.place(1, ONE_GPU, 5)).toBeNull();
    p.release(0, ONE_GPU, 10);
    expect(p.count).toBe(0);
    expect(p.fit(ONE_GPU)).toBe('launch');
    // A second instance's first copy launches it; the next copy that fits lands beside it.
    const q = new InstancePacker(G5_12, 1, 2);
    expect(q.place(0, TWO_GPU, 0)).toEqual({ at: 0, launched: false });
    expect(q.place(1, TWO_GPU, 0)).toEqual({ at: 0, launched: false });
    expect(q.place(2, TWO_GPU, 60)).toEqual({ at: 1, launched: true });
    expect(q.place(3, TWO_GPU, 60)).toEqual({ at: 1, launched: false });
  });
});

describe('fit and split rules', () => {
  it('an over-size reservation does not fit an empty instance, with the reason', () => {
    expect(fitsInstance({ accelerators: 8, memoryGiB: 1 }, G5_12)).toMatch(
      /reserves 8 accelerators .* has 4/,
    );
    expect(fitsInstance({ accelerators: 1, memoryGiB: 256 }, G5_12)).toMatch(/256 GiB .* 192 GiB/);
    expect(fitsInstance({ accelerators: 4, memoryGiB: 192 }, G5_12)).toBeNull();
  });

  it('dominant share is the larger of the GPU and memory shares', () => {
    expect(dominantShare({ accelerators: 1, memoryGiB: 96 }, G5_12)).toBe(0.5);
    expect(dominantShare({ accelerators: 3, memoryGiB: 1 }, G5_12)).toBe(0.75);
  });

  it('splits by weight, equally with no weight, and the parts add up', () => {
    // $10 over 3,600 and 1,200 → 10 × 3/4 = 7.5 and 10 × 1/4 = 2.5.
    expect(splitByReservation(10, [3600, 1200])).toEqual([7.5, 2.5]);
    expect(splitByReservation(9, [0, 0, 0])).toEqual([3, 3, 3]);
    expect(splitByReservation(5, [])).toEqual([]);
    const parts = splitByReservation(0.1, [1, 1, 1]);
    expect(parts[0]! + parts[1]! + parts[2]!).toBe(0.1);
  });
});
