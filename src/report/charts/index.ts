import type { RunOutput } from '../../compare/run.js';
import type { Chart, ChartBuilder } from './chart.js';
import { costByOption } from './cost-by-option.js';
import { cumulativeCost } from './cumulative-cost.js';
import { heartbeatOfRun } from './heartbeat.js';
import { latencyCdf } from './latency-cdf.js';
import { sensitivityTornado } from './sensitivity-tornado.js';
import { trafficVsReplicas } from './traffic-vs-replicas.js';

/*
 * The report's charts (design §9): pure functions from a run to vega-lite specs with their data
 * inline, so each `.vl.json` opens as is in the Vega editor. Rendering (SVG, PNG) lives in
 * ../render.ts, the `.vl.json` text in spec-json.ts.
 *
 * Adding a chart = one file here exporting a `ChartBuilder` (using style.ts for its look) plus one
 * entry in `CHARTS`. Conventions every chart follows: a title and a subtitle saying what is
 * measured, units in axis titles, one colour per option key (the same in every chart), times in
 * the scenario's local time (time-axis.ts), numbers rounded for the chart (labels.ts).
 */

/**
 * Every chart of a run's report, in report order. `heartbeat` (the run's heartbeat break-even)
 * is the same chart `servesim breakeven heartbeat` draws; the volume and forecast charts are
 * drawn by their own commands (../planning-report.ts).
 */
export const CHARTS: readonly ChartBuilder[] = [
  costByOption,
  trafficVsReplicas,
  cumulativeCost,
  latencyCdf,
  sensitivityTornado,
  heartbeatOfRun,
];

/** The charts of a run that have something to show, in `builders` order. */
export function chartsOf(out: RunOutput, builders: readonly ChartBuilder[] = CHARTS): Chart[] {
  return builders.map((b) => b(out)).filter((c): c is Chart => c !== null);
}
