import { count, seconds, signedUsd, usd } from '../report/text/format.js';
import type { HeartbeatBreakeven, OptionResult, RankBasis, RunResult, Verdict } from './result.js';

/*
 * The answer first (issue 14; design §11 `verdict`): which option is cheapest for the scenario's
 * fine-tune, which is next and what would make it cheaper, and — for the cheapest, when it scales to
 * zero — what a warm heartbeat costs per interactive cold start it removes. Ranked on the total
 * (AWS bill + staff time, the article's argument) unless the scenario says `rankBy: aws`.
 */

/**
 * The cost an option is ranked on: `cost.total` (AWS bill + staff time) or `cost.aws` (the AWS
 * bill alone); null for an option without a cost (infeasible).
 * Example: SageMaker at {total: 94.36, aws: 39.57} → 94.36 on `total`, 39.57 on `aws`.
 */
export function rankCost(option: Pick<OptionResult, 'cost'>, basis: RankBasis): number | null {
  if (option.cost === null) return null;
  return basis === 'aws' ? option.cost.aws : option.cost.total;
}

/** Options that may be named cheapest (design §3 ranking), cheapest first on `basis`; stable on ties. */
export function rankedOptions(
  options: readonly OptionResult[],
  basis: RankBasis,
  maxLossRate: number,
): OptionResult[] {
  return options
    .filter((o) => {
      if (!o.feasible || o.cost === null || o.baseline) return false;
      const lost = o.requests.throttled + o.requests.failed;
      return !(o.requests.arrived > 0 && lost / o.requests.arrived > maxLossRate);
    })
    .map((o, i) => ({ o, i, c: rankCost(o, basis)! }))
    .sort((a, b) => a.c - b.c || a.i - b.i)
    .map((x) => x.o);
}

export function decideVerdict(r: RunResult, basis: RankBasis, maxLossRate: number): Verdict {
  const ranked = rankedOptions(r.options, basis, maxLossRate);
  const first = ranked[0];
  const second = ranked[1];
  const days = r.trace.durationSeconds / 86400;
  // The analysis runs once per group of entries that differ only in their heartbeat.
  const h = first ? r.breakeven?.heartbeat.find((x) => x.keys.includes(first.key)) : undefined;
  const heartbeat =
    h && h.bestSchedule.heartbeat
      ? {
          option: h.option,
          schedule: h.bestSchedule.schedule,
          setting: h.bestSchedule.heartbeat,
          addedCost: h.bestSchedule.addedCost,
          avoided: h.bestSchedule.avoided,
          costPerAvoided: h.bestSchedule.costPerAvoided,
        }
      : null;
  return {
    cheapest: first?.key ?? null,
    runnerUp: second?.key ?? null,
    basis,
    heartbeat,
    text: first ? verdictText(r, ranked, basis, maxLossRate, days, h) : noneText(r, maxLossRate),
  };
}

/** `$94.36 a day ($39.57 AWS + $54.79 staff time)`. */
function money(o: OptionResult, days: number): string {
  const c = o.cost!;
  return c.staff !== 0
    ? `${usd(c.total)} ${span(days)} (${usd(c.aws)} AWS + ${usd(c.staff)} staff time)`
    : `${usd(c.total)} ${span(days)} (all on the AWS bill)`;
}

function span(days: number): string {
  return Math.abs(days - 1) < 1e-9 ? 'a day' : `over the ${+days.toFixed(2)}-day span`;
}

function verdictText(
  r: RunResult,
  ranked: OptionResult[],
  basis: RankBasis,
  maxLossRate: number,
  days: number,
  h: HeartbeatBreakeven | undefined,
): string {
  const [a, b] = ranked as [OptionResult, OptionResult | undefined];
  const on = basis === 'aws' ? ' on the AWS bill alone' : '';
  let t = `For your fine-tune, ${a.label} is cheapest${on} at ${money(a, days)}`;
  if (b) {
    t += `; ${b.label} is next at ${money(b, days)}`;
    const fte = opsThreshold(r, a, b, basis);
    if (fte !== null) t += `, and becomes cheapest if its ops effort is below ${fte.toPrecision(2)} FTE`;
  }
  t += '.';
  const other: RankBasis = basis === 'total' ? 'aws' : 'total';
  const alt = rankedOptions(r.options, other, maxLossRate)[0];
  if (alt && alt.key !== a.key)
    t +=
      other === 'aws'
        ? ` On the AWS bill alone (no staff time) ${alt.label} would be cheapest at ${usd(alt.cost!.aws)} ${span(days)}.`
        : ` Counting staff time, ${alt.label} would be cheapest at ${usd(alt.cost!.total)} ${span(days)}.`;
  const hits = a.requests.coldStartHitsByClass.interactive;
  const worst = a.requests.coldStartWorstLatency.interactive;
  const over = Math.abs(days - 1) < 1e-9 ? '' : ' over the span';
  if (hits > 0) {
    t +=
      worst === null
        ? ` ${count(hits)} interactive request${hits === 1 ? '' : 's'} fail${hits === 1 ? 's' : ''} on a cold endpoint${over}`
        : ` ${count(hits)} interactive request${hits === 1 ? '' : 's'} wait${hits === 1 ? 's' : ''} on a cold start${over} (up to ${seconds(worst)})`;
    t += heartbeatClause(h, hits);
  } else if (a.capacity && a.requests.coldStartHits > 0)
    t += ` No interactive request waits on a cold start (${count(a.requests.coldStartHits)} batch requests do, which batch does not mind).`;
  const baselines = r.options.filter((o) => o.baseline && o.cost !== null);
  if (baselines.length > 0)
    t += ` Not ranked: ${baselines.map((o) => `${o.key} ${usd(o.cost!.total)}`).join(', ')} — per-token baselines that serve another model, not your fine-tune.`;
  return t;
}

/** What the heartbeat analysis of the cheapest option says about its interactive cold starts. */
function heartbeatClause(h: HeartbeatBreakeven | undefined, hits: number): string {
  if (!h) return '.';
  const never = h.variants[0]!;
  const best = h.variants.find((v) => v.schedule === h.bestSchedule.schedule);
  const hb = h.bestSchedule.heartbeat;
  // Interactive hits the best schedule removes, whatever classes the analysis counted.
  const removed = best ? never.coldStartHitsByClass.interactive - best.coldStartHitsByClass.interactive : 0;
  if (!hb || removed <= 0) {
    const why = !h.classes.includes('interactive')
      ? 'the heartbeat analysis counts only batch cold starts (breakeven.heartbeat.classes)'
      : h.verdict
        ? 'no heartbeat schedule pays for itself at the given cold-start value'
        : 'no heartbeat schedule removes them';
    return `; ${why}.`;
  }
  const weekdays = hb.days === 'weekdays';
  const perDay = h.bestSchedule.addedCost / Math.max(1, h.bestSchedule.daysRun);
  const which = removed >= hits ? 'removes them' : `removes ${count(removed)} of them`;
  return `; a heartbeat ${hb.during.join(', ')}${weekdays ? ' on weekdays' : ''} every ${hb.every} ${which} for ${signedUsd(perDay)} a ${weekdays ? 'weekday' : 'day'} (${signedUsd(h.bestSchedule.addedCost / removed)} per interactive request).`;
}

/**
 * The ops effort (FTE) below which `b` would cost less than `a`: staff time is linear in FTE, so
 * FTE × (a's cost − b's AWS bill) ÷ b's staff cost; null when `b` has no staff time, no `ops`
 * assumption, or would stay dearer with none. Worked: SageMaker $39.57 AWS + $54.79 at 0.1 FTE
 * against $80.98 → 0.1 × (80.98 − 39.57) / 54.79 = 0.0756 FTE.
 */
export function opsThreshold(
  r: RunResult,
  a: OptionResult,
  b: OptionResult,
  basis: RankBasis,
): number | null {
  if (basis !== 'total' || !b.cost || b.cost.staff <= 0) return null;
  const target = a.cost!.total - b.cost.aws;
  if (!(target > 0)) return null;
  const ops = r.assumptions.find(
    (x) => x.option === b.key && x.name === 'ops' && typeof x.value === 'number',
  );
  return ops ? ((ops.value as number) * target) / b.cost.staff : null;
}

function noneText(r: RunResult, maxLossRate: number): string {
  const feasible = r.options.filter((o) => o.feasible && !o.baseline);
  if (feasible.length === 0)
    return 'No option that serves your fine-tune is feasible for this scenario; see each option’s reasons.';
  return `No option that serves your fine-tune loses at most ${(maxLossRate * 100).toFixed(1)} % of the requests (maxLossRate); raise capacity or quotas, or maxLossRate.`;
}

/** The result with `verdict` placed right after `trace`, so results.json reads answer first. */
export function withVerdict(r: RunResult, verdict: Verdict): RunResult {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    if (k === 'verdict') continue;
    out[k] = v;
    if (k === 'trace') out.verdict = verdict;
  }
  return out as unknown as RunResult;
}
