import { InputError } from '../../errors.js';
import { optionById } from '../../models/registry.js';
import type { Commitment } from '../../billing/lines.js';
import type { LoadedScenario } from '../../scenario/load.js';
import { Forecast, type Scenario, type ScenarioOption } from '../../scenario/schema.js';
import { Rng } from '../../sim/rng.js';
import { bandOf, type Band } from './bands.js';
import { forecastMonths, monthOf, regularDay, type ForecastMonth } from './calendar.js';
import { monteCarloInputs, type DrawnInput, type RunInputs } from './inputs.js';
import { scalable, trafficShape, type VariantOutcome } from '../sweep/sweep.js';
import { SweepPool, type PoolOptions } from '../sweep/pool.js';

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
 * Days are simulated independently: each starts with no copies, instances or queue (state left
 * overnight is not carried over). A weekend day is simulated only for options whose settings name
 * `weekdays` (a heartbeat on weekdays) unless a traffic component does: for every other option a
 * regular weekend day is the same simulation as a regular weekday.
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
}

/** One row of forecast.json `months` and of forecast.csv (design §8): USD for the month. */
export interface ForecastRow extends Band {
  month: string;
  option: string;
}

export interface ForecastOptionInfo {
  option: string;
  id: string;
  /** Serves a catalog model instead of the scenario's weights: shown, never ranked cheapest. */
  baseline: boolean;
  /** False when any simulated day was infeasible: the option has no rows. */
  feasible: boolean;
  reasons: string[];
  /** Highest share of user requests throttled or failed on any simulated day; null if infeasible. */
  lossRate: number | null;
  /** `lossRate` above the scenario's `maxLossRate`: costed, flagged, never ranked cheapest. */
  lossExceeded: boolean;
}

export interface ForecastSettings {
  start: string;
  months: number;
  growth: number;
  runs: number;
  uncertainty: 'all' | 'none';
  sampleDays: number;
  volumePoints: number | 'all';
}

/** forecast.json: `months` is design §8; the other fields are additions (docs/forecast.md). */
export interface ForecastResult {
  months: ForecastRow[];
  scenario: string;
  seed: number;
  region: string;
  settings: ForecastSettings & {
    percentileMethod: 'nearest-rank';
    /** Dates the representative days are simulated on (any regular day of the type is the same). */
    representativeDays: { weekday: string; weekend: string };
  };
  calendar: { month: string; days: number; weekdays: number; weekendDays: number; volumeFactor: number }[];
  /** The horizon's total per option: each run's months summed, then the percentiles. */
  totals: (Band & { option: string })[];
  /** Per month, the option with the lowest P50 among the ranked ones (null: none ranked). */
  cheapest: { month: string; option: string | null }[];
  options: ForecastOptionInfo[];
  /** The uncertain inputs each run drew (empty with `uncertainty: none`). */
  uncertainInputs: DrawnInput[];
  /**
   * Addition (issue 15 item 6): options bought for a term. Their months bill the term's monthly
   * instalment (a commitment month of `termHours / termMonths` hours, whatever the calendar
   * month's length), and their horizon total bills whole terms: `monthsAfterHorizon` months of
   * the last term fall after the horizon and are in `totals`, not in `months`.
   */
  commitments: {
    option: string;
    term: string;
    termMonths: number;
    terms: number;
    monthsAfterHorizon: number;
  }[];
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
  return {
    start: cfg.start ?? monthOf(scenario.traffic.start),
    months,
    growth,
    runs: whole(opts.runs, 'runs', cfg.runs),
    uncertainty: cfg.uncertainty,
    sampleDays: cfg.sampleDays,
    volumePoints: cfg.volumePoints,
  };
}

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

type DayType = 'weekday' | 'weekend';
/** Cost by option key of one simulated day (null: infeasible); outcomes for flags. */
type DayCosts = Map<string, VariantOutcome>;

export async function forecast(loaded: LoadedScenario, opts: ForecastOptions = {}): Promise<ForecastResult> {
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
  const factor = (m: ForecastMonth): number => Math.pow(1 + cfg.growth, m.index);
  // Months of equal volume (all of them without growth) share their representative days; with
  // growth only `volumePoints` volumes are simulated and the months between interpolated.
  const scales = anchorScales(months.map(factor), cfg.volumePoints);
  const mc = monteCarloInputs(scenario, loaded.baseDir, cfg.uncertainty);
  const weekdayTraffic = scenario.traffic.components.some((c) => 'days' in c && c.days === 'weekdays');
  const shape = trafficShape(scenario, loaded.baseDir);
  const pool = new SweepPool(
    { scenario, baseDir: loaded.baseDir },
    { ...opts, requestsPerScale: shape.requestsPerDay },
  );
  const day = (
    scale: number,
    inputs: RunInputs,
    seed: number | undefined,
    date: string,
  ): Promise<DayCosts> | null =>
    inputs.options.length === 0
      ? null
      : pool
          .submit({
            scale,
            options: inputs.options,
            ...(seed === undefined ? {} : { seed }),
            ...(inputs.prices ? { prices: inputs.prices } : {}),
            span: { start: `${date}T00:00`, days: 1 },
          })
          .then((out) => new Map(out.map((o) => [o.key, o])));
  try {
    // Run r → day j → scale → type: every task submitted before any is awaited (heaviest first).
    const runDays = Array.from({ length: cfg.runs }, (_, r) => {
      const inputs = mc.draw(r);
      const weekend: RunInputs = weekdayTraffic
        ? inputs
        : { ...inputs, options: inputs.options.filter(seesWeekdays) };
      return Array.from({ length: cfg.sampleDays }, (_, j) => {
        const seed = runSeed(scenario.seed, r, j);
        return scales.map((s) => ({
          weekday: day(s, inputs, seed, dates.weekday)!,
          weekend: day(s, weekend, seed, dates.weekend),
        }));
      });
    });
    const corrections = dstCorrections(months, factor, dates, (s, date) =>
      day(s, { options: scenario.options }, undefined, date)!,
    );
    const settled = await Promise.all(
      runDays.map((days) =>
        Promise.all(
          days.map((bys) =>
            Promise.all(
              bys.map(async (t) => ({ weekday: await t.weekday, weekend: (await t.weekend) ?? null })),
            ),
          ),
        ),
      ),
    );
    const dst = await corrections;
    return assemble(scenario, cfg, months, dates, scales, factor, settled, dst, mc.inputs);
  } finally {
    await pool.close();
  }
}

/**
 * Per month, per option key: Σ over its DST days of (cost of that day − cost of a regular day of
 * the same type), both at the month's volume, the scenario's seed and settings. Null where either
 * is infeasible. Regular days are shared between months of equal volume.
 */
async function dstCorrections(
  months: ForecastMonth[],
  factor: (m: ForecastMonth) => number,
  dates: Record<DayType, string>,
  simulate: (scale: number, date: string) => Promise<DayCosts>,
): Promise<Map<string, number | null>[]> {
  const memo = new Map<string, Promise<DayCosts>>();
  const at = (s: number, date: string): Promise<DayCosts> => {
    const k = `${s}|${date}`;
    if (!memo.has(k)) memo.set(k, simulate(s, date));
    return memo.get(k)!;
  };
  return Promise.all(
    months.map(async (m) => {
      const out = new Map<string, number | null>();
      for (const d of m.irregular) {
        const [odd, even] = await Promise.all([
          at(factor(m), d.date),
          at(factor(m), d.weekday ? dates.weekday : dates.weekend),
        ]);
        for (const [key, o] of odd) {
          const e = even.get(key)!;
          const prev = out.get(key) ?? 0;
          out.set(key, prev === null || o.cost === null || e.cost === null ? null : prev + o.cost - e.cost);
        }
      }
      return out;
    }),
  );
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

/** The simulated volumes around `f` (indices into ascending `scales`) and the weight of the upper one. */
export function bracket(scales: readonly number[], f: number): { lo: number; hi: number; w: number } {
  const exact = scales.indexOf(f);
  if (exact >= 0) return { lo: exact, hi: exact, w: 0 };
  let hi = scales.findIndex((s) => s > f);
  if (hi <= 0) hi = hi === 0 ? 1 : scales.length - 1; // outside the anchors: extrapolate from the nearest pair
  const lo = hi - 1;
  return { lo, hi, w: (f - scales[lo]!) / (scales[hi]! - scales[lo]!) };
}

type Settled = { weekday: DayCosts; weekend: DayCosts | null }[][][];

function assemble(
  scenario: Scenario,
  cfg: ForecastSettings,
  months: ForecastMonth[],
  dates: Record<DayType, string>,
  scales: number[],
  factor: (m: ForecastMonth) => number,
  settled: Settled,
  dst: Map<string, number | null>[],
  inputs: DrawnInput[],
): ForecastResult {
  const keys = scenario.options.map((o) => o.key ?? o.id);
  const info = new Map<string, ForecastOptionInfo>(
    scenario.options.map((o) => [
      o.key ?? o.id,
      {
        option: o.key ?? o.id,
        id: o.id,
        baseline: optionById(o.id)?.baseline === true,
        feasible: true,
        reasons: [],
        lossRate: 0,
        lossExceeded: false,
      },
    ]),
  );
  const note = (o: VariantOutcome): void => {
    const i = info.get(o.key)!;
    if (!o.feasible || o.cost === null) {
      if (i.feasible) i.reasons = o.reasons;
      i.feasible = false;
      return;
    }
    const lost = o.arrived > 0 ? (o.throttled + o.failed) / o.arrived : 0;
    i.lossRate = Math.max(i.lossRate ?? 0, lost);
  };
  for (const run of settled)
    for (const bys of run)
      for (const t of bys) {
        t.weekday.forEach(note);
        t.weekend?.forEach(note);
      }
  for (const m of dst) for (const [k, v] of m) if (v === null) info.get(k)!.feasible = false;

  // totals[m][k][r]: USD of month m, option k, run r.
  const runs = settled.length;
  const totals = months.map(() => keys.map(() => new Float64Array(runs)));
  // A term bought whole: a month bills its instalment (hours of a commitment month at the day's rate).
  const commitment = new Map(keys.map((k) => [k, settled[0]?.[0]?.[0]?.weekday.get(k)?.commitment] as const));
  settled.forEach((run, r) =>
    months.forEach((m, mi) => {
      const { lo, hi, w: wHi } = bracket(scales, factor(m));
      keys.forEach((k, ki) => {
        if (!info.get(k)!.feasible) return;
        let wd = 0;
        let we = 0;
        for (const bys of run) {
          // Linear in volume between the two simulated volumes around this month's.
          for (const [si, w] of [
            [lo, 1 - wHi],
            [hi, wHi],
          ] as const) {
            if (w === 0) continue;
            const t = bys[si]!;
            const c = t.weekday.get(k)!.cost!;
            wd += w * c;
            we += w * (t.weekend?.get(k)?.cost ?? c);
          }
        }
        const n = run.length;
        const c = commitment.get(k);
        totals[mi]![ki]![r] = c
          ? (wd / n / 24) * (c.termHours / c.termMonths)
          : (m.weekdays * wd) / n + (m.weekendDays * we) / n + (dst[mi]!.get(k) ?? 0);
      });
    }),
  );
  for (const i of info.values()) {
    if (!i.feasible) i.lossRate = null;
    i.lossExceeded = i.lossRate !== null && i.lossRate > scenario.maxLossRate;
  }
  const shown = keys.filter((k) => info.get(k)!.feasible);
  const ranked = shown.filter((k) => !info.get(k)!.baseline && !info.get(k)!.lossExceeded);
  const rows: ForecastRow[] = [];
  const cheapest: ForecastResult['cheapest'] = [];
  months.forEach((m, mi) => {
    const bands = new Map(shown.map((k) => [k, bandOf(totals[mi]![keys.indexOf(k)]!)]));
    for (const k of shown) rows.push({ month: m.month, option: k, ...bands.get(k)! });
    let best: string | null = null;
    for (const k of ranked) if (best === null || bands.get(k)!.p50 < bands.get(best)!.p50) best = k;
    cheapest.push({ month: m.month, option: best });
  });
  return {
    months: rows,
    scenario: scenario.name,
    seed: scenario.seed,
    region: scenario.region,
    settings: { ...cfg, percentileMethod: 'nearest-rank', representativeDays: dates },
    calendar: months.map((m) => ({
      month: m.month,
      days: m.days,
      weekdays: m.weekdays,
      weekendDays: m.weekendDays,
      volumeFactor: factor(m),
    })),
    totals: shown.map((k) => {
      const ki = keys.indexOf(k);
      const sum = new Float64Array(runs);
      for (const perMonth of totals) for (let r = 0; r < runs; r++) sum[r] = sum[r]! + perMonth[ki]![r]!;
      // Whole terms: the last term's months after the horizon are owed too (same instalment).
      const after = monthsAfter(commitment.get(k), months.length);
      if (after > 0) for (let r = 0; r < runs; r++) sum[r] = sum[r]! + after * totals.at(-1)![ki]![r]!;
      return { option: k, ...bandOf(sum) };
    }),
    cheapest,
    options: keys.map((k) => info.get(k)!),
    uncertainInputs: inputs,
    commitments: shown.flatMap((k) => {
      const c = commitment.get(k);
      if (!c) return [];
      const after = monthsAfter(c, months.length);
      const terms = (months.length + after) / c.termMonths;
      return [{ option: k, term: c.term, termMonths: c.termMonths, terms, monthsAfterHorizon: after }];
    }),
  };
}

/** Months of the last whole term that fall after a horizon of `months` (0 without a commitment). */
function monthsAfter(c: Commitment | undefined, months: number): number {
  return c ? Math.ceil(months / c.termMonths) * c.termMonths - months : 0;
}
