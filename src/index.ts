/**
 * servesim as a library: the stable surface for scripts and notebooks. Everything else under
 * src/ is internal and may move between versions.
 *
 *   loadScenario(path) ─► runScenario(loaded, options) ─► { result, runs, book, scenario }
 *
 * ```ts
 * import { loadScenario, runScenario } from 'servesim';
 * const { result } = runScenario(loadScenario('my-scenario.yaml'), { seed: 7 });
 * for (const o of result.options) console.log(o.key, o.cost?.total);
 * ```
 *
 * Bad input throws an `InputError` whose message names the file:line or field path.
 */

/** Reads and checks a scenario file (the shipped example when no path is given). */
export { loadScenario, DEFAULT_SCENARIO, type LoadedScenario } from './scenario/load.js';
export type { Scenario } from './scenario/schema.js';

/**
 * Simulates and bills every option of a loaded scenario: the comparison `servesim run` prints,
 * without the CLI's extra analyses (break-even, SLO, sensitivity, verdict) or report files.
 */
export { runScenario, type RunOptions, type RunOutput, type OptionRun } from './compare/run.js';

/**
 * A portfolio (`models:`; docs/portfolio.md): load it with `loadScenario(path, { portfolio: true })`,
 * run it with `runPortfolio` (one deployment per model per option, summed, with `perModel`).
 */
export { runPortfolio } from './portfolio/run.js';
export type { ModelShare, PortfolioModelSummary } from './portfolio/result-types.js';
export type { SharedPortfolioOption, SharedOutcome, SharedModelInput } from './portfolio/shared.js';

/** The result types: `RunResult` is `results.json` of `servesim run`. */
export type * from './compare/result.js';

/** The discrete-event engine: one fleet over one stream of requests. */
export { simulate } from './sim/engine.js';
export type { FleetConfig, FleetPolicy, ServiceModel } from './sim/fleet.js';
export type { SimRecord } from './sim/record.js';
export type { ArrivalStream } from './traffic/types.js';

/** Trace files (docs/traces.md): read as a stream of requests, write a stream as a file. */
export { readTrace, writeTrace } from './traffic/trace/io.js';
export { splitTraceByModel, traceModels, type ModelRows } from './traffic/trace/by-model.js';
export type { TraceHeader } from './traffic/trace/format.js';

/** The price book: the shipped one, or a book file of the same shape. */
export { loadPriceBook, PriceBook } from './pricing/book.js';

/** Thrown for bad input (scenario, trace, price book); `message` says where and how to fix it. */
export { InputError } from './errors.js';
