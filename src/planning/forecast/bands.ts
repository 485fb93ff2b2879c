/*
 * P10/P50/P90 over Monte Carlo runs (docs/forecast.md): nearest rank, no interpolation — every
 * band edge is the total of one actual run.
 */

export interface Band {
  p10: number;
  p50: number;
  p90: number;
}

/**
 * The nearest-rank percentile of ascending `sorted` values: the ⌈p·n⌉-th smallest (1-based), the
 * smallest for p = 0. O(1). nearestRank([1, 2, …, 10], 0.9) → 9; ([5], p) → 5 for any p.
 */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('internal: percentile of no values');
  // p·n is rounded first, so 0.1 × 30 (3.0000000000000004 in floating point) is rank 3, not 4.
  const rank = Math.ceil(Number((p * n).toPrecision(12)));
  return sorted[Math.min(n, Math.max(1, rank)) - 1]!;
}

/** P10, P50 and P90 (nearest rank) of `values`, in any order. O(n log n); `values` is not changed. */
export function bandOf(values: ArrayLike<number>): Band {
  const sorted = Float64Array.from(values).sort();
  return { p10: nearestRank(sorted, 0.1), p50: nearestRank(sorted, 0.5), p90: nearestRank(sorted, 0.9) };
}
