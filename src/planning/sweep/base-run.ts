import { runScenario, scenarioAsRun, type RunOptions, type RunOutput } from '../../compare/run.js';
import { isShipped } from '../../models/registry.js';
import type { LoadedScenario } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/schema.js';
import type { SimRecord } from '../../sim/record.js';
import { holdTrace, MAX_HELD_REQUESTS, type HeldTrace } from '../../traffic/held.js';
import { SweepPool, THREADS_ABOVE, type PoolOptions } from './pool.js';
import { expectedRequests } from '../../traffic/expected.js';

/*
 * `servesim run`'s base run on the sweep pool (issue 16): the trace is generated once, on shared
 * memory; each option simulates on a worker thread reading it in place; this thread bills and
 * assembles exactly as `runScenario` does alone (same records, same bytes). The pool stays open for
 * the analyses that follow, whose workers already hold the trace.
 */

export interface PooledRun {
  out: RunOutput;
  /** Open: the caller closes it (`close()`), also on errors. */
  pool: SweepPool;
}

export async function runOnPool(
  loaded: LoadedScenario,
  opts: RunOptions = {},
  poolOpts: PoolOptions = {},
): Promise<PooledRun> {
  const scenario = scenarioAsRun(loaded, opts);
  const { pool, held } = heldPool(scenario, loaded.baseDir, poolOpts);
  try {
    const n = scenario.options.length;
    let done = 0;
    // Options added with `registerOption` exist only in this thread's registry: simulated here.
    const records = await Promise.all(
      scenario.options.map((o, i): Promise<SimRecord | null | undefined> =>
        isShipped(o.id)
          ? pool.simulate(i).then((r) => {
              opts.onOptionDone?.(o.key ?? o.id, done++, n);
              return r;
            })
          : Promise.resolve(undefined),
      ),
    );
    const out = runScenario(loaded, {
      ...opts,
      held,
      records,
      onOptionDone: (key, i) => {
        if (records[i] === undefined) opts.onOptionDone?.(key, done++, n);
      },
    });
    return { out, pool };
  } catch (e) {
    await pool.close();
    throw e;
  }
}

/**
 * A pool for an analysis run on its own (`servesim breakeven`, `--slo`, `--fit`): the scenario's
 * trace generated once here and shared with the workers, as in `runOnPool`.
 */
export function poolOnOwnTrace(scenario: Scenario, baseDir: string, opts: PoolOptions = {}): SweepPool {
  return heldPool(scenario, baseDir, opts).pool;
}

/** The scenario's trace, generated once, and a pool whose workers read it in place. */
function heldPool(
  scenario: Scenario,
  baseDir: string,
  opts: PoolOptions,
): { pool: SweepPool; held: HeldTrace } {
  const pool = new SweepPool({ scenario, baseDir, trace: null }, opts);
  // A trace big enough for the threads (design: THREADS_ABOVE) lets them boot while it is generated.
  const expected = expectedRequests(scenario, baseDir);
  if (expected * scenario.options.length >= (opts.threadsAbove ?? THREADS_ABOVE)) pool.startThreads();
  try {
    const held = holdTrace(scenario, baseDir);
    pool.hold(held.columns);
    pool.setRequestsPerScale(held.columns?.requests ?? opts.requestsPerScale ?? MAX_HELD_REQUESTS);
    return { pool, held };
  } catch (e) {
    void pool.close();
    throw e;
  }
}
