import type { Argv } from 'yargs';
import type { RunExtras } from './run.js';

/*
 * The analyses `run` and `replay` both take (issue 18: replay accepts what run does), declared
 * once and read into the same `RunExtras` the shared pipeline (`simulateAndAnalyse`) runs.
 */

/** `--slo`, `--sensitivity` (on; `--no-sensitivity` skips it) and `--fit`. */
export function runAnalysisFlags<T>(y: Argv<T>) {
  return y
    .option('slo', {
      type: 'string',
      describe: 'Latency SLO, e.g. p95=2s or p99=5s,class=all: the cheapest setting per option that meets it',
    })
    .option('sensitivity', {
      type: 'boolean',
      default: true,
      describe:
        'Move each uncertain input across its band: what could change the answer (--no-sensitivity skips it)',
    })
    .option('fit', {
      type: 'boolean',
      describe: "Also fit bedrock-cmi's slotsPerCopy to the trace's observed copies (model_copies)",
    });
}

/** The analyses asked for on the command line. */
export function runExtras(argv: { slo?: unknown; fit?: unknown; sensitivity?: unknown }): RunExtras {
  return { slo: argv.slo, fit: argv.fit === true, sensitivity: argv.sensitivity === true };
}
