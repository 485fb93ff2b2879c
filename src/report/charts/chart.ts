import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput } from '../../compare/run.js';

/** One chart of the report: a vega-lite spec with its data inline, and the names it is filed under. */
export interface Chart {
  /** File stem: `<name>.vl.json`, `<name>.svg`, `<name>.png`. */
  name: string;
  title: string;
  spec: TopLevelSpec;
}

/** Builds one chart from a run; null when its analysis has nothing to show (e.g. no feasible option). */
export type ChartBuilder = (out: RunOutput) => Chart | null;
