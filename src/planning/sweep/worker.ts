import { parentPort, workerData } from 'node:worker_threads';
import { runTask, type SweepContext, type SweepTask } from './sweep.js';
import { errorReply, type WorkerReply } from './pool.js';

/*
 * A sweep worker (src/planning/sweep/sweep.ts): receives the sweep's context once (workerData), says
 * `ready`, then takes tasks one at a time and answers each with its outcomes or an error. It keeps no state that
 * could change an answer — only caches of the price book, calendar and trace totals.
 */

const ctx = workerData as SweepContext;
const state = {};

parentPort!.on('message', ({ id, task }: { id: number; task: SweepTask }) => {
  let reply: WorkerReply;
  try {
    reply = { id, outcomes: runTask(ctx, task, state) };
  } catch (e) {
    reply = errorReply(id, e);
  }
  parentPort!.postMessage(reply);
});
// Every import above has loaded: tasks may come.
parentPort!.postMessage('ready');
