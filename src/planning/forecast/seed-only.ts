import type { ScenarioOption } from '../../scenario/schema.js';
import type { DrawnInput } from './inputs.js';
import type { DayCosts } from './volumes.js';

/*
 * `seedOnlyRuns` (docs/forecast.md, "Approximations"): when the runs draw uncertain inputs, an
 * option none of them reaches (the per-token baselines of the default scenario) differs between
 * runs only by the seed of its days. Only the first `seedOnlyRuns` runs simulate it; run r after
 * those takes its outcome from run r mod `seedOnlyRuns` (same day, same volume). Its band is then
 * spread by that many seeds instead of every run's. Without drawn inputs (`uncertainty: none`)
 * every option is seed-only and nothing is reused: the runs are the seeds.
 */

/** The options to reuse and the runs that simulate them; null when every run simulates every option. */
export function seedOnlyOptions(
  options: readonly ScenarioOption[],
  inputs: readonly DrawnInput[],
  runs: number,
  seedOnlyRuns: number | 'all',
): { runs: number; keys: string[] } | null {
  if (seedOnlyRuns === 'all' || seedOnlyRuns >= runs || inputs.length === 0) return null;
  const reached = new Set(inputs.flatMap((x) => x.keys));
  const keys = options.map((o) => o.key ?? o.id).filter((k) => !reached.has(k));
  return keys.length === 0 ? null : { runs: seedOnlyRuns, keys };
}

/** A run's day with the seed-only options' outcomes taken from the donor run's same day. */
export function withDonor(
  own: DayCosts | null,
  donor: DayCosts | null,
  keys: readonly string[],
): DayCosts | null {
  if (donor === null) return own;
  const out: DayCosts = new Map(own ?? []);
  for (const k of keys) {
    const o = donor.get(k);
    if (o) out.set(k, o);
  }
  return out;
}
