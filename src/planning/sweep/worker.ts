import { parentPort, workerData } from 'node:worker_threads';
import type { SweepContext } from './sweep.js';
import { errorReply, runJob, type Job, type WorkerReply } from './pool.js';

/*
 * A sweep worker (src/planning/sweep/sweep.ts): receives the sweep's context once (workerData), says
 * `ready`, then takes tasks one at a time and answers each with its outcomes or an error. It keeps no state that
 * could change an answer — only caches of the price book, calendar and trace totals.
 */

let ctx = workerData as SweepContext;
const state = {};

parentPort!.on('message', (m: (Job & { id: number }) | { trace: SweepContext['trace'] }) => {
  // The context's trace, when the pool started this worker before the trace existed (`hold`).
  if ('trace' in m) {
    ctx = { ...ctx, trace: m.trace };
    return;
  }
  const id = m.id;
  let reply: WorkerReply;
  try {
    const out = runJob(ctx, m, state);
    reply = 'task' in m ? { id, outcomes: out as never } : { id, record: out as never };
  } catch (e) {
    reply = errorReply(id, e);
  }
  parentPort!.postMessage(reply);
});
// Every import above has loaded: tasks may come.
parentPort!.postMessage('ready');
