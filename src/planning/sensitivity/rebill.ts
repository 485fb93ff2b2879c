import { finishOption, scenarioPriceBook, type OptionRun } from '../../compare/run.js';
import type { TraceSummary } from '../../compare/result.js';
import type { Scenario, ScenarioOption } from '../../scenario/schema.js';
import { TraceCalendar } from '../../traffic/calendar.js';
import { variantOutcome, type VariantOutcome } from '../sweep/sweep.js';

/*
 * Inputs that only change the bill (ops effort and its price, a price, the CMU rate, the window
 * rule, the spot discount: `billingOnly` in the options' uncertain hooks) re-bill the run's own
 * records instead of simulating again (issue 16): exact, and free next to a simulation. A test
 * checks the re-billed costs equal a full re-simulation for every such input.
 */

/** Re-bills option entries on the run's records; null when an entry has no record to re-bill. */
export type Rebill = (
  moved: readonly ScenarioOption[],
  prices: Record<string, number>,
) => VariantOutcome[] | null;

export function rebiller(
  scenario: Scenario,
  baseDir: string,
  runs: readonly OptionRun[],
  trace: TraceSummary,
): Rebill {
  const calendar = new TraceCalendar(scenario.traffic, scenario.timezone);
  const span = calendar.span.durationSeconds;
  return (moved, prices) => {
    const priced: Scenario =
      Object.keys(prices).length > 0
        ? {
            ...scenario,
            pricing: { ...scenario.pricing, overrides: { ...scenario.pricing.overrides, ...prices } },
          }
        : scenario;
    const book = scenarioPriceBook(priced, baseDir);
    const out: VariantOutcome[] = [];
    for (const o of moved) {
      const record = runs.find((r) => r.key === (o.key ?? o.id))?.record;
      if (!record) return null;
      const outcome = finishOption(priced, o, book, trace, () => record, span, calendar);
      // A move that changes feasibility is not a re-bill.
      if (!outcome.result.feasible) return null;
      out.push(variantOutcome(outcome));
    }
    return out;
  };
}
