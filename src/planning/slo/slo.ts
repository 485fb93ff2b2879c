import { bisect } from '../bisect.js';
import { InputError } from '../../errors.js';
import type { Heartbeat } from '../../models/heartbeat.js';
import { optionById } from '../../models/registry.js';
import type { LoadedScenario } from '../../scenario/load.js';
import type { Scenario, ScenarioOption, Slo } from '../../scenario/schema.js';
import { formatDuration } from '../../scenario/units.js';
import { TraceCalendar } from '../../traffic/calendar.js';
import { settingOf } from '../breakeven/schedules.js';
import type { SloBinding, SloOption, SloResult } from '../../compare/result.js';
import { describeSettings } from '../../report/text/format.js';
import { scenarioPriceBook, summarizeTrace } from '../../compare/run.js';
import { linesOf, type GridContext, type Line } from './grid.js';
import { classLatency, judge, type Verdict } from './verdict.js';
import { trafficShape, type VariantOutcome } from '../sweep/sweep.js';
import type { SweepPool, PoolOptions } from '../sweep/pool.js';
import { poolOnOwnTrace } from '../sweep/base-run.js';

/*
 * The cheapest path under a latency SLO (docs/slo.md):
 *
 *   option as configured ─► search lines (the option's sloSizing hook, via grid.ts) ─► count search
 *   per line ─► cheapest that meets the target, and what keeps the option from being cheaper (verdict.ts)
 *
 * Each setting is one full simulation of the scenario through the sweep pool, with the option's
 * own key, so every variant sees the same requests and service draws (common random numbers).
 * Within an option everything runs in a fixed order (pruning depends on the best found so far);
 * options run side by side. Same scenario + seed ⇒ same result, for any number of workers.
 */

export interface SloOptions extends PoolOptions {
  seed?: number;
  region?: string;
  /** Only the options whose key passes (a shard's units, design §11.7); default all. */
  units?: (key: string) => boolean;
}

/** USD below which two costs are the same. */
const EPS = 1e-9;

interface Attempt {
  entry: ScenarioOption;
  outcome: VariantOutcome;
  verdict: Verdict;
}

/**
 * Per option, the cheapest setting that meets `slo` with loss ≤ maxLossRate. `where` names the
 * SLO's origin in error messages (`slo` for the scenario's section, `--slo` for the flag).
 */
export async function analyzeSlo(
  loaded: LoadedScenario,
  slo: Slo,
  opts: SloOptions = {},
  where = 'slo',
): Promise<SloResult> {
  const scenario: Scenario = {
    ...loaded.scenario,
    seed: opts.seed ?? loaded.scenario.seed,
    region: opts.region ?? loaded.scenario.region,
  };
  const span = new TraceCalendar(scenario.traffic, scenario.timezone).span;
  // The search simulates the scenario's own trace many times: generated once, shared.
  const pool = poolOnOwnTrace(scenario, loaded.baseDir, opts);
  const trace = summarizeTrace(scenario, span.startUtcIso, span.durationSeconds, loaded.baseDir, pool.trace);
  const n = slo.class === 'all' ? trace.requests : trace.byClass[slo.class].requests;
  if (n === 0)
    throw new InputError(
      `the traffic has no ${slo.class === 'all' ? '' : `${slo.class} `}requests, so the SLO measures nothing; ${slo.class === 'interactive' ? 'use class batch or all' : 'pick a class the traffic has'}`,
      where.startsWith('--') ? `${where} class` : `${where}.class`,
    );
  const shape = trafficShape(scenario, loaded.baseDir, pool.trace);
  const book = scenarioPriceBook(scenario, loaded.baseDir);
  try {
    const options = await Promise.all(
      scenario.options
        .filter((o) => opts.units?.(o.key ?? o.id) ?? true)
        .map((o) =>
          searchOption(o, pool, slo, scenario.maxLossRate, {
            model: scenario.model,
            region: scenario.region,
            book,
            hourMask: shape.hourMask,
          }),
        ),
    );
    return {
      percentile: slo.percentile,
      target: slo.target,
      class: slo.class,
      options,
      cheapest: cheapestMeeting(scenario.options, options),
    };
  } finally {
    await pool.close();
  }
}

/**
 * Key of the option whose best setting is cheapest (the first on ties; baselines never), or null.
 * `results` are the searched options' results in the scenario's order (`options` is that order).
 */
export function cheapestMeeting(
  options: readonly ScenarioOption[],
  results: readonly SloOption[],
): string | null {
  const byKey = new Map(results.map((r) => [r.key, r]));
  let cheapest: SloOption | null = null;
  for (const o of options) {
    const r = byKey.get(o.key ?? o.id);
    if (r === undefined || r.best === null || optionById(o.id)?.baseline === true) continue;
    if (cheapest === null || r.best.cost < cheapest.best!.cost - EPS) cheapest = r;
  }
  return cheapest?.key ?? null;
}

async function searchOption(
  o: ScenarioOption,
  pool: SweepPool,
  slo: Slo,
  maxLossRate: number,
  grid: Omit<GridContext, 'scaleToZeroSeconds'>,
): Promise<SloOption> {
  const memo = new Map<string, Promise<Attempt>>();
  const attempt = (entry: ScenarioOption): Promise<Attempt> => {
    const k = JSON.stringify(entry);
    let p = memo.get(k);
    if (p === undefined) {
      p = pool.submit({ scale: 1, options: [entry] }).then(([outcome]) => ({
        entry,
        outcome: outcome!,
        verdict: judge(outcome!, slo, maxLossRate),
      }));
      memo.set(k, p);
    }
    return p;
  };
  const configured = await attempt(o);
  let best = configured.verdict.meets ? configured : undefined;
  const sized = linesOf(o, { ...grid, scaleToZeroSeconds: configured.outcome.scaleToZeroSeconds });
  for (const line of sized?.lines ?? []) {
    const found = await searchLine(line, (n) => attempt(line.at(n)), best?.outcome.cost ?? Infinity);
    if (found && (best === undefined || cost(found) < cost(best) - EPS)) best = found;
  }
  const tried = await Promise.all(memo.values());
  const r = summarize(o, configured, best, tried, slo, maxLossRate, sized?.counts ?? new Set());
  if (sized !== null) return r;
  const title = optionById(o.id)?.title ?? o.id;
  return {
    ...r,
    note: `${title} does not support the SLO search (it has no sizing hook), so only its settings as configured were checked: ${r.note}`,
  };
}

const cost = (a: Attempt): number => a.outcome.cost ?? Infinity;

/**
 * The cheapest count of a line that meets the target, assuming more of the count never makes
 * latency worse: from `start`, bisect downwards when it meets, else double until it does, then
 * bisect back. A line ends early at a failure the count cannot cure (`fixes`) or that already
 * costs more than `bound` (the best found on earlier lines).
 */
async function searchLine(
  line: Line,
  at: (n: number) => Promise<Attempt>,
  bound: number,
): Promise<Attempt | undefined> {
  const ends = (a: Attempt): boolean =>
    a.outcome.cost === null || cost(a) > bound + EPS || !line.fixes.includes(a.verdict.binding!);
  const first = await at(line.start);
  // Invariant: `fail` misses the target (lo − 1 stands for "below the range"), `meet` meets it.
  let fail = line.lo - 1;
  let meet = line.start;
  let best = first;
  if (!first.verdict.meets) {
    if (ends(first)) return undefined;
    let hit: Attempt | undefined;
    while (meet < line.hi && hit === undefined) {
      fail = meet;
      meet = Math.min(line.hi, Math.max(meet + 1, meet * 2));
      const a = await at(meet);
      if (a.verdict.meets) hit = a;
      else if (ends(a)) return undefined;
    }
    if (hit === undefined) return undefined;
    best = hit;
  }
  await bisect(
    meet,
    fail,
    async (mid) => {
      const a = await at(mid);
      if (!a.verdict.meets) return false;
      // Going down: only a strictly cheaper count replaces the one found (ties keep the scenario's).
      if (cost(a) < cost(best) - EPS || (!first.verdict.meets && cost(a) <= cost(best) + EPS)) best = a;
      return true;
    },
    'integer',
  );
  return best;
}

function summarize(
  o: ScenarioOption,
  configured: Attempt,
  best: Attempt | undefined,
  tried: Attempt[],
  slo: Slo,
  maxLossRate: number,
  counts: ReadonlySet<string>,
): SloOption {
  const key = o.key ?? o.id;
  const target = `${slo.percentile} ≤ ${formatDuration(slo.target)}`;
  const c = configured.outcome;
  const base = {
    key,
    meets: configured.verdict.meets,
    configured: c.cost === null ? null : { cost: c.cost, achieved: configured.verdict.achieved },
  };
  if (best !== undefined) {
    const settings = changedSettings(o, best.entry);
    // What keeps it from being cheaper: the dearest setting tried that costs less and misses.
    let near: Attempt | undefined;
    for (const a of tried)
      if (a.outcome.cost !== null && !a.verdict.meets && cost(a) < cost(best) - EPS)
        if (near === undefined || cost(a) > cost(near) + EPS) near = a;
    // A cheaper setting that misses on latency and differs only in counts was cured by more
    // capacity: queueing, however short its waits looked next to its service time.
    const onlyCounts =
      near !== undefined && Object.keys(changedSettings(near.entry, best.entry)).every((k) => counts.has(k));
    const binding: SloBinding | null =
      near === undefined
        ? null
        : near.verdict.binding === 'service time' && onlyCounts
          ? 'queueing'
          : near.verdict.binding;
    const achieved = best.verdict.achieved;
    const at = achieved === null ? '' : ` (${slo.percentile} ${achieved.toFixed(2)} s)`;
    const head =
      Object.keys(settings).length === 0
        ? `meets ${target} as configured${at}`
        : `meets ${target} with ${describeSettings(settings)}${at}`;
    return {
      ...base,
      best: { settings, cost: cost(best), achieved },
      binding,
      note:
        near === undefined
          ? `${head}; no cheaper setting tried misses it`
          : `${head}; cheaper settings miss it (${describeSettings(changedSettings(o, near.entry)) || 'as configured'}: ${missBy(near, slo)})`,
    };
  }
  // No setting meets it: explain the attempt that came closest.
  const feasible = tried.filter((a) => a.outcome.cost !== null);
  const within = feasible.filter((a) => a.verdict.loss <= maxLossRate && a.verdict.achieved !== null);
  let closest: Attempt = configured;
  if (feasible.length > 0) {
    const pool = within.length > 0 ? within : feasible;
    const score = (a: Attempt): number => (within.length > 0 ? a.verdict.achieved! : a.verdict.loss);
    closest = pool.reduce((x, a) => (score(a) < score(x) - EPS ? a : x));
  }
  const settings = describeSettings(changedSettings(o, closest.entry));
  return {
    ...base,
    best: null,
    binding: closest.verdict.binding,
    note: `no setting tried meets ${target}: ${closest.verdict.why}${settings ? ` (closest: ${settings})` : ''}`,
  };
}

/** Why a cheaper setting misses: latency with its mean wait, or the verdict's own reason. */
function missBy(a: Attempt, slo: Slo): string {
  const l = classLatency(a.outcome, slo);
  if (!['service time', 'queueing'].includes(a.verdict.binding!) || l === null || a.verdict.achieved === null)
    return a.verdict.why;
  return `${slo.percentile} ${a.verdict.achieved.toFixed(2)} s, mean wait ${l.meanWait.toFixed(2)} s`;
}

/** The settings of `entry` that differ from the scenario's `o` (null = removed), as a scenario writes them. */
function changedSettings(o: ScenarioOption, entry: ScenarioOption): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(entry))
    if (JSON.stringify(entry[k]) !== JSON.stringify(o[k])) out[k] = shown(k, entry[k]);
  for (const k of Object.keys(o)) if (!(k in entry)) out[k] = null;
  return out;
}

function shown(k: string, v: unknown): unknown {
  return k === 'heartbeat' && v !== undefined ? settingOf(v as Heartbeat) : v;
}
