import { bisect } from '../bisect.js';
import { InputError } from '../../errors.js';
import { optionById } from '../../models/registry.js';
import type { LoadedScenario } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/schema.js';
import { cheapestOf } from '../breakeven/volume.js';
import type {
  Costs,
  Effect,
  OptionResult,
  SensitivityInput,
  SensitivitySimulated,
  TraceSummary,
  SensitivityResult,
  SloCheck,
} from '../../compare/result.js';
import { bandText, valueText } from '../../report/text/format.js';
import { type VariantOutcome } from '../sweep/sweep.js';
import type { SweepPool, PoolOptions } from '../sweep/pool.js';
import { poolOnOwnTrace } from '../sweep/base-run.js';
import { applyInputs, collect, type BaseDists, type UncertainInput } from './uncertain.js';
import { rebiller, type Rebill } from './rebill.js';
import {
  DayEstimator,
  representativeDays,
  isLong,
  type LongTrace,
  type RepresentativeDay,
} from './representative.js';
import type { OptionRun } from '../../compare/run.js';
import { TraceCalendar } from '../../traffic/calendar.js';

/*
 * Sensitivity (issue 9 part 4; docs/sensitivity.md): which uncertain input can change the answer.
 *
 *   baseline (every option as configured) ─► cheapest option
 *   each uncertain input, one at a time, others at base:
 *     low end, high end (every choice of a choice input) ─► re-simulate only the keys it applies to
 *     ─► costs per option, cheapest at each end, swing of the baseline-cheapest option's cost
 *     ─► a numeric input that flips the cheapest: bisection between base and the flipping end
 *     ─► one plain sentence; optionally, whether the chosen option still meets an SLO
 *
 * Every simulation is a sweep task with the scenario's seed and the option's own key, so a moved
 * input sees the same user requests as the baseline (common random numbers): a cost that moves,
 * moves because of the input.
 */

/** Fraction of an input's band to which a real threshold is bisected. */
const THRESHOLD_TOLERANCE = 0.01;
/** Relative change below which two costs are the same (summation noise, not an effect). */
const SAME = 1e-9;

/** What ranking needs from one simulated option. */
type Outcome = Pick<
  VariantOutcome,
  'key' | 'feasible' | 'cost' | 'arrived' | 'throttled' | 'failed' | 'latency'
>;

export interface SensitivityConfig {
  maxLossRate: number;
  slo?: SloCheck | undefined;
  /**
   * The baseline as `servesim run` already simulated it (same seed, same region): spares one
   * simulation of every option. Default: simulated here.
   */
  baseline?: readonly OptionResult[] | undefined;
  /** The run's records and trace totals: inputs that only move the bill re-bill them (exact). */
  runs?: { runs: readonly OptionRun[]; trace: TraceSummary } | undefined;
  /** Representative days stand for a long trace (default `LONG_TRACE`: over 7 days and 500,000 requests). */
  longAbove?: LongTrace | undefined;
  /** Only the inputs whose id passes (a shard's units, design §11.7); default all. */
  units?: ((id: string) => boolean) | undefined;
}

export interface SensitivityOptions extends PoolOptions {
  seed?: number;
  region?: string;
  /** A pool whose context is this scenario as analysed (the run's, holding its trace); left open. */
  pool?: SweepPool;
}

/** The analysis with a pool of its own (the `servesim run` (unless `--no-sensitivity`) entry point). */
export async function analyzeSensitivity(
  loaded: LoadedScenario,
  cfg: Omit<SensitivityConfig, 'maxLossRate'> & { maxLossRate?: number },
  opts: SensitivityOptions = {},
): Promise<SensitivityResult> {
  const scenario: Scenario = {
    ...loaded.scenario,
    seed: opts.seed ?? loaded.scenario.seed,
    region: opts.region ?? loaded.scenario.region,
  };
  const pool = opts.pool ?? poolOnOwnTrace(scenario, loaded.baseDir, opts);
  if (opts.pool && opts.onProgress) pool.phase(opts.onProgress);
  try {
    return await sensitivity(scenario, loaded.baseDir, pool, {
      ...cfg,
      maxLossRate: cfg.maxLossRate ?? scenario.maxLossRate,
    });
  } finally {
    if (pool !== opts.pool) await pool.close();
  }
}

/** The analysis on a given pool (whose context is this scenario). */
async function sensitivity(
  scenario: Scenario,
  baseDir: string,
  pool: SweepPool,
  cfg: SensitivityConfig,
): Promise<SensitivityResult> {
  if (cfg.slo) checkSlo(cfg.slo);
  const { inputs, dists, unsupported } = collect(scenario, baseDir, pool.trace);
  const keys = scenario.options.map((o) => o.key ?? o.id);
  const ranked = keys.filter((_, i) => optionById(scenario.options[i]!.id)?.baseline !== true);
  const base: Outcome[] = cfg.baseline
    ? cfg.baseline.map(outcomeOf)
    : await pool.submit({ scale: 1, options: [...scenario.options] });
  const baseCosts = costsOf(base, cfg.maxLossRate);
  const cheapest = cheapestOf(ranked, baseCosts);
  const runnerUp = cheapestOf(
    ranked.filter((k) => k !== cheapest),
    baseCosts,
  );
  const sloAt = (outs: readonly Outcome[]): number | null => {
    if (!cfg.slo || cheapest === null) return null;
    const o = outs.find((x) => x.key === cheapest);
    return o?.latency?.[cfg.slo.class]?.[cfg.slo.percentile] ?? null;
  };
  const baseSlo = sloAt(base);
  const requests = Math.max(0, ...base.map((o) => o.arrived));
  const days = longTrace(scenario, requests, cfg.longAbove);
  const ctx: Ctx = {
    scenario,
    pool,
    inputs,
    dists,
    base,
    maxLossRate: cfg.maxLossRate,
    ranked,
    cheapest,
    rebill: cfg.runs && rebiller(scenario, baseDir, cfg.runs.runs, cfg.runs.trace),
    days: days && new DayEstimator(pool, days.days, base, scenario),
  };
  const out = await Promise.all(
    inputs
      .filter((x) => cfg.units?.(x.id) ?? true)
      .map((x) => analyzeInput(ctx, x, baseCosts, sloAt, cfg.slo, baseSlo)),
  );
  return {
    method: 'one-at-a-time',
    simulated: simulatedNote(days, inputs, ctx.rebill !== undefined),
    maxLossRate: cfg.maxLossRate,
    thresholdTolerance: THRESHOLD_TOLERANCE,
    baseline: { cheapest, runnerUp, costs: baseCosts, margin: marginOf(baseCosts, ranked, cheapest) },
    slo: cfg.slo
      ? {
          ...cfg.slo,
          option: cheapest,
          value: baseSlo,
          met: baseSlo === null ? null : baseSlo <= cfg.slo.target,
        }
      : null,
    inputs: out,
    ...(unsupported.length > 0 ? { unsupported } : {}),
  };
}

/** Representative days when the span has more local days than `above` (and each day type has a full day). */
function longTrace(
  scenario: Scenario,
  requests: number,
  above: LongTrace | undefined,
): { days: RepresentativeDay[]; of: number } | null {
  const of = [...new TraceCalendar(scenario.traffic, scenario.timezone).days()].length;
  if (!isLong(of, requests, above)) return null;
  const days = representativeDays(scenario);
  return days && { days, of };
}

/** How the inputs' ends were simulated, in a sentence the output prints. */
function simulatedNote(
  long: { days: RepresentativeDay[]; of: number } | null,
  inputs: readonly UncertainInput[],
  rebills: boolean,
): SensitivitySimulated {
  const billing = rebills ? inputs.filter((x) => x.billingOnly).map((x) => x.label) : [];
  const exact =
    billing.length > 0
      ? ` Inputs that only move the bill (${[...new Set(billing)].join(', ')}) re-bill the run itself: exact.`
      : '';
  if (!long) return { on: 'whole-trace', days: [], note: exact.trim() };
  const names = long.days
    .map((d) => `${d.weekday ? 'a weekday' : 'a weekend day'} (${d.date})`)
    .join(' and ');
  return {
    on: 'representative-days',
    days: long.days,
    note: `Sensitivity on ${long.days.length} representative day${long.days.length === 1 ? '' : 's'} of ${long.of}: ${names}, each simulated alone at both ends of an input and its change scaled by the days it stands for (the first alone for an option and traffic that never name weekdays).${exact}`,
  };
}

const PERCENTILES = ['p50', 'p95', 'p99'] as const;
const CLASSES = ['interactive', 'batch', 'all'] as const;

/** An SLO passed in by a script (the scenario's `slo:` is checked by its schema): exit 2 if wrong. */
function checkSlo(slo: SloCheck): void {
  if (!(PERCENTILES as readonly string[]).includes(slo.percentile))
    throw new InputError(
      `unknown percentile "${slo.percentile}"; use ${PERCENTILES.join(', ')}`,
      'slo.percentile',
    );
  if (!(slo.target > 0) || !Number.isFinite(slo.target))
    throw new InputError(
      `the SLO target must be a positive number of seconds, got ${slo.target}`,
      'slo.target',
    );
  if (!(CLASSES as readonly string[]).includes(slo.class))
    throw new InputError(`unknown request class "${slo.class}"; use ${CLASSES.join(', ')}`, 'slo.class');
}

interface Ctx {
  scenario: Scenario;
  pool: SweepPool;
  /** Re-bills the run's records (inputs that only move the bill); absent without them. */
  rebill: Rebill | undefined;
  /** Long traces: estimates from representative days; absent: the whole trace is simulated. */
  days: DayEstimator | null;
  inputs: UncertainInput[];
  dists: BaseDists;
  base: Outcome[];
  maxLossRate: number;
  ranked: string[];
  cheapest: string | null;
}

/** Every option's outcome with `x` at `value` (only the keys `x` applies to re-simulated). */
async function at(ctx: Ctx, x: UncertainInput, value: number | string): Promise<Outcome[]> {
  if (value === x.base) return ctx.base;
  const { options, prices } = applyInputs(ctx.scenario, ctx.inputs, new Map([[x.id, value]]), ctx.dists);
  const moved = options.filter((o) => x.keys.includes(o.key ?? o.id));
  const rebilled = x.billingOnly ? (ctx.rebill?.(moved, prices) ?? null) : null;
  if (rebilled) {
    const byKey = new Map(rebilled.map((o) => [o.key, o]));
    return ctx.base.map((o) => byKey.get(o.key) ?? o);
  }
  if (ctx.days) return ctx.days.at(moved, prices);
  const outs = await ctx.pool.submit({
    scale: 1,
    options: moved,
    ...(Object.keys(prices).length > 0 ? { prices } : {}),
  });
  const byKey = new Map(outs.map((o) => [o.key, o]));
  return ctx.base.map((o) => byKey.get(o.key) ?? o);
}

async function analyzeInput(
  ctx: Ctx,
  x: UncertainInput,
  baseCosts: Costs,
  sloAt: (outs: readonly Outcome[]) => number | null,
  slo: SloCheck | undefined,
  baseSlo: number | null,
): Promise<SensitivityInput> {
  const values: (number | string)[] = x.kind === 'choice' ? x.choices! : [x.low, x.high];
  const outs = await Promise.all(values.map((v) => at(ctx, x, v)));
  const costsAt = outs.map((o) => costsOf(o, ctx.maxLossRate));
  const cheapestAtV = costsAt.map((c) => cheapestOf(ctx.ranked, c));
  const lowI = values.indexOf(x.low);
  const highI = values.indexOf(x.high);
  const flipsAt = cheapestAtV.map((c) => c !== ctx.cheapest);
  const flips = flipsAt.some((f) => f);
  const moved = Object.keys(baseCosts).filter((k) => costsAt.some((c) => !sameCost(c[k], baseCosts[k])));
  const effect: Effect = flips ? 'choice' : moved.length > 0 ? 'cost' : 'none';

  const own = [baseCosts, ...costsAt].map((c) => (ctx.cheapest === null ? null : (c[ctx.cheapest] ?? null)));
  const known = own.filter((c): c is number => c !== null);
  const swing = known.length > 0 ? Math.max(...known) - Math.min(...known) : 0;

  const thresholds: SensitivityInput['thresholds'] = [];
  if (x.kind === 'number')
    for (const [i, side] of [
      [lowI, 'below'],
      [highI, 'above'],
    ] as const)
      if (flipsAt[i])
        thresholds.push({ side, ...(await threshold(ctx, x, values[i] as number, cheapestAtV[i]!)) });

  const sloLow = slo ? sloAt(outs[lowI]!) : null;
  const sloHigh = slo ? sloAt(outs[highI]!) : null;
  const missed = (v: number | null) => slo !== undefined && (v === null || v > slo.target);
  const result: SensitivityInput = {
    id: x.id,
    label: x.label,
    optionId: x.optionId,
    role: x.role,
    unit: x.unit,
    keys: x.keys,
    base: x.base,
    low: x.low,
    high: x.high,
    costs: { low: costsAt[lowI]!, high: costsAt[highI]! },
    cheapestAt: { low: cheapestAtV[lowI]!, high: cheapestAtV[highI]! },
    ...(x.kind === 'choice'
      ? {
          choices: values.map((v, i) => ({
            value: v as string,
            costs: costsAt[i]!,
            cheapest: cheapestAtV[i]!,
          })),
        }
      : {}),
    swing,
    margin: {
      low: marginOf(costsAt[lowI]!, ctx.ranked, ctx.cheapest),
      high: marginOf(costsAt[highI]!, ctx.ranked, ctx.cheapest),
    },
    flips,
    threshold: thresholds[0]?.value ?? null,
    thresholds,
    effect,
    slo: slo
      ? {
          low: sloLow,
          high: sloHigh,
          breaks: baseSlo !== null && baseSlo <= slo.target && (missed(sloLow) || missed(sloHigh)),
        }
      : null,
    sentence: '',
  };
  result.sentence = sentenceOf(result, ctx.cheapest, moved, values, cheapestAtV);
  return result;
}

/**
 * Bisection between the base value (the baseline choice holds) and `end` (it does not, the
 * cheapest there being `cheapestAtEnd`), assuming
 * one crossing in between. Integers: to adjacent values, so exact; reals: to THRESHOLD_TOLERANCE
 * of the band, the middle of the last bracket reported.
 */
async function threshold(
  ctx: Ctx,
  x: UncertainInput,
  end: number,
  cheapestAtEnd: string | null,
): Promise<{ value: number; to: string | null }> {
  const cheapestAt = async (v: number) =>
    cheapestOf(ctx.ranked, costsOf(await at(ctx, x, v), ctx.maxLossRate));
  let to = cheapestAtEnd;
  const tol = THRESHOLD_TOLERANCE * ((x.high as number) - (x.low as number));
  const { yes: keep, no: flip } = await bisect(
    x.base as number,
    end,
    async (v) => {
      const c = await cheapestAt(v);
      if (c === ctx.cheapest) return true;
      to = c;
      return false;
    },
    x.integer ? 'integer' : tol,
  );
  return { value: x.integer ? keep : (flip + keep) / 2, to };
}

/** Per option key, its cost when it serves the traffic (design §3 ranking), else null. */
function costsOf(outs: readonly Outcome[], maxLossRate: number): Costs {
  const c: Costs = {};
  for (const o of outs) {
    const lost = o.throttled + o.failed;
    c[o.key] =
      !o.feasible || o.cost === null || (o.arrived > 0 && lost / o.arrived > maxLossRate) ? null : o.cost;
  }
  return c;
}

/** Cost of `c` minus the cheapest other ranked option's; null when either is not ranked. */
function marginOf(costs: Costs, ranked: readonly string[], c: string | null): number | null {
  const own = c === null ? null : (costs[c] ?? null);
  const alt = cheapestOf(
    ranked.filter((k) => k !== c),
    costs,
  );
  return own === null || alt === null ? null : own - costs[alt]!;
}

function sameCost(a: number | null | undefined, b: number | null | undefined): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === null || y === null) return x === y;
  return Math.abs(x - y) <= SAME * Math.max(1, Math.abs(y));
}

function outcomeOf(o: OptionResult): Outcome {
  return {
    key: o.key,
    feasible: o.feasible,
    cost: o.cost?.total ?? null,
    arrived: o.requests.arrived,
    throttled: o.requests.throttled,
    failed: o.requests.failed,
    latency: o.latency,
  };
}

// ---- sentences --------------------------------------------------------------------------------

function becomes(to: string | null): string {
  return to === null ? 'no option serves the traffic' : `the cheapest option becomes ${to}`;
}

function sentenceOf(
  r: SensitivityInput,
  cheapest: string | null,
  moved: readonly string[],
  values: readonly (number | string)[],
  cheapestAt: readonly (string | null)[],
): string {
  const name = `${r.label} (${r.optionId})`;
  const band = bandText(r);
  if (r.effect === 'none') return `${name}: no effect on any option's cost (${band})`;
  if (r.effect === 'cost')
    return cheapest !== null && r.swing > 0
      ? `${name} moves costs but not the choice: ${cheapest} varies by $${r.swing.toFixed(2)} (${band})`
      : `${name} moves the cost of ${moved.join(', ')} but not the choice (${band})`;
  const parts: string[] = [];
  if (r.choices !== undefined)
    values.forEach((v, i) => {
      if (cheapestAt[i] !== cheapest) parts.push(`${becomes(cheapestAt[i]!)} if ${name} is ${v}`);
    });
  else
    for (const t of r.thresholds)
      parts.push(`${becomes(t.to)} if ${name} is ${t.side} ${valueText(t.value, r.unit)}`);
  return parts.join('; ');
}
