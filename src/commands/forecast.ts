import { join } from 'node:path';
import type { Argv } from 'yargs';
import {
  forecast,
  forecastSettings,
  planForecast,
  type ForecastResult,
} from '../planning/forecast/forecast.js';
import { echo, InputError } from '../errors.js';
import { writeFilesAtomically } from '../report/files.js';
import { forecastReportFiles } from '../report/planning-report.js';
import { SCHEMA_VERSION } from '../version.js';
import { Progress, sweepProgress } from './progress.js';
import { loadScenario } from '../scenario/load.js';
import { parseGrowth } from '../scenario/units.js';
import { globalFlags, processIo, wholeNumberFlag, type GlobalFlags, type Io } from './context.js';
import { checkShardDir, folderName, openReportFolder } from './out-dir.js';
import { REPORT_FLAGS, withFlags } from './flags.js';
import { forecastCsv, forecastText } from '../report/text/forecast.js';
import { shardFlag, shardOptions } from './shard-flag.js';
import { runShard } from './shard.js';
import type { ShardSpec } from '../planning/shard/slice.js';
import { checkWork, limitOptions } from './limit-flags.js';

/*
 * `servesim forecast [scenario] --months N` (design §7): monthly totals per option with P10/P50/P90
 * bands; writes forecast.json and forecast.csv to the report folder (atomically), prints the table
 * (or, with --json, forecast.json on stdout). With --shard K/N (or --shards N) it computes one
 * slice and writes partial-K-of-N.json instead (shard.ts); `servesim merge` writes the report.
 */

export interface ForecastFlags {
  months?: number;
  runs?: number;
  growth?: number;
  workers?: number;
}

/** Adds `forecast [scenario]` with `--months`, `--runs`, `--growth`, `--workers` to the CLI. */
export function registerForecastCommand(y: Argv): Argv {
  return y.command(
    'forecast [scenario]',
    'Monthly cost per option with P10/P50/P90 bands (Monte Carlo over seeds and uncertain inputs)',
    (b) =>
      shardOptions(
        limitOptions(withFlags(b, REPORT_FLAGS))
          .positional('scenario', { type: 'string', describe: 'Scenario YAML file' })
          .option('months', {
            type: 'string',
            describe: 'Months to forecast (default: forecast.months, else 12)',
            coerce: wholeNumberFlag('months'),
          })
          .option('runs', {
            type: 'string',
            describe: 'Monte Carlo runs (default: forecast.runs, else 200)',
            coerce: wholeNumberFlag('runs'),
          })
          .option('growth', {
            type: 'string',
            describe: 'Monthly volume growth, e.g. 0.05 or 5% (default: forecast.growth, else 0)',
            coerce: (v: unknown) => {
              if (Array.isArray(v)) throw new InputError('--growth given more than once; give it once');
              // `--growth -5%` reaches here empty: the shell word "-5%" reads as flags, not a value.
              if (String(v) === '')
                throw new InputError(
                  '--growth needs a value; for a decline write it with "=", e.g. --growth=-5% or --growth=-0.05',
                );
              const g = parseGrowth(String(v));
              if (g === undefined)
                throw new InputError(
                  `--growth must be a monthly rate above -100% such as 0.05 or 5%, got ${echo(String(v))}`,
                );
              return g;
            },
          })
          .option('workers', {
            type: 'string',
            describe: 'Threads that simulate, this one included (default: all cores)',
            coerce: wholeNumberFlag('workers'),
          }),
      ),
    async (argv) => {
      const flags = globalFlags(argv);
      const shard = shardFlag(argv);
      const opts: ForecastFlags = {
        ...(typeof argv.months === 'number' ? { months: argv.months } : {}),
        ...(typeof argv.runs === 'number' ? { runs: argv.runs } : {}),
        ...(typeof argv.growth === 'number' ? { growth: argv.growth } : {}),
        ...(typeof argv.workers === 'number' ? { workers: argv.workers } : {}),
      };
      if (shard === undefined)
        await forecastCommand(argv.scenario as string | undefined, flags, processIo, opts);
      else await forecastShardCommand(argv.scenario as string | undefined, flags, processIo, opts, shard);
    },
  );
}

export async function forecastCommand(
  scenarioPath: string | undefined,
  flags: GlobalFlags,
  io: Io,
  opts: ForecastFlags = {},
): Promise<ForecastResult> {
  const loaded = loadScenario(scenarioPath);
  // Before any work; `forecast.runs` and `forecast.growth` from the file point at their lines.
  checkWork(loaded, flags, false, () => forecastSettings(loaded.scenario, opts));
  openReportFolder(flags, folderName(loaded.scenario.name, 'forecast')); // a bad --out fails first
  const progress = new Progress(
    0,
    !flags.quiet && !flags.json && io === processIo && process.stderr.isTTY ? 'bar' : 'off',
    (t) => io.err(t),
  );
  const result = await forecast(loaded, {
    ...opts,
    ...(flags.limits ? { limits: flags.limits } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.region !== undefined ? { region: flags.region } : {}),
    onProgress: sweepProgress(progress, 'forecast: simulated days'),
  }).finally(() => progress.stop());
  await reportForecast(result, flags, io);
  return result;
}

/** One shard of the forecast: its slice of the simulated days → partial-K-of-N.json. */
export async function forecastShardCommand(
  scenarioPath: string | undefined,
  flags: GlobalFlags,
  io: Io,
  opts: ForecastFlags,
  spec: ShardSpec,
): Promise<void> {
  const loaded = loadScenario(scenarioPath);
  // Before any work; `forecast.runs` and `forecast.growth` from the file point at their lines.
  checkWork(loaded, flags, false, () => forecastSettings(loaded.scenario, opts));
  checkShardDir(flags, folderName(loaded.scenario.name, 'forecast'));
  const plan = planForecast(loaded, {
    ...opts,
    ...(flags.limits ? { limits: flags.limits } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.region !== undefined ? { region: flags.region } : {}),
  });
  const { seed, region } = plan.frame.scenario;
  const { months, runs, growth } = plan.frame.settings;
  await runShard(
    { command: 'forecast', plan, args: { seed, region, months, runs, growth }, spec, workers: opts.workers },
    flags,
    io,
  );
}

/**
 * Writes the report folder — forecast.json, forecast.csv, the `forecast-bands` chart and
 * report.html (atomically) — and prints the table, or forecast.json with --json: the unsharded
 * command and `servesim merge` share it.
 */
export async function reportForecast(result: ForecastResult, flags: GlobalFlags, io: Io): Promise<void> {
  const json = JSON.stringify({ kind: 'forecast', schemaVersion: SCHEMA_VERSION, ...result }, null, 2) + '\n';
  const folder = openReportFolder(flags, folderName(result.scenario, 'forecast'));
  const dir = folder.dir;
  const data = new Map([
    ['forecast.json', json],
    ['forecast.csv', forecastCsv(result)],
  ]);
  writeFilesAtomically(folder, await forecastReportFiles(result, data), 'forecast');
  if (flags.json) {
    io.out(json);
    return;
  }
  io.out(forecastPrinted(result, dir, flags.width));
}

/** What `forecast` prints for its report in `dir` (and `servesim report` of that folder). */
export function forecastPrinted(result: ForecastResult, dir: string, width: number | undefined): string {
  return (
    `\n${result.scenario} — seed ${result.seed}, ${result.region}\n` +
    forecastText(result, width) +
    `\nReport: ${join(dir, 'report.html')} (data: ${join(dir, 'forecast.json')}, ${join(dir, 'forecast.csv')})\n`
  );
}
