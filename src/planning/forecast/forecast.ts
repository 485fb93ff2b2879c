import { InputError } from '../../errors.js';
import type { LoadedScenario } from '../../scenario/load.js';
import { Forecast, type Scenario, type ScenarioOption } from '../../scenario/schema.js';
import { Rng } from '../../sim/rng.js';
import { forecastMonths, monthOf, regularDay, type ForecastMonth } from './calendar.js';
import { monteCarloInputs, type RunInputs } from './inputs.js';
import { scalable, trafficShape, type SweepTask } from '../sweep/sweep.js';
import type { PoolOptions } from '../sweep/pool.js';
import { runPlan, type SweepPlan } from '../shard/plan.js';
import { assembleForecast, monthFactor } from './assemble.js';
import { seedOnlyOptions } from './seed-only.js';
import type { ForecastFrame, ForecastResult, ForecastSettings } from './result.js';

export { bracket } from './assemble.js';
export type {
  ForecastFrame,
  ForecastOptionInfo,
  ForecastResult,
  ForecastRow,
  ForecastSettings,
} from './result.js';
import {
  checkRequests,
  DEFAULT_LIMITS,
  estimateRequests,
  MAX_FORECAST_DAYS,
  MAX_RUNS,
  type WorkLimits,
} from '../../scenario/limits.js';

/*
 * The monthly forecast (issue 9; design §7–§8; docs/forecast.md):
 *
 *   months on the local calendar ─► per month: weekdays, weekend days, DST days; volume (1+g)^m
 *   runs r = 1..R, each: seeds + one draw of the uncertain inputs (constant over its months)
 *     ─► representative days (a regular weekday, a regular weekend day; `sampleDays` of each, own
 *        seeds) simulated at each month's volume on the sweep pool
 *     ─► month total = weekdays × mean weekday cost + weekend days × mean weekend cost
 *                      + DST correction (23 h / 25 h day minus a regular day, at the base inputs)
 *   ─► P10/P50/P90 (nearest rank) over the runs per month × option, and of the horizon's total.
 *
 * With growth, a run simulates one volume (the middle one) unless `runVolumes: all`; its AWS bill
 * at the other simulated volumes follows the scenario's own (base) days at each (volumes.ts).
 *
 * Split at the sweep seam (src/planning/shard/plan.ts): `planForecast` lists the simulated days
 * as tasks, `assembleForecast` (assemble.ts) turns their outcomes into forecast.json — in one
 * process (`forecast`), or across shards and `servesim merge`. No task depends on another's
 * outcome, so the whole forecast shards.
 *
 * Days are simulated independently: each starts with no copies, instances or queue (state left
 * overnight is not carried over). A weekend day is simulated only for options whose settings name
 * `weekdays` (a heartbeat on weekdays) unless a traffic component does: for every other option a
 * regular weekend day is the same simulation as a regular weekday. When no traffic component names
 * `weekdays` either, that weekend day is the option without its heartbeat on the weekday's trace,
 * so it joins the weekday's task (one trace generated, not two).
 */

export interface ForecastOptions extends PoolOptions {
  seed?: number;
  region?: string;
  /** Override `forecast.months` (whole number ≥ 1). */
  months?: number;
  /** Override `forecast.runs` (whole number ≥ 1). */
  runs?: number;
  /** Override `forecast.growth` (a fraction above −1). */
  growth?: number;
  /** Work limits (issue 17): most simulated requests; the span limit does not apply to single days. */
  limits?: WorkLimits;
}

/** The scenario's `forecast` section with the command-line overrides, checked. */
export function forecastSettings(scenario: Scenario, opts: ForecastOptions = {}): ForecastSettings {
  const cfg = scenario.forecast ?? Forecast.parse({});
  const whole = (v: number | undefined, name: string, fallback: number): number => {
    if (v === undefined) return fallback;
    if (!Number.isInteger(v) || v < 1)
      throw new InputError(`${name} must be a whole number ≥ 1, got ${v}`, `forecast.${name}`);
    return v;
  };
  const growth = opts.growth ?? cfg.growth;
  if (!(growth > -1) || !Number.isFinite(growth))
    throw new InputError(`growth must be above -100% (−1), got ${growth}`, 'forecast.growth');
  const months = whole(opts.months, 'months', cfg.months);
  if (months > 600)
    throw new InputError(`months is at most 600 (50 years), got ${months}`, 'forecast.months');
  const runs = whole(opts.runs, 'runs', cfg.runs);
  if (runs > MAX_RUNS)
    throw new InputError(
      `${runs.toLocaleString('en-US')} runs is above the limit of ${MAX_RUNS.toLocaleString('en-US')} Monte Carlo runs (P10/P90 settle long before); lower it`,
      opts.runs !== undefined ? '--runs' : 'forecast.runs',
    );
  checkGrowth(growth, months, opts.growth !== undefined ? '--growth' : 'forecast.growth');
  return {
    start: cfg.start ?? monthOf(scenario.traffic.start),
    months,
    growth,
    runs,
    uncertainty: cfg.uncertainty,
    sampleDays: cfg.sampleDays,
    volumePoints: cfg.volumePoints,
    runVolumes: cfg.runVolumes,
    seedOnlyRuns: cfg.seedOnlyRuns,
  };
}

/**
 * The volume factor of the last month, (1 + growth)^(months − 1), must stay a number a forecast
 * can mean: 1000 % a month over 600 months is 10^623, which overflows to Infinity (issue 17).
 */
function checkGrowth(growth: number, months: number, field: string): void {
  const log10 = (months - 1) * Math.log10(1 + growth);
  // Either way: a steep decline underflows to a volume of 0, which no day can be scaled to.
  if (Math.abs(log10) <= MAX_GROWTH_LOG10) return;
  const pct = `${+(growth * 100).toPrecision(6)}%`;
  throw new InputError(
    `growth ${pct} a month over ${months} months ${log10 > 0 ? 'multiplies' : 'divides'} the volume by about 10^${Math.round(Math.abs(log10))}, beyond what a forecast can mean (at most 10^${MAX_GROWTH_LOG10} either way); lower the growth or the months`,
    field,
  );
}

/** The largest volume change (as a power of ten) a forecast's growth may compound to. */
const MAX_GROWTH_LOG10 = 12;

/** Seed of run r's j-th representative day: derived, so runs never share a stream. */
export function runSeed(seed: number, run: number, day: number): number {
  return Rng.derive(seed, 'forecast', run, day).nextUint32();
}

/**
 * Whether an option's simulation depends on the day of the week: its heartbeat runs on weekdays
 * only (the one calendar setting options have).
 */
function seesWeekdays(o: ScenarioOption): boolean {
  return (o.heartbeat as { days?: string } | undefined)?.days === 'weekdays';
}

/**
 * An option as it runs on a weekend day when its heartbeat runs on weekdays only: with no heartbeat
 * (nothing else in its settings names a day). The same key, so the same random streams.
 */
function withoutHeartbeat(o: ScenarioOption): ScenarioOption {
  const { heartbeat: _, ...rest } = o as ScenarioOption & { heartbeat?: unknown };
  return rest as ScenarioOption;
}

/**
 * The forecast's tasks and frame (nothing simulated yet). Task order: run r → day j → volume →
 * weekday, weekend; then (with `runVolumes: one` and growth) the base days at every volume, the
 * DST days and their regular twins (each (volume, date) once).
 */
export function planForecast(loaded: LoadedScenario, opts: ForecastOptions = {}): SweepPlan<ForecastFrame> {
  const scenario: Scenario = {
    ...loaded.scenario,
    seed: opts.seed ?? loaded.scenario.seed,
    region: opts.region ?? loaded.scenario.region,
  };
  const cfg = forecastSettings(scenario, opts);
  if (!scalable(scenario.traffic))
    throw new InputError(
      'the forecast needs daily traffic patterns (poisson, batch, trickle components); a trace file is one recorded span, not a day that repeats',
      'traffic.components',
    );
  const tz = scenario.timezone;
  const months = forecastMonths(cfg.start, cfg.months, tz);
  const dates = { weekday: regularDay(cfg.start, tz, true), weekend: regularDay(cfg.start, tz, false) };
  const factor = (m: ForecastMonth): number => monthFactor(cfg, m);
  // Months of equal volume (all of them without growth) share their representative days; with
  // growth only `volumePoints` volumes are simulated and the months between interpolated.
  const scales = anchorScales(months.map(factor), cfg.volumePoints);
  checkForecastWork(scenario, loaded.baseDir, cfg, scales, opts.limits ?? DEFAULT_LIMITS);
  const mc = monteCarloInputs(scenario, loaded.baseDir, cfg.uncertainty);
  const weekdayTraffic = scenario.traffic.components.some((c) => 'days' in c && c.days === 'weekdays');
  const shape = trafficShape(scenario, loaded.baseDir);
  const tasks: SweepTask[] = [];
  /** Adds one simulated day; null when there is no option to simulate. */
  const day = (scale: number, inputs: RunInputs, seed: number | undefined, date: string): number | null =>
    inputs.options.length === 0
      ? null
      : tasks.push({
          scale,
          options: inputs.options,
          ...(seed === undefined ? {} : { seed }),
          ...(inputs.prices ? { prices: inputs.prices } : {}),
          span: { start: `${date}T00:00`, days: 1 },
          // The forecast reads costs and counts only: no latency summaries.
          latency: false,
        }) - 1;
  // With growth and `runVolumes: one`, each run simulates the middle volume only (volumes.ts).
  const pivot = cfg.runVolumes === 'one' && scales.length > 1 ? (scales.length - 1) >> 1 : null;
  const runScales = pivot === null ? scales : [scales[pivot]!];
  // Options no drawn input reaches vary between runs by the seed alone: only the first
  // `seedOnlyRuns` runs simulate them (seed-only.ts).
  const seedOnly = seedOnlyOptions(scenario.options, mc.inputs, cfg.runs, cfg.seedOnlyRuns);
  const days = Array.from({ length: cfg.runs }, (_, r) => {
    const drawn = mc.draw(r);
    const inputs =
      seedOnly && r >= seedOnly.runs
        ? { ...drawn, options: drawn.options.filter((o) => !seedOnly.keys.includes(o.key ?? o.id)) }
        : drawn;
    return Array.from({ length: cfg.sampleDays }, (_, j) => {
      const seed = runSeed(scenario.seed, r, j);
      return runScales.map((s) => {
        if (weekdayTraffic)
          return {
            weekday: day(s, inputs, seed, dates.weekday)!,
            weekend: day(s, inputs, seed, dates.weekend),
          };
        // The traffic is the same on both days: a weekday-only option's weekend day is its
        // simulation without the heartbeat, on the weekday's trace (folded into its task).
        const folded = inputs.options.filter(seesWeekdays).map(withoutHeartbeat);
        const split = inputs.options.length;
        const t = day(s, { ...inputs, options: [...inputs.options, ...folded] }, seed, dates.weekday)!;
        return folded.length === 0 ? { weekday: t, weekend: null } : { weekday: t, weekend: t, split };
      });
    });
  });
  // DST days at the scenario's seed and settings; regular days shared between months of equal volume.
  const memo = new Map<string, number>();
  const at = (s: number, date: string): number => {
    const k = `${s}|${date}`;
    if (!memo.has(k)) memo.set(k, day(s, { options: scenario.options }, undefined, date)!);
    return memo.get(k)!;
  };
  const volumes =
    pivot === null
      ? undefined
      : {
          pivot,
          base: scales.map((s) => ({ weekday: at(s, dates.weekday), weekend: at(s, dates.weekend) })),
        };
  const dst = months.map((m) =>
    m.irregular.map((d) => ({
      odd: at(factor(m), d.date),
      even: at(factor(m), d.weekday ? dates.weekday : dates.weekend),
    })),
  );
  return {
    ctx: { scenario, baseDir: loaded.baseDir },
    tasks,
    requestsPerScale: shape.requestsPerDay,
    frame: {
      scenario: {
        name: scenario.name,
        seed: scenario.seed,
        region: scenario.region,
        maxLossRate: scenario.maxLossRate,
        options: scenario.options.map((o) => ({ key: o.key ?? o.id, id: o.id })),
      },
      settings: cfg,
      months,
      representativeDays: dates,
      scales,
      inputs: mc.inputs,
      days,
      ...(volumes ? { volumes } : {}),
      ...(seedOnly ? { seedOnly } : {}),
      dst,
    },
  };
}

/**
 * Before any task is listed (issue 17): the representative days the forecast simulates (runs ×
 * sampleDays × simulated volumes × day types) and their requests, from the settings alone.
 */
function checkForecastWork(
  s: Scenario,
  baseDir: string,
  cfg: ForecastSettings,
  scales: readonly number[],
  limits: WorkLimits,
): void {
  const simulated =
    cfg.runVolumes === 'one' && scales.length > 1 ? [scales[(scales.length - 1) >> 1]!] : scales;
  const dayTypes = s.traffic.components.some((c) => 'days' in c && c.days === 'weekdays') ? 2 : 1;
  const days = cfg.runs * cfg.sampleDays * simulated.length * dayTypes;
  if (days > MAX_FORECAST_DAYS)
    throw new InputError(
      `the forecast would simulate ${days.toLocaleString('en-US')} representative days (runs × sampleDays × volumes × day types), above the limit of ${MAX_FORECAST_DAYS.toLocaleString('en-US')}; lower forecast.runs, sampleDays or volumePoints`,
      'forecast.runs',
    );
  const e = estimateRequests(s, baseDir, limits.maxRequests);
  const perDay = e.requests / e.days;
  const requests = cfg.runs * cfg.sampleDays * dayTypes * simulated.reduce((a, k) => a + k * perDay, 0);
  checkRequests(
    requests,
    limits,
    'forecast.runs',
    `the forecast's ${days.toLocaleString('en-US')} simulated days`,
  );
}

/** Plan, simulate every task on the sweep pool, assemble. */
export async function forecast(loaded: LoadedScenario, opts: ForecastOptions = {}): Promise<ForecastResult> {
  const plan = planForecast(loaded, opts);
  return assembleForecast(plan.frame, await runPlan(plan, opts));
}

/**
 * The volumes to simulate: every distinct one, or `points` of them spread evenly over the
 * horizon's months (first and last always), sorted ascending.
 */
export function anchorScales(factors: readonly number[], points: number | 'all'): number[] {
  const distinct = [...new Set(factors)];
  if (points === 'all' || distinct.length <= points) return distinct.sort((a, b) => a - b);
  const n = factors.length;
  const picked = new Set<number>();
  for (let i = 0; i < points; i++) picked.add(factors[Math.round((i * (n - 1)) / (points - 1))]!);
  return [...picked].sort((a, b) => a - b);
}
