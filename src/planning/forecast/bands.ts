/*
 * P10/P50/P90 over Monte Carlo runs (docs/forecast.md): nearest rank, no interpolation — every
 * band edge is the total of one actual run.
 */

import { nearestRank } from '../../stats.js';

export interface Band {
  p10: number;
  p50: number;
  p90: number;
}

/** P10, P50 and P90 (nearest rank) of `values`, in any order. O(n log n); `values` is not changed. */
export function bandOf(values: ArrayLike<number>): Band {
  const sorted = Float64Array.from(values).sort();
  return { p10: nearestRank(sorted, 0.1), p50: nearestRank(sorted, 0.5), p90: nearestRank(sorted, 0.9) };
}
