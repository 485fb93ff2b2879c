import { InputError } from '../../errors.js';
import { checkRequests, estimateRequests, type WorkLimits } from '../../scenario/limits.js';
import { modelScenario } from '../../scenario/portfolio-section.js';
import type { PortfolioModel, Scenario } from '../../scenario/schema.js';

/*
 * The portfolios a model-count sweep runs (docs/breakeven.md "Model count"): the scenario's traffic
 * mix cloned to N models, and the model counts simulated.
 *
 * Clone rule: clone j (0-based) is portfolio model j mod M (M models in the portfolio; a
 * single-model scenario is a portfolio of its one model), round robin so every prefix keeps the
 * mix. Clone j is portfolio entry j, so it draws its traffic with seed `seed + j` — its own draws —
 * and the first M clones are the portfolio itself. Round r ≥ 1 names its clones `<name>.<r>`; a
 * LoRA clone keeps its adapter on its base's clone of the same round.
 */

/** The most models a sweep may clone to (`--max`). */
export const MAX_MODEL_COUNT = 1024;

/** The scenario as a portfolio: itself, or its one model as the portfolio's only entry. */
export function asPortfolio(s: Scenario): Scenario {
  if (s.models) return s;
  const { model, traffic } = s;
  const entry: PortfolioModel = { ...model, fineTune: 'full', components: traffic.components };
  // As loaded, a portfolio's `traffic.components` is empty: its models hold the traffic.
  return { ...s, models: [entry], traffic: { ...traffic, components: [] } };
}

/** The portfolio of `n` clones of the scenario's mix (the clone rule above). */
export function clonePortfolio(s: Scenario, n: number): Scenario {
  const mix = asPortfolio(s).models!;
  const m = mix.length;
  const name = (i: number, round: number): string =>
    round === 0 ? mix[i]!.name : `${mix[i]!.name}.${round}`;
  const models = Array.from({ length: n }, (_, j): PortfolioModel => {
    const i = j % m;
    const round = Math.floor(j / m);
    const entry = mix[i]!;
    const ft = entry.fineTune;
    const baseAt = ft === 'full' ? -1 : mix.findIndex((e) => e.name === ft.lora.base);
    return {
      ...entry,
      name: name(i, round),
      fineTune: ft === 'full' || baseAt < 0 ? ft : { lora: { ...ft.lora, base: name(baseAt, round) } },
    };
  });
  return { ...asPortfolio(s), models };
}

/** 1, 2, 4, 8, … up to `max`, with `max` itself last. modelGrid(10) → [1, 2, 4, 8, 10]. */
export function modelGrid(max: number): number[] {
  if (!Number.isInteger(max) || max < 2 || max > MAX_MODEL_COUNT)
    throw new InputError(
      `--max must be a whole number of models from 2 to ${MAX_MODEL_COUNT.toLocaleString('en-US')}, got ${max}`,
    );
  const out: number[] = [];
  for (let k = 1; k < max; k *= 2) out.push(k);
  out.push(max);
  return out;
}

/**
 * The requests a sweep simulates, estimated before any work: each per-model option simulates every
 * clone once (a model count's per-model cost is the sum of its clones' runs), each shared option
 * every clone of every model count (`Σ_k Σ_{j<k} requests_j`). Refused above `limits.maxRequests`.
 * Example: a mix of one model of 1,000 requests, --max 4 (grid 1, 2, 4), one option of each kind:
 * 4 × 1,000 + (1 + 2 + 4) × 1,000 = 11,000.
 */
export function checkModelSweepWork(
  s: Scenario,
  baseDir: string,
  grid: readonly number[],
  kinds: { perModel: number; shared: number },
  limits: WorkLimits,
): number {
  const p = asPortfolio(s);
  const mix = p.models!.map((_, i) => estimateRequests(modelScenario(p, i), baseDir).requests);
  const upTo = (k: number): number => {
    let n = 0;
    for (let j = 0; j < k; j++) n += mix[j % mix.length]!;
    return n;
  };
  const requests = kinds.perModel * upTo(grid.at(-1)!) + kinds.shared * grid.reduce((t, k) => t + upTo(k), 0);
  checkRequests(
    requests,
    limits,
    p === s ? 'models' : 'traffic.components',
    `the model-count sweep (${grid.length} model counts up to ${grid.at(-1)}, every option)`,
  );
  return requests;
}
