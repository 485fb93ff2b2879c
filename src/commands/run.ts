import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import type { RunOutput } from '../compare/run.js';
import type { RunResult } from '../compare/result.js';
import { runOnPool } from '../planning/sweep/base-run.js';
import type { SweepPool } from '../planning/sweep/pool.js';
import { variantOutcome, type VariantOutcome } from '../planning/sweep/sweep.js';
import { analyzeBreakeven } from '../planning/breakeven/breakeven.js';
import { rolloutOfRun } from '../planning/rollout/rollout.js';
import { analyzeSensitivity } from '../planning/sensitivity/sensitivity.js';
import { fitSlotsPerCopy, fitTarget } from '../planning/fit/fit.js';
import { loadScenario, type LoadedScenario } from '../scenario/load.js';
import { writeFilesAtomically } from '../report/files.js';
import { Progress, sweepProgress } from './progress.js';
import { reportFiles } from '../report/report.js';
import { ChartRenderer } from '../report/render.js';
import { headerText, shortRunText } from '../report/text/run.js';
import { detailsText } from '../report/text/details.js';
import { wrap } from '../report/text/width.js';
import type { ReportFolder } from '../report/folder.js';
import { entryStalenessWarning, regionEntries, STALE_DAYS } from '../pricing/book.js';
import { processIo, type GlobalFlags, type Io } from './context.js';
import { openReportFolder } from './out-dir.js';
import { analyzeSlo } from '../planning/slo/slo.js';
import { decideVerdict, withVerdict } from '../compare/verdict.js';
import { parseSloFlag } from './slo-flag.js';
import type { Slo } from '../scenario/schema.js';
import { monthlyCosts } from '../planning/monthly/monthly.js';
import type { RunAnalyses, UnitFilter } from '../planning/shard/run-units.js';
import { checkPortfolioWork, checkWork } from './limit-flags.js';
import { portfolioModels, simulatePortfolio } from './run-portfolio.js';

export { DEFAULT_SCENARIO } from '../scenario/load.js';

/** Below this many requests the chart workers start before the analyses (see `runCommand`). */
const EARLY_CHARTS_BELOW = 2_000_000;

/** What `servesim run` does beyond the comparison, each from its own flag. */
export interface RunExtras {
  /** `--slo p95=2s`: overrides the scenario's `slo` section (docs/slo.md). */
  slo?: unknown;
  /** `--fit`: also fit slotsPerCopy to the trace's observed copies (docs/traces.md). */
  fit?: boolean;
  /** Move each uncertain input across its band (docs/sensitivity.md); the CLI's default, `--no-sensitivity` skips it. */
  sensitivity?: boolean;
}

/** `servesim run [scenario]`: simulate every option, print the comparison, write the report. */
export async function runCommand(
  scenarioPath: string | undefined,
  flags: GlobalFlags,
  io: Io,
  opts: RunExtras = {},
): Promise<void> {
  // `--slo` overrides the scenario's `slo` section (docs/slo.md).
  const sloFlag = opts.slo === undefined ? undefined : parseSloFlag(opts.slo);
  const loaded = loadScenario(scenarioPath, { portfolio: true });
  // A portfolio (issue 21): each model's run within the limits.
  const models = portfolioModels(loaded);
  for (const one of models) checkWork(one, flags, loaded.scenario.breakeven?.volume !== undefined);
  checkPortfolioWork(loaded, models, flags);
  openReportFolder(flags, loaded.scenario.name); // a bad --out fails before the simulation
  const slo = sloFlag ?? loaded.scenario.slo;
  // Before any work: a fit without observed copies is bad input (exit 2), with no partial output.
  if (opts.fit) fitTarget(loaded.scenario, loaded.baseDir);
  const progress = runProgress(
    loaded.scenario.options.length * (loaded.scenario.models?.length ?? 1),
    flags,
    io,
  );
  const overrides = {
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.region !== undefined ? { region: flags.region } : {}),
  };
  // The analyses, in order; any error stops the progress bar before it reaches the user.
  let out: RunOutput;
  let renderer: ChartRenderer | undefined;
  try {
    ({ out, renderer } = await simulateAndAnalyse(loaded, overrides, progress, { ...opts, slo, sloFlag }));
  } catch (e) {
    progress.stop();
    throw e;
  }
  await reportRun(out, renderer, progress, flags, io);
}

/** The progress display of `servesim run` (and of `servesim merge` of a run). */
export function runProgress(options: number, flags: GlobalFlags, io: Io): Progress {
  const progress = new Progress(
    options,
    flags.quiet || flags.json ? 'off' : io === processIo && process.stderr.isTTY ? 'bar' : 'lines',
    (t) => io.err(t),
  );
  // The simulations take about a quarter of a default run; the analyses and charts, announced as
  // they start, the rest (each analysis keeps some of what is left for the charts).
  progress.reserve(0.75);
  return progress;
}

/** The part of the bar an analysis sweep leaves for the work after it (the charts). */
const AFTER_SWEEP = 0.15;

/**
 * Writes the report folder (charts drawn by `renderer`, else by workers of its own) and prints
 * the comparison, or results.json with --json: the unsharded run and `servesim merge` share it.
 */
export async function reportRun(
  out: RunOutput,
  renderer: ChartRenderer | undefined,
  progress: Progress,
  flags: GlobalFlags,
  io: Io,
  /** What to print (not with --json), given the report folder: by default `runText`. */
  print: (dir: string) => string = (dir) => runText(out, flags, dir),
  /**
   * The folder, opened earlier (replay stages its trace there), the command that owns its files
   * and (replay) the trace it replayed, as printed.
   */
  target?: { folder: ReportFolder; owner: 'run' | 'replay'; trace?: string },
): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  const folder = target?.folder ?? openReportFolder(flags, out.result.scenario);
  const dir = folder.dir;
  const files = await reportFiles(out, {
    today,
    renderer: renderer ?? ChartRenderer.lean(),
    // The trace as report-meta.json keeps it: by name when it is in the folder (it moves with it).
    ...(target?.trace === undefined
      ? {}
      : { trace: dirname(target.trace) === dir ? basename(target.trace) : target.trace }),
    onChartsToRender: (n) => progress.addSteps(n),
    onChartRendered: (name) => progress.tick(`rendered ${name}`, false),
  }).finally(() => progress.stop());
  writeFilesAtomically(folder, files, target?.owner ?? 'run');

  const age = out.book.ageDays(today);
  if (age > STALE_DAYS)
    io.err(
      `warning: the price book is ${age} days old (${out.book.date}); run \`servesim prices refresh\`\n`,
    );
  // Per entry, against the book's own date (issue 15 item 7): the region's entries only.
  const old = entryStalenessWarning(out.book, regionEntries(out.book, out.result.region));
  if (old !== undefined && !flags.quiet) io.err(`warning: ${old}\n`);

  if (flags.json) {
    io.out(String(files.get('results.json')));
    return;
  }
  // `--format csv|html`: a file of the report on stdout, for a pipe (the folder is written as ever).
  if (flags.format === 'csv' || flags.format === 'html') {
    io.out(String(files.get(flags.format === 'csv' ? 'costs.csv' : 'report.html')));
    return;
  }
  io.out(print(dir));
}

/**
 * What a run prints (and `replay`, `merge`): the header, then the short answer or, with
 * --details, everything; the report's path last. Every line within the terminal's width.
 */
export function runText(out: RunOutput, flags: GlobalFlags, dir: string, more: RunTextMore = {}): string {
  const opts = { width: flags.width ?? 80, color: flags.color, quiet: flags.quiet };
  return resultText(out.result, flags, dir, more, flags.details ? detailsText(out, opts) : undefined);
}

/** What `runText` prints besides the comparison: replay's words for its traffic, section, trace. */
export interface RunTextMore {
  what?: string;
  extra?: (width: number) => string;
  trace?: string;
}

/**
 * `runText` from the result alone (`servesim report` of a saved folder): the short answer, or
 * `details` (the --details text, which needs the simulated series) when given.
 */
export function resultText(
  r: RunResult,
  flags: GlobalFlags,
  dir: string,
  more: RunTextMore = {},
  details?: string,
): string {
  const width = flags.width ?? 80;
  const opts = { width, color: flags.color, quiet: flags.quiet };
  const path = (label: string, p: string) => wrap(`${label}: ${shortPath(p)}`, width, '  ').join('\n') + '\n';
  return (
    `\n${headerText(r, width, more.what)}\n\n` +
    (details ?? shortRunText(r, opts)) +
    (more.extra?.(width) ?? '') +
    path('Report', join(dir, 'report.html')) +
    (more.trace === undefined ? '' : path('Trace', more.trace))
  );
}

/** `p` relative to the working directory when it is inside it (`reports/x/report.html`), else as is. */
function shortPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
}

/** How `servesim run --shard` and `servesim merge` narrow and complete the analyses (design §11.7). */
export interface ShardHooks {
  /** Called after the base run: which analysis units this process computes (default: all). */
  units?: (out: RunOutput, pool: SweepPool) => UnitFilter;
  /** Called before the analyses join the result: puts in the units other processes computed. */
  complete?: (analyses: RunAnalyses) => RunAnalyses;
}

/**
 * Simulates the scenario and runs its analyses on one pool, closed before this returns: the
 * workers and the trace's shared memory are gone before the charts are drawn.
 */
export async function simulateAndAnalyse(
  loaded: LoadedScenario,
  overrides: { seed?: number; region?: string },
  progress: Progress,
  opts: RunExtras & ShardHooks & { slo: Slo | undefined; sloFlag: Slo | undefined },
): Promise<{ out: RunOutput; renderer: ChartRenderer | undefined }> {
  const { slo, sloFlag } = opts;
  if (loaded.scenario.models)
    return { out: await simulatePortfolio(loaded, overrides, progress, slo), renderer: undefined };
  let out: RunOutput;
  let pool: SweepPool | undefined;
  let renderer: ChartRenderer | undefined;
  try {
    // The trace is generated once and shared; options simulate on worker threads (issue 16).
    ({ out, pool } = await runOnPool(loaded, {
      ...overrides,
      onOptionDone: (key, i, n) => progress.tick(`simulated ${key} (${i + 1}/${n})`),
    }));
    // The analysis units this process computes: all, unless it is a shard (or a merge: none).
    const pick = opts.units?.(out, pool) ?? ((): boolean => true);
    // Chart workers: on a small trace they warm up while the analyses run; on a long one they would
    // take a core from the simulations, so they start when those are done.
    if (out.result.trace.requests < EARLY_CHARTS_BELOW) renderer = ChartRenderer.start();
    // Rollout (docs/rollout.md): checked before the sweeps, so a rollout outside the span fails fast.
    const rollout = out.scenario.rollout ? rolloutOfRun(out, loaded.baseDir) : undefined;
    // Break-even (design §8: the heartbeat of options that scale to zero; volume only on request)
    // and sensitivity (on by default in the CLI) side by side on the run's pool, whose threads
    // already hold the trace; each reuses the run above as its baseline.
    pool.phase(sweepProgress(progress, 'analysis simulations', AFTER_SWEEP));
    // The 30-day-month equivalent (docs/model.md): every process computes it, shards and merge too.
    const monthly = monthlyCosts(out, pool);
    const sensitivityDone = opts.sensitivity
      ? analyzeSensitivity(
          loaded,
          {
            baseline: out.result.options,
            runs: { runs: out.runs, trace: out.result.trace },
            ...(slo ? { slo } : {}),
            units: (id) => pick('sensitivity', id),
          },
          { ...overrides, pool },
        )
      : undefined;
    // Sensitivity's first tasks reach the workers (the pool deals them out in a microtask) before
    // break-even's pass over the trace keeps this thread busy.
    await Promise.resolve();
    const [breakeven, sensitivity] = await Promise.all([
      analyzeBreakeven(
        loaded,
        { heartbeat: true, volume: loaded.scenario.breakeven?.volume !== undefined && pick('volume', '') },
        { ...overrides, pool, baseline: baselineOutcomes(out), units: (key) => pick('heartbeat', key) },
      ),
      sensitivityDone,
    ]);
    for (const [key, m] of await monthly) {
      const cost = out.result.options.find((o) => o.key === key)?.cost;
      if (cost) cost.monthly = m;
    }
    let analyses: RunAnalyses = { breakeven, sensitivity };
    if (slo)
      analyses.slo = await analyzeSlo(
        loaded,
        slo,
        {
          ...overrides,
          onProgress: sweepProgress(progress, 'SLO simulations', AFTER_SWEEP),
          units: (key) => pick('slo', key),
        },
        sloFlag ? '--slo' : 'slo',
      );
    if (opts.fit && pick('fit', ''))
      analyses.fit = await fitSlotsPerCopy(out.scenario, loaded.baseDir, {
        requests: out.result.trace.requests,
        onProgress: sweepProgress(progress, 'fit simulations', AFTER_SWEEP),
      });
    if (opts.complete) analyses = opts.complete(analyses);
    out.result.breakeven = analyses.breakeven;
    if (rollout) out.result.rollout = rollout;
    if (analyses.slo) out.result.slo = analyses.slo;
    if (analyses.fit) out.result.fit = analyses.fit;
    if (analyses.sensitivity) out.result.sensitivity = analyses.sensitivity;
    out.result = withVerdict(
      out.result,
      decideVerdict(out.result, out.scenario.rankBy, out.scenario.maxLossRate),
    );
    // A long trace's chart worker: vega loads while the pool winds down and its trace is let go
    // (about a third of a second of this thread waiting), not after. Shards draw no charts.
    if (renderer === undefined && opts.units === undefined) {
      renderer = ChartRenderer.lean();
      renderer.prepare();
    }
  } finally {
    await pool?.close();
  }
  return { out, renderer };
}

/** The run's options as sweep outcomes (with hit times), by key: analyses reuse them instead of re-simulating. */
function baselineOutcomes(out: RunOutput): Map<string, VariantOutcome> {
  return new Map(
    out.runs.map((run, i) => [
      run.key,
      variantOutcome({ result: out.result.options[i]!, run, assumed: run.assumed ?? [] }, { hits: true }),
    ]),
  );
}
