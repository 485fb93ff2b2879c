import type { Rng } from './rng.js';

/** z such that Φ(z) = 0.9 (probit(0.9) in stats.ts, to 1e-15), for turning a (median, p90) pair into lognormal parameters. */
export const Z90 = 1.2815515655446004;

/**
 * A distribution of a non-negative quantity (seconds or tokens).
 * - `fixed`: always `value`.
 * - `uniform`: continuous on [min, max].
 * - `exponential`: mean `mean`.
 * - `lognormal`: given by its median and 90th percentile (p90 ≥ median); μ = ln median,
 *   σ = (ln p90 − ln median) / z₀.₉.
 */
export type Dist =
  | { dist: 'fixed'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'exponential'; mean: number }
  | { dist: 'lognormal'; median: number; p90: number };

/** Draws one value. Uses no randomness for `fixed` (so fixed token lengths cost nothing). */
export function sample(d: Dist, rng: Rng): number {
  switch (d.dist) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return d.min + (d.max - d.min) * rng.next();
    case 'exponential':
      return rng.exponential(d.mean);
    case 'lognormal':
      return d.median * Math.exp(lognormalSigma(d) * rng.normal());
  }
}

/**
 * `sample` with the distribution's constants worked out once: the same draws, the same values,
 * for hot loops (token lengths per request, service times).
 */
export function sampler(d: Dist): (rng: Rng) => number {
  switch (d.dist) {
    case 'fixed': {
      const v = d.value;
      return () => v;
    }
    case 'lognormal': {
      const m = d.median;
      const s = lognormalSigma(d);
      return (rng) => m * Math.exp(s * rng.normal());
    }
    default:
      return (rng) => sample(d, rng);
  }
}

function lognormalSigma(d: { median: number; p90: number }): number {
  return (Math.log(d.p90) - Math.log(d.median)) / Z90;
}

/** The distribution's median: (min + max) / 2 for the uniform, mean · ln 2 for the exponential. */
export function distMedian(d: Dist): number {
  switch (d.dist) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'exponential':
      return d.mean * Math.LN2;
    case 'lognormal':
      return d.median;
  }
}

/**
 * A duration setting as a band: fixed → the value; uniform → min, middle, max; exponential and
 * lognormal → their 10th percentile, median and 90th percentile.
 */
export function distBand(d: Dist): { low: number; value: number; high: number } {
  switch (d.dist) {
    case 'fixed':
      return { low: d.value, value: d.value, high: d.value };
    case 'uniform':
      return { low: d.min, value: (d.min + d.max) / 2, high: d.max };
    case 'exponential':
      return { low: d.mean * Math.log(1 / 0.9), value: d.mean * Math.LN2, high: d.mean * Math.log(10) };
    case 'lognormal':
      // p10 = median² / p90: the lognormal is symmetric in log space.
      return { low: (d.median * d.median) / d.p90, value: d.median, high: d.p90 };
  }
}

/** Short human text, e.g. `lognormal(median 30, p90 60)`. */
export function describeDist(d: Dist, unit = ''): string {
  switch (d.dist) {
    case 'fixed':
      return `${d.value}${unit}`;
    case 'uniform':
      return `uniform(${d.min}${unit}–${d.max}${unit})`;
    case 'exponential':
      return `exponential(mean ${d.mean}${unit})`;
    case 'lognormal':
      return `lognormal(median ${d.median}${unit}, p90 ${d.p90}${unit})`;
  }
}
