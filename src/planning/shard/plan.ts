import { SweepPool, type PoolOptions } from '../sweep/pool.js';
import type { SweepContext, SweepTask, VariantOutcome } from '../sweep/sweep.js';

/*
 * A sweep split at its natural seam (design §11.7):
 *
 *   unsharded  enumerate tasks ─► run all ─────────────────────────► assemble(frame, outcomes)
 *   shard K/N  enumerate tasks ─► run its slice ─► partial-K-of-N.json
 *   merge      read partials ─► check they belong together ────────► assemble(frame, outcomes)
 *
 * The frame is everything the assembly needs besides the outcomes, as plain data, so `merge`
 * needs neither the scenario file nor the price book — only the partials.
 */

export interface SweepPlan<F> {
  ctx: SweepContext;
  /** The sweep's tasks in a fixed order; outcomes are keyed by index into this list. */
  tasks: SweepTask[];
  /** User requests of the unscaled traffic (the pool's `requestsPerScale`). */
  requestsPerScale: number;
  frame: F;
}

/** Outcomes of every task, in task order. */
export async function runPlan<F>(plan: SweepPlan<F>, opts: PoolOptions): Promise<VariantOutcome[][]> {
  const pool = new SweepPool(plan.ctx, { ...opts, requestsPerScale: plan.requestsPerScale });
  try {
    return await pool.run(plan.tasks);
  } finally {
    await pool.close();
  }
}

/** Outcomes of the tasks at `indices` only, keyed by task index. */
export async function runSlice<F>(
  plan: SweepPlan<F>,
  indices: readonly number[],
  opts: PoolOptions,
): Promise<Map<number, VariantOutcome[]>> {
  const pool = new SweepPool(plan.ctx, { ...opts, requestsPerScale: plan.requestsPerScale });
  try {
    const out = await pool.run(indices.map((i) => plan.tasks[i]!));
    return new Map(indices.map((i, j) => [i, out[j]!]));
  } finally {
    await pool.close();
  }
}
