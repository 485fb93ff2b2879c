import { describe, expect, it } from 'vitest';
import { compensatedSum, nearestRank, nearestRankOf, probit, select } from '../src/stats.js';
import { Z90 } from '../src/sim/dist.js';

const oneTo20 = Object.freeze(Array.from({ length: 20 }, (_, i) => i + 1));

describe('nearestRank', () => {
  it('takes the ⌈p·n⌉-th smallest value, worked by hand', () => {
    // 1..20: p95 → ⌈19⌉ = 19th; p50 → ⌈10⌉ = 10th; p99 → ⌈19.8⌉ = 20th; p10 → ⌈2⌉ = 2nd.
    expect(nearestRank(oneTo20, 0.95)).toBe(19);
    expect(nearestRank(oneTo20, 0.5)).toBe(10);
    expect(nearestRank(oneTo20, 0.99)).toBe(20);
    expect(nearestRank(oneTo20, 0.1)).toBe(2);
    // p = 0 → the smallest, p = 1 → the largest; one value answers every p.
    expect(nearestRank(oneTo20, 0)).toBe(1);
    expect(nearestRank(oneTo20, 1)).toBe(20);
    expect(nearestRank([5], 0.37)).toBe(5);
  });

  it('does not let a floating-point product push the rank one too far', () => {
    // 0.07 × 100 is 7.000000000000001 in binary floating point; the nearest rank is still 7.
    expect(0.07 * 100).toBeGreaterThan(7);
    expect(nearestRankOf(0.07, 100)).toBe(7);
    const oneTo100 = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(oneTo100, 0.07)).toBe(7);
  });

  it('refuses an empty list', () => {
    expect(() => nearestRank([], 0.5)).toThrow(RangeError);
  });
});

describe('compensatedSum', () => {
  it('keeps what plain addition loses', () => {
    expect(1e16 + 1 - 1e16).toBe(0);
    expect(compensatedSum([1e16, 1, -1e16])).toBe(1);
  });

  it('adds a million cents to exactly $10,000', () => {
    // 0.01 has no exact binary form; 1e6 of them drift by about 1e-6 with plain addition.
    const cents = new Array<number>(1_000_000).fill(0.01);
    expect(compensatedSum(cents)).toBe(10_000);
  });

  it('is 0 for no values', () => {
    expect(compensatedSum([])).toBe(0);
  });
});

describe('select', () => {
  it('puts the k-th smallest at k, smaller ones before and larger after', () => {
    const a = Float64Array.from([9, 3, 7, 1, 5, 8, 2, 6, 4]);
    select(a, 4, 0, a.length - 1);
    expect(a[4]).toBe(5); // the 5th smallest of 1..9
    for (let i = 0; i < 4; i++) expect(a[i]).toBeLessThanOrEqual(5);
    for (let i = 5; i < a.length; i++) expect(a[i]).toBeGreaterThanOrEqual(5);
  });
});

describe('probit', () => {
  it('matches published standard normal quantiles', () => {
    // z-tables: Φ⁻¹(0.975) = 1.959963984540054, Φ⁻¹(0.9) = 1.2815515655446004, Φ⁻¹(0.999) = 3.090232306167814.
    expect(probit(0.975)).toBeCloseTo(1.959964, 6);
    expect(probit(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(probit(0.9)).toBeCloseTo(Z90, 14);
    expect(probit(0.999)).toBeCloseTo(3.090232306167814, 13);
    expect(probit(0.5)).toBe(0);
    // Symmetric: Φ⁻¹(1 − p) = −Φ⁻¹(p).
    expect(probit(0.025)).toBeCloseTo(-1.959963984540054, 14);
  });

  it('is infinite at the ends and NaN outside [0, 1]', () => {
    expect(probit(0)).toBe(-Infinity);
    expect(probit(1)).toBe(Infinity);
    expect(probit(1.5)).toBeNaN();
    expect(probit(-0.1)).toBeNaN();
    expect(probit(NaN)).toBeNaN();
  });
});
