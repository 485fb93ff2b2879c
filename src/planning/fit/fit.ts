import { bisect } from '../bisect.js';
import {
  compareCopies,
  PER_MINUTE_RULE,
  type CopyRates,
  type ObservedCopies,
} from '../../billing/actual-cmi.js';
import { observedCopies } from '../../compare/run.js';
import { InputError } from '../../errors.js';
import { defaultSlotsPerCopy } from '../../models/bedrock-cmi.js';
import type { Scenario, ScenarioOption } from '../../scenario/schema.js';
import { TraceCalendar } from '../../traffic/calendar.js';
import type { SweepPool, PoolOptions } from '../sweep/pool.js';
import { poolOnOwnTrace } from '../sweep/base-run.js';
import type { FitCandidate, FitOption, FitResult } from '../../compare/result.js';

/*
 * `--fit` (issue 6 item 5): the per-copy concurrency (`slotsPerCopy`) of each `bedrock-cmi` option
 * that makes its simulated copies match the copies CloudWatch observed (`model_copies`).
 *
 *   grid 1, 2, 4, …, 64 (+ the option's own value)
 *     ─► bisection between the grid points where the net copy-minutes change sign
 *        (more slots → fewer copies, so the net falls as slots grow)
 *     ─► bracket scan ±2 around the best, repeated while the best moves (the relation is noisy)
 *     ─► best: least mismatch; ties to the option's own value, then to fewer slots
 *
 * Every candidate is a full simulation of the scenario with only `slotsPerCopy` changed: same
 * seed, same option key, so the same requests, cold starts and service times (common random
 * numbers). Results do not depend on the number of worker threads.
 */

/** The candidates searched, inclusive. */
const FIT_RANGE = { from: 1, to: 64 } as const;
/** Rounds of the bracket scan at most (each evaluates up to 4 new neighbours of the best). */
const MAX_SCAN_ROUNDS = 8;
/** Mismatch ties (sums of whole copy-minutes; this only absorbs float noise). */
const EPS = 1e-9;

const FIT_MEASURE =
  'Σ over the span of |simulated − observed copies| in copy-minutes; copies per minute at a 60 s trace period, else per trace period (the simulated side at its peak in the period, as CloudWatch reports Maximum), weighted by its minutes';

/** User-facing messages of the fit (tests assert through these). */
export const FIT_MSG = {
  noCopies: (where: 'trace' | 'scenario') =>
    `${where === 'trace' ? 'the trace has no model_copies column' : 'the scenario’s traffic has no trace with a model_copies column'}, so there are no observed copies to fit; import one from CloudWatch with \`servesim trace import cloudwatch --model-id ID --last 14d -o trace.csv\` (Bedrock ModelCopy) and use it as the scenario’s \`trace\` component, or run \`servesim replay --model-id ID --last 14d --fit\``,
  noCmi: (keys: readonly string[]) =>
    `the scenario has no bedrock-cmi option to fit (options: ${keys.join(', ') || 'none'}); add one, e.g. \`- id: bedrock-cmi\``,
};

export interface FitTarget {
  observed: ObservedCopies;
  spanSeconds: number;
  options: ScenarioOption[];
}

/**
 * What the fit works on, or an InputError (exit 2) naming what is missing: a `trace` component
 * with `model_copies` and a `bedrock-cmi` option. Call it before any work so a bad request leaves
 * no partial output.
 */
export function fitTarget(
  scenario: Scenario,
  baseDir: string,
  /** Whose copies are missing, for the message: a replayed trace or a scenario's traffic. */
  source: 'trace' | 'scenario' = 'scenario',
): FitTarget {
  const options = scenario.options.filter((o) => o.id === 'bedrock-cmi');
  if (options.length === 0)
    throw new InputError(FIT_MSG.noCmi(scenario.options.map((o) => o.key ?? o.id)), '--fit');
  const spanSeconds = new TraceCalendar(scenario.traffic, scenario.timezone).span.durationSeconds;
  const observed = observedCopies(scenario.traffic.components, baseDir, spanSeconds);
  if (observed === null) throw new InputError(FIT_MSG.noCopies(source), '--fit');
  return { observed, spanSeconds, options };
}

/**
 * Mismatch between simulated and observed copies per minute, compared per period of `k` minutes
 * (the trace's period) whose grid starts at minute `first`: each side at its peak in the period,
 * |difference| × the period's minutes in the span. k = 1 compares minute by minute. O(minutes).
 *
 * Worked: sim [1,2,2,0], obs [1,1,1,1], k = 1 → |0|+|1|+|1|+|−1| = 3 (net +1);
 * k = 2, first = 0 → periods {0,1}: 2 vs 1, {2,3}: 2 vs 1 → 2 + 2 = 4 (net +4).
 */
export function copyMismatch(
  simulated: ArrayLike<number>,
  observed: ArrayLike<number>,
  k = 1,
  first = 0,
): { abs: number; net: number } {
  const n = observed.length;
  let abs = 0;
  let net = 0;
  let m = 0;
  while (m < n) {
    const end = Math.min(n, first + (Math.floor((m - first) / k) + 1) * k);
    const minutes = end - m;
    let s = 0;
    let o = 0;
    for (; m < end; m++) {
      const sv = m < simulated.length ? simulated[m]! : 0;
      if (sv > s) s = sv;
      if (observed[m]! > o) o = observed[m]!;
    }
    abs += Math.abs(s - o) * minutes;
    net += (s - o) * minutes;
  }
  return { abs, net };
}

/**
 * The best of some candidates: the least mismatch; on equal mismatch the value nearest `baseline`,
 * then the smaller. Independent of the candidates' order.
 */
export function bestCandidate(candidates: readonly FitCandidate[], baseline: number): FitCandidate {
  let b: FitCandidate | undefined;
  for (const c of candidates) {
    if (b === undefined || c.mismatchCopyMinutes < b.mismatchCopyMinutes - EPS) {
      b = c;
      continue;
    }
    if (c.mismatchCopyMinutes > b.mismatchCopyMinutes + EPS) continue;
    const dc = Math.abs(c.slotsPerCopy - baseline);
    const db = Math.abs(b.slotsPerCopy - baseline);
    if (dc < db || (dc === db && c.slotsPerCopy < b.slotsPerCopy)) b = c;
  }
  if (b === undefined) throw new Error('internal: no fit candidates');
  return b;
}

export interface FitOptions extends PoolOptions {
  /** User requests of the traffic (sizes the pool's threads); default 1. */
  requests?: number;
}

/** Fits `slotsPerCopy` for every `bedrock-cmi` option of the scenario (seed and region applied). */
export async function fitSlotsPerCopy(
  scenario: Scenario,
  baseDir: string,
  opts: FitOptions = {},
): Promise<FitResult> {
  const target = fitTarget(scenario, baseDir);
  const { requests, ...poolOpts } = opts;
  // Every candidate simulates the scenario's own trace: generated once, shared.
  const pool = poolOnOwnTrace(scenario, baseDir, { ...poolOpts, requestsPerScale: requests ?? 1 });
  try {
    const fitted = await Promise.all(target.options.map((o) => fitOption(o, target.observed, pool)));
    return {
      measure: FIT_MEASURE,
      tieBreak: 'equal mismatch: the value nearest the option’s own slotsPerCopy, then the smaller',
      rule: PER_MINUTE_RULE,
      trace: target.observed.source,
      periodSeconds: target.observed.periodSeconds,
      range: { ...FIT_RANGE },
      options: fitted.filter((f): f is FitOption => 'best' in f),
      skipped: fitted.filter((f): f is { key: string; reasons: string[] } => !('best' in f)),
    };
  } finally {
    await pool.close();
  }
}

interface Evaluated {
  c: FitCandidate;
  copies: Float64Array;
  rates: CopyRates;
  maxCopies: number | null;
}

async function fitOption(
  o: ScenarioOption,
  observed: ObservedCopies,
  pool: SweepPool,
): Promise<FitOption | { key: string; reasons: string[] }> {
  const key = o.key ?? o.id;
  const baseline = typeof o.slotsPerCopy === 'number' ? o.slotsPerCopy : defaultSlotsPerCopy();
  // Compare per trace period when its minutes line up with the run's, else minute by minute.
  const p = observed.periodSeconds;
  const k = p % 60 === 0 && observed.offset % 60 === 0 ? p / 60 : 1;
  const first = (observed.offset / 60) % k;
  const memo = new Map<number, Evaluated>();
  let infeasible: string[] | null = null;

  const evaluate = async (slots: number[]): Promise<void> => {
    const todo = [...new Set(slots)].filter(
      (s) => !memo.has(s) && ((s >= FIT_RANGE.from && s <= FIT_RANGE.to) || s === baseline),
    );
    const outs = await Promise.all(
      todo.map((s) => pool.submit({ scale: 1, series: true, options: [{ ...o, slotsPerCopy: s }] })),
    );
    todo.forEach((s, i) => {
      const r = outs[i]![0]!;
      if (!r.feasible || r.series === undefined) {
        infeasible = r.reasons;
        return;
      }
      const rates = r.series.copyMeter;
      if (rates === null) throw new Error(`internal: ${key} reports no CMU size or rate`);
      const copies = r.series.activeReplicas;
      const { abs, net } = copyMismatch(copies, observed.perMinute, k, first);
      const bill = compareCopies(key, observed, copies, rates);
      const max = r.series.assumptions.find((a) => a.name === 'max copies')?.value;
      memo.set(s, {
        c: {
          slotsPerCopy: s,
          mismatchCopyMinutes: abs,
          netCopyMinutes: net,
          billedCmuMinuteDifference: bill.simulated.cmuMinutes - bill.actual.cmuMinutes,
          peakCopies: bill.simulated.peakCopies,
        },
        copies,
        rates,
        maxCopies: typeof max === 'number' ? max : null,
      });
    });
  };
  const best = (): number =>
    bestCandidate(
      [...memo.values()].map((e) => e.c),
      baseline,
    ).slotsPerCopy;

  // 1. The grid: powers of two and the option's own value.
  const grid: number[] = [];
  for (let s = FIT_RANGE.from; s <= FIT_RANGE.to; s *= 2) grid.push(s);
  await evaluate([...grid, baseline]);
  if (infeasible !== null || memo.size === 0) return { key, reasons: infeasible ?? [] };

  // 2. Bisection where the net copy-minutes first change sign between grid points.
  const net = (s: number): number => memo.get(s)!.c.netCopyMinutes;
  const sorted = [...memo.keys()].sort((x, y) => x - y);
  const i = sorted.findIndex((s, j) => j + 1 < sorted.length && net(s) > 0 && net(sorted[j + 1]!) <= 0);
  if (i >= 0) {
    await bisect(
      sorted[i]!,
      sorted[i + 1]!,
      async (m) => {
        await evaluate([m]);
        return net(m) > 0;
      },
      'integer',
    );
  }

  // 3. Bracket scan around the best until it stops moving.
  for (let round = 0; round < MAX_SCAN_ROUNDS; round++) {
    const b = best();
    const around = [b - 2, b - 1, b + 1, b + 2].filter(
      (s) => s >= FIT_RANGE.from && s <= FIT_RANGE.to && !memo.has(s),
    );
    if (around.length === 0) break;
    await evaluate(around);
  }

  const b = memo.get(best())!;
  const candidates = [...memo.values()].map((e) => e.c).sort((x, y) => x.slotsPerCopy - y.slotsPerCopy);
  return {
    key,
    baseline,
    best: b.c.slotsPerCopy,
    tied: candidates
      .filter((c) => Math.abs(c.mismatchCopyMinutes - b.c.mismatchCopyMinutes) <= EPS)
      .map((c) => c.slotsPerCopy),
    atBest: b.c,
    atBaseline: memo.get(baseline)!.c,
    candidates,
    observedPeakCopies: observed.perMinute.reduce((m, v) => (v > m ? v : m), 0),
    maxCopies: b.maxCopies,
    actualVsSimulated: compareCopies(key, observed, b.copies, b.rates),
  };
}
