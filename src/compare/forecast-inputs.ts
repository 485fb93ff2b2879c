import type { Scenario, ScenarioOption } from '../scenario/schema.js';

/*
 * What each Monte Carlo run of the forecast draws besides its seeds: a value for every uncertain
 * input within its band (src/compare/uncertain.ts), constant over the months of the run — they are
 * facts of the world, not of a month. With `uncertainty: none`, or no uncertain input, every run
 * simulates the scenario's own settings and prices.
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
  /** Run r's option entries and prices (pure in r). */
  draw(run: number): RunInputs;
}

export function monteCarloInputs(
  scenario: Scenario,
  _baseDir: string,
  uncertainty: 'all' | 'none',
): MonteCarloInputs {
  void uncertainty;
  // Seeds only until src/compare/uncertain.ts lands.
  return { inputs: [], draw: () => ({ options: scenario.options }) };
}
