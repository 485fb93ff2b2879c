import { bandText } from './text/format.js';
import { seconds, usd } from './text/format.js';
import { esc, figureHtml, type HtmlChart } from './html-parts.js';
import type { SensitivityInput, SensitivityResult } from '../compare/result.js';

/*
 * The "What could change the answer" section of report.html: the inputs that flip the cheapest
 * option (their sentences), the SLO check, the tornado chart, and one table row per input.
 */

const EFFECT = { choice: 'flips the choice', cost: 'moves costs', none: 'no effect' } as const;

export function sensitivitySection(s: SensitivityResult, chart: HtmlChart | undefined): string {
  const c = s.baseline.cheapest;
  const flips = s.inputs.filter((x) => x.flips);
  const lead =
    c === null
      ? '<p>No option serves the traffic at base, so there is no choice to flip.</p>'
      : flips.length === 0
        ? `<p>No uncertain input flips the choice within its band: <strong>${esc(c)}</strong> stays the cheapest.</p>`
        : `<ul class="flips">\n${flips.map((x) => `<li>${esc(x.sentence)}</li>`).join('\n')}\n</ul>`;
  const slo =
    s.slo && s.slo.option !== null
      ? `<p>SLO: ${esc(s.slo.percentile)} of ${esc(s.slo.class)} requests ≤ ${esc(seconds(s.slo.target))} on ${esc(s.slo.option)} — ${
          s.slo.met === false
            ? `not met even at base (${esc(seconds(s.slo.value))}).`
            : `met at base (${esc(seconds(s.slo.value))}); ${
                s.inputs.some((x) => x.slo?.breaks)
                  ? `broken by ${s.inputs
                      .filter((x) => x.slo?.breaks)
                      .map((x) => esc(`${x.label} (${x.optionId})`))
                      .join(', ')}.`
                  : 'kept at both ends of every band.'
              }`
        }</p>`
      : '';
  const rows = [...s.inputs]
    .sort((a, b) => Number(b.flips) - Number(a.flips) || b.swing - a.swing)
    .map((x) => row(x, c))
    .join('\n');
  // The heading, its lead and the tornado print as one block: the chart never leaves its heading.
  return `<section id="sensitivity">
<div class="keep">
<h2>What could change the answer</h2>
<p class="note">Each uncertain input moved to the low and the high end of its band (every choice of a choice), the others at base, one at a time; thresholds by bisection (whole numbers exactly, others to ${s.thresholdTolerance * 100} % of the band). Interactions between inputs are not explored. Cheapest at base: ${c === null ? 'none' : `${esc(c)} at ${esc(usd(s.baseline.costs[c]))}`}.${s.simulated.note === '' ? '' : ` ${esc(s.simulated.note)}`}</p>
${lead}
${slo}
${chart ? figureHtml(chart) : ''}
</div>
<table class="sensitivity">
<thead><tr><th>input</th><th>band (low–high)</th><th>cheapest at low / high</th><th>${esc(c ?? 'cheapest')} cost at low / high</th><th>swing</th><th>effect</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`;
}

function row(x: SensitivityInput, c: string | null): string {
  const cls = x.flips ? ' class="bad"' : '';
  const own = c === null ? '—' : `${usd(x.costs.low[c])} / ${usd(x.costs.high[c])}`;
  const role = x.role === 'setting' ? ' <span class="label">(a default setting)</span>' : '';
  return `<tr${cls}><td>${esc(`${x.label} (${x.optionId})`)}${role}</td><td>${esc(bandText(x))}</td><td>${esc(`${x.cheapestAt.low ?? 'none'} / ${x.cheapestAt.high ?? 'none'}`)}</td><td class="num">${esc(own)}</td><td class="num">${esc(usd(x.swing))}</td><td title="${esc(x.sentence)}">${esc(EFFECT[x.effect])}</td></tr>`;
}
