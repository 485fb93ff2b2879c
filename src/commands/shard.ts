import { join, resolve } from 'node:path';
import {
  fingerprint,
  partialName,
  PARTIAL_FORMAT,
  PARTIAL_VERSION,
  writePartial,
  type ShardPartial,
  type ShardedCommand,
} from '../planning/shard/partial.js';
import { runSlice, type SweepPlan } from '../planning/shard/plan.js';
import { shardSlice, taskWeight, type ShardSpec } from '../planning/shard/slice.js';
import type { VariantOutcome } from '../planning/sweep/sweep.js';
import { slug } from '../report/text/format.js';
import { VERSION } from '../version.js';
import { processIo, type GlobalFlags, type Io } from './context.js';
import { folderName, type ReportKind } from './out-dir.js';
import { Progress, sweepProgress } from './progress.js';

/*
 * One shard of a sweep command (design §11.7): plan the whole sweep, simulate only this shard's
 * slice, write `<out>/partial-K-of-N.json` (atomically; nothing else in `<out>` is touched — the
 * shards of an array job share it), and say how to merge.
 */

export interface ShardRun<F> {
  command: ShardedCommand;
  plan: SweepPlan<F>;
  /** The command's normalized arguments (effective values), also hashed into the fingerprint. */
  args: ShardPartial['args'];
  spec: ShardSpec;
  workers?: number | undefined;
}

export async function runShard<F>(run: ShardRun<F>, flags: GlobalFlags, io: Io): Promise<void> {
  const { plan, spec } = run;
  // Before any simulation: a missing price book fails now, not after the slice.
  const fp = fingerprint(run.command, run.args, plan.ctx.scenario, plan.ctx.baseDir);
  const mine = shardSlice(plan.tasks.map(taskWeight), spec);
  const progress = new Progress(
    0,
    !flags.quiet && !flags.json && io === processIo && process.stderr.isTTY ? 'bar' : 'off',
    (t) => io.err(t),
  );
  const outcomes = await runSlice(plan, mine, {
    ...(run.workers !== undefined ? { workers: run.workers } : {}),
    onProgress: sweepProgress(progress, `${run.command} ${spec.k}/${spec.n}: simulations`),
  }).finally(() => progress.stop());
  const byIndex: Record<string, VariantOutcome[]> = {};
  for (const i of mine) byIndex[String(i)] = outcomes.get(i)!;
  const partial: ShardPartial = {
    format: PARTIAL_FORMAT,
    version: PARTIAL_VERSION,
    command: run.command,
    args: run.args,
    fingerprint: fp,
    servesim: VERSION,
    shard: spec.k,
    shards: spec.n,
    tasks: plan.tasks.length,
    frame: plan.frame,
    outcomes: byIndex,
  };
  writeShard(partial, plan.ctx.scenario.name, mine.length, 'tasks', flags, io);
}

/**
 * Writes a shard's partial to `<out>` (default the command's folder, `folderName`) and says how to merge,
 * or prints its summary as JSON with --json. `done` of the partial's `tasks` were computed here.
 */
export function writeShard(
  partial: ShardPartial<unknown, unknown>,
  scenarioName: string,
  done: number,
  what: string,
  flags: GlobalFlags,
  io: Io,
): void {
  const spec = { k: partial.shard, n: partial.shards };
  const fp = partial.fingerprint;
  const out = flags.out ?? `reports/${slug(folderName(scenarioName, partial.command as ReportKind))}`;
  const dir = resolve(out);
  const path = writePartial(dir, partial);
  if (flags.json) {
    io.out(
      JSON.stringify(
        {
          partial: path,
          command: partial.command,
          shard: spec.k,
          shards: spec.n,
          tasks: done,
          totalTasks: partial.tasks,
          fingerprint: fp,
        },
        null,
        2,
      ) + '\n',
    );
    return;
  }
  const pattern = join(out, partialName({ k: 1, n: spec.n }).replace('-1-', '-*-'));
  io.out(
    `${partial.command}: shard ${spec.k} of ${spec.n} ${what === 'tasks' ? 'simulated' : 'computed'} ${done} of ${partial.tasks} ${what} → ${path}\n` +
      `When all ${spec.n} are done: servesim merge ${pattern}${flags.out === undefined ? '' : ` --out ${out}`}\n`,
  );
}
