import type { SloLine, SloSizingContext } from '../../models/hooks.js';
import { optionById } from '../../models/registry.js';
import type { ScenarioOption } from '../../scenario/schema.js';
import { labelOf, rangesOf } from '../breakeven/schedules.js';

/*
 * The settings the SLO search tries, per option: the option's own `sloSizing` hook
 * (src/models/hooks.ts) gives a few lines, each a count searched on its own (copies, instances,
 * nodes, replicas, model units, concurrency) with everything else fixed. Lines come
 * cheapest-looking first so that cost pruning (slo.ts) cuts the later ones short. An option
 * without the hook is not searched: its result says so.
 */

export type Line = SloLine;

/** What the search knows of the scenario; the heartbeat wording comes from the planning side. */
export type GridContext = Omit<SloSizingContext, 'heartbeatLabel' | 'hourRanges'>;

/** The search lines of one option entry, and the settings their counts set; null without the hook. */
export function linesOf(
  o: ScenarioOption,
  ctx: GridContext,
): { lines: Line[]; counts: ReadonlySet<string> } | null {
  const sizing = optionById(o.id)?.sloSizing;
  if (sizing === undefined) return null;
  return {
    lines: sizing.lines(o, { ...ctx, heartbeatLabel: labelOf, hourRanges: rangesOf }),
    counts: new Set(sizing.countSettings),
  };
}
