import { describeSettings } from './format.js';
import type { SloOption, SloResult } from '../../compare/result.js';
import { seconds, usd } from './format.js';
import { formatDuration } from '../../scenario/units.js';
import { table } from './table.js';
import { fitLines } from './width.js';

/** The SLO section of `servesim run`: per option the cheapest setting that meets it, then the cheapest path. */
export function sloText(r: SloResult, width = Infinity): string {
  const what = r.class === 'all' ? 'all user requests' : `${r.class} requests`;
  let out = `\nCheapest under the SLO — ${r.percentile} ≤ ${formatDuration(r.target)} over ${what}, cold starts included\n`;
  out += table(
    ['option', 'as configured', 'cheapest setting that meets it', 'cost', r.percentile, 'binding'],
    r.options.map((o) => [
      o.key,
      configuredText(o, r.target),
      o.best === null ? 'none' : describeSettings(o.best.settings) || 'as configured',
      usd(o.best?.cost),
      seconds(o.best?.achieved),
      o.binding ?? '—',
    ]),
    [false, false, false, true, true, false],
    width,
  );
  for (const o of r.options) out += `  ${o.key}: ${o.note}\n`;
  const c = r.options.find((o) => o.key === r.cheapest);
  out +=
    c?.best == null
      ? '  Cheapest path: none — no option (baselines aside) has a setting that meets the target.\n'
      : `  Cheapest path: ${c.key}, ${describeSettings(c.best.settings) || 'as configured'}, ${usd(c.best.cost)} over the span.\n`;
  return fitLines(out, width);
}

/** `meets (1.32 s)`, `misses (2.49 s)`, `misses (loses requests)` or `infeasible`. */
function configuredText(o: SloOption, target: number): string {
  const c = o.configured;
  if (c === null) return 'infeasible';
  if (o.meets) return `meets (${seconds(c.achieved)})`;
  return c.achieved !== null && c.achieved <= target
    ? 'misses (loses requests)'
    : `misses (${seconds(c.achieved)})`;
}
