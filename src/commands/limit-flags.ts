import type { Argv } from 'yargs';
import { echo, InputError } from '../errors.js';
import {
  checkRequests,
  checkScenarioWork,
  DEFAULT_LIMITS,
  estimateRequests,
  type WorkLimits,
} from '../scenario/limits.js';
import { inScenarioFile, type LoadedScenario } from '../scenario/load.js';
import type { GlobalFlags } from './context.js';

/*
 * The work-limit flags (issue 17 item 1; README "Work limits") of the commands that simulate: run,
 * replay, breakeven, forecast and trace generate. One block, added by each command's builder.
 */

/** A positive count such as `2e9` or `5000000000`: digits or scientific notation, given once. */
function countFlag(name: string): (v: unknown) => number {
  return (v) => {
    if (Array.isArray(v)) throw new InputError(`--${name} given more than once; give it once`);
    const text = String(v).trim();
    const n = Number(text);
    if (!/^\d+(\.\d+)?(e\+?\d+)?$/i.test(text) || !(n >= 1) || !Number.isFinite(n))
      throw new InputError(`--${name} must be a number ≥ 1 such as 2e9, got ${echo(String(v))}`);
    return n;
  };
}

/** `--max-requests N` and `--max-days N`, as yargs options. */
export const LIMIT_OPTIONS = {
  'max-requests': {
    type: 'string',
    describe: `Most requests simulated, e.g. 5e9 (default ${DEFAULT_LIMITS.maxRequests.toExponential().replace('e+', 'e')})`,
    coerce: countFlag('max-requests'),
  },
  'max-days': {
    type: 'string',
    describe: `Longest simulated span in days (default ${DEFAULT_LIMITS.maxDays}, 3 years)`,
    coerce: countFlag('max-days'),
  },
} as const;

/** Adds `--max-requests N` and `--max-days N` to a command. */
export function limitOptions<T>(y: Argv<T>): Argv<T> {
  return y.options(LIMIT_OPTIONS) as unknown as Argv<T>;
}

/** The limits from a command's argv: the defaults unless a flag raises (or lowers) one. */
export function limitsOf(argv: Record<string, unknown>): WorkLimits {
  return {
    maxRequests: typeof argv.maxRequests === 'number' ? argv.maxRequests : DEFAULT_LIMITS.maxRequests,
    maxDays: typeof argv.maxDays === 'number' ? argv.maxDays : DEFAULT_LIMITS.maxDays,
  };
}

/**
 * Before any work: the scenario's span and requests (and, with `volume`, its volume sweep's)
 * within the command's limits, or exit 2 pointing into the scenario file.
 */
export function checkWork(
  loaded: LoadedScenario,
  flags: GlobalFlags,
  volume = false,
  /** More checks whose errors name a field of the scenario (`forecast.runs`). */
  more?: () => void,
): void {
  inScenarioFile(loaded, () => {
    checkScenarioWork(loaded.scenario, loaded.baseDir, flags.limits ?? DEFAULT_LIMITS, { volume });
    more?.();
  });
}

/**
 * A portfolio's requests over all its models, checked against `--max-requests` (each model's own
 * run is checked by `checkWork` too): ten models of 2e8 requests are 2e9 simulated.
 */
export function checkPortfolioWork(
  loaded: LoadedScenario,
  models: readonly LoadedScenario[],
  flags: GlobalFlags,
): void {
  if (models.length < 2) return;
  const limits = flags.limits ?? DEFAULT_LIMITS;
  inScenarioFile(loaded, () => {
    let total = 0;
    for (const m of models) total += estimateRequests(m.scenario, m.baseDir, limits.maxRequests).requests;
    checkRequests(total, limits, 'models', `the portfolio's ${models.length} models`);
  });
}
