import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { loadScenarioFile } from '../../scenario/load.js';
import { shippedPath } from '../../data.js';
import { count } from '../../report/text/format.js';
import { syntheticStream } from '../../traffic/synthetic.js';
import { writeRequestTrace } from '../../traffic/trace/write.js';
import { globalFlags, processIo, type GlobalFlags, type Io } from '../context.js';
import { withFlags } from '../flags.js';
import { DEFAULT_SCENARIO } from '../run.js';
import { single } from './flags.js';
import { days } from './text.js';
import { checkOutFile } from '../../out-path.js';
import { checkWork, limitOptions } from '../limit-flags.js';

/* `servesim trace generate --scenario F -o T`: a scenario's traffic as a requests trace. */

export interface GenerateResult {
  output: string;
  requests: number;
  start: string;
  durationSeconds: number;
  seed: number;
}

/** Writes a scenario's traffic (all components, merged) as a requests trace. */
export function traceGenerate(
  scenarioPath: string | undefined,
  output: string,
  flags: GlobalFlags,
  io: Io = processIo,
): GenerateResult {
  checkOutFile(output, '--output');
  const loaded = loadScenarioFile(scenarioPath ?? shippedPath(DEFAULT_SCENARIO));
  checkWork(loaded, flags);
  const s = loaded.scenario;
  const seed = flags.seed ?? s.seed;
  const stream = syntheticStream(s.traffic, s.timezone, seed, loaded.baseDir);
  const span = stream.span;
  const requests = writeRequestTrace(
    resolve(output),
    {
      start: span.startUtcIso,
      kind: 'requests',
      durationSeconds: span.durationSeconds,
      source: `scenario:${s.name}:seed=${seed}`,
    },
    stream,
  );
  const r = { output, requests, start: span.startUtcIso, durationSeconds: span.durationSeconds, seed };
  if (flags.json) io.out(JSON.stringify(r, null, 2) + '\n');
  else
    io.out(
      `Wrote ${count(requests)} requests (${span.startUtcIso}, ${days(span.durationSeconds)}, seed ${seed}) to ${output}\n`,
    );
  return r;
}

/** Adds `trace generate`. */
export function registerTraceGenerate(t: Argv): Argv {
  return t.command(
    'generate',
    "Write a scenario's traffic as a trace file (-o FILE)",
    (g) =>
      limitOptions(withFlags(g, ['json', 'seed']))
        .option('scenario', { type: 'string', describe: `Scenario file (default ${DEFAULT_SCENARIO})` })
        .option('output', {
          alias: 'o',
          type: 'string',
          demandOption: true,
          describe: 'Trace file to write',
        }),
    (argv) => {
      traceGenerate(single(argv.scenario, 'scenario'), single(argv.output, 'output')!, globalFlags(argv));
    },
  );
}
