import type { RunResult } from '../../compare/result.js';
import { costLinesText, sideBySideTable } from '../side-by-side.js';
import { assumptionsTable } from '../table.js';
import { terminalCharts, type SeriesView } from '../terminal.js';
import { breakevenText } from './breakeven.js';
import { comparisonText, optInText, verdictText, type TextOptions } from './run.js';
import { sensitivityText } from './sensitivity.js';
import { portfolioText } from './portfolio.js';
import { fitLines, wrap } from './width.js';

/*
 * `servesim run --details`: the comparison and the verdict, then everything the short output
 * leaves out — cost lines, the side-by-side table, charts, each claim with its reason, the
 * analyses' sections (rollout, heartbeat table, SLO, fit, sensitivity) and the assumptions.
 */

export interface DetailsOptions extends TextOptions {
  /** Leave out the assumptions (`--quiet`). */
  quiet: boolean;
}

/** The claims, each with why it fails when it does. */
function claimsText(r: RunResult, width: number): string {
  if (r.claims.length === 0) return '';
  const lines = ['Claims vs simulation:'];
  for (const c of r.claims) {
    lines.push(...wrap(c.detail, width, '      ', `  ${c.holds === false ? '✗' : c.holds ? '✓' : '?'} `));
    if (c.reason) lines.push(...wrap(c.reason, width, '      ', '      why: '));
  }
  return lines.join('\n');
}

function methods(r: RunResult): string {
  const set = new Set<string>();
  for (const o of r.options) if (o.latency?.all) set.add(o.latency.all.percentileMethod);
  return [...set].join(', ') || 'n/a';
}

export function detailsText(out: SeriesView, opts: DetailsOptions): string {
  const r = out.result;
  const w = opts.width;
  const sections = [
    comparisonText(r, opts),
    portfolioText(r, opts),
    verdictText(r, opts),
    costLinesText(r, w),
    `Side by side (the article’s table, with this scenario’s numbers):\n${sideBySideTable(r, opts.color, w)}`,
    fitLines(terminalCharts(out, { color: opts.color, lineWidth: w }), w),
    claimsText(r, w),
  ];
  // The analyses' own sections start with a blank line.
  let analyses = '';
  if (r.breakeven) analyses += breakevenText(r.breakeven, undefined, w);
  if (r.sensitivity) analyses += sensitivityText(r.sensitivity, w);
  sections.push(analyses.replace(/^\n+|\n+$/g, ''), optInText(r, w));
  if (!opts.quiet && r.assumptions.length > 0)
    sections.push(`Assumptions (? = uncertain; band = low–high):\n${assumptionsTable(r, opts.color, w)}`);
  sections.push(
    wrap(
      `Latency is per user request: wait (incl. cold start) + service; percentiles ${methods(r)}.`,
      w,
      '  ',
    ).join('\n'),
  );
  // Headings and prose wrap here; the tables above already fit.
  return fitLines(sections.filter((s) => s !== '').join('\n\n'), w) + '\n';
}
