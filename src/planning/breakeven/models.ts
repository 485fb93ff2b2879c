import { costSplit } from '../../billing/lines.js';
import type { RankBasis } from '../../compare/result.js';
import { runScenario, scenarioAsRun, type RunOptions } from '../../compare/run.js';
import { optionById } from '../../models/registry.js';
import { sharedShares, shareOf } from '../../portfolio/combine.js';
import { OWN, type SharedModelInput } from '../../portfolio/shared.js';
import { sharedOption } from '../../portfolio/shared-options.js';
import { shareFailure, type PortfolioRule } from '../../portfolio/verdict.js';
import type { LoadedScenario } from '../../scenario/load.js';
import { modelScenario } from '../../scenario/portfolio-section.js';
import { compensatedSum } from '../../stats.js';
import { TraceCalendar } from '../../traffic/calendar.js';
import { holdTrace } from '../../traffic/held.js';
import { assembleModelCount, type ModelCountBreakeven, type OptionCost } from './models-result.js';
import { asPortfolio, clonePortfolio, modelGrid } from './models-clones.js';

/*
 * Model-count crossover (issue 21 item 3; docs/breakeven.md "Model count"):
 *
 *   the scenario's mix cloned to 1 … N models (models-clones.ts) ─► per clone: its single-model run
 *     of every per-model option (once; a count's cost is the sum over its first k clones — what a
 *     portfolio run of those k models bills)
 *   per model count k: every shared option run on the first k clones' traces (packing shared)
 *     ─► costs per option and count, ranked ─► where the cheapest changes (models-result.ts)
 *
 * Every grid point is simulated; nothing is extrapolated. Between grid points the crossing is
 * interpolated (and says so).
 */

export interface ModelSweepOptions extends Pick<RunOptions, 'seed' | 'region'> {
  /** The largest model count (the grid is 1, 2, 4, … up to it). */
  max: number;
  /** Called after each simulation unit: a clone's per-model runs, or a shared option at one count. */
  onProgress?: (done: number, total: number) => void;
}

export function analyzeModelCount(loaded: LoadedScenario, opts: ModelSweepOptions): ModelCountBreakeven {
  const scenario = scenarioAsRun(loaded, opts);
  const grid = modelGrid(opts.max);
  const max = grid.at(-1)!;
  const big = clonePortfolio(scenario, max);
  const mix = asPortfolio(scenario).models!.map((m) => m.name);
  const rule: PortfolioRule = { maxLossRate: scenario.maxLossRate, slo: scenario.slo };
  const keys = scenario.options.map((o) => o.key ?? o.id);
  const shared = scenario.options.map((o) => sharedOption(o.id));
  const perModelOptions = scenario.options.filter((_, j) => shared[j] === undefined);
  const sharedCount = shared.filter(Boolean).length;
  const total = max + (sharedCount > 0 ? grid.length : 0);
  let done = 0;

  // Each clone's per-model runs, once; its held trace kept for the shared options.
  const clones: { costs: OptionCost[]; input: SharedModelInput }[] = [];
  let book: ReturnType<typeof runScenario>['book'] | undefined;
  for (let j = 0; j < max; j++) {
    const s = { ...modelScenario(big, j), options: perModelOptions };
    const held = holdTrace(s, loaded.baseDir);
    const out = runScenario({ ...loaded, scenario: s }, { held });
    book ??= out.book;
    const name = big.models![j]!.name;
    clones.push({
      costs: out.result.options.map((o) => ({
        key: o.key,
        total: o.cost?.total ?? null,
        aws: o.cost?.aws ?? null,
        staff: o.cost?.staff ?? null,
        feasible: shareFailure(shareOf(name, o, OWN), rule) === null,
      })),
      input: {
        model: name,
        spec: s.model,
        fineTune: big.models![j]!.fineTune,
        users: held.users,
        trace: out.result.trace,
        seed: s.seed,
      },
    });
    opts.onProgress?.(++done, total);
  }

  const calendar = new TraceCalendar(big.traffic, big.timezone);
  const points = grid.map((k) => {
    const first = clones.slice(0, k);
    let p = 0;
    const costs = scenario.options.map((o, j): OptionCost => {
      const so = shared[j];
      if (so === undefined) {
        const i = p++;
        return sumCosts(
          first.map((c) => c.costs[i]!),
          keys[j]!,
        );
      }
      const outcome = so.run(
        first.map((c) => c.input),
        {
          settings: o,
          key: keys[j]!,
          scenario: { ...big, models: big.models!.slice(0, k) },
          book: book!,
          spanSeconds: calendar.span.durationSeconds,
          calendar,
        },
      );
      if (!outcome.feasible) return { key: keys[j]!, total: null, aws: null, staff: null, feasible: false };
      const cost = costSplit(outcome.bill.lines);
      return {
        key: keys[j]!,
        ...cost,
        feasible: sharedShares(outcome.perModel, so.split).every((m) => shareFailure(m, rule) === null),
      };
    });
    if (sharedCount > 0) opts.onProgress?.(++done, total);
    return { models: k, options: costs };
  });

  return assembleModelCount(
    {
      mix,
      days: calendar.span.durationSeconds / 86400,
      basis: scenario.rankBy as RankBasis,
      shared: keys.filter((_, j) => shared[j] !== undefined),
      baselines: keys.filter((_, j) => optionById(scenario.options[j]!.id)?.baseline === true),
    },
    points,
  );
}

/** A per-model option at k models: its k clones' runs summed; priced and feasible only if every clone's is. */
function sumCosts(cs: readonly OptionCost[], key: string): OptionCost {
  const priced = cs.every((c) => c.total !== null);
  const add = (f: (c: OptionCost) => number | null): number | null =>
    priced ? compensatedSum(cs.map((c) => f(c)!)) : null;
  return {
    key,
    total: add((c) => c.total),
    aws: add((c) => c.aws),
    staff: add((c) => c.staff),
    feasible: priced && cs.every((c) => c.feasible),
  };
}
