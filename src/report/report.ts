import type { RunOutput } from '../compare/run.js';
import { STALE_DAYS } from '../pricing/book.js';
import { chartsOf, specJson, type Chart } from './charts.js';
import { renderRunFiles } from './files.js';
import { reportHtml } from './html.js';
import { renderCharts } from './render.js';

/*
 * Every file of a run's report directory (design §9), rendered in memory:
 *
 *   RunOutput ─► results.json, costs.csv, timeline.csv
 *             ─► chart specs ─► <name>.vl.json, <name>.svg, <name>.png
 *             ─► report.html (the comparison, claims, inline SVG charts, assumptions)
 *
 * Nothing here touches the disk; `writeFilesAtomically` does, all or nothing.
 */

export interface ReportOptions {
  /** Today's date (ISO), for the price book's staleness warning in the HTML. */
  today: string;
  /** Called as each chart finishes rendering (progress). */
  onChartRendered?: (name: string, index: number, total: number) => void;
}

export async function reportFiles(
  out: RunOutput,
  opts: ReportOptions,
  charts: readonly Chart[] = chartsOf(out),
): Promise<Map<string, string | Buffer>> {
  const files = new Map<string, string | Buffer>(renderRunFiles(out));
  let done = 0;
  const rendered = await renderCharts(charts, (name) => opts.onChartRendered?.(name, done++, charts.length));
  for (const c of rendered) {
    files.set(`${c.name}.vl.json`, specJson(c.spec));
    files.set(`${c.name}.svg`, c.svg);
    files.set(`${c.name}.png`, c.png);
  }
  files.set('report.html', reportHtml(out, rendered, { today: opts.today, staleDays: STALE_DAYS }));
  return files;
}
