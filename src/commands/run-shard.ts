import { scenarioAsRun, type RunOutput } from '../compare/run.js';
import { InputError } from '../errors.js';
import { fitTarget } from '../planning/fit/fit.js';
import {
  encode,
  fingerprint,
  PARTIAL_FORMAT,
  PARTIAL_VERSION,
  type ShardPartial,
} from '../planning/shard/partial.js';
import {
  baseDigest,
  completeAnalyses,
  runUnits,
  unitFilter,
  unitResults,
  unitsInPlace,
  type RunFrame,
  type UnitResult,
} from '../planning/shard/run-units.js';
import type { MergedSweep } from '../planning/shard/set.js';
import { shardSlice, type ShardSpec } from '../planning/shard/slice.js';
import type { SweepPool } from '../planning/sweep/pool.js';
import { loadScenario, type LoadedScenario } from '../scenario/load.js';
import type { Slo } from '../scenario/schema.js';
import { VERSION } from '../version.js';
import { processIo, type GlobalFlags, type Io } from './context.js';
import { Progress } from './progress.js';
import { reportRun, runProgress, simulateAndAnalyse, type RunExtras } from './run.js';
import { checkShardDir } from './out-dir.js';
import { writeShard } from './shard.js';
import { parseSloFlag } from './slo-flag.js';
import { checkWork } from './limit-flags.js';

/*
 * `servesim run --shard K/N` and the merge of its partials (design §11.7; docs/scale-out.md).
 * A shard runs the base simulation, then only its analysis units (planning/shard/run-units.ts),
 * and writes partial-K-of-N.json. The merge runs the base simulation again — the charts and
 * timeline.csv need its records, and it is cheap next to the analyses — checks it is the one the
 * shards ran, puts every unit's result in place, and reports through `reportRun`, as `run` does.
 */

/** `--slo` as the fingerprint and `merge`'s messages show it: `p95=2s,class=interactive`, or `none`. */
function sloArg(slo: Slo | undefined): string {
  return slo === undefined ? 'none' : `${slo.percentile}=${slo.target}s,class=${slo.class}`;
}

/** One shard of `servesim run`: the base run, this shard's analysis units → partial-K-of-N.json. */
export async function runShardCommand(
  scenarioPath: string | undefined,
  flags: GlobalFlags,
  io: Io,
  opts: RunExtras,
  spec: ShardSpec,
): Promise<void> {
  const sloFlag = opts.slo === undefined ? undefined : parseSloFlag(opts.slo);
  const loaded = loadScenario(scenarioPath);
  checkWork(loaded, flags, loaded.scenario.breakeven?.volume !== undefined);
  checkShardDir(flags, loaded.scenario.name);
  const slo = sloFlag ?? loaded.scenario.slo;
  if (opts.fit) fitTarget(loaded.scenario, loaded.baseDir);
  const overrides = {
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.region !== undefined ? { region: flags.region } : {}),
  };
  const scenario = scenarioAsRun(loaded, overrides);
  const fit = opts.fit === true;
  const sensitivity = opts.sensitivity === true;
  const args = {
    seed: scenario.seed,
    region: scenario.region,
    slo: sloArg(slo),
    fit: fit ? 'yes' : 'no',
    sensitivity: sensitivity ? 'yes' : 'no',
  };
  // Before any simulation: a missing price book fails now, not after the analyses.
  const fp = fingerprint('run', args, scenario, loaded.baseDir);
  const progress = new Progress(
    scenario.options.length,
    !flags.quiet && !flags.json && io === processIo && process.stderr.isTTY ? 'bar' : 'off',
    (t) => io.err(t),
  );
  let units: string[] = [];
  let mine: string[] = [];
  // The base as the merge will check it: before the analyses add anything (the monthly figures too).
  let digest = '';
  const { out, renderer } = await simulateAndAnalyse(loaded, overrides, progress, {
    ...opts,
    slo,
    sloFlag,
    units: (base, pool) => {
      digest = baseDigest(base.result);
      const all = runUnits(unitsInput(base, loaded.baseDir, pool, { slo, fit, sensitivity }));
      units = all.units;
      mine = shardSlice(all.weights, spec).map((i) => units[i]!);
      return unitFilter(new Set(mine));
    },
  }).finally(() => progress.stop());
  await renderer?.close();
  const r = out.result;
  const results = unitResults(mine, {
    breakeven: r.breakeven!,
    slo: r.slo,
    fit: r.fit,
    sensitivity: r.sensitivity,
  });
  const frame: RunFrame = {
    scenario,
    slo: slo ?? null,
    sloFlag: sloFlag !== undefined,
    fit,
    sensitivity,
    units,
  };
  const outcomes: Record<string, UnitResult> = {};
  results.forEach((u) => (outcomes[String(units.indexOf(u.unit))] = u));
  const partial: ShardPartial<RunFrame, UnitResult> = {
    format: PARTIAL_FORMAT,
    version: PARTIAL_VERSION,
    command: 'run',
    args,
    fingerprint: fp,
    servesim: VERSION,
    shard: spec.k,
    shards: spec.n,
    tasks: units.length,
    frame,
    outcomes,
    base: { result: digest, dir: loaded.baseDir },
  };
  writeShard(partial, scenario.name, mine.length, 'analysis units', flags, io);
}

function unitsInput(
  base: RunOutput,
  baseDir: string,
  pool: SweepPool,
  what: { slo: Slo | undefined; fit: boolean; sensitivity: boolean },
): Parameters<typeof runUnits>[0] {
  return {
    scenario: base.scenario,
    baseDir,
    trace: pool.trace,
    sensitivity: what.sensitivity,
    slo: what.slo !== undefined,
    fit: what.fit,
  };
}

/**
 * The report folder of a sharded run, from its checked partials: the base run again (it must
 * be the shards'), the analyses with every unit's result in place, the verdict, `reportRun`.
 */
export async function mergeRun(merged: MergedSweep, flags: GlobalFlags, io: Io): Promise<void> {
  const frame = merged.frame as RunFrame;
  const results = unitsInPlace(frame.units, merged.outcomes);
  const base = merged.base!;
  const loaded: LoadedScenario = { scenario: frame.scenario, file: '(the partials)', baseDir: base.dir };
  const slo = frame.slo ?? undefined;
  const progress = runProgress(frame.scenario.options.length, flags, io);
  let done: Awaited<ReturnType<typeof simulateAndAnalyse>>;
  try {
    done = await simulateAndAnalyse(loaded, {}, progress, {
      slo,
      sloFlag: frame.sloFlag ? slo : undefined,
      fit: frame.fit,
      sensitivity: frame.sensitivity,
      units: (out, pool) => {
        if (baseDigest(out.result) !== base.result)
          throw new InputError(
            `the base simulation here differs from the shards': a file the scenario reads (a price book or trace under ${base.dir}) is not the one the shards read; merge where the shards' files are`,
          );
        const again = runUnits(unitsInput(out, base.dir, pool, { ...frame, slo })).units;
        if (encode(again) !== encode(frame.units))
          throw new InputError(
            `the analyses here have other units than the shards' (${again.length} vs ${frame.units.length}); merge with the servesim and files the shards used`,
          );
        return () => false;
      },
      complete: (a) =>
        completeAnalyses(
          a,
          frame.units,
          results.map((u) => u.result),
          frame.scenario,
        ),
    });
  } catch (e) {
    progress.stop();
    throw e;
  }
  await reportRun(done.out, done.renderer, progress, flags, io);
}
