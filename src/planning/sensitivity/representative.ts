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

/** Sensitivity runs on representative days when the span has more local days than this. */
export const REPRESENTATIVE_ABOVE_DAYS = 7;

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

/** Estimates whole-trace outcomes from representative days (see the comment at the top). */
export class DayEstimator {
  private readonly baseDays = new Map<string, Promise<VariantOutcome[]>>();

  constructor(
    private readonly pool: SweepPool,
    private readonly days: readonly RepresentativeDay[],
    /** Every option of the scenario as configured, on the whole trace. */
    private readonly base: readonly Outcome[],
    private readonly options: readonly ScenarioOption[],
  ) {}

  /** The base outcomes with `moved` (option entries at the input's value, `prices` overrides) estimated. */
  async at(moved: ScenarioOption[], prices: Record<string, number>): Promise<Outcome[]> {
    const keys = new Set(moved.map((o) => o.key ?? o.id));
    const hasPrices = Object.keys(prices).length > 0;
    const perDay = await Promise.all(
      this.days.map(async (d) => {
        const span = { start: `${d.date}T00:00`, days: 1 };
        const [at, base] = await Promise.all([
          this.pool.submit({ scale: 1, options: moved, span, ...(hasPrices ? { prices } : {}) }),
          this.baseDay(d),
        ]);
        return { d, at, base };
      }),
    );
    return this.base.map((b) => {
      if (!keys.has(b.key)) return b;
      let cost = b.cost;
      let throttled = b.throttled;
      let failed = b.failed;
      let feasible = b.feasible;
      let latency = b.latency;
      for (const { d, at, base } of perDay) {
        const x = at.find((o) => o.key === b.key)!;
        const y = base.find((o) => o.key === b.key)!;
        feasible &&= x.feasible;
        cost =
          cost === null || x.cost === null || y.cost === null ? null : cost + d.weight * (x.cost - y.cost);
        throttled += d.weight * (x.throttled - y.throttled);
        failed += d.weight * (x.failed - y.failed);
        latency = shifted(latency, b.latency, x.latency, y.latency);
      }
      return {
        ...b,
        feasible,
        cost: feasible ? cost : null,
        throttled: Math.max(0, throttled),
        failed: Math.max(0, failed),
        latency,
      };
    });
  }

  private baseDay(d: RepresentativeDay): Promise<VariantOutcome[]> {
    let p = this.baseDays.get(d.date);
    if (!p) {
      p = this.pool.submit({
        scale: 1,
        options: [...this.options],
        span: { start: `${d.date}T00:00`, days: 1 },
      });
      this.baseDays.set(d.date, p);
    }
    return p;
  }
}

/**
 * `now` (the estimate so far, starting at the whole trace's base) moved by the day's change at each
 * class and percentile, the largest change over the days kept (percentiles do not add up).
 */
function shifted(
  now: Outcome['latency'],
  base: Outcome['latency'],
  day: Outcome['latency'],
  dayBase: Outcome['latency'],
): Outcome['latency'] {
  if (now === null || base === null || day === null || dayBase === null) return day ?? now;
  const out = { ...now };
  for (const k of ['all', 'interactive', 'batch', 'warm', 'coldHit'] as const) {
    const [n, b, x, y] = [now[k], base[k], day[k], dayBase[k]];
    if (n === null || b === null || x === null || y === null) continue;
    const at = (p: 'p50' | 'p95' | 'p99' | 'max'): number => Math.max(n[p], b[p] + x[p] - y[p]);
    out[k] = { ...n, p50: at('p50'), p95: at('p95'), p99: at('p99'), max: at('max') };
  }
  return out;
}
