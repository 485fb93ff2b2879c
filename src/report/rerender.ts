import { readFileSync } from 'node:fs';
import type { RunResult } from '../compare/result.js';
import { InputError } from '../errors.js';
import { costsCsv } from './files.js';
import { reportPageHtml } from './html.js';
import { breakevenReportFiles, forecastReportFiles, modelCountReportFiles } from './planning-report.js';
import { ChartRenderer, renderCharts } from './render.js';
import { putChartFiles } from './report.js';
import { META_FILE, metaJson } from './report-meta.js';
import type { SavedReport, SavedRun } from './rerender-read.js';
import { forecastCsv } from './text/forecast.js';

/*
 * `servesim report <folder>`: a saved report drawn again without simulating (issue 20 item 3).
 *
 *   SavedReport (rerender-read.ts) ─► data files from the result (results.json, costs.csv, …)
 *     ─► charts from their saved specs (a run) or from the result (breakeven, forecast)
 *     ─► report.html ─► + the files kept as they were (timeline.csv, a replayed trace.csv)
 *
 * The same writers as the commands that made the folder, so the files come out byte for byte.
 */

/** The data file of the report as the command wrote it (results.json, breakeven.json, forecast.json). */
export function savedJson(saved: SavedReport): string {
  return JSON.stringify(saved.doc, null, 2) + '\n';
}

/** The report's CSV: costs.csv of a run or replay, forecast.csv; null for breakeven, which has none. */
export function savedCsv(saved: SavedReport): string | null {
  if (saved.kind === 'breakeven') return null;
  return saved.kind === 'forecast' ? forecastCsv(saved.result) : costsCsv(saved);
}

/** Every file of the report folder, rendered in memory (nothing touches the disk). */
export async function rerenderFiles(saved: SavedReport): Promise<Map<string, string | Buffer>> {
  let files: Map<string, string | Buffer>;
  try {
    files = await derivedFiles(saved);
  } catch (e) {
    if (e instanceof InputError) throw e;
    // The folder's files parsed but do not hold what a report needs: a damaged or hand-edited folder.
    throw new InputError(`cannot re-render this report (${(e as Error).message}); write it again`, saved.dir);
  }
  for (const [name, path] of saved.kept)
    try {
      files.set(name, readFileSync(path));
    } catch (e) {
      throw new InputError(`cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, path);
    }
  return files;
}

async function derivedFiles(saved: SavedReport): Promise<Map<string, string | Buffer>> {
  switch (saved.kind) {
    case 'run':
    case 'replay':
      return runFiles(saved);
    case 'breakeven':
      if (saved.analysis === 'models')
        return modelCountReportFiles(saved.header, saved.models!, savedJson(saved));
      return breakevenReportFiles(saved.header, saved.analysis, saved.result, savedJson(saved));
    case 'forecast':
      return forecastReportFiles(
        saved.result,
        new Map([
          ['forecast.json', savedJson(saved)],
          ['forecast.csv', forecastCsv(saved.result)],
        ]),
      );
  }
}

/** A run's files: as report.ts writes them, the charts drawn again from their saved specs. */
async function runFiles(saved: SavedRun): Promise<Map<string, string | Buffer>> {
  const r: RunResult = saved.result;
  const files = new Map<string, string | Buffer>([
    ['results.json', savedJson(saved)],
    ['costs.csv', costsCsv(saved)],
  ]);
  const rendered = await renderCharts(saved.charts, undefined, new ChartRenderer());
  putChartFiles(files, rendered);
  files.set('report.html', reportPageHtml(r, rendered, saved.meta.page));
  files.set(META_FILE, metaJson(saved.meta));
  return files;
}
