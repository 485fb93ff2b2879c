import { describe, expect, it } from 'vitest';
import { ciede2000, closestPair, hexToLab } from '../../../src/report/charts/color-difference.js';
import { optionColors, PALETTE } from '../../../src/report/charts/style.js';

/*
 * Table 1 of G. Sharma, W. Wu, E. N. Dalal, "The CIEDE2000 color-difference formula:
 * implementation notes, supplementary test data, and mathematical observations", Color Res.
 * Appl. 30(1) 21–30 (2005): L1, a1, b1, L2, a2, b2, ΔE00 (4 decimals). Pairs 7–16 sit on the
 * formula's discontinuities (hue mean and difference across 180°, zero chroma).
 */
const SHARMA: [number, number, number, number, number, number, number][] = [
  [50.0, 2.6772, -79.7751, 50.0, 0.0, -82.7485, 2.0425],
  [50.0, 3.1571, -77.2803, 50.0, 0.0, -82.7485, 2.8615],
  [50.0, 2.8361, -74.02, 50.0, 0.0, -82.7485, 3.4412],
  [50.0, -1.3802, -84.2814, 50.0, 0.0, -82.7485, 1.0],
  [50.0, -1.1848, -84.8006, 50.0, 0.0, -82.7485, 1.0],
  [50.0, -0.9009, -85.5211, 50.0, 0.0, -82.7485, 1.0],
  [50.0, 0.0, 0.0, 50.0, -1.0, 2.0, 2.3669],
  [50.0, -1.0, 2.0, 50.0, 0.0, 0.0, 2.3669],
  [50.0, 2.49, -0.001, 50.0, -2.49, 0.0009, 7.1792],
  [50.0, 2.49, -0.001, 50.0, -2.49, 0.001, 7.1792],
  [50.0, 2.49, -0.001, 50.0, -2.49, 0.0011, 7.2195],
  [50.0, 2.49, -0.001, 50.0, -2.49, 0.0012, 7.2195],
  [50.0, -0.001, 2.49, 50.0, 0.0009, -2.49, 4.8045],
  [50.0, -0.001, 2.49, 50.0, 0.001, -2.49, 4.8045],
  [50.0, -0.001, 2.49, 50.0, 0.0011, -2.49, 4.7461],
  [50.0, 2.5, 0.0, 50.0, 0.0, -2.5, 4.3065],
  [50.0, 2.5, 0.0, 73.0, 25.0, -18.0, 27.1492],
  [50.0, 2.5, 0.0, 61.0, -5.0, 29.0, 22.8977],
  [50.0, 2.5, 0.0, 56.0, -27.0, -3.0, 31.903],
  [50.0, 2.5, 0.0, 58.0, 24.0, 15.0, 19.4535],
  [50.0, 2.5, 0.0, 50.0, 3.1736, 0.5854, 1.0],
  [50.0, 2.5, 0.0, 50.0, 3.2972, 0.0, 1.0],
  [50.0, 2.5, 0.0, 50.0, 1.8634, 0.5757, 1.0],
  [50.0, 2.5, 0.0, 50.0, 3.2592, 0.335, 1.0],
  [60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644],
  [63.0109, -31.0961, -5.8663, 62.8187, -29.7946, -4.0864, 1.263],
  [61.2901, 3.7196, -5.3901, 61.4292, 2.248, -4.962, 1.8731],
  [35.0831, -44.1164, 3.7933, 35.0232, -40.0716, 1.5901, 1.8645],
  [22.7233, 20.0904, -46.694, 23.0331, 14.973, -42.5619, 2.0373],
  [36.4612, 47.858, 18.3852, 36.2715, 50.5065, 21.2231, 1.4146],
  [90.8027, -2.0831, 1.441, 91.1528, -1.6435, 0.0447, 1.4441],
  [90.9257, -0.5406, -0.9208, 88.6381, -0.8985, -0.7239, 1.5381],
  [6.7747, -0.2908, -2.4247, 5.8714, -0.0985, -2.2286, 0.6377],
  [2.0776, 0.0795, -1.135, 0.9033, -0.0636, -0.5514, 0.9082],
];

describe('ciede2000', () => {
  it('matches all 34 pairs of Sharma, Wu and Dalal (2005), both ways round, to 4 decimals', () => {
    for (const [i, [L1, a1, b1, L2, a2, b2, de]] of SHARMA.entries()) {
      const p = { L: L1, a: a1, b: b1 };
      const q = { L: L2, a: a2, b: b2 };
      expect(ciede2000(p, q), `pair ${i + 1}`).toBeCloseTo(de, 4);
      expect(ciede2000(q, p), `pair ${i + 1} reversed`).toBeCloseTo(de, 4);
    }
  });

  it('converts sRGB to Lab under D65: white is L 100, black 0, mid grey #777777 ≈ L 50', () => {
    // #777777: sRGB 119/255 → linear 0.1845 → L* = 116·0.1845^(1/3) − 16 = 50.03 (grey: a = b = 0).
    const w = hexToLab('#ffffff');
    expect(w.L).toBeCloseTo(100, 3);
    expect(Math.abs(w.a) + Math.abs(w.b)).toBeLessThan(0.01);
    expect(hexToLab('#000000').L).toBeCloseTo(0, 6);
    expect(hexToLab('#777777').L).toBeCloseTo(50.03, 1);
  });
});

describe('option palette', () => {
  it('has no two option colours closer than CIEDE2000 ΔE 10; its minimum is ΔE 18.1 (red #e45756 vs pink #ff9da6)', () => {
    const { deltaE, pair } = closestPair(PALETTE);
    expect(deltaE).toBeGreaterThanOrEqual(10);
    // The figure the palette's doc comment states.
    expect(deltaE).toBeCloseTo(18.06, 1);
    expect(pair).toEqual(['#e45756', '#ff9da6']);
  });

  it('gives up to twelve options twelve different colours, the most distinct first', () => {
    const keys = Array.from({ length: 12 }, (_, i) => `o${i}`);
    expect(new Set(optionColors(keys).values()).size).toBe(12);
    // The four colours most charts draw are far apart (ΔE ≥ 25).
    expect(closestPair(PALETTE.slice(0, 4)).deltaE).toBeGreaterThanOrEqual(25);
  });
});
