import { analyzeBreakeven } from '../planning/breakeven/breakeven.js';
import type { BreakevenResult } from '../compare/result.js';
import { InputError } from '../errors.js';
import {
  fingerprint,
  PARTIAL_FORMAT,
  PARTIAL_VERSION,
  type ShardPartial,
} from '../planning/shard/partial.js';
import {
  heartbeatUnits,
  unitId,
  unitResults,
  unitsInPlace,
  type UnitResult,
} from '../planning/shard/run-units.js';
import type { MergedSweep } from '../planning/shard/set.js';
import { shardSlice, type ShardSpec } from '../planning/shard/slice.js';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { VERSION } from '../version.js';
import { reportBreakeven, type BreakevenHeader } from './breakeven.js';
import { processIo, type GlobalFlags, type Io } from './context.js';
import { Progress, sweepProgress } from './progress.js';
import { checkShardDir, folderName } from './out-dir.js';
import { writeShard } from './shard.js';
import { checkWork } from './limit-flags.js';

/*
 * `servesim breakeven heartbeat --shard K/N` and the merge of its partials (design §11.7;
 * docs/scale-out.md). The search is adaptive (each round depends on the last), so it shards as
 * `run` does, by heartbeat option group — `run`'s `heartbeat:<key>` units, dealt out by the same
 * weights. A group's result is a pure function of the scenario (its simulations never depend on
 * which groups run beside it), so the merge needs only the partials: it puts the groups back in
 * the unsharded order and reports through `reportBreakeven`, byte for byte.
 */

/** A heartbeat partial's frame: breakeven.json's header and every unit of the analysis, in order. */
export interface HeartbeatFrame extends BreakevenHeader {
  units: string[];
}

/** One shard of the heartbeat break-even: its option groups → partial-K-of-N.json. */
export async function heartbeatShardCommand(
  scenarioPath: string | undefined,
  flags: GlobalFlags,
  io: Io,
  spec: ShardSpec,
  workers?: number,
): Promise<void> {
  const loaded = loadScenario(scenarioPath);
  checkWork(loaded, flags);
  checkShardDir(flags, folderName(loaded.scenario.name, 'breakeven heartbeat'));
  // The scenario as analysed (`analyzeBreakeven` applies the same overrides).
  const scenario: Scenario = {
    ...loaded.scenario,
    seed: flags.seed ?? loaded.scenario.seed,
    region: flags.region ?? loaded.scenario.region,
  };
  const args = { seed: scenario.seed, region: scenario.region };
  // Before any simulation: a missing price book fails now, not after the searches.
  const fp = fingerprint('breakeven heartbeat', args, scenario, loaded.baseDir);
  const { units, weights } = heartbeatUnits(scenario);
  const mine = shardSlice(weights, spec).map((i) => units[i]!);
  const wanted = new Set(mine);
  const progress = new Progress(
    0,
    !flags.quiet && !flags.json && io === processIo && process.stderr.isTTY ? 'bar' : 'off',
    (t) => io.err(t),
  );
  // A shard with no group (N above the groups) simulates nothing: not even the trace.
  const result: BreakevenResult =
    mine.length === 0
      ? { heartbeat: [], volume: null }
      : await analyzeBreakeven(
          loaded,
          { heartbeat: true, volume: false },
          {
            seed: scenario.seed,
            region: scenario.region,
            ...(workers !== undefined ? { workers } : {}),
            units: (key) => wanted.has(unitId('heartbeat', key)),
            onProgress: sweepProgress(progress, `breakeven heartbeat ${spec.k}/${spec.n}: simulations`),
          },
        ).finally(() => progress.stop());
  const outcomes: Record<string, UnitResult> = {};
  for (const u of unitResults(mine, { breakeven: result })) outcomes[String(units.indexOf(u.unit))] = u;
  const partial: ShardPartial<HeartbeatFrame, UnitResult> = {
    format: PARTIAL_FORMAT,
    version: PARTIAL_VERSION,
    command: 'breakeven heartbeat',
    args,
    fingerprint: fp,
    servesim: VERSION,
    shard: spec.k,
    shards: spec.n,
    tasks: units.length,
    frame: { scenario: scenario.name, seed: scenario.seed, region: scenario.region, units },
    outcomes,
  };
  writeShard(partial, scenario.name, mine.length, 'option groups', flags, io);
}

/** breakeven.json of a sharded heartbeat analysis, from its checked partials: the groups in order. */
export async function mergeHeartbeat(merged: MergedSweep, flags: GlobalFlags, io: Io): Promise<void> {
  const { units, ...header } = merged.frame as HeartbeatFrame;
  if (!Array.isArray(units) || units.length !== merged.outcomes.length)
    throw new InputError(
      'damaged servesim partial: its unit list does not match its task count; run that shard again',
    );
  // An option whose `never` is infeasible has no break-even: computed (null), and not shown.
  const heartbeat = unitsInPlace(units, merged.outcomes)
    .map((u) => u.result)
    .filter((h) => h !== null) as BreakevenResult['heartbeat'];
  await reportBreakeven(header, 'heartbeat', { heartbeat, volume: null }, flags, io);
}
