import { join } from 'node:path';
import type { Argv } from 'yargs';
import { analyzeBreakeven, planBreakevenVolume } from '../planning/breakeven/breakeven.js';
import type { BreakevenResult } from '../compare/result.js';
import type { ShardSpec } from '../planning/shard/slice.js';
import { heartbeatShardCommand } from './heartbeat-shard.js';
import { shardFlag, shardOptions } from './shard-flag.js';
import { runShard } from './shard.js';
import { writeFilesAtomically } from '../report/files.js';
import { breakevenReportFiles } from '../report/planning-report.js';
import { SCHEMA_VERSION } from '../version.js';
import { Progress, sweepProgress } from './progress.js';
import { loadScenario } from '../scenario/load.js';
import { breakevenText } from '../report/text/breakeven.js';
import { globalFlags, processIo, wholeNumberFlag, type GlobalFlags, type Io } from './context.js';
import { checkShardDir, folderName, openReportFolder } from './out-dir.js';
import { checkWork, limitOptions } from './limit-flags.js';
import { REPORT_FLAGS, withFlags } from './flags.js';
import { InputError } from '../errors.js';
import { DEFAULT_MAX_MODELS, maxModelsFlag, modelsBreakevenCommand } from './breakeven-models.js';

/*
 * `servesim breakeven heartbeat|volume [scenario]` (design §7): runs one analysis, writes
 * breakeven.json to the report folder, prints it (or, with --json, the JSON on stdout). Both shard
 * (--shard K/N or --shards N → partial-K-of-N.json; `servesim merge` joins them): the volume sweep
 * by volume point, the heartbeat by option group (heartbeat-shard.ts).
 */

export const ANALYSES = ['heartbeat', 'volume'] as const;
export type Analysis = (typeof ANALYSES)[number];

/** Adds `breakeven heartbeat|volume [scenario]` (and `--workers`) to the CLI. */
export function registerBreakevenCommand(y: Argv): Argv {
  return y.command(
    'breakeven <analysis> [scenario]',
    'Break-even: when a warm heartbeat pays (heartbeat), where the cheapest option changes with volume (volume), at which number of models shared capacity pays (models)',
    (b) =>
      shardOptions(
        limitOptions(withFlags(b, REPORT_FLAGS))
          .positional('analysis', {
            choices: [...ANALYSES, 'models'],
            describe: 'heartbeat | volume | models',
          })
          .positional('scenario', { type: 'string', describe: 'Scenario YAML file' })
          .option('workers', {
            type: 'string',
            describe: 'Threads that simulate, this one included (default: all cores)',
            coerce: wholeNumberFlag('workers'),
          })
          // `breakeven models` (issue 21; breakeven-models.ts).
          .option('max', {
            type: 'string',
            describe: `models: the largest model count, the grid 1, 2, 4, … up to it (default ${DEFAULT_MAX_MODELS})`,
            coerce: wholeNumberFlag('max'),
          }),
      ),
    async (argv) => {
      const max = maxModelsFlag(argv.analysis as string, argv.max);
      if (argv.analysis === 'models') {
        if (shardFlag(argv) !== undefined)
          throw new InputError('`breakeven models` does not shard yet; run it without --shard/--shards');
        if (argv.workers !== undefined)
          throw new InputError('`breakeven models` runs in this thread (no worker pool yet); drop --workers');
        await modelsBreakevenCommand(argv.scenario as string | undefined, globalFlags(argv), processIo, max);
        return;
      }
      const analysis = argv.analysis as Analysis;
      const flags = globalFlags(argv);
      const workers = typeof argv.workers === 'number' ? argv.workers : undefined;
      const scenario = argv.scenario as string | undefined;
      const shard = shardFlag(argv);
      if (shard === undefined) await breakevenCommand(analysis, scenario, flags, processIo, workers);
      else if (analysis === 'volume') await volumeShardCommand(scenario, flags, processIo, shard, workers);
      // The heartbeat search is adaptive (each round depends on the last): it shards by option group.
      else await heartbeatShardCommand(scenario, flags, processIo, shard, workers);
    },
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
  checkWork(loaded, flags, analysis === 'volume');
  openReportFolder(flags, folderName(loaded.scenario.name, `breakeven ${analysis}`)); // a bad --out fails first
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
  await reportBreakeven(
    { scenario: s.name, seed: flags.seed ?? s.seed, region: flags.region ?? s.region },
    analysis,
    result,
    flags,
    io,
  );
}

/** One shard of the volume sweep: its slice of the volumes → partial-K-of-N.json. */
export async function volumeShardCommand(
  scenarioPath: string | undefined,
  flags: GlobalFlags,
  io: Io,
  spec: ShardSpec,
  workers?: number,
): Promise<void> {
  const loaded = loadScenario(scenarioPath);
  checkWork(loaded, flags, true);
  checkShardDir(flags, folderName(loaded.scenario.name, 'breakeven volume'));
  const plan = planBreakevenVolume(loaded, {
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.region !== undefined ? { region: flags.region } : {}),
  });
  const { seed, region } = plan.frame;
  await runShard({ command: 'breakeven volume', plan, args: { seed, region }, spec, workers }, flags, io);
}

/** The header of breakeven.json: the scenario's name, seed and region as analysed. */
export interface BreakevenHeader {
  scenario: string;
  seed: number;
  region: string;
}

/**
 * Writes the report folder — breakeven.json (one analysis), its chart (`heartbeat` or
 * `volume-crossover`) and report.html — and prints the analysis, or the JSON with --json: the
 * unsharded command and `servesim merge` share it.
 */
export async function reportBreakeven(
  header: BreakevenHeader,
  analysis: Analysis,
  result: BreakevenResult,
  flags: GlobalFlags,
  io: Io,
): Promise<void> {
  const doc = {
    kind: 'breakeven',
    schemaVersion: SCHEMA_VERSION,
    ...header,
    breakeven: analysis === 'heartbeat' ? { heartbeat: result.heartbeat } : { volume: result.volume },
  };
  const json = JSON.stringify(doc, null, 2) + '\n';
  const folder = openReportFolder(flags, folderName(header.scenario, `breakeven ${analysis}`));
  const dir = folder.dir;
  writeFilesAtomically(folder, await breakevenReportFiles(header, analysis, result, json), 'breakeven');
  if (flags.json) {
    io.out(json);
    return;
  }
  io.out(breakevenPrinted(header, analysis, result, dir, flags.width));
}

/** What `breakeven` prints for its report in `dir` (and `servesim report` of that folder). */
export function breakevenPrinted(
  header: BreakevenHeader,
  analysis: Analysis,
  result: BreakevenResult,
  dir: string,
  width: number | undefined,
): string {
  return (
    `\n${header.scenario} — seed ${header.seed}, ${header.region}\n` +
    breakevenText(result, analysis, width) +
    `\nReport: ${join(dir, 'report.html')} (data: ${join(dir, 'breakeven.json')})\n`
  );
}
