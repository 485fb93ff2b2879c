import { join } from 'node:path';
import { InputError } from '../errors.js';
import { analyzeModelCount } from '../planning/breakeven/models.js';
import type { ModelCountBreakeven } from '../planning/breakeven/models-result.js';
import { checkModelSweepWork, modelGrid } from '../planning/breakeven/models-clones.js';
import { sharedOption } from '../portfolio/shared-options.js';
import { writeFilesAtomically } from '../report/files.js';
import { modelCountReportFiles } from '../report/planning-report.js';
import { modelCountText } from '../report/text/breakeven-models.js';
import { inScenarioFile, loadScenario } from '../scenario/load.js';
import { DEFAULT_LIMITS } from '../scenario/limits.js';
import { SCHEMA_VERSION } from '../version.js';
import { processIo, type GlobalFlags, type Io } from './context.js';
import { checkWork } from './limit-flags.js';
import { folderName, openReportFolder } from './out-dir.js';
import { Progress, sweepProgress } from './progress.js';

/*
 * `servesim breakeven models [scenario] [--max N]` (issue 21 item 3; docs/breakeven.md "Model
 * count"): the scenario's mix cloned to 1 … N models, every option simulated at each count, then
 * breakeven.json (`breakeven.models`), the `model-count-crossover` chart and report.html in
 * reports/<slug>-breakeven-models/, written at once. Takes a portfolio or a single-model scenario.
 * Not sharded (--shard is refused): it runs in this thread.
 */

/** Default largest model count. */
export const DEFAULT_MAX_MODELS = 64;

export async function modelsBreakevenCommand(
  scenarioPath: string | undefined,
  flags: GlobalFlags,
  io: Io,
  max = DEFAULT_MAX_MODELS,
): Promise<void> {
  const loaded = loadScenario(scenarioPath, { portfolio: true });
  const grid = modelGrid(max);
  checkWork(loaded, flags);
  const s = loaded.scenario;
  const shared = s.options.filter((o) => sharedOption(o.id) !== undefined).length;
  inScenarioFile(loaded, () =>
    checkModelSweepWork(
      s,
      loaded.baseDir,
      grid,
      { perModel: s.options.length - shared, shared },
      flags.limits ?? DEFAULT_LIMITS,
    ),
  );
  const name = folderName(s.name, 'breakeven models');
  openReportFolder(flags, name); // a bad --out fails before any work
  const progress = new Progress(
    0,
    !flags.quiet && !flags.json && io === processIo && process.stderr.isTTY ? 'bar' : 'off',
    (t) => io.err(t),
  );
  let result;
  try {
    result = analyzeModelCount(loaded, {
      max,
      ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
      ...(flags.region !== undefined ? { region: flags.region } : {}),
      onProgress: sweepProgress(progress, 'breakeven models: simulations'),
    });
  } finally {
    progress.stop();
  }
  const header = { scenario: s.name, seed: flags.seed ?? s.seed, region: flags.region ?? s.region };
  const json =
    JSON.stringify(
      { kind: 'breakeven', schemaVersion: SCHEMA_VERSION, ...header, breakeven: { models: result } },
      null,
      2,
    ) + '\n';
  const folder = openReportFolder(flags, name);
  writeFilesAtomically(folder, await modelCountReportFiles(header, result, json), 'breakeven');
  if (flags.json) {
    io.out(json);
    return;
  }
  io.out(modelsPrinted(header, result, folder.dir, flags.width));
}

/** What `breakeven models` prints for its report in `dir` (and `servesim report` of that folder). */
export function modelsPrinted(
  header: { scenario: string; seed: number; region: string },
  result: ModelCountBreakeven,
  dir: string,
  width: number | undefined,
): string {
  return (
    `\n${header.scenario} — seed ${header.seed}, ${header.region}\n` +
    modelCountText(result, width) +
    `\nReport: ${join(dir, 'report.html')} (data: ${join(dir, 'breakeven.json')})\n`
  );
}

/** `--max N` for `breakeven models` only. */
export function maxModelsFlag(analysis: string, max: unknown): number | undefined {
  if (max === undefined) return undefined;
  if (analysis !== 'models')
    throw new InputError(
      `--max is for \`servesim breakeven models\` (the largest model count), not ${analysis}`,
    );
  return max as number;
}
