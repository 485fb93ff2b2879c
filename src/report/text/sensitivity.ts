import { bandText, seconds, usd } from './format.js';
import { table } from './table.js';
import { fitLines } from './width.js';
import type { SensitivityInput, SensitivityResult } from '../../compare/result.js';

/*
 * The "What could change the answer" section `servesim run` (unless `--no-sensitivity`) prints: inputs that
 * flip the cheapest option first (their sentences), then the largest swings of its cost, the
 * inputs that break the SLO (when one is given), and the inputs with no effect in one line.
 */

/** How many of the largest swings are listed besides the flips. */
const TOP = 5;

const name = (x: SensitivityInput): string =>
  `${x.label} (${x.optionId}${x.role === 'setting' ? ', a default setting' : ''})`;

export function sensitivityText(s: SensitivityResult, width = Infinity): string {
  const c = s.baseline.cheapest;
  let out = '\nWhat could change the answer (each uncertain input across its band, one at a time):\n';
  if (s.simulated.on === 'representative-days') out += `  ${s.simulated.note}\n`;
  if (c === null) out += '  No option serves the traffic at base, so there is no choice to flip.\n';
  else
    out += `  Cheapest at base: ${c} at ${usd(s.baseline.costs[c])}${s.baseline.runnerUp ? `, then ${s.baseline.runnerUp} at ${usd(s.baseline.costs[s.baseline.runnerUp])}` : ''}.\n`;
  const flips = s.inputs.filter((x) => x.flips);
  if (flips.length > 0) {
    out += '  Flips the choice:\n';
    for (const x of flips) out += `    • ${x.sentence}\n`;
  } else if (c !== null) out += `  No input flips the choice within its band: ${c} stays the cheapest.\n`;

  const swings = s.inputs
    .filter((x) => !x.flips && x.swing > 0)
    .sort((a, b) => b.swing - a.swing)
    .slice(0, TOP);
  if (c !== null && swings.length > 0) {
    out += `  Largest swings of ${c}'s cost (low end → high end):\n`;
    out += table(
      ['input', 'swing', 'low end → high end', 'band'],
      swings.map((x) => [
        name(x),
        usd(x.swing),
        `${usd(x.costs.low[c])} → ${usd(x.costs.high[c])}`,
        bandText(x),
      ]),
      [false, true, true, false],
      width - 2,
    ).replace(/^(?=.)/gm, '  ');
  }

  if (s.slo && s.slo.option !== null) {
    const what = `${s.slo.percentile} of ${s.slo.class === 'all' ? 'all' : s.slo.class} requests ≤ ${seconds(s.slo.target)} on ${s.slo.option}`;
    if (s.slo.met === false) out += `  SLO (${what}): not met even at base (${seconds(s.slo.value)}).\n`;
    else {
      const broken = s.inputs.filter((x) => x.slo?.breaks);
      out +=
        broken.length === 0
          ? `  SLO (${what}): met at base (${seconds(s.slo.value)}) and at both ends of every band.\n`
          : `  SLO (${what}), met at base (${seconds(s.slo.value)}), broken by: ${broken
              .map((x) => `${name(x)} (low ${seconds(x.slo!.low)}, high ${seconds(x.slo!.high)})`)
              .join('; ')}.\n`;
    }
  }

  const none = s.inputs.filter((x) => x.effect === 'none');
  if (none.length > 0) out += `  No effect on any option's cost: ${none.map(name).join(', ')}.\n`;
  for (const u of s.unsupported ?? []) out += `  ${u}.\n`;
  return fitLines(out, width);
}
