import type { MonthlyCost } from '../billing/lines.js';
import type { RunOutput } from '../compare/run.js';
import { withVerdict } from '../compare/verdict.js';
import { monthlyCosts } from '../planning/monthly/monthly.js';
import { sharedMonthly } from '../planning/monthly/shared.js';
import { poolOnOwnTrace } from '../planning/sweep/base-run.js';
import { runPortfolio, type PortfolioOutput } from '../portfolio/run.js';
import { decidePortfolioVerdict, withModelChecks } from '../portfolio/verdict.js';
import type { LoadedScenario } from '../scenario/load.js';
import { modelScenario } from '../scenario/portfolio-section.js';
import type { Slo } from '../scenario/schema.js';
import type { Progress } from './progress.js';

/*
 * `servesim run` on a portfolio (issue 21; docs/portfolio.md): every model through the single-model
 * pipeline in this thread (the portfolio merges the models' latency accumulators, which records
 * from worker threads do not carry), the 30-day month per model summed (a shared option's from
 * the whole portfolio's representative days), then the verdict over
 * every model. The other analyses (break-even, sensitivity, SLO search) are single-model and do
 * not run on a portfolio yet.
 */

/** The scenario itself, or one single-model scenario per portfolio entry (for per-model checks). */
export function portfolioModels(loaded: LoadedScenario): LoadedScenario[] {
  const s = loaded.scenario;
  return s.models ? s.models.map((_, i) => ({ ...loaded, scenario: modelScenario(s, i) })) : [loaded];
}

export async function simulatePortfolio(
  loaded: LoadedScenario,
  overrides: { seed?: number; region?: string },
  progress: Progress,
  slo: Slo | undefined,
): Promise<RunOutput> {
  const out = runPortfolio(loaded, {
    ...overrides,
    onOptionDone: (key, i, n) => progress.tick(`simulated ${key} (${i + 1}/${n})`),
  });
  const months = await portfolioMonthly(out, loaded.baseDir);
  const costs = new Map(out.result.options.flatMap((o) => (o.cost ? [[o.key, o.cost] as const] : [])));
  for (const [key, m] of sharedMonthly(loaded, out.scenario, costs, out.result.trace.durationSeconds))
    months.set(key, m);
  for (const [key, m] of months) {
    const cost = out.result.options.find((o) => o.key === key)?.cost;
    if (cost) cost.monthly = m;
  }
  const rule = { maxLossRate: out.scenario.maxLossRate, slo };
  out.result = withModelChecks(
    withVerdict(out.result, decidePortfolioVerdict(out.result, out.scenario.rankBy, rule)),
    rule,
  );
  const { byModel: _byModel, ...run } = out;
  return run;
}

/**
 * The 30-day month of each per-model option: each model's month (docs/model.md, its own day types)
 * summed; absent where any model has none (the option is infeasible for it).
 */
async function portfolioMonthly(out: PortfolioOutput, baseDir: string): Promise<Map<string, MonthlyCost>> {
  const months: Map<string, MonthlyCost>[] = [];
  for (const one of out.byModel) {
    // This thread alone: a representative day or two per option, on the model's own trace.
    const pool = poolOnOwnTrace(one.scenario, baseDir, { workers: 1 });
    try {
      months.push(await monthlyCosts(one, pool));
    } finally {
      await pool.close();
    }
  }
  const summed = new Map<string, MonthlyCost>();
  for (const [key, first] of months[0] ?? []) {
    const all = months.map((m) => m.get(key));
    if (all.some((m) => m === undefined)) continue;
    const add = (f: (m: MonthlyCost) => number): number => all.reduce((s, m) => s + f(m!), 0);
    summed.set(key, {
      total: add((m) => m.total),
      aws: add((m) => m.aws),
      staff: add((m) => m.staff),
      method: `each model's month summed (${first.method})`,
    });
  }
  return summed;
}
