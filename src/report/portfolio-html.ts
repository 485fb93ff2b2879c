import type { RunResult } from '../compare/result.js';
import { esc } from './html-parts.js';
import { count, seconds, usd } from './text/format.js';

/*
 * report.html's per-model table (issue 21; portfolio runs only): for each option that serves the
 * fine-tunes, each model's share of the cost, its interactive p95, cold starts, requests lost and
 * whether it meets the verdict's rule — the same figures as the terminal's per-model table.
 */

/** `<section id="portfolio">`, or '' for a single-model run. */
export function portfolioSection(r: RunResult): string {
  if (!r.models) return '';
  const options = r.options.filter((o) => !o.baseline && o.perModel?.some((m) => m.feasible));
  const rows = options.flatMap((o) =>
    o.perModel!.map((m, i) => {
      const lost = m.requests.throttled + m.requests.failed;
      const meets = m.fails === undefined ? '' : m.fails === null ? '✓' : `✗ ${m.fails}`;
      return `<tr>${i === 0 ? `<th rowspan="${o.perModel!.length}">${esc(o.key)}</th>` : ''}<td>${esc(m.model)}</td><td class="num">${m.feasible ? usd(m.cost?.total) : 'not feasible'}</td><td class="num">${seconds(m.latency?.interactive?.p95)}</td><td class="num">${count(m.coldStarts)}</td><td class="num">${count(lost)}</td><td>${esc(meets)}</td></tr>`;
    }),
  );
  const models = r.models
    .map(
      (m) =>
        `<li><strong>${esc(m.name)}</strong>: ${m.fineTune === 'full' ? 'full fine-tune' : `LoRA adapter of ${esc(m.fineTune.lora.base)}, deployed merged into its base`}; ${m.requests.toLocaleString('en-US')} requests (seed ${m.seed})</li>`,
    )
    .join('\n');
  return `<section id="portfolio">
<h2>Per model</h2>
<p class="note">A portfolio of ${r.models.length} models, each on its own deployment per option (split <code>own</code>: a model's share is its own bill; nothing shared)${sharedNote(r)}. Interactive p95: the model's interactive requests' 95th percentile (nearest rank), wait incl. cold start + service. Meets: the verdict's maxLossRate and SLO for that model. Bedrock Custom Model Import takes merged weights only (separate LoRA adapters are not accepted), so an adapter is imported merged into its base, as a model of its own (see the assumptions).</p>
<ul class="reasons">
${models}
</ul>
<div class="wide">
<table>
<thead><tr><th>option</th><th>model</th><th class="num">total</th><th class="num">int. p95</th><th class="num">cold starts</th><th class="num">lost</th><th>meets</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</div>
</section>`;
}

/** Options whose models share capacity (src/portfolio/shared.ts) and the rule that splits it. */
function sharedNote(r: RunResult): string {
  const shared = r.options.filter((o) => o.perModel?.[0] && o.perModel[0].split !== 'own');
  return shared.length === 0
    ? ''
    : `, except ${shared.map((o) => `<code>${esc(o.key)}</code>, whose models share its capacity (split <code>${esc(o.perModel![0]!.split)}</code>)`).join(', ')}`;
}
