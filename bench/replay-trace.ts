/**
 * A month of per-minute CloudWatch data for the replay bench, written as the binned trace file the
 * CloudWatch importer writes (docs/traces.md), from a seeded generator: same seed, same bytes.
 *
 * 30 days × 1,440 one-minute bins, ~10 M requests in all: a diurnal rate (lowest at 00:00 UTC,
 * highest at 12:00, 0.5–1.5 × the mean) with Poisson noise; token sums of that many lognormal
 * requests (input median 250 / p90 320, output median 60 / p90 75, as bench/month.yaml); ModelCopy
 * as a Bedrock import would report it. Counts and sums use normal approximations (every bin has
 * over 100 requests), so writing the file takes well under a second.
 */
import { writeFileSync } from 'node:fs';
import { Rng } from '../src/sim/rng.js';
import { formatHeader } from '../src/traffic/trace/format.js';

export const REPLAY_DAYS = 30;
export const REPLAY_REQUESTS = 10_000_000;
const START = '2026-03-02T00:00:00Z';
const Z90 = 1.2815515655446004;

/** Mean and variance of a lognormal given by its median and 90th percentile. */
function lognormal(median: number, p90: number): { mean: number; variance: number } {
  const s2 = (Math.log(p90 / median) / Z90) ** 2;
  const mean = median * Math.exp(s2 / 2);
  return { mean, variance: (Math.exp(s2) - 1) * mean * mean };
}

/** Writes the trace to `path`; returns the requests it holds. */
export function writeReplayTrace(path: string, seed = 16): number {
  const bins = REPLAY_DAYS * 1440;
  const perMinute = REPLAY_REQUESTS / bins;
  const input = lognormal(250, 320);
  const output = lognormal(60, 75);
  const rng = new Rng(seed, 'bench-replay');
  const normal = (mean: number, variance: number) =>
    Math.max(0, Math.round(mean + Math.sqrt(variance) * rng.normal()));
  const rows = [
    formatHeader({
      start: START,
      kind: 'binned',
      periodSeconds: 60,
      durationSeconds: bins * 60,
      source: 'bench:synthetic-cloudwatch',
    }),
    't_s,requests,input_tokens,output_tokens,throttles,model_copies,latency_ms',
  ];
  let total = 0;
  for (let i = 0; i < bins; i++) {
    const rate = perMinute * (1 - 0.5 * Math.cos((2 * Math.PI * (i % 1440)) / 1440));
    const n = normal(rate, rate);
    total += n;
    if (n === 0) continue; // CloudWatch has no datapoint for an idle minute
    const inputSum = normal(n * input.mean, n * input.variance);
    const outputSum = normal(n * output.mean, n * output.variance);
    rows.push(`${i * 60},${n},${inputSum},${outputSum},0,${Math.ceil(n / 160)},900`);
  }
  writeFileSync(path, rows.join('\n') + '\n');
  return total;
}
