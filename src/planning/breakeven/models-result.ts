import type { RankBasis } from '../../compare/result.js';

/*
 * The model-count crossover's result (design §11 `breakeven.models`), assembled from the costs at
 * each simulated model count. Pure: the sweep (models.ts) simulates, this ranks and words it.
 */

/** One option at one model count: its cost over the span (USD) and whether it serves every model. */
export interface OptionCost {
  key: string;
  /** Null when the option cannot serve some model (infeasible or unpriced). */
  total: number | null;
  aws: number | null;
  staff: number | null;
  /** Feasible, and every model loses at most maxLossRate (and meets the scenario's SLO, if any). */
  feasible: boolean;
}

export interface ModelCountPoint {
  /** Models in the portfolio (clones of the mix). */
  models: number;
  /** Every option, in the scenario's order. */
  options: OptionCost[];
  /** The cheapest ranked option (feasible, not a baseline) on the scenario's `rankBy`; null if none. */
  cheapest: string | null;
}

export interface ModelCountCrossover {
  from: string;
  to: string;
  /** The first whole model count at which `to` is the cheaper (interpolated when `interpolated`). */
  atModels: number;
  /** The simulated model counts either side: `from` cheapest at the first, `to` at the second. */
  between: [number, number];
  /**
   * True when `atModels` comes from the two options' costs interpolated linearly in the model count
   * between the runs either side (exact where costs grow linearly with models); false when one of
   * them is not ranked at one end, and `atModels` is the second run's count.
   */
  interpolated: boolean;
  sentence: string;
}

export interface ModelCountBreakeven {
  /** The portfolio's model names, in order: the mix that is cloned. */
  mix: string[];
  /** How clones are made, in words. */
  cloneRule: string;
  /** Days of the simulated span (every cost is over the span). */
  days: number;
  basis: RankBasis;
  /** Keys of options whose models share capacity (src/portfolio/shared.ts); the others: one deployment per model. */
  shared: string[];
  /** Keys of catalog-model baselines: priced, never ranked. */
  baselines: string[];
  points: ModelCountPoint[];
  crossovers: ModelCountCrossover[];
  /** Where shared capacity overtakes one deployment per model, or that it never does up to the largest count. */
  sentence: string;
}

export type ModelCountFrame = Pick<ModelCountBreakeven, 'mix' | 'days' | 'basis' | 'shared' | 'baselines'>;

export const CLONE_RULE =
  "clone j (0-based) is portfolio model j mod M, round robin, so every model count keeps the portfolio's mix; each clone draws its own traffic with seed (scenario seed + j), the first M clones being the portfolio itself";

/** The result from the costs at each model count (ascending). */
export function assembleModelCount(
  frame: ModelCountFrame,
  runs: readonly { models: number; options: OptionCost[] }[],
): ModelCountBreakeven {
  const points = runs.map((r) => ({ ...r, cheapest: cheapestAt(r.options, frame) }));
  const crossovers = crossoversOf(points, frame);
  return {
    ...frame,
    cloneRule: CLONE_RULE,
    points,
    crossovers,
    sentence: headline(points, crossovers, frame),
  };
}

const costOf = (o: OptionCost | undefined, basis: RankBasis): number | null =>
  o === undefined ? null : basis === 'aws' ? o.aws : o.total;

/** The ranked option with the lowest cost (the first listed on ties), or null. */
function cheapestAt(options: readonly OptionCost[], f: ModelCountFrame): string | null {
  let best: OptionCost | null = null;
  for (const o of options) {
    const c = costOf(o, f.basis);
    if (!o.feasible || c === null || f.baselines.includes(o.key)) continue;
    if (best === null || c < costOf(best, f.basis)!) best = o;
  }
  return best?.key ?? null;
}

/**
 * Where the cheapest changes between neighbouring counts n0 < n1. With both options ranked at both
 * counts, d(n) = cost(from) − cost(to) is interpolated linearly in n and `atModels` is the first
 * whole count past its zero (at the zero itself the two tie); otherwise `atModels` is n1. Example:
 * from $100/model, to $300 + $40/model → d(4) = −60, d(8) = 180 → zero at 4 + 4 × 60/240 = 5 (a
 * tie) → at 6 models.
 */
export function crossoversOf(points: readonly ModelCountPoint[], f: ModelCountFrame): ModelCountCrossover[] {
  const out: ModelCountCrossover[] = [];
  for (let i = 1; i < points.length; i++) {
    const [p0, p1] = [points[i - 1]!, points[i]!];
    const [a, b] = [p0.cheapest, p1.cheapest];
    if (a === null || b === null || a === b) continue;
    const at = (p: ModelCountPoint, k: string) => {
      const o = p.options.find((x) => x.key === k);
      return o?.feasible ? costOf(o, f.basis) : null;
    };
    const [a0, b0, a1, b1] = [at(p0, a), at(p0, b), at(p1, a), at(p1, b)];
    const [n0, n1] = [p0.models, p1.models];
    let atModels = n1;
    let interpolated = false;
    if (a0 !== null && b0 !== null && a1 !== null && b1 !== null && a1 - b1 > a0 - b0) {
      const zero = n0 + ((n1 - n0) * -(a0 - b0)) / (a1 - b1 - (a0 - b0));
      atModels = Math.min(n1, Math.max(n0 + 1, Math.floor(zero + 1e-9) + 1));
      interpolated = true;
    }
    const where = interpolated
      ? `at ${atModels} models (interpolated between the runs at ${n0} and ${n1} models)`
      : `by ${n1} models (the first run where it is cheaper; ${a} was cheaper at ${n0})`;
    const isShared = (k: string) => f.shared.includes(k);
    const sentence =
      isShared(b) && !isShared(a)
        ? `shared capacity (${b}) overtakes one deployment per model (${a}) ${where}`
        : isShared(a) && !isShared(b)
          ? `one deployment per model (${b}) overtakes shared capacity (${a}) ${where}`
          : `${b} overtakes ${a} ${where}`;
    out.push({ from: a, to: b, atModels, between: [n0, n1], interpolated, sentence });
  }
  return out;
}

function headline(
  points: readonly ModelCountPoint[],
  crossovers: readonly ModelCountCrossover[],
  f: ModelCountFrame,
): string {
  const max = points.at(-1)?.models ?? 0;
  if (f.shared.length === 0)
    return `no option of the scenario shares capacity among models (sagemaker-inference-components does): every option is one deployment per model, so none overtakes it`;
  const overtakes = crossovers.find((c) => f.shared.includes(c.to) && !f.shared.includes(c.from));
  const first = points[0]?.cheapest ?? null;
  if (first !== null && f.shared.includes(first)) {
    const back = crossovers.find((c) => !f.shared.includes(c.to));
    return `shared capacity (${first}) is the cheapest from ${points[0]!.models} model on${back ? `; ${back.sentence}` : `, up to ${max} models`}`;
  }
  if (overtakes) return overtakes.sentence;
  const last = points.at(-1);
  if (!last || points.every((p) => p.cheapest === null))
    return `no option serves every model at any model count up to ${max}`;
  const bestShared = last.options
    .filter((o) => f.shared.includes(o.key) && o.feasible && costOf(o, f.basis) !== null)
    .sort((x, y) => costOf(x, f.basis)! - costOf(y, f.basis)!)[0];
  const perModel = last.cheapest;
  const money = (x: number) =>
    `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (!bestShared)
    return `shared capacity (${f.shared.join(', ')}) serves no model count up to ${max} within the rule, so it never overtakes one deployment per model (${perModel ?? 'none'})`;
  return `shared capacity (${bestShared.key}) never overtakes one deployment per model (${perModel}) up to ${max} models: at ${max} models ${money(costOf(bestShared, f.basis)!)} against ${money(
    costOf(
      last.options.find((o) => o.key === perModel),
      f.basis,
    )!,
  )} over the span`;
}
