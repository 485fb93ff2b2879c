import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { analyzeBreakeven } from '../planning/breakeven/breakeven.js';
import { writeFilesAtomically } from '../report/files.js';
import { slug } from '../report/text/format.js';
import { Progress, sweepProgress } from './progress.js';
import { loadScenario } from '../scenario/load.js';
import { breakevenText } from '../report/text/breakeven.js';
import { globalFlags, processIo, wholeNumberFlag, type GlobalFlags, type Io } from './context.js';

/*
 * `servesim breakeven heartbeat|volume [scenario]` (design §7): runs one analysis, writes
 * breakeven.json to the report folder, prints it (or, with --json, the JSON on stdout).
 */

export const ANALYSES = ['heartbeat', 'volume'] as const;
export type Analysis = (typeof ANALYSES)[number];

/** Adds `breakeven heartbeat|volume [scenario]` (and `--workers`) to the CLI. */
export function registerBreakevenCommand(y: Argv): Argv {
  return y.command(
    'breakeven <analysis> [scenario]',
    'Break-even: when a warm heartbeat pays (heartbeat), where the cheapest option changes with volume (volume)',
    (b) =>
      b
        .positional('analysis', { choices: ANALYSES, describe: 'heartbeat | volume' })
        .positional('scenario', { type: 'string', describe: 'Scenario YAML file' })
        .option('workers', {
          type: 'string',
          describe: 'Threads that simulate, this one included (default: all cores)',
          coerce: wholeNumberFlag('workers'),
        }),
    (argv) =>
      breakevenCommand(
        argv.analysis as Analysis,
        argv.scenario as string | undefined,
        globalFlags(argv),
        processIo,
        typeof argv.workers === 'number' ? argv.workers : undefined,
      ),
  );
}

export async function breakevenCommand(
  analysis: Analysis,
  scenarioPath: string | undefined,
  flags: GlobalFlags,
  io: Io,
  workers?: number,
): Promise<void> {
  const loaded = loadScenario(scenarioPath);
  const progress = new Progress(
    0,
    !flags.quiet && !flags.json && io === processIo && process.stderr.isTTY ? 'bar' : 'off',
    (t) => io.err(t),
  );
  const result = await analyzeBreakeven(
    loaded,
    { heartbeat: analysis === 'heartbeat', volume: analysis === 'volume' },
    {
      ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
      ...(flags.region !== undefined ? { region: flags.region } : {}),
      ...(workers !== undefined ? { workers } : {}),
      onProgress: sweepProgress(progress, `breakeven ${analysis}: simulations`),
    },
  ).finally(() => progress.stop());
  const s = loaded.scenario;
  const doc = {
    scenario: s.name,
    seed: flags.seed ?? s.seed,
    region: flags.region ?? s.region,
    breakeven: analysis === 'heartbeat' ? { heartbeat: result.heartbeat } : { volume: result.volume },
  };
  const json = JSON.stringify(doc, null, 2) + '\n';
  const dir = resolve(flags.out ?? `reports/${slug(s.name)}`);
  writeFilesAtomically(dir, new Map([['breakeven.json', json]]));
  if (flags.json) {
    io.out(json);
    return;
  }
  io.out(`\n${s.name} — seed ${doc.seed}, ${doc.region}\n`);
  io.out(breakevenText(result, analysis === 'heartbeat' ? 'heartbeat' : 'volume'));
  io.out(`\nReport: ${join(dir, 'breakeven.json')}\n`);
}
