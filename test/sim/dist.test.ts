import { describe, expect, it } from 'vitest';
import { distBand } from '../../src/sim/dist.js';

describe('distBand', () => {
  it('gives the low end, the centre and the high end of each kind', () => {
    expect(distBand({ dist: 'fixed', value: 5 })).toEqual({ low: 5, value: 5, high: 5 });
    expect(distBand({ dist: 'uniform', min: 2, max: 6 })).toEqual({ low: 2, value: 4, high: 6 });
    // Exponential, mean 10: quantile q = −10·ln(1 − q) → p10 10·ln(10/9) ≈ 1.0536, median 10·ln 2
    // ≈ 6.9315, p90 10·ln 10 ≈ 23.0259.
    const e = distBand({ dist: 'exponential', mean: 10 });
    expect(e.low).toBeCloseTo(1.0536, 4);
    expect(e.value).toBeCloseTo(6.9315, 4);
    expect(e.high).toBeCloseTo(23.0259, 4);
    // Lognormal, median 30 and p90 60: symmetric in log space, so p10 = 30 / 2 = 15.
    expect(distBand({ dist: 'lognormal', median: 30, p90: 60 })).toEqual({ low: 15, value: 30, high: 60 });
  });
});
