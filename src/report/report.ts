import type { RunOutput } from '../compare/run.js';
import { STALE_DAYS } from '../pricing/book.js';
import type { Chart } from './charts/chart.js';
import { chartsOf } from './charts/index.js';
import { specJson } from './charts/spec-json.js';
import { renderRunFiles } from './files.js';
import { pageContext, reportPageHtml } from './html.js';
import { renderCharts, type ChartRenderer, type RenderedChart } from './render.js';
import { META_FILE, metaJson } from './report-meta.js';

/*
 * Every file of a run's report directory (design §9), rendered in memory:
 *
 *   RunOutput ─► results.json, costs.csv, timeline.csv
 *             ─► chart specs ─► <name>.vl.json, <name>.svg, <name>.png
 *             ─► report.html (the comparison, claims, inline SVG charts, assumptions)
 *             ─► report-meta.json (what the page and charts need besides results.json)
 *
 * Nothing here touches the disk; `writeFilesAtomically` does, all or nothing.
 */

export interface ReportOptions {
  /** Today's date (ISO), for the price book's staleness warning in the HTML. */
  today: string;
  /** Called with the number of charts before drawing them (progress). */
  onChartsToRender?: (count: number) => void;
  /** Called as each chart is drawn (progress). */
  onChartRendered?: (name: string, index: number, total: number) => void;
  /**
   * A renderer started earlier (`ChartRenderer.start()` before simulating, so vega loads and
   * warms up meanwhile); it is closed when the charts are drawn. Default: one of its own.
   */
  renderer?: ChartRenderer;
  /** replay: the trace it replayed, as printed (a bare name when in the report folder). */
  trace?: string;
}

export async function reportFiles(
  out: RunOutput,
  opts: ReportOptions,
  given?: readonly Chart[],
): Promise<Map<string, string | Buffer>> {
  // The chart worker loads vega while this thread builds the charts' specs and the other files.
  opts.renderer?.prepare();
  const charts = given ?? chartsOf(out);
  const files = new Map<string, string | Buffer>(renderRunFiles(out));
  opts.onChartsToRender?.(charts.length);
  let done = 0;
  const rendered = await renderCharts(
    charts,
    (name) => opts.onChartRendered?.(name, done++, charts.length),
    opts.renderer,
  );
  putChartFiles(files, rendered);
  const page = pageContext(out, { today: opts.today, staleDays: STALE_DAYS });
  files.set('report.html', reportPageHtml(out.result, rendered, page));
  const entries = rendered.map((c) => ({ name: c.name, title: c.title }));
  files.set(META_FILE, metaJson({ page, charts: entries, ...(opts.trace ? { trace: opts.trace } : {}) }));
  return files;
}

/** Adds each chart's `<name>.vl.json`, `.svg` and `.png` to `files`. */
export function putChartFiles(files: Map<string, string | Buffer>, rendered: readonly RenderedChart[]): void {
  for (const c of rendered) {
    files.set(`${c.name}.vl.json`, specJson(c.spec));
    files.set(`${c.name}.svg`, c.svg);
    files.set(`${c.name}.png`, c.png);
  }
}
