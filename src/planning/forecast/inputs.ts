import type { Scenario, ScenarioOption } from '../../scenario/schema.js';
import { Rng } from '../../sim/rng.js';
import { applyInputs, collect, drawInputs } from '../sensitivity/uncertain.js';

/*
 * What each Monte Carlo run of the forecast draws besides its seeds: a value for every uncertain
 * input that is a fact of the world (src/planning/sensitivity/uncertain.ts: per-copy concurrency, cold starts,
 * the CMU rate version, the window rule, launch times, ops effort — not the defaults servesim
 * chose for settings, which are decisions), each within its band. Drawn once per run and constant
 * over its months. With `uncertainty: none`, or no such input, every run simulates the scenario's
 * own settings and prices.
 */

/** An uncertain input as the forecast reports it (what was drawn, over which band). */
export interface DrawnInput {
  id: string;
  label: string;
  keys: string[];
  unit: string;
  base: number | string;
  low: number | string;
  high: number | string;
}

/** The option entries and price overrides one run simulates. */
export interface RunInputs {
  options: ScenarioOption[];
  prices?: Record<string, number>;
}

export interface MonteCarloInputs {
  /** The inputs drawn per run (empty: runs differ only in their seeds). */
  inputs: DrawnInput[];
  /** Run r's option entries and prices (pure in r and the scenario's seed). */
  draw(run: number): RunInputs;
}

export function monteCarloInputs(
  scenario: Scenario,
  baseDir: string,
  uncertainty: 'all' | 'none',
): MonteCarloInputs {
  const base: MonteCarloInputs = { inputs: [], draw: () => ({ options: scenario.options }) };
  if (uncertainty === 'none') return base;
  const { inputs, dists } = collect(scenario, baseDir);
  const facts = inputs.filter((x) => x.role === 'fact');
  if (facts.length === 0) return base;
  return {
    inputs: facts.map(({ id, label, keys, unit, base, low, high }) => ({
      id,
      label,
      keys,
      unit,
      base,
      low,
      high,
    })),
    draw(run) {
      const values = drawInputs(facts, Rng.derive(scenario.seed, 'forecast-inputs', run));
      const { options, prices } = applyInputs(scenario, facts, values, dists);
      return Object.keys(prices).length > 0 ? { options, prices } : { options };
    },
  };
}
