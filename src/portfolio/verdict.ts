import { seconds, usd } from '../report/text/format.js';
import { rankCost } from '../compare/verdict.js';
import type { OptionResult, RankBasis, RunResult, Verdict } from '../compare/result.js';
import type { Slo } from '../scenario/schema.js';
import type { ModelShare } from './result-types.js';

/*
 * The portfolio's answer (issue 21 item 3): the cheapest option that serves EVERY model — each
 * model loses at most `maxLossRate` of its requests and, with an `slo`, meets it on its own
 * requests — and, for cheaper options that do not, which model fails and why.
 */

/** What each model must meet: the loss bound always, the scenario's (or --slo's) SLO when given. */
export interface PortfolioRule {
  maxLossRate: number;
  slo?: Slo | undefined;
}

/**
 * Why one model's share misses the rule, or null when it meets it. A class without requests meets
 * an SLO on that class vacuously. Percentiles are the model's own (nearest rank over its requests).
 * Example: p95 42 s against a 30 s target → `p95 42.0 s > 30.0 s (interactive)`.
 */
export function shareFailure(m: ModelShare, rule: PortfolioRule): string | null {
  if (!m.feasible) return m.reasons[0] ?? 'not feasible';
  const r = m.requests;
  const lost = r.throttled + r.failed;
  if (r.arrived > 0 && lost / r.arrived > rule.maxLossRate)
    return `${+((lost / r.arrived) * 100).toFixed(2)} % of requests lost (maxLossRate ${+(rule.maxLossRate * 100).toFixed(2)} %)`;
  const slo = rule.slo;
  if (!slo) return null;
  const achieved = m.latency?.[slo.class]?.[slo.percentile] ?? null;
  if (achieved === null || achieved <= slo.target) return null;
  return `${slo.percentile} ${seconds(achieved)} > ${seconds(slo.target)} (${slo.class})`;
}

/** Each model of an option that misses the rule, with why; empty when every model meets it. */
export function modelFailures(o: OptionResult, rule: PortfolioRule): { model: string; why: string }[] {
  return (o.perModel ?? []).flatMap((m) => {
    const why = shareFailure(m, rule);
    return why === null ? [] : [{ model: m.model, why }];
  });
}

/** Options that may be named cheapest: feasible, not baselines, every model meeting the rule; cheapest first. */
export function rankedPortfolioOptions(
  options: readonly OptionResult[],
  basis: RankBasis,
  rule: PortfolioRule,
): OptionResult[] {
  return options
    .filter((o) => o.feasible && o.cost !== null && !o.baseline && modelFailures(o, rule).length === 0)
    .map((o, i) => ({ o, i, c: rankCost(o, basis)! }))
    .sort((a, b) => a.c - b.c || a.i - b.i)
    .map((x) => x.o);
}

export function decidePortfolioVerdict(r: RunResult, basis: RankBasis, rule: PortfolioRule): Verdict {
  const ranked = rankedPortfolioOptions(r.options, basis, rule);
  const [a, b] = ranked;
  const days = r.trace.durationSeconds / 86400;
  const names = (r.models ?? []).map((m) => m.name);
  const meets = ruleText(rule);
  let text: string;
  if (a) {
    text =
      `For your portfolio of ${names.length} model${names.length === 1 ? '' : 's'} (${names.join(', ')}), ` +
      `${a.label} is cheapest${basis === 'aws' ? ' on the AWS bill alone' : ''} at ${money(a, basis, days)}, ${meets} for every model` +
      (b ? `; ${b.label} is next at ${money(b, basis, days)}.` : '.');
  } else
    text = `No option serves every model of the portfolio (${names.join(', ')}) ${meets}; see which model fails for each option.`;
  // Cheaper options that fail one model or more: say which model and why.
  const limit = a ? rankCost(a, basis)! : Infinity;
  const failing = r.options.filter(
    (o) =>
      o.feasible &&
      !o.baseline &&
      o.cost !== null &&
      rankCost(o, basis)! < limit &&
      modelFailures(o, rule).length > 0,
  );
  for (const o of failing)
    text += ` ${o.label} (${money(o, basis, days)}) ${a ? 'is cheaper but fails' : 'fails'} for ${modelFailures(
      o,
      rule,
    )
      .map((f) => `${f.model} (${f.why})`)
      .join(', ')}.`;
  const baselines = r.options.filter((o) => o.baseline && o.cost !== null);
  if (baselines.length > 0)
    text += ` Not ranked: ${baselines.map((o) => `${o.key} ${usd(o.cost!.total)}`).join(', ')} — per-token baselines that serve another model, not your fine-tunes.`;
  return { cheapest: a?.key ?? null, runnerUp: b?.key ?? null, basis, heartbeat: null, text };
}

/** The result with each `perModel` entry's `fails` set against the rule (in place of any earlier). */
export function withModelChecks(r: RunResult, rule: PortfolioRule): RunResult {
  return {
    ...r,
    options: r.options.map((o) =>
      o.perModel ? { ...o, perModel: o.perModel.map((m) => ({ ...m, fails: shareFailure(m, rule) })) } : o,
    ),
  };
}

function ruleText(rule: PortfolioRule): string {
  const loss = `losing at most ${+(rule.maxLossRate * 100).toFixed(2)} % of requests`;
  const slo = rule.slo;
  return slo ? `meeting ${slo.percentile} ≤ ${seconds(slo.target)} (${slo.class}) and ${loss}` : loss;
}

function money(o: OptionResult, basis: RankBasis, days: number): string {
  const span = Math.abs(days - 1) < 1e-9 ? 'a day' : `over the ${+days.toFixed(2)}-day span`;
  return `${usd(rankCost(o, basis)!)} ${span}`;
}
