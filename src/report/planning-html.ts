import type { FitResult, RolloutResult, SloResult } from '../compare/result.js';
import { describeSettings } from './text/format.js';
import { formatDuration } from '../scenario/units.js';
import { seconds, usd } from './text/format.js';
import { esc, figureHtml, type HtmlChart } from './html-parts.js';

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

/** What a planning command's own report.html shows (`servesim breakeven`, `servesim forecast`). */
export interface PlanningPage {
  /** e.g. "Heartbeat break-even — crossover". */
  title: string;
  /** One line each under the title: scenario, seed, region, what was analysed. */
  lede: string[];
  /** The analysis as the terminal prints it (a monospace block: the same numbers, the same order). */
  text: string;
  charts: readonly HtmlChart[];
  /** The data files beside the page (linked). */
  files: string[];
}

/**
 * report.html of `servesim breakeven` and `servesim forecast`: self-contained like the run's
 * (charts as inline SVG, styles inline) and byte-stable (no dates), so `servesim merge` writes the
 * same page as the unsharded command.
 */
export function planningPageHtml(p: PlanningPage): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(p.title)}</title>
<style>
body { font: 14px/1.45 "DejaVu Sans", Verdana, system-ui, sans-serif; color: #1d1d1f; margin: 0 auto; padding: 24px; max-width: 1280px; background: white; }
h1 { font-size: 22px; margin: 0 0 6px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d9d9de; padding-bottom: 4px; break-after: avoid; }
.lede { margin: 0; color: #5f6368; }
.wide { overflow-x: auto; }
pre { font-size: 12px; line-height: 1.35; }
figure.chart { margin: 18px 0; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { width: 100%; max-width: 100%; height: auto; display: block; }
figcaption, footer { color: #5f6368; font-size: 12px; margin-top: 4px; }
a { color: #1a56a8; }
@media print { body { padding: 0; max-width: none; } .wide { overflow: visible; } pre { white-space: pre-wrap; font-size: 9px; } }
</style>
</head>
<body>
<h1>${esc(p.title)}</h1>
${p.lede.map((l) => `<p class="lede">${esc(l)}</p>`).join('\n')}
${p.charts.length > 0 ? `<section id="charts">\n<h2>Charts</h2>\n${p.charts.map(figureHtml).join('\n')}\n</section>` : ''}
<section id="numbers">
<h2>Numbers</h2>
<div class="wide"><pre>${esc(p.text.replace(/^\n+/, ''))}</pre></div>
</section>
<footer>Files: ${p.files.map((f) => `<a href="${esc(f)}">${esc(f)}</a>`).join(' · ')}</footer>
</body>
</html>
`;
}
