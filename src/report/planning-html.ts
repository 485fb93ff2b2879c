import type { FitResult, RolloutResult, SloResult } from '../compare/result.js';
import { describeSettings } from './text/format.js';
import { formatDuration } from '../scenario/units.js';
import { seconds, usd } from './text/format.js';
import { esc } from './html-parts.js';

/*
 * The planning sections of report.html, each present only when its analysis ran: the cheapest
 * path under a latency SLO, the rollout of new weights, and the slotsPerCopy fit.
 */

const table = (cls: string, head: string[], rows: string[][], num: ReadonlySet<number>): string =>
  `<div class="wide">
<table class="${cls}">
<thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows.map((r) => `<tr>${r.map((c, i) => `<td${num.has(i) ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('\n')}
</tbody>
</table>
</div>`;

export function sloSection(r: SloResult): string {
  const what = r.class === 'all' ? 'all user requests' : `${r.class} requests`;
  const c = r.options.find((o) => o.key === r.cheapest);
  const path =
    c?.best == null
      ? 'No option (baselines aside) has a setting that meets the target.'
      : `Cheapest path: <strong>${esc(c.key)}</strong>, ${esc(describeSettings(c.best.settings) || 'as configured')}, ${esc(usd(c.best.cost))} over the span.`;
  const rows = r.options.map((o) => [
    o.key,
    o.configured === null
      ? 'infeasible'
      : `${o.meets ? 'meets' : 'misses'} (${seconds(o.configured.achieved)})`,
    o.best === null ? 'none' : describeSettings(o.best.settings) || 'as configured',
    usd(o.best?.cost),
    seconds(o.best?.achieved),
    o.binding ?? '—',
    o.note,
  ]);
  return `<section id="slo">
<h2>Cheapest under the SLO</h2>
<p>${esc(`${r.percentile} ≤ ${formatDuration(r.target)} over ${what}, cold starts included.`)} ${path}</p>
${table('slo', ['option', 'as configured', 'cheapest setting that meets it', 'cost', r.percentile, 'binding', 'note'], rows, new Set([3, 4]))}
</section>`;
}

export function rolloutSection(r: RolloutResult): string {
  const stages = r.stages
    .map(
      (s) => `${Math.round(s.share * 100)} %${s.afterSeconds > 0 ? ` after ${seconds(s.afterSeconds)}` : ''}`,
    )
    .join(', ');
  const rows = r.options.map((o) => {
    const t = o.timeToTraffic;
    return [
      o.key,
      t === null ? '—' : `${seconds(t.value)} (${seconds(t.low)}–${seconds(t.high)})`,
      usd(o.oneVersionCost),
      usd(o.twoVersionCost),
      o.extraCost === null ? '—' : `${o.extraCost >= 0 ? '+' : '−'}${usd(Math.abs(o.extraCost))}`,
      o.applicable
        ? `${o.rollback.seconds === 0 ? 'instant' : seconds(o.rollback.seconds)}: ${o.rollback.path}`
        : '—',
      o.note,
    ];
  });
  return `<section id="rollout">
<h2>Rollout</h2>
<p>${esc(`New weights in S3 at ${seconds(r.at)} into the trace; ${seconds(r.evaluationSeconds)} of evaluation; then ${stages}. Time to traffic runs from weights in S3 to the first stage of the flip; extra cost = two versions side by side − one version, over the span.`)}</p>
${table('rollout', ['option', 'time to traffic', 'one version', 'two versions', 'extra', 'rollback', 'note'], rows, new Set([2, 3, 4]))}
</section>`;
}

export function fitSection(r: FitResult): string {
  const rows = r.options.map((o) => [
    o.key,
    String(o.baseline),
    String(o.best),
    o.tied.length > 1 ? o.tied.join(', ') : '—',
    String(o.observedPeakCopies),
    `${o.atBest.mismatchCopyMinutes.toFixed(0)} (${o.atBaseline.mismatchCopyMinutes.toFixed(0)} at ${o.baseline})`,
  ]);
  return `<section id="fit">
<h2>Per-copy concurrency fitted to observed copies</h2>
<p>${esc(`${r.measure}. Ties: ${r.tieBreak}. Trace: ${r.trace}.`)}</p>
${table('fit', ['option', 'slotsPerCopy used', 'fitted', 'tied', 'observed peak copies', 'mismatch, copy-minutes'], rows, new Set([1, 2, 4, 5]))}
</section>`;
}
