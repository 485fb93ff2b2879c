/**
 * Latency statistics with memory bounded regardless of run length (design §3).
 *
 * Each accumulator keeps every value until it holds `EXACT_LIMIT` of them; percentiles are then
 * exact nearest-rank on the sorted values. Past that it falls back to a log-bucketed histogram:
 * bucket k holds [γ^k·MIN, γ^(k+1)·MIN) with γ = 1.02 and reports the value 2γ^(k+1)·MIN/(1+γ),
 * whose relative error is at most (γ−1)/(γ+1) ≈ 0.99 % for any value in the bucket.
 * The histogram is always filled, so switching costs nothing.
 */

export const EXACT_LIMIT = 200_000;
const GAMMA = 1.02;
const LOG_GAMMA = Math.log(GAMMA);
/** Smallest resolved latency: 1 µs. Values below it (including 0) share bucket 0. */
const MIN = 1e-6;
/** Largest resolved latency ≈ MIN·γ^1500 ≈ 8e6 s (three months); longer values share the top bucket. */
const BUCKETS = 1500;

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
  if (x <= MIN) return 0;
  const k = Math.floor(Math.log(x / MIN) / LOG_GAMMA) + 1;
  return k < BUCKETS ? k : BUCKETS - 1;
}

function bucketValue(k: number): number {
  if (k === 0) return 0;
  return (2 * MIN * Math.pow(GAMMA, k)) / (1 + GAMMA);
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
    // Neumaier-compensated sums: millions of sub-second values must not lose their tail.
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

  /** Summary in seconds, or null when no values were added. */
  summary(): LatencySummary | null {
    const n = this.count;
    if (n === 0) return null;
    const mean = (this.sum + this.sumC) / n;
    const meanWait = (this.waitSum + this.waitC) / n;
    if (this.exact !== null) {
      const sorted = this.exact.slice(0, n).sort();
      const q = (p: number): number => sorted[Math.max(0, Math.ceil(p * n) - 1)]!;
      return {
        count: n,
        mean,
        p50: q(0.5),
        p95: q(0.95),
        p99: q(0.99),
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

  /** Nearest rank over the histogram: the bucket holding the ⌈p·n⌉-th smallest value. */
  private histQuantile(p: number): number {
    const rank = Math.max(1, Math.ceil(p * this.count));
    let seen = 0;
    for (let k = 0; k < BUCKETS; k++) {
      seen += this.hist[k]!;
      if (seen >= rank) return Math.min(bucketValue(k), this.max);
    }
    return this.max;
  }
}
