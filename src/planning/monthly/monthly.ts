import type { RunOutput } from '../../compare/run.js';
import type { MonthlyCost } from '../../billing/lines.js';
import type { Scenario } from '../../scenario/schema.js';
import {
  differsByDayType,
  representativeDays,
  type RepresentativeDay,
} from '../sensitivity/representative.js';
import type { SweepPool } from '../sweep/pool.js';

/*
 * The 30-day-month equivalent of each option (issue 20 item 1): what finance reads, beside the
 * simulated span's figures. Not the span × 30 / days: a weekday and a weekend day cost differently
 * (weekday-only traffic, a weekdays-only heartbeat), and an idle day still costs its standing
 * instances, control plane, storage and staff time.
 *
 *   span ≥ 30 days ─► the span's cost × 30 / its days (exactly the simulated month when 30)
 *   a trace file in the traffic ─► the same average (a file's days cannot be re-dated by type)
 *   otherwise ─► the 30 days from traffic.start by day type: per type its first full day there,
 *     simulated alone as one day (the run itself when it is that day), × the days it stands for
 *
 * The forecast (docs/forecast.md) stays the month-by-month answer, with growth and seeds.
 */

const MONTH_DAYS = 30;
const DAY = 86400;

/** One day of the month: its cost by option key (null: infeasible), and the days it stands for. */
interface CostedDay {
  day: RepresentativeDay;
  byKey: Map<string, { total: number; aws: number } | null>;
}

/** `options[].cost.monthly` for every priced option of a run, by key (needs the run's pool for other day types). */
export async function monthlyCosts(out: RunOutput, pool: SweepPool): Promise<Map<string, MonthlyCost>> {
  const result = new Map<string, MonthlyCost>();
  const priced = out.result.options.filter((o) => o.cost !== null);
  if (priced.length === 0) return result;
  const spanDays = out.result.trace.durationSeconds / DAY;
  const fromFile = out.scenario.traffic.components.some((c) => c.type === 'trace');
  if (spanDays >= MONTH_DAYS || fromFile) {
    const k = MONTH_DAYS / spanDays;
    const method =
      spanDays === MONTH_DAYS
        ? 'the simulated 30 days'
        : `the simulated ${days(spanDays)} × 30 / ${round(spanDays)}${fromFile && spanDays < MONTH_DAYS ? " (a trace file's days are not re-dated by day type)" : ''}`;
    for (const o of priced) result.set(o.key, scaled(o.cost!, k, method));
    return result;
  }
  const month = representativeDays({
    traffic: { ...out.scenario.traffic, days: MONTH_DAYS, end: undefined },
    timezone: out.scenario.timezone,
  });
  if (month === null) return result; // a 30-day month always holds a full day of each type
  const costed = await Promise.all(month.map((d, i) => costDay(out, pool, d, i)));
  for (const o of priced) {
    let total = 0;
    let aws = 0;
    const parts: string[] = [];
    let feasible = true;
    for (const [i, c] of costed.entries()) {
      const w = weight(out.scenario, o.key, month, i);
      if (w === 0) continue;
      const day = c.byKey.get(o.key);
      if (day === null || day === undefined) {
        feasible = false;
        break;
      }
      total += w * day.total;
      aws += w * day.aws;
      parts.push(`${label(w, c.day.weekday)} as ${c.day.date}`);
    }
    if (!feasible) continue;
    const from = out.scenario.traffic.start.slice(0, 10);
    const day0 = month[0]!.date;
    const method =
      parts.length === 1
        ? `30 days from ${from}, each costed as ${day0} simulated as one day (nothing here differs between weekdays and weekends)`
        : `30 days from ${from} by day type: ${parts.join(', ')}, each simulated as one day`;
    result.set(o.key, { total, aws, staff: total - aws, method });
  }
  return result;
}

/** The days of the month option `key` is costed on day `i` for (0: that day is not needed). */
function weight(scenario: Scenario, key: string, month: readonly RepresentativeDay[], i: number): number {
  const option = scenario.options.find((o) => (o.key ?? o.id) === key);
  if (option !== undefined && differsByDayType(scenario, option)) return month[i]!.weight;
  return i === 0 ? month.reduce((s, d) => s + d.weight, 0) : 0;
}

/** Costs one representative day: the run itself when it is exactly that day, else a one-day simulation. */
async function costDay(
  out: RunOutput,
  pool: SweepPool,
  day: RepresentativeDay,
  i: number,
): Promise<CostedDay> {
  const byKey = new Map<string, { total: number; aws: number } | null>();
  const scenario = out.scenario;
  const isRun = out.result.trace.durationSeconds === DAY && scenario.traffic.start === `${day.date}T00:00`;
  if (isRun) {
    for (const o of out.result.options) byKey.set(o.key, o.cost && { total: o.cost.total, aws: o.cost.aws });
    return { day, byKey };
  }
  const options = scenario.options.filter((o) => {
    const key = o.key ?? o.id;
    const r = out.result.options.find((x) => x.key === key);
    return r?.cost != null && (i === 0 || differsByDayType(scenario, o));
  });
  if (options.length === 0) return { day, byKey };
  const outcomes = await pool.submit({
    scale: 1,
    options,
    span: { start: `${day.date}T00:00`, days: 1 },
    latency: false,
  });
  for (const r of outcomes)
    byKey.set(r.key, r.cost === null || r.costAws === null ? null : { total: r.cost, aws: r.costAws });
  return { day, byKey };
}

function scaled(cost: { total: number; aws: number; staff: number }, k: number, method: string): MonthlyCost {
  return { total: cost.total * k, aws: cost.aws * k, staff: cost.staff * k, method };
}

function label(n: number, weekday: boolean): string {
  const one = n === 1;
  return `${round(n)} ${weekday ? (one ? 'weekday' : 'weekdays') : one ? 'weekend day' : 'weekend days'}`;
}

function round(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

function days(n: number): string {
  return `${round(n)} day${n === 1 ? '' : 's'}`;
}
