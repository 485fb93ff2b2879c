import type { Scenario, ScenarioOption } from '../../scenario/schema.js';
import { TraceCalendar } from '../../traffic/calendar.js';
import type { SweepPool } from '../sweep/pool.js';
import type { VariantOutcome } from '../sweep/sweep.js';

/*
 * Sensitivity on a long trace (issue 16): an input's effect is measured on representative days and
 * added to the whole trace's baseline, instead of re-simulating every day per input end.
 *
 *   the span's local days ─► per day type (weekday, weekend day) the first full 24-hour day, and
 *     the days of the span it stands for (its weight)
 *   input at a value ─► each representative day simulated alone (from a cold start), at the value
 *     and at base ─► estimate = whole-trace base + Σ weight × (day at value − day at base)
 *
 * The day-start transient (a cold start, an empty queue) is in both terms of each difference, so
 * it mostly cancels. Latency percentiles are the representative days' worst (conservative).
 */

export type Outcome = Pick<
  VariantOutcome,
  'key' | 'feasible' | 'cost' | 'arrived' | 'throttled' | 'failed' | 'latency'
>;

export interface RepresentativeDay {
  /** Local date, YYYY-MM-DD. */
  date: string;
  weekday: boolean;
  /** Days of the span it stands for (its type's days, partial days pro rata). */
  weight: number;
}

/**
 * A trace is long — analyses may stand representative days (or its first week) for it, and say
 * so — above both this many local days and this many requests; below, the full computation is
 * affordable and is done.
 */
export const LONG_TRACE = { days: 7, requests: 500_000 };

export type LongTrace = typeof LONG_TRACE;

export function isLong(days: number, requests: number, above: LongTrace = LONG_TRACE): boolean {
  return days > above.days && requests > above.requests;
}

/**
 * One full (24 h, inside the span) local day per day type present, the first of its type; null
 * when some type has no full day (a span too short to stand for).
 */
export function representativeDays(
  scenario: Pick<Scenario, 'traffic' | 'timezone'>,
): RepresentativeDay[] | null {
  const cal = new TraceCalendar(scenario.traffic, scenario.timezone);
  const end = cal.span.durationSeconds;
  const weight = new Map<boolean, number>();
  const first = new Map<boolean, string>();
  for (const d of cal.days()) {
    const lo = Math.max(0, d.midnight);
    const hi = Math.min(end, d.end);
    weight.set(d.weekday, (weight.get(d.weekday) ?? 0) + (hi - lo) / 86400);
    if (!first.has(d.weekday) && d.midnight >= 0 && d.end <= end && d.end - d.midnight === 86400)
      first.set(d.weekday, d.date);
  }
  const out: RepresentativeDay[] = [];
  for (const [weekday, w] of weight) {
    const date = first.get(weekday);
    if (date === undefined) return null;
    out.push({ date, weekday, weight: w });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * Whether weekdays and weekend days differ for `option`: only through `days: weekdays`, in a
 * traffic component or in the option itself (a heartbeat's). Sensitivity and the monthly figures
 * cost an option for which nothing says so on one day for every day.
 */
export function differsByDayType(scenario: Pick<Scenario, 'traffic'>, option: ScenarioOption): boolean {
  return (
    scenario.traffic.components.some((c) => 'days' in c && c.days === 'weekdays') ||
    JSON.stringify(option).includes('"weekdays"')
  );
}

/**
 * Estimates whole-trace outcomes from representative days (see the comment at the top). A weekday
 * and a weekend day differ only through `days: weekdays` (a traffic component's, or an option's
 * heartbeat); an option for which nothing says `weekdays` sees the same traffic on both, so its
 * first representative day stands for every day (the forecast's rule, docs/forecast.md).
 */
export class DayEstimator {
  private readonly baseDays = new Map<string, Promise<VariantOutcome[]>>();
  private readonly total: number;

  constructor(
    private readonly pool: SweepPool,
    private readonly days: readonly RepresentativeDay[],
    /** Every option of the scenario as configured, on the whole trace. */
    private readonly base: readonly Outcome[],
    private readonly scenario: Pick<Scenario, 'traffic' | 'options'>,
  ) {
    this.total = days.reduce((s, d) => s + d.weight, 0);
  }

  /** Whether `o` must be simulated on day `i` of the representative days, and the days it stands for. */
  private weightOn(o: ScenarioOption, i: number): number {
    if (differsByDayType(this.scenario, o)) return this.days[i]!.weight;
    return i === 0 ? this.total : 0;
  }

  /** The base outcomes with `moved` (option entries at the input's value, `prices` overrides) estimated. */
  async at(moved: ScenarioOption[], prices: Record<string, number>): Promise<Outcome[]> {
    const hasPrices = Object.keys(prices).length > 0;
    const perDay = await Promise.all(
      this.days.map(async (d, i) => {
        const on = moved.filter((o) => this.weightOn(o, i) > 0);
        if (on.length === 0) return null;
        const span = { start: `${d.date}T00:00`, days: 1 };
        const [at, base] = await Promise.all([
          this.pool.submit({ scale: 1, options: on, span, ...(hasPrices ? { prices } : {}) }),
          this.baseDay(i),
        ]);
        return { i, at, base };
      }),
    );
    return this.base.map((b) => {
      const o = moved.find((m) => (m.key ?? m.id) === b.key);
      if (!o) return b;
      let cost = b.cost;
      let throttled = b.throttled;
      let failed = b.failed;
      let feasible = b.feasible;
      let latency: Outcome['latency'] | undefined;
      for (const day of perDay) {
        if (day === null) continue;
        const w = this.weightOn(o, day.i);
        if (w === 0) continue;
        const x = day.at.find((r) => r.key === b.key)!;
        const y = day.base.find((r) => r.key === b.key)!;
        feasible &&= x.feasible;
        cost = cost === null || x.cost === null || y.cost === null ? null : cost + w * (x.cost - y.cost);
        throttled += w * (x.throttled - y.throttled);
        failed += w * (x.failed - y.failed);
        latency = shifted(latency, b.latency, x.latency, y.latency);
      }
      return {
        ...b,
        feasible,
        cost: feasible ? cost : null,
        latency: latency === undefined ? b.latency : latency,
        throttled: Math.max(0, throttled),
        failed: Math.max(0, failed),
      };
    });
  }

  /** Day `i` at base, for the options that are simulated on it. */
  private baseDay(i: number): Promise<VariantOutcome[]> {
    const d = this.days[i]!;
    let p = this.baseDays.get(d.date);
    if (!p) {
      const options = this.scenario.options.filter((o) => this.weightOn(o, i) > 0);
      p = this.pool.submit({ scale: 1, options, span: { start: `${d.date}T00:00`, days: 1 } });
      this.baseDays.set(d.date, p);
    }
    return p;
  }
}

/**
 * The whole trace's `base` latency moved by one day's change (`day` − `dayBase`) at each class and
 * percentile; with `now` (the estimate from earlier days) the larger of the two is kept (percentiles
 * do not add up over days). Null when a day has none to compare.
 */
function shifted(
  now: Outcome['latency'] | undefined,
  base: Outcome['latency'],
  day: Outcome['latency'],
  dayBase: Outcome['latency'],
): Outcome['latency'] {
  if (base === null || day === null || dayBase === null) return now === undefined ? day : now;
  const out = { ...(now ?? base) };
  for (const k of ['all', 'interactive', 'batch', 'warm', 'coldHit'] as const) {
    const [b, x, y] = [base[k], day[k], dayBase[k]];
    const n = now === undefined ? null : (now?.[k] ?? null);
    if (b === null || x === null || y === null) continue;
    const at = (p: 'p50' | 'p95' | 'p99' | 'max'): number => {
      const v = Math.max(0, b[p] + x[p] - y[p]);
      return n === null ? v : Math.max(n[p], v);
    };
    out[k] = { ...b, p50: at('p50'), p95: at('p95'), p99: at('p99'), max: at('max') };
  }
  return out;
}
