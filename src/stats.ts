/**
 * Small statistics used across the simulator, each with one definition: the nearest-rank
 * percentile every printed percentile uses, compensated summation, selection (the k-th smallest
 * without a sort) and the inverse of the standard normal CDF. Hand-written rather than from
 * simple-statistics: `select` and the compensated sums run in hot loops on typed arrays, and
 * simple-statistics' `probit` is accurate to about 1e-7 where the lognormal needs full precision.
 */

/**
 * The 1-based nearest rank of percentile `p` (0…1) in `n` values: ⌈p·n⌉, at least 1 and at most n.
 * p·n is rounded to 12 significant digits first, so 0.07 × 100 (7.000000000000001 in floating
 * point) is rank 7, not 8. nearestRankOf(0.95, 20) → 19. O(1).
 */
export function nearestRankOf(p: number, n: number): number {
  const rank = Math.ceil(Number((p * n).toPrecision(12)));
  return Math.min(n, Math.max(1, rank));
}

/**
 * The nearest-rank percentile of ascending `sorted` values: the ⌈p·n⌉-th smallest (1-based), the
 * smallest for p = 0; no interpolation, so the answer is always one of the values. O(1).
 * nearestRank([1, 2, …, 10], 0.9) → 9; nearestRank([5], p) → 5 for any p; no values → RangeError.
 */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('internal: percentile of no values');
  return sorted[nearestRankOf(p, n) - 1]!;
}

/**
 * Neumaier's compensated sum: the rounding error of each addition is carried and added back at the
 * end, so many small amounts beside a large one are not lost. O(n).
 * compensatedSum([1e16, 1, -1e16]) → 1 (plain addition gives 0).
 */
export function compensatedSum(values: Iterable<number>): number {
  let sum = 0;
  let c = 0;
  for (const v of values) {
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + c;
}

/**
 * Rearranges a[lo..hi] so that a[k] is the value a sort would put there, every value before it ≤
 * it and every value after ≥ it (Hoare's selection, median-of-three pivots). Expected O(hi − lo).
 * select([3, 1, 2], 1, 0, 2) leaves 2 at index 1.
 */
export function select(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot, so sorted or constant input stays linear.
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/**
 * The probit: z with Φ(z) = p for the standard normal, p in (0, 1); ±Infinity at 0 and 1, NaN
 * outside. Wichura's algorithm AS 241 (PPND16, Applied Statistics 37, 1988), relative error about
 * 1e-16. probit(0.5) → 0; probit(0.975) → 1.959963984540054.
 */
export function probit(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301227 * r + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) *
          r +
          13731.69376550946) *
          r +
          1971.5909503065513) *
          r +
          133.14166789178438) *
          r +
          3.3871328727963665)) /
      (((((((5226.495278852546 * r + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) *
        r +
        5394.196021424751) *
        r +
        687.1870074920579) *
        r +
        42.31333070160091) *
        r +
        1)
    );
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let z: number;
  if (r <= 5) {
    r -= 1.6;
    z =
      (((((((0.0007745450142783414 * r + 0.022723844989269184) * r + 0.2417807251774506) * r +
        1.2704582524523684) *
        r +
        3.6478483247632045) *
        r +
        5.769497221460691) *
        r +
        4.630337846156546) *
        r +
        1.4234371107496835) /
      (((((((1.0507500716444169e-9 * r + 0.0005475938084995345) * r + 0.015198666563616457) * r +
        0.14810397642748008) *
        r +
        0.6897673349851) *
        r +
        1.6763848301838038) *
        r +
        2.053191626637759) *
        r +
        1);
  } else {
    r -= 5;
    z =
      (((((((2.0103343992922881e-7 * r + 2.7115555687434876e-5) * r + 0.0012426609473880784) * r +
        0.026532189526576124) *
        r +
        0.29656057182850487) *
        r +
        1.7848265399172913) *
        r +
        5.463784911164114) *
        r +
        6.657904643501103) /
      (((((((2.0442631033899397e-15 * r + 1.421511758316446e-7) * r + 1.8463183175100548e-5) * r +
        0.0007868691311456133) *
        r +
        0.014875361290850615) *
        r +
        0.1369298809227358) *
        r +
        0.599832206555888) *
        r +
        1);
  }
  return q < 0 ? -z : z;
}
