import type { BreakevenResult } from '../compare/result.js';
import type { ForecastResult } from '../planning/forecast/result.js';
import type { Chart } from './charts/chart.js';
import { heartbeatChart } from './charts/heartbeat.js';
import { forecastBandsChart } from './charts/forecast-bands.js';
import { specJson } from './charts/spec-json.js';
import { volumeCrossoverChart } from './charts/volume-crossover.js';
import { modelCountCrossoverChart } from './charts/model-count-crossover.js';
import type { ModelCountBreakeven } from '../planning/breakeven/models-result.js';
import { modelCountText } from './text/breakeven-models.js';
import { planningPageHtml } from './planning-html.js';
import { renderCharts } from './render.js';
import { breakevenText } from './text/breakeven.js';
import { forecastText } from './text/forecast.js';

/*
 * The report folders of `servesim breakeven` and `servesim forecast` (design §11 "Reports"),
 * rendered in memory like report.ts does a run's:
 *
 *   result ─► its data files (given) ─► chart specs ─► <name>.vl.json, .svg, .png ─► report.html
 *
 * Everything is a function of the result alone, so `servesim merge` writes the same bytes.
 */

/** The scenario line of a planning report. */
export interface PlanningHeader {
  scenario: string;
  seed: number;
  region: string;
}

/** The files of a planning report: `data` (name → text) plus the charts and report.html. */
async function planningFiles(
  title: string,
  header: PlanningHeader,
  text: string,
  charts: Chart[],
  data: ReadonlyMap<string, string>,
): Promise<Map<string, string | Buffer>> {
  const files = new Map<string, string | Buffer>(data);
  const rendered = await renderCharts(charts);
  for (const c of rendered) {
    files.set(`${c.name}.vl.json`, specJson(c.spec));
    files.set(`${c.name}.svg`, c.svg);
    files.set(`${c.name}.png`, c.png);
  }
  files.set(
    'report.html',
    planningPageHtml({
      title: `${title} — ${header.scenario}`,
      lede: [`Scenario ${header.scenario}, seed ${header.seed}, ${header.region}.`],
      text,
      charts: rendered,
      files: [
        ...data.keys(),
        ...rendered.flatMap((c) => [`${c.name}.png`, `${c.name}.svg`, `${c.name}.vl.json`]),
      ],
    }),
  );
  return files;
}

/** The charts of one break-even analysis: `heartbeat`, or `volume-crossover`. */
export function breakevenCharts(result: BreakevenResult, analysis: 'heartbeat' | 'volume'): Chart[] {
  const c =
    analysis === 'heartbeat'
      ? heartbeatChart(result.heartbeat)
      : result.volume
        ? volumeCrossoverChart(result.volume)
        : null;
  return c === null ? [] : [c];
}

/** breakeven.json (given), the analysis' chart and report.html. */
export function breakevenReportFiles(
  header: PlanningHeader,
  analysis: 'heartbeat' | 'volume',
  result: BreakevenResult,
  json: string,
): Promise<Map<string, string | Buffer>> {
  return planningFiles(
    analysis === 'heartbeat' ? 'Heartbeat break-even' : 'Volume break-even',
    header,
    breakevenText(result, analysis),
    breakevenCharts(result, analysis),
    new Map([['breakeven.json', json]]),
  );
}

/** breakeven.json (given) of `servesim breakeven models`, the `model-count-crossover` chart and report.html. */
export function modelCountReportFiles(
  header: PlanningHeader,
  result: ModelCountBreakeven,
  json: string,
): Promise<Map<string, string | Buffer>> {
  const chart = modelCountCrossoverChart(result);
  return planningFiles(
    'Model-count break-even',
    header,
    modelCountText(result),
    chart ? [chart] : [],
    new Map([['breakeven.json', json]]),
  );
}

/** forecast.json and forecast.csv (given), the `forecast-bands` chart and report.html. */
export function forecastReportFiles(
  result: ForecastResult,
  data: ReadonlyMap<string, string>,
): Promise<Map<string, string | Buffer>> {
  const chart = forecastBandsChart(result);
  return planningFiles('Monthly cost forecast', result, forecastText(result), chart ? [chart] : [], data);
}
