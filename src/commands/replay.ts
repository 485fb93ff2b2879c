import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { DateTime } from 'luxon';
import { InputError } from '../errors.js';
import type { RunOutput } from '../compare/run.js';
import { loadScenario, type LoadedScenario } from '../scenario/load.js';
import { Traffic } from '../scenario/schema.js';
import type { ReportFolder } from '../report/folder.js';
import { checkOutFile } from '../out-path.js';
import { count } from '../report/text/format.js';
import { fitLines } from '../report/text/width.js';
import type { ChartRenderer } from '../report/render.js';
import type { CloudWatchImportOptions } from '../traffic/cloudwatch/import.js';
import { readTraceHeader } from '../traffic/trace/read.js';
import { summarizeTraceFile } from '../traffic/trace/stats.js';
import { globalFlags, processIo, type GlobalFlags, type Io } from './context.js';
import {
  DEFAULT_SCENARIO,
  reportRun,
  runProgress,
  runText,
  simulateAndAnalyse,
  type RunTextMore,
} from './run.js';
import { folderName, openReportFolder } from './out-dir.js';
import { FIT_MSG, fitTarget } from '../planning/fit/fit.js';
import { actualVsSimulatedLine } from '../report/text/fit.js';
import { parseSloFlag } from './slo-flag.js';
import { COMPARISON_FLAGS, withFlags } from './flags.js';
import { runAnalysisFlags, runExtras } from './run-flags.js';
import {
  cloudWatchArgs,
  cloudWatchFlags,
  cloudWatchTargets,
  fetchCloudWatch,
  type CloudWatchArgs,
} from './trace/import-cloudwatch.js';
import { traceModels } from '../traffic/trace/by-model.js';
import { MSG } from '../traffic/messages.js';
import { single } from './trace/flags.js';
import { limitOptions } from './limit-flags.js';
import { checkRequests, checkSpan, DEFAULT_LIMITS, type WorkLimits } from '../scenario/limits.js';
import { traceWork } from '../traffic/trace/work.js';

/*
 * `servesim replay (--model-id ID | --endpoint E | --trace T) (--last 14d | --start S [--end E])
 * [--scenario F] [-o TRACE]`: real traffic through every option of a scenario.
 *
 *   CloudWatch ─► binned trace file (kept: -o, or trace.csv in the report folder)
 *     ─► the scenario with its traffic replaced by that trace (span = the trace's; claims dropped)
 *     ─► run every option ─► report (+ actual vs simulated CMI bill when the trace has copies)
 *
 * After the import nothing touches AWS: `--trace` replays a saved trace offline, and the same
 * trace and seed give a byte-identical results.json.
 */

export interface ReplayArgs extends CloudWatchArgs {
  /** Replay this trace file instead of importing. */
  trace?: string | undefined;
  scenario?: string | undefined;
  /** Where to keep the imported trace (default: trace.csv in the report folder). */
  output?: string | undefined;
  /** Also fit bedrock-cmi's slotsPerCopy to the observed copies (`--fit`). */
  fit?: boolean | undefined;
  /** `--slo p95=2s`, as `run` takes it. */
  slo?: unknown;
  /** Move each uncertain input across its band (`--no-sensitivity` skips it), as `run`. */
  sensitivity?: boolean | undefined;
  /** One model's rows of a multi-model trace (`--trace-model NAME`). */
  traceModel?: string | undefined;
}

/**
 * The scenario with its traffic replaced by the trace (of `model`, in a multi-model trace): same
 * options, model, pricing, timezone.
 */
export function replayScenario(loaded: LoadedScenario, tracePath: string, model?: string): LoadedScenario {
  const s = loaded.scenario;
  const { header } = readTraceHeader(tracePath);
  const stats = header.durationSeconds === undefined ? summarizeTraceFile(tracePath) : undefined;
  const duration = header.durationSeconds ?? stats!.durationSeconds;
  const local = (epoch: number) =>
    DateTime.fromSeconds(epoch, { zone: s.timezone }).toFormat("yyyy-LL-dd'T'HH:mm:ss");
  const start = header.startEpochSeconds;
  const traffic = Traffic.parse({
    start: local(start),
    end: local(start + duration),
    components: [{ type: 'trace', file: tracePath, ...(model !== undefined ? { model } : {}) }],
  });
  return {
    ...loaded,
    // The article's claims and a rollout are about the scenario's own traffic, not this trace.
    scenario: { ...s, name: `${s.name} replay`, traffic, claims: [], rollout: undefined },
  };
}

export async function replayCommand(
  a: ReplayArgs,
  flags: GlobalFlags,
  io: Io = processIo,
  /** Tests: CloudWatch client settings, "now" and retry delays. */
  cloudWatch: Partial<CloudWatchImportOptions> = {},
): Promise<RunOutput> {
  // Bad input before any work (and before touching AWS): the SLO, then the scenario.
  const sloFlag = a.slo === undefined ? undefined : parseSloFlag(a.slo);
  const loaded = loadScenario(a.scenario);
  // SageMaker metrics have no ModelCopy: say so before fetching anything.
  if (a.fit && a.endpoint !== undefined) throw new InputError(FIT_MSG.noCopies('trace'), '--fit');
  // Checked before any work: a bad --out or -o is exit 2 before CloudWatch is asked anything.
  const folder = openReportFolder(flags, folderName(loaded.scenario.name, 'replay'));
  if (a.output !== undefined) checkOutFile(a.output, '--output');
  try {
    return await replayInto(folder, loaded, a, sloFlag, flags, io, cloudWatch);
  } catch (e) {
    folder.discard();
    throw e;
  }
}

async function replayInto(
  folder: ReportFolder,
  loaded: LoadedScenario,
  a: ReplayArgs,
  sloFlag: ReturnType<typeof parseSloFlag> | undefined,
  flags: GlobalFlags,
  io: Io,
  cloudWatch: Partial<CloudWatchImportOptions>,
): Promise<RunOutput> {
  const dir = folder.dir;
  let tracePath: string;
  // Where the trace is shown as kept: -o, or trace.csv in the report folder once it is swapped in.
  let shownTrace: string;
  if (a.trace !== undefined) {
    if (a.modelId !== undefined || a.model !== undefined || a.endpoint !== undefined)
      throw new InputError('give either --trace FILE or --model-id/--endpoint, not both', '--trace');
    tracePath = resolve(a.trace);
    if (!existsSync(tracePath)) throw new InputError('no such trace file', tracePath);
    checkTraceModel(traceModels(tracePath), a.traceModel);
    folder.adopt(tracePath); // a trace replayed from this folder stays in it
    shownTrace = tracePath;
  } else {
    // Several models: which one to replay is checked before CloudWatch is asked anything.
    const targets = cloudWatchTargets(a);
    checkTraceModel(targets.length > 1 ? targets.map((t) => t.name) : [], a.traceModel);
    // The import goes into the staging folder: it appears with the report, or not at all.
    tracePath = a.output !== undefined ? resolve(a.output) : join(folder.stage(), 'trace.csv');
    shownTrace = a.output !== undefined ? tracePath : join(dir, 'trace.csv');
    const region = flags.region ?? loaded.scenario.region;
    const s = await fetchCloudWatch(a, tracePath, { ...flags, region }, io, cloudWatch);
    if (!flags.quiet && !flags.json)
      io.err(
        `imported ${count(s.requests)} requests in ${count(s.bins)} periods of ${s.periodSeconds} s (${s.periodReason}) → ${shownTrace}\n`,
      );
  }

  checkTraceWork(tracePath, flags.limits ?? DEFAULT_LIMITS, a.traceModel);
  const replay = replayScenario(loaded, tracePath, a.traceModel);
  if (a.fit) fitTarget(replay.scenario, replay.baseDir, 'trace');
  const slo = sloFlag ?? replay.scenario.slo;
  const progress = runProgress(replay.scenario.options.length, flags, io);
  // The trace is read once and shared; the same pipeline as `servesim run` (issue 18).
  let out: RunOutput;
  let renderer: ChartRenderer | undefined;
  try {
    ({ out, renderer } = await simulateAndAnalyse(
      replay,
      {
        ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
        ...(flags.region !== undefined ? { region: flags.region } : {}),
      },
      progress,
      { fit: a.fit, sensitivity: a.sensitivity, slo, sloFlag },
    ));
  } catch (e) {
    progress.stop();
    throw e;
  }
  out.result.kind = 'replay';
  await reportRun(
    out,
    renderer,
    progress,
    flags,
    io,
    (d) => runText(out, flags, d, replayTextMore(out.result, shownTrace)),
    { folder, owner: 'replay', trace: shownTrace },
  );
  return out;
}
/**
 * Issue 17, before any work: the trace's span (its header's duration, or its last row) and its
 * requests (binned rows summed, never expanded) within the limits; the error names the file.
 */
function checkTraceWork(tracePath: string, limits: WorkLimits, model: string | undefined): void {
  const w = traceWork(tracePath, limits.maxRequests, model);
  const seconds = Math.max(w.durationSeconds ?? 0, w.lastSeconds);
  checkSpan(seconds / 86_400, limits, tracePath, "the trace spans (a typo'd date?)");
  checkRequests(w.requests, limits, tracePath, 'the trace');
}

/**
 * Replay runs one model's traffic (issue 21 item 4): a trace of several models (`models`, its
 * `model` column's names; [] without the column) needs `--trace-model` naming one of them, and
 * `--trace-model` needs such a trace. Exit 2 otherwise.
 */
function checkTraceModel(models: readonly string[], pick: string | undefined): void {
  if (pick === undefined) {
    if (models.length > 1) throw new InputError(MSG.replayOneModel(models), '--trace-model');
    return;
  }
  if (!models.includes(pick)) throw new InputError(MSG.noSuchModel(pick, models), '--trace-model');
}

/** What replay prints besides the comparison (and `servesim report` of its folder). */
export function replayTextMore(r: RunOutput['result'], trace: string | undefined): RunTextMore {
  return {
    what: 'real requests',
    extra: (width) => actualVsSimulatedText(r, width),
    ...(trace === undefined ? {} : { trace }),
  };
}

/** The actual Custom Model Import bill beside the simulated one, when the trace has copies. */
function actualVsSimulatedText(r: RunOutput['result'], width: number): string {
  const avs = r.actualVsSimulated;
  if (!avs) return '';
  let t = `Actual vs simulated Custom Model Import bill (${avs.trace}):\n`;
  for (const o of avs.options) t += `  ${o.key}: ${actualVsSimulatedLine(o)}\n`;
  t += `  Both sides billed ${avs.rule}.\n`;
  t +=
    "  The run's own bill (its CMU inference line) bills each copy's own 5-minute windows; it differs from both by the rule, not by the simulation.\n";
  if (avs.approximate)
    t += `  The trace has ${avs.periodSeconds} s periods: each period's peak copies stand for all its minutes.\n`;
  return fitLines(t, width) + '\n';
}

/** Adds `replay` to a yargs instance (src/cli.ts wires it in). */
export function registerReplayCommand(y: Argv): Argv {
  return y.command(
    'replay',
    'Replay real traffic (CloudWatch, or a saved trace) through every option of a scenario',
    (r) =>
      limitOptions(runAnalysisFlags(withFlags(cloudWatchFlags(r), COMPARISON_FLAGS)))
        .option('trace', {
          type: 'string',
          describe: 'Replay this trace file (offline) instead of importing',
        })
        .option('scenario', {
          type: 'string',
          describe: `Options, model and pricing from this scenario (default ${DEFAULT_SCENARIO})`,
        })
        .option('trace-model', {
          type: 'string',
          describe: "Replay this model's rows of a trace holding several models (its model column)",
        })
        .option('output', {
          alias: 'o',
          type: 'string',
          describe: 'Keep the imported trace here (default: trace.csv in the report folder)',
        }),
    async (argv) => {
      await replayCommand(
        {
          ...cloudWatchArgs(argv),
          trace: single(argv.trace, 'trace'),
          scenario: single(argv.scenario, 'scenario'),
          output: single(argv.output, 'output'),
          traceModel: single(argv.traceModel, 'trace-model'),
          ...runExtras(argv),
        },
        globalFlags(argv),
      );
    },
  );
}
