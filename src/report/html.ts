import type { RunOutput } from '../compare/run.js';
import type { AssumptionRow, OptionResult, RunResult } from '../compare/result.js';
import { optionColors, optionKeys } from './charts/style.js';
import { seconds } from './text/format.js';
import { COMPLIANCE_LEGEND, SIDE_BY_SIDE_HEAD, sideBySideRows } from './side-by-side.js';
import { sensitivitySection } from './sensitivity-html.js';
import { fitSection, rolloutSection, sloSection } from './planning-html.js';
import { esc, figureHtml, linkify, type HtmlChart } from './html-parts.js';
import { comparisonSection, detailsSection } from './html-comparison.js';
import { heartbeatSection } from './heartbeat-html.js';
import { zonedTime } from './local-time.js';
import { CSS } from './html-style.js';
import { portfolioSection } from './portfolio-html.js';

/*
 * report.html (design §9, §11): one self-contained file — charts as inline SVG, styles inline, no
 * script, no network — that opens offline and prints on A4. It answers first (issue 18):
 *
 *   verdict ─► (stale-price warning) ─► comparison: ranked ★, baselines apart, not feasible and why
 *           ─► what was run ─► heartbeat break-even ─► what could change the answer ─► charts
 *           ─► cost lines and counts ─► side by side ─► claims ─► SLO, rollout, fit ─► assumptions
 */

export interface HtmlOptions {
  /** Today's date (ISO), for the price book's age. */
  today: string;
  /** A book older than this many days gets a warning. */
  staleDays: number;
}

/**
 * What report.html shows beyond the result: from the scenario and the price book. The report
 * folder keeps it (report-meta.json) so `servesim report` draws the same page without the scenario.
 */
export interface PageContext {
  /** The scenario's IANA time zone: times on the page are local. */
  timezone: string;
  /** What "cheapest" was ranked on (the verdict's basis when there is no verdict). */
  rankBy: 'total' | 'aws';
  maxLossRate: number;
  /** The scenario's description, null when it has none. */
  description: string | null;
  /** The price book's date. */
  bookDate: string;
  /** The book's age in days on the day of the run when it was stale then (the page warns), else null. */
  staleBookAgeDays: number | null;
}

/** The page context of a run rendered on `opts.today`. */
export function pageContext(out: RunOutput, opts: HtmlOptions): PageContext {
  const age = out.book.ageDays(opts.today);
  return {
    timezone: out.scenario.timezone,
    rankBy: out.scenario.rankBy,
    maxLossRate: out.scenario.maxLossRate,
    description: out.scenario.description ?? null,
    bookDate: out.book.date,
    staleBookAgeDays: age > opts.staleDays ? age : null,
  };
}

/** The data files every report directory holds besides the charts (design §9). */
const DATA_FILES = ['results.json', 'costs.csv', 'timeline.csv'] as const;

export function reportHtml(out: RunOutput, charts: readonly HtmlChart[], opts: HtmlOptions): string {
  return reportPageHtml(out.result, charts, pageContext(out, opts));
}

/** report.html of a run's result with its page context (a run's, or one read back from its folder). */
export function reportPageHtml(r: RunResult, charts: readonly HtmlChart[], page: PageContext): string {
  const zone = page.timezone;
  const ctx = {
    colors: optionColors(optionKeys({ result: r })),
    basis: r.verdict?.basis ?? page.rankBy,
    maxLossRate: page.maxLossRate,
  };
  const age = page.staleBookAgeDays;
  const days = r.trace.durationSeconds / 86400;
  const end = new Date(Date.parse(r.trace.start) + r.trace.durationSeconds * 1000).toISOString();
  const chart = (name: string) => charts.find((c) => c.name === name);

  // The answer first: the verdict, then (only when stale) the price warning, then the comparison.
  const parts: string[] = [];
  parts.push(`<header>
<h1>servesim report: ${esc(r.scenario)}</h1>
${r.verdict ? `<section id="verdict" class="verdict"><h2>Verdict</h2><p>${esc(r.verdict.text)}</p></section>` : ''}
${
  age !== null
    ? `<p class="warning" role="alert"><strong>Stale prices:</strong> the price book is ${age} days old (${esc(page.bookDate)}). Run <code>servesim prices refresh</code> before relying on these figures.</p>`
    : ''
}
</header>`);
  parts.push(comparisonSection(r, ctx));
  if (r.models) parts.push(portfolioSection(r)); // issue 21: portfolio runs only

  parts.push(`<section id="run">
<h2>What was run</h2>
${page.description ? `<p class="lede">${esc(page.description)}</p>` : ''}
<dl class="meta">
<dt>Traffic</dt><dd>${r.trace.requests.toLocaleString('en-US')} user requests (${r.trace.byClass.interactive.requests.toLocaleString('en-US')} interactive, ${r.trace.byClass.batch.requests.toLocaleString('en-US')} batch) over ${+days.toFixed(2)} ${days === 1 ? 'day' : 'days'}, ${esc(zonedTime(r.trace.start, zone))} to ${esc(zonedTime(end, zone))}, ${esc(zone)}</dd>
<dt>Region, seed</dt><dd>${esc(r.region)}, seed ${r.seed}</dd>
<dt>Price book</dt><dd>${esc(r.pricing.book)}, dated ${esc(r.pricing.bookDate)}${r.pricing.overrides.length > 0 ? `; overrides: ${r.pricing.overrides.map((o) => `${esc(o.id)} ${o.price} (was ${o.was})`).join(', ')}` : ''}</dd>
<dt>Generated by</dt><dd>servesim ${esc(r.generatedBy.version)}</dd>
</dl>
</section>`);

  parts.push(heartbeatSection(r.breakeven, chart('heartbeat'), zone));

  // What could change the answer (with its tornado chart), when the sensitivity analysis ran.
  if (r.sensitivity) parts.push(sensitivitySection(r.sensitivity, chart('sensitivity')));

  // The other charts, each full width; those shown in their own section are not repeated.
  const own = new Set([...(r.breakeven ? ['heartbeat'] : []), ...(r.sensitivity ? ['sensitivity'] : [])]);
  const general = charts.filter((c) => !own.has(c.name));
  if (general.length > 0)
    parts.push(`<section id="charts">
<h2>Charts</h2>
${general.map(figureHtml).join('\n')}
</section>`);

  parts.push(detailsSection(r, ctx));

  // The article's side-by-side table, with this scenario's numbers.
  parts.push(`<section id="side-by-side">
<h2>Side by side</h2>
<p class="note">The article’s comparison table, its qualitative columns beside this scenario’s simulated cost, latency and cold-start hits. Latency is per request class, as in the comparison: interactive and batch requests wait for different reasons.</p>
<div class="wide">
<table class="side-by-side">
<thead><tr>${SIDE_BY_SIDE_HEAD.map((h, i) => `<th>${esc(i === LATENCY_COLUMN ? LATENCY_HEAD : h)}</th>`).join('')}</tr></thead>
<tbody>
${sideBySideByClass(r)
  .map(
    (row) =>
      `<tr>${row.map((cell, i) => (i === 0 ? `<th>${esc(cell)}</th>` : `<td>${esc(cell)}</td>`)).join('')}</tr>`,
  )
  .join('\n')}
</tbody>
</table>
</div>
<p class="note">${esc(COMPLIANCE_LEGEND.replace(/ Sources: .*$/, ''))}</p>
<details><summary>Compliance sources</summary>
<ul class="reasons">
${r.options
  .map(
    (o) =>
      `<li><strong>${esc(o.key)}</strong>: ${
        o.facts.compliance.sources.length > 0
          ? o.facts.compliance.sources.map(esc).join('; ')
          : 'none read (every count uncertain)'
      }${o.facts.compliance.note ? ` — ${esc(o.facts.compliance.note)}` : ''}</li>`,
  )
  .join('\n')}
</ul>
</details>
</section>`);

  // Claims.
  if (r.claims.length > 0) {
    const rows = r.claims
      .map((c) => {
        const verdict = c.holds === null ? 'not measurable' : c.holds ? 'agrees' : 'does not hold';
        const cls = c.holds === null ? 'unknown' : c.holds ? 'ok' : 'bad';
        const row = `<tr><td class="${cls}">${c.holds === null ? '?' : c.holds ? '✓' : '✗'} ${verdict}</td><td>${esc(c.source)}</td><td>${esc(c.option)}</td><td>${esc(c.metric)}</td><td class="num">${esc(claimValue(c.claimed, c.unit))}</td><td class="num">${esc(claimValue(c.simulated, c.unit))}</td></tr>`;
        // Why it does not hold, on its own row under the claim.
        return c.reason === undefined
          ? row
          : `${row}\n<tr class="reason"><td></td><td colspan="5"><strong>Why:</strong> ${esc(c.reason)}</td></tr>`;
      })
      .join('\n');
    parts.push(`<section id="claims">
<h2>Claims vs simulation</h2>
<p class="note">Each figure the scenario quotes, measured on the simulation of its own inputs. Where they disagree, the simulation is what these inputs produce, and the row under it says why: the mechanism, what the run recorded and the assumption (with its band) behind it.</p>
<table class="claims">
<thead><tr><th>verdict</th><th>claim</th><th>option</th><th>metric</th><th>claimed</th><th>simulated</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`);
  }

  // Planning answers, each when its analysis ran.
  if (r.slo) parts.push(sloSection(r.slo));
  if (r.rollout) parts.push(rolloutSection(r.rollout));
  if (r.fit) parts.push(fitSection(r.fit));

  // Assumptions.
  if (r.assumptions.length > 0) {
    const rows = r.assumptions
      .map(
        (a) =>
          `<tr${a.uncertain ? ' class="uncertain"' : ''}><td>${esc(a.option)}</td><td>${esc(a.name)}</td><td>${esc(valueText(a))}${a.uncertain ? ' <span class="badge">UNCERTAIN</span>' : ''}</td><td>${esc(bandText(a))}</td><td class="source">${linkify(a.source)}</td></tr>`,
      )
      .join('\n');
    const n = r.assumptions.filter((a) => a.uncertain).length;
    parts.push(`<section id="assumptions">
<h2>Assumptions</h2>
<p class="note">${n} of ${r.assumptions.length} are marked <span class="badge">UNCERTAIN</span>: no published figure pins them down; the band is the range a sensitivity run should cover.</p>
<table class="assumptions">
<thead><tr><th>option</th><th>assumption</th><th>value</th><th>band (low–high)</th><th>source</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`);
  }

  parts.push(`<footer>
<p>Data next to this file: ${DATA_FILES.map((f) => `<a href="${f}">${f}</a>`).join(' · ')}. Same scenario and seed ⇒ the same numbers.</p>
</footer>`);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>servesim: ${esc(r.scenario)}</title>
<style>${CSS}</style>
</head>
<body>
${parts.join('\n')}
</body>
</html>
`;
}

function valueText(a: AssumptionRow): string {
  return `${a.value}${a.unit ? ' ' + a.unit : ''}`;
}

function bandText(a: AssumptionRow): string {
  return a.low !== null || a.high !== null ? `${a.low ?? '?'}–${a.high ?? '?'}` : '';
}

function claimValue(x: number | null, unit: string): string {
  if (x === null || !Number.isFinite(x)) return '—';
  if (unit === 's') return seconds(x);
  if (unit === 'USD') return `$${x.toFixed(2)}`;
  return `${+x.toFixed(2)}${unit ? ' ' + unit : ''}`;
}

/** The side-by-side table's latency column: the terminal's is warm/cold-hit over all classes. */
const LATENCY_COLUMN = SIDE_BY_SIDE_HEAD.indexOf('latency p50/p95/p99');
const LATENCY_HEAD = 'latency p50 / p95 / p99, by class';

/**
 * The side-by-side rows with latency by class, so they agree with the comparison (interactive p95)
 * instead of mixing a 30,000-request batch into one "warm" percentile.
 */
function sideBySideByClass(r: RunResult): string[][] {
  return sideBySideRows(r).map((row, i) =>
    row.map((cell, j) => (j === LATENCY_COLUMN ? latencyByClass(r.options[i]!) : cell)),
  );
}

/** `interactive 793 ms / 1.32 s / 84.8 s; batch 12.0 min / 58.1 min / 60.0 min`; `—` when infeasible. */
export function latencyByClass(o: OptionResult): string {
  if (!o.feasible || !o.latency) return '—';
  const parts = (['interactive', 'batch'] as const).flatMap((cls) => {
    const l = o.latency?.[cls];
    return l ? [`${cls} ${seconds(l.p50)} / ${seconds(l.p95)} / ${seconds(l.p99)}`] : [];
  });
  return parts.length > 0 ? parts.join('; ') : '—';
}
