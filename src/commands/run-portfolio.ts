import type { RunOutput } from '../compare/run.js';
import { withVerdict } from '../compare/verdict.js';
import { runPortfolio } from '../portfolio/run.js';
import { decidePortfolioVerdict, withModelChecks } from '../portfolio/verdict.js';
import type { LoadedScenario } from '../scenario/load.js';
import { modelScenario } from '../scenario/portfolio-section.js';
import type { Slo } from '../scenario/schema.js';
import type { Progress } from './progress.js';

/*
 * `servesim run` on a portfolio (issue 21; docs/portfolio.md): every model through the single-model
 * pipeline in this thread (the portfolio merges the models' latency accumulators, which records
 * from worker threads do not carry), then the verdict over every model. The analyses (break-even,
 * sensitivity, SLO search, the 30-day month) are single-model and do not run on a portfolio yet.
 */

/** The scenario itself, or one single-model scenario per portfolio entry (for per-model checks). */
export function portfolioModels(loaded: LoadedScenario): LoadedScenario[] {
  const s = loaded.scenario;
  return s.models ? s.models.map((_, i) => ({ ...loaded, scenario: modelScenario(s, i) })) : [loaded];
}

export function simulatePortfolio(
  loaded: LoadedScenario,
  overrides: { seed?: number; region?: string },
  progress: Progress,
  slo: Slo | undefined,
): RunOutput {
  const out = runPortfolio(loaded, {
    ...overrides,
    onOptionDone: (key, i, n) => progress.tick(`simulated ${key} (${i + 1}/${n})`),
  });
  const rule = { maxLossRate: out.scenario.maxLossRate, slo };
  out.result = withModelChecks(
    withVerdict(out.result, decidePortfolioVerdict(out.result, out.scenario.rankBy, rule)),
    rule,
  );
  return out;
}
