/**
 * Latency statistics with memory bounded regardless of run length (design §3).
 *
 * Each accumulator keeps every value until it holds `EXACT_LIMIT` of them; percentiles are then
 * exact nearest-rank on the sorted values (the ⌈p·n⌉-th smallest). Past that it falls back to a
 * log-bucketed histogram that is always filled alongside, so switching costs nothing.
 *
 * Buckets split each power of two [2^e, 2^(e+1)) into 64 equal parts, read straight from the
 * float's exponent and top mantissa bits (no logarithm in the hot loop). A bucket [a, a + w) with
 * w ≤ a/64 reports 2a(a + w)/(2a + w), the harmonic mean of its bounds, whose relative error is at
 * most w/(2a + w) ≤ 1/129 ≈ 0.78 % for any value in it — within the 1 % the output names.
 */

import { nearestRankOf, select } from '../stats.js';

export const EXACT_LIMIT = 200_000;
/** Most values `quantiles()` returns: the resolution of the report's latency CDF. */
export const QUANTILE_SAMPLE = 2000;
/** Sub-buckets per power of two. */
const SUB = 64;
const SUB_BITS = 6;
/** Smallest resolved latency 2^-30 s (≈ 1 ns); smaller values (including 0) share bucket 0. */
const E_MIN = -30;
/** Largest resolved latency 2^40 s (≈ 35,000 years); longer values share the top bucket. */
const E_MAX = 40;
const BUCKETS = (E_MAX - E_MIN) * SUB + 1;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the word holding sign, exponent and the top 20 mantissa bits. */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

export type PercentileMethod = 'exact-nearest-rank' | 'log-histogram-1pct';

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  meanWait: number;
  percentileMethod: PercentileMethod;
}

/** Bucket index of a latency; computed once per request and shared by its accumulators. */
export function bucketOf(x: number): number {
  f64[0] = x;
  const hi = u32[HI]!;
  const e = ((hi >>> 20) & 0x7ff) - 1023;
  if (e < E_MIN) return 0;
  if (e >= E_MAX) return BUCKETS - 1;
  return 1 + (e - E_MIN) * SUB + ((hi >>> (20 - SUB_BITS)) & (SUB - 1));
}

/** The value a bucket reports: the harmonic mean of its bounds. */
function bucketValue(k: number): number {
  if (k === 0) return 0;
  const j = k - 1;
  const e = E_MIN + Math.floor(j / SUB);
  const a = Math.pow(2, e) * (1 + (j % SUB) / SUB);
  const w = Math.pow(2, e) / SUB;
  return (2 * a * (a + w)) / (2 * a + w);
}

export class LatencyAccumulator {
  count = 0;
  private sum = 0;
  private sumC = 0;
  private waitSum = 0;
  private waitC = 0;
  max = 0;
  private exact: Float64Array | null = new Float64Array(1024);
  private readonly hist = new Float64Array(BUCKETS);

  add(latency: number, wait: number, bucket: number): void {
    const n = this.count++;
    // Neumaier-compensated sums (stats.ts compensatedSum, kept inline: this runs per request):
    // millions of sub-second values must not lose their tail.
    let t = this.sum + latency;
    this.sumC += Math.abs(this.sum) >= latency ? this.sum - t + latency : latency - t + this.sum;
    this.sum = t;
    t = this.waitSum + wait;
    this.waitC += Math.abs(this.waitSum) >= wait ? this.waitSum - t + wait : wait - t + this.waitSum;
    this.waitSum = t;
    if (latency > this.max) this.max = latency;
    this.hist[bucket]! += 1;
    const ex = this.exact;
    if (ex !== null) {
      if (n < ex.length) ex[n] = latency;
      else if (n < EXACT_LIMIT) {
        const grown = new Float64Array(Math.min(EXACT_LIMIT, ex.length * 2));
        grown.set(ex);
        grown[n] = latency;
        this.exact = grown;
      } else this.exact = null;
    }
  }

  /** An accumulator in exactly this state: as if it had been given the same values in the same order. */
  clone(): LatencyAccumulator {
    const c = new LatencyAccumulator();
    c.count = this.count;
    c.sum = this.sum;
    c.sumC = this.sumC;
    c.waitSum = this.waitSum;
    c.waitC = this.waitC;
    c.max = this.max;
    c.exact = this.exact && this.exact.slice();
    c.hist.set(this.hist);
    return c;
  }

  /**
   * Adds every value of `other`, as if each had been `add`ed here (issue 21: a portfolio's latency
   * over all its models' requests). Exact: histograms add bucket by bucket, kept values concatenate
   * while the total stays within `EXACT_LIMIT` (as `add` would keep them); sums add compensated.
   * Percentiles are never averaged. Cost: one pass over the buckets and the kept values.
   */
  mergeFrom(other: LatencyAccumulator): void {
    const n = this.count;
    const total = n + other.count;
    this.sumC += other.sumC;
    let t = this.sum + other.sum;
    this.sumC +=
      Math.abs(this.sum) >= Math.abs(other.sum) ? this.sum - t + other.sum : other.sum - t + this.sum;
    this.sum = t;
    this.waitC += other.waitC;
    t = this.waitSum + other.waitSum;
    this.waitC +=
      Math.abs(this.waitSum) >= Math.abs(other.waitSum)
        ? this.waitSum - t + other.waitSum
        : other.waitSum - t + this.waitSum;
    this.waitSum = t;
    if (other.max > this.max) this.max = other.max;
    for (let k = 0; k < BUCKETS; k++) this.hist[k]! += other.hist[k]!;
    if (this.exact !== null && other.exact !== null && total <= EXACT_LIMIT) {
      const merged = new Float64Array(Math.max(1024, total));
      merged.set(this.exact.subarray(0, n));
      merged.set(other.exact.subarray(0, other.count), n);
      this.exact = merged;
    } else this.exact = null;
    this.count = total;
  }

  /** Summary in seconds, or null when no values were added. */
  summary(): LatencySummary | null {
    const n = this.count;
    if (n === 0) return null;
    const mean = (this.sum + this.sumC) / n;
    const meanWait = (this.waitSum + this.waitC) / n;
    if (this.exact !== null) {
      // Three order statistics by selection (linear time) instead of a full sort: sweeps summarise
      // thousands of runs. Highest rank first, so each later one selects within the part below.
      const a = this.exact.slice(0, n);
      const rank = (p: number): number => nearestRankOf(p, n) - 1;
      const r99 = rank(0.99);
      const r95 = rank(0.95);
      const r50 = rank(0.5);
      select(a, r99, 0, n - 1);
      select(a, r95, 0, r99);
      select(a, r50, 0, r95);
      return {
        count: n,
        mean,
        p50: a[r50]!,
        p95: a[r95]!,
        p99: a[r99]!,
        max: this.max,
        meanWait,
        percentileMethod: 'exact-nearest-rank',
      };
    }
    return {
      count: n,
      mean,
      p50: this.histQuantile(0.5),
      p95: this.histQuantile(0.95),
      p99: this.histQuantile(0.99),
      max: this.max,
      meanWait,
      percentileMethod: 'log-histogram-1pct',
    };
  }

  /**
   * A sorted sample of the distribution, for charts: with k = min(count, size), the values at
   * nearest ranks ⌈i·n/k⌉ for i = 1..k — so every value, sorted, when count ≤ size. Exact while
   * all values are kept, otherwise from the histogram (each within the 1 % bound). Cost: one sort
   * of the kept values, or one pass over the buckets. Example: values 3, 1, 2 → [1, 2, 3].
   */
  quantiles(size = QUANTILE_SAMPLE): Float64Array {
    const n = this.count;
    const k = Math.min(n, size);
    const out = new Float64Array(k);
    if (k === 0) return out;
    if (this.exact !== null) {
      const sorted = this.exact.slice(0, n).sort();
      for (let i = 1; i <= k; i++) out[i - 1] = sorted[Math.ceil((i * n) / k) - 1]!;
      return out;
    }
    let seen = 0;
    let b = 0;
    for (let i = 1; i <= k; i++) {
      const rank = Math.ceil((i * n) / k);
      while (seen + this.hist[b]! < rank) seen += this.hist[b++]!;
      out[i - 1] = Math.min(bucketValue(b), this.max);
    }
    return out;
  }

  /** Nearest rank over the histogram: the bucket holding the ⌈p·n⌉-th smallest value. */
  private histQuantile(p: number): number {
    const rank = nearestRankOf(p, this.count);
    let seen = 0;
    for (let k = 0; k < BUCKETS; k++) {
      seen += this.hist[k]!;
      if (seen >= rank) return Math.min(bucketValue(k), this.max);
    }
    return this.max;
  }
}
