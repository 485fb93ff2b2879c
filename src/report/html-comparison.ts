import type { OptionResult, RankBasis, RunResult } from '../compare/result.js';
import { rankedOptions } from '../compare/verdict.js';
import { comparisonRows } from './table.js';
import { count, seconds, usd } from './text/format.js';
import { esc } from './html-parts.js';

/*
 * The comparison in report.html, answer first (issue 18 item 2): one row per option that serves
 * your fine-tune, cheapest first and marked ★; the per-token baselines (another model) in a table of
 * their own under it; the options that cannot serve as a short "not feasible, and why" list rather
 * than columns of dashes. The cost lines and counts follow in a details table, feasible options only.
 */

/** What the comparison needs besides the result: the colours and the scenario's ranking rule. */
export interface ComparisonContext {
  colors: ReadonlyMap<string, string>;
  basis: RankBasis;
  maxLossRate: number;
}

/** The options in the order the page shows them, each in the group it belongs to. */
export interface OptionGroups {
  /** Ranked cheapest first (design §3): serve the fine-tune, lose no more than maxLossRate. */
  ranked: OptionResult[];
  /** Feasible, serve the fine-tune, but lose more than maxLossRate: shown under the ranked, not ranked. */
  lossy: OptionResult[];
  /** Per-token baselines: serve a catalog model, priced for comparison, never ranked. */
  baselines: OptionResult[];
  /** Cannot serve this model, or no price in the region's book. */
  infeasible: OptionResult[];
}

export function optionGroups(r: RunResult, basis: RankBasis, maxLossRate: number): OptionGroups {
  const ranked = rankedOptions(r.options, basis, maxLossRate);
  const feasible = r.options.filter((o) => o.feasible && o.cost !== null);
  return {
    ranked,
    lossy: feasible.filter((o) => !o.baseline && !ranked.includes(o)),
    baselines: feasible.filter((o) => o.baseline),
    infeasible: r.options.filter((o) => !o.feasible || o.cost === null),
  };
}

/** The comparison's columns after `#` and the option; latency and hits name their class. */
const COLUMNS = [
  'AWS bill',
  'staff time',
  'total',
  '30-day month',
  '$ / 1k requests',
  'interactive p95',
  'interactive cold-start hits',
  'lost',
] as const;

const BASIS_TEXT: Record<RankBasis, string> = {
  total: 'the total (AWS bill + staff time nobody bills)',
  aws: 'the AWS bill alone (the scenario’s <code>rankBy: aws</code>)',
};

export function comparisonSection(r: RunResult, ctx: ComparisonContext): string {
  const g = optionGroups(r, ctx.basis, ctx.maxLossRate);
  const days = r.trace.durationSeconds / 86400;
  const span = Math.abs(days - 1) < 1e-9 ? 'one simulated day' : `the ${+days.toFixed(2)}-day simulated span`;
  const ranked = [
    ...g.ranked.map((o, i) => optionRow(o, ctx, i === 0 ? 'cheapest' : i === 1 ? 'runner-up' : '', i + 1)),
    ...g.lossy.map((o) => optionRow(o, ctx, 'lossy', null)),
  ];
  const lead =
    g.ranked.length === 0
      ? '<p class="bad">No option serves your fine-tune within the loss limit: nothing is ranked.</p>\n'
      : '';
  // One table, so the baselines' columns line up with the ranked ones; a group of their own below.
  const baselines =
    g.baselines.length === 0
      ? ''
      : `
<tbody class="baselines">
<tr class="group"><th colspan="${COLUMNS.length + 2}" id="baselines">Baselines — serve another model <span class="label">per-token prices for a catalog model, not your fine-tune: shown for scale, never ranked</span></th></tr>
${g.baselines.map((o) => optionRow(o, ctx, 'baseline', null)).join('\n')}
</tbody>`;
  const table =
    ranked.length + g.baselines.length === 0
      ? ''
      : `<div class="wide">
<table class="comparison">
<thead><tr><th class="num">#</th><th>option</th>${COLUMNS.map((c) => `<th class="num">${c}</th>`).join('')}</tr></thead>
<tbody class="ranked">
${ranked.join('\n')}
</tbody>${baselines}
</table>
</div>`;
  return `<section id="comparison">
<h2>Comparison</h2>
<p class="note">Cost over ${span}, ranked on ${BASIS_TEXT[ctx.basis]}. The 30-day month costs each of the 30 days from the start by its day type, idle days at what stands (hover a figure for how; <code>cost.monthly</code> in results.json). Latency and cold-start hits are interactive requests only (wait, cold start included, + service; nearest rank); batch latency is in the details below.</p>
${lead}${table}
${infeasibleList(g.infeasible, r.region)}
</section>`;
}

type Mark = 'cheapest' | 'runner-up' | 'baseline' | 'lossy' | '';

function optionRow(o: OptionResult, ctx: ComparisonContext, mark: Mark, rank: number | null): string {
  const c = o.cost!;
  const lost = o.requests.throttled + o.requests.failed;
  const share = o.requests.arrived > 0 ? lost / o.requests.arrived : 0;
  const tag: Record<Mark, string> = {
    cheapest: ' <span class="tag best">★ cheapest</span>',
    'runner-up': ' <span class="tag">runner-up</span>',
    baseline: ' <span class="tag base">baseline — serves another model</span>',
    lossy: ` <span class="tag lossy">not ranked — loses ${pctText(share)} (limit ${pctText(ctx.maxLossRate)})</span>`,
    '': '',
  };
  // The figure ranked on, bold; a baseline's is not ranked.
  const ranked = (basis: RankBasis) => (ctx.basis === basis && mark !== 'baseline' ? ' ranked' : '');
  const cells = [
    `<td class="num${ranked('aws')}">${usd(c.aws)}</td>`,
    `<td class="num">${usd(c.staff)}</td>`,
    `<td class="num${ranked('total')}">${usd(c.total)}</td>`,
    c.monthly
      ? `<td class="num" title="${esc(c.monthly.method)}">${usd(c.monthly.total)}</td>`
      : '<td class="num">—</td>',
    `<td class="num">${usd(o.per1kRequests)}</td>`,
    `<td class="num">${seconds(o.latency?.interactive?.p95)}</td>`,
    `<td class="num">${count(o.requests.coldStartHitsByClass.interactive)}</td>`,
    `<td class="num">${lost === 0 ? '0' : `${count(lost)} (${pctText(share)})`}</td>`,
  ];
  return `<tr${mark === '' ? '' : ` class="${mark}"`}><td class="num">${rank ?? ''}</td><th scope="row">${swatch(o.key, ctx.colors)}${esc(o.key)}${tag[mark]}<div class="label">${esc(o.label)}</div></th>${cells.join('')}</tr>`;
}

function swatch(key: string, colors: ReadonlyMap<string, string>): string {
  const c = colors.get(key);
  return c ? `<span class="swatch" style="background:${esc(c)}"></span>` : '';
}

/** `0.5 %`, `12 %`: two significant digits, never 0 when not 0. */
function pctText(x: number): string {
  return `${(x * 100).toLocaleString('en-US', { maximumSignificantDigits: 2 })} %`;
}

/** One line per option that cannot serve (or has no price), each with its reasons. */
function infeasibleList(list: readonly OptionResult[], region: string): string {
  if (list.length === 0) return '';
  const items = list.map(
    (o) =>
      `<li id="why-${esc(o.key)}"><strong>${esc(o.key)}</strong> <span class="label">${esc(o.label)}</span> — ${
        o.unpriced ? `unpriced in ${esc(region)}: ` : ''
      }${o.reasons.map(esc).join('; ')}</li>`,
  );
  return `<h3 id="not-feasible">Not feasible, and why</h3>
<ul class="reasons infeasible">
${items.join('\n')}
</ul>`;
}

/**
 * The cost lines and counts behind the comparison, one column per option that has a cost (ranked
 * order, then baselines): the rows the terminal's comparison draws from, minus "feasible".
 */
export function detailsSection(r: RunResult, ctx: ComparisonContext): string {
  const g = optionGroups(r, ctx.basis, ctx.maxLossRate);
  const shown = [...g.ranked, ...g.lossy, ...g.baselines];
  if (shown.length === 0) return '';
  const at = shown.map((o) => r.options.indexOf(o));
  const head = shown
    .map(
      (o) =>
        `<th scope="col">${swatch(o.key, ctx.colors)}${esc(o.key)}${o.baseline ? ' <span class="tag base">baseline</span>' : ''}</th>`,
    )
    .join('');
  const body = comparisonRows(r)
    .filter((row) => row.kind !== 'feasible')
    .map((row) => {
      const cells = at.map((i) => `<td>${esc(row.cells[i] ?? '')}</td>`).join('');
      return `<tr class="${row.kind}"><th scope="row">${esc(row.name.trim())}</th>${cells}</tr>`;
    })
    .join('\n');
  return `<section id="details">
<h2>Cost lines and counts</h2>
<p class="note">Per option over the span: each cost line with its billed quantity; latency by request class (wait, cold start included, + service; heartbeats excluded).</p>
<div class="wide">
<table class="details">
<thead><tr><th></th>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>
</div>
</section>`;
}
