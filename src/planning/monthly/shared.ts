import type { MonthlyCost } from '../../billing/lines.js';
import { differsByDayType, representativeDays } from '../sensitivity/representative.js';
import type { LoadedScenario } from '../../scenario/load.js';
import type { Scenario, ScenarioOption } from '../../scenario/schema.js';
import { runPortfolio } from '../../portfolio/run.js';
import { sharedOption } from '../../portfolio/shared.js';

/*
 * The 30-day month of a portfolio's shared options (inference components, multi-LoRA): the rule of
 * docs/model.md "The 30-day month", applied to the whole portfolio since its models share capacity
 * (a per-model option's month is each model's month summed). A span of 30 days or more, or traffic
 * from a trace file, is averaged to 30 days; otherwise each day type's first full day in the 30 days
 * from traffic.start is run alone (every model's traffic that day) and counts for every day of its type.
 */

const MONTH_DAYS = 30;
const DAY = 86400;

/** `cost.monthly` of each priced shared option of a portfolio run, by key. */
export function sharedMonthly(
  loaded: LoadedScenario,
  scenario: Scenario,
  costs: ReadonlyMap<string, { total: number; aws: number; staff: number }>,
  spanSeconds: number,
): Map<string, MonthlyCost> {
  const out = new Map<string, MonthlyCost>();
  const shared = scenario.options.filter((o) => sharedOption(o.id, o) !== undefined && costs.has(key(o)));
  if (shared.length === 0) return out;
  const components = (scenario.models ?? []).flatMap((m) => m.components);
  const spanDays = spanSeconds / DAY;
  if (spanDays >= MONTH_DAYS || components.some((c) => c.type === 'trace')) {
    const k = MONTH_DAYS / spanDays;
    for (const o of shared) {
      const c = costs.get(key(o))!;
      out.set(key(o), {
        total: c.total * k,
        aws: c.aws * k,
        staff: c.staff * k,
        method: `the simulated ${+spanDays.toFixed(2)} days × 30 / ${+spanDays.toFixed(2)}, every model together`,
      });
    }
    return out;
  }
  const month = representativeDays({
    traffic: { ...scenario.traffic, components, days: MONTH_DAYS, end: undefined },
    timezone: scenario.timezone,
  });
  if (month === null) return out;
  const asOne = { traffic: { ...scenario.traffic, components } };
  for (const o of shared) {
    const byType = differsByDayType(asOne, o);
    const days = byType ? month : [{ ...month[0]!, weight: MONTH_DAYS }];
    let total = 0;
    let aws = 0;
    const parts: string[] = [];
    let priced = true;
    for (const d of days) {
      const c = dayCost(loaded, scenario, o, d.date);
      if (c === null) {
        priced = false;
        break;
      }
      total += d.weight * c.total;
      aws += d.weight * c.aws;
      parts.push(
        `${+d.weight.toFixed(2)} ${byType ? (d.weekday ? 'weekdays' : 'weekend days') : 'days'} as ${d.date}`,
      );
    }
    if (!priced) continue;
    out.set(key(o), {
      total,
      aws,
      staff: total - aws,
      method: `30 days from ${scenario.traffic.start.slice(0, 10)}: ${parts.join(', ')}, every model's traffic of that day simulated together as one day`,
    });
  }
  return out;
}

/** One local day of the whole portfolio through one shared option; null when unpriced or infeasible. */
function dayCost(
  loaded: LoadedScenario,
  scenario: Scenario,
  option: ScenarioOption,
  date: string,
): { total: number; aws: number } | null {
  const day: Scenario = {
    ...scenario,
    traffic: { ...scenario.traffic, start: `${date}T00:00`, days: 1, end: undefined },
    options: [option],
  };
  const r = runPortfolio({ ...loaded, scenario: day }).result.options[0];
  return r?.cost ? { total: r.cost.total, aws: r.cost.aws } : null;
}

function key(o: ScenarioOption): string {
  return o.key ?? o.id;
}
