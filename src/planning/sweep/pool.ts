import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { memoryUsage } from 'node:process';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../data.js';
import { InputError } from '../../errors.js';
import type { SimRecord } from '../../sim/record.js';
import type { TraceColumns } from '../../traffic/columns.js';
import { TraceCalendar } from '../../traffic/calendar.js';
import {
  runTask,
  simulateOwn,
  simulateWeight,
  type SweepContext,
  type SweepTask,
  type TaskState,
  type VariantOutcome,
} from './sweep.js';

/*
 * The sweep pool: runs sweep tasks (sweep.ts) in this thread or on worker threads (worker.ts),
 * heaviest first, and returns outcomes in task order, so results never depend on the workers.
 */

export interface PoolOptions {
  /**
   * Threads computing: this one and `workers − 1` worker threads (1: this thread alone, no
   * workers). Default: the machine's available parallelism.
   */
  workers?: number;
  /**
   * Code the worker threads run: `dist` (compiled, fast to start), `source` (the .ts files through
   * tsx) or `auto` (dist when every source file has an up-to-date compiled twin, else source).
   */
  workerCode?: 'auto' | 'dist' | 'source';
  /** Called after each task with tasks done and tasks submitted so far. */
  onProgress?: (done: number, total: number) => void;
  /** User requests of the unscaled traffic: a task's work is scale × options × this. Default 1. */
  requestsPerScale?: number;
  /**
   * Worker threads start only once this much work (simulated requests) is waiting: a small
   * analysis is faster in this thread than the threads take to start. Default 3,000,000.
   */
  threadsAbove?: number;
}

/**
 * What heaviest-first compares: scale × options × the task's share of the context's trace span
 * (`traceDays`). A day of a month weighs 1/30 of the whole month, so whole-trace tasks go first and
 * do not end a sweep alone on one thread while the other idles.
 */
export function taskSize(task: Pick<SweepTask, 'scale' | 'options' | 'span'>, traceDays: number): number {
  const share = task.span && traceDays > 0 ? Math.min(1, task.span.days / traceDays) : 1;
  return task.scale * task.options.length * share;
}

function spanDays(scenario: SweepContext['scenario']): number {
  return new TraceCalendar(scenario.traffic, scenario.timezone).span.durationSeconds / 86400;
}

/** About 2–3 s of simulation on one core: below that, starting threads does not pay. */
export const THREADS_ABOVE = 3_000_000;

/** A unit of work: a sweep task, or one option of the context's scenario on its own trace (its record). */
export type Job = { task: SweepTask } | { simulate: number };

interface Pending {
  id: number;
  job: Job;
  /** Scale × options: with `requestsPerScale`, the work that decides whether threads start. */
  weight: number;
  /** Weight × the task's share of the trace's span: what heaviest-first compares. */
  size: number;
  resolve: (o: never) => void;
  reject: (e: unknown) => void;
}

/** What a worker sends back: outcomes, a record, or an error to re-throw in this thread. */
export type WorkerReply =
  | { id: number; outcomes: VariantOutcome[] }
  | { id: number; record: SimRecord | null }
  | { id: number; error: { input: boolean; message: string; where?: string | undefined } };

/** Runs a job in this thread (the worker's and the pool's own path). */
export function runJob(ctx: SweepContext, job: Job, state: TaskState): VariantOutcome[] | SimRecord | null {
  return 'task' in job ? runTask(ctx, job.task, state) : simulateOwn(ctx, job.simulate, state);
}

/** Error → plain data (InputError keeps its field path, so the CLI still exits 2). */
export function errorReply(id: number, e: unknown): WorkerReply {
  if (e instanceof InputError) {
    const prefix = e.where === undefined ? '' : `${e.where}: `;
    const message = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    return { id, error: { input: true, message, where: e.where } };
  }
  return { id, error: { input: false, message: e instanceof Error ? e.message : String(e) } };
}

function replyError(r: { input: boolean; message: string; where?: string | undefined }): Error {
  return r.input ? new InputError(r.message, r.where) : new Error(r.message);
}

/** A closed pool whose trace held this much asks for a full collection (see `close`). */
const RELEASE_ABOVE_BYTES = 64 * 2 ** 20;

/**
 * Full garbage collections, through V8's `gc` exposed at run time (the flag can be set after
 * start-up; the function is fetched from a fresh context). Where `gc` is not available, memory
 * goes back at the next collection V8 chooses.
 */
async function collectGarbage(): Promise<void> {
  let gc: () => void;
  try {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  } catch {
    return;
  }
  // The workers' views go as their threads wind down, a little after `terminate` resolves: collect
  // until the shared memory stops shrinking (a few rounds, at most about 0.3 s).
  let before = Infinity;
  for (let round = 0; round < 15; round++) {
    gc();
    const now = memoryUsage().arrayBuffers;
    if (now >= before && round >= 2) break;
    before = now;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Tasks queued in a worker's inbox, so it never waits for this thread to hand it the next. */
const PREFETCH = 2;

/**
 * Runs tasks on N threads: this one and N − 1 workers (N = 1: this thread alone). Submitting a
 * task returns its outcomes. Workers take the heaviest pending task (`taskSize`; the earliest
 * submitted on ties), so a long sweep ends with small tasks; this thread, otherwise idle while a
 * sweep runs, computes the lightest ones (one per macrotask, so it reads replies in between) —
 * one isolate fewer than a worker per core, and no start-up time lost. Close the pool when done
 * (`close()`), also on errors.
 */
export class SweepPool {
  readonly workers: number;
  /** Tasks finished here and on worker threads (for tests and benchmarks). */
  readonly finished = { here: 0, threads: 0 };
  private readonly pending: Pending[] = [];
  private readonly threads: { w: Worker; ready: boolean; inFlight: Map<number, Pending> }[] = [];
  private readonly state: TaskState = {};
  private nextId = 0;
  private done = 0;
  private submitted = 0;
  private closed = false;
  private localScheduled = false;
  private progress: PoolOptions['onProgress'];
  private perScale: number;
  /** The context's trace span in days (computed on first use). */
  private traceDays: number | undefined;
  private pumpQueued = false;
  /** A worker died: no new ones (this thread finishes the sweep; its tasks were rejected). */
  private workerFailed = false;

  constructor(
    private ctx: SweepContext,
    private readonly opts: PoolOptions = {},
  ) {
    const n = opts.workers ?? availableParallelism();
    if (!Number.isInteger(n) || n < 1) throw new InputError(`--workers must be a whole number ≥ 1, got ${n}`);
    this.workers = n;
    this.progress = opts.onProgress;
    this.perScale = opts.requestsPerScale ?? 1;
  }

  /** Sizes tasks (scale × options × this many requests) once the trace is known; see `requestsPerScale`. */
  setRequestsPerScale(n: number): void {
    this.perScale = n;
  }

  /** The context's trace (the run's, on shared memory), or null. */
  get trace(): TraceColumns | null {
    return this.ctx.trace ?? null;
  }

  /**
   * Starts a new phase on a shared pool (the next analysis): progress counts from zero and goes to
   * `onProgress`. Call between analyses, never while one has tasks pending.
   */
  phase(onProgress: PoolOptions['onProgress']): void {
    this.done = 0;
    this.submitted = 0;
    this.progress = onProgress;
  }

  /**
   * Starts the worker threads now, before any task (and before the context's trace exists): a
   * caller about to spend seconds generating the trace lets them boot meanwhile, then hands them
   * the trace with `hold`. Results never depend on when threads start.
   */
  startThreads(): void {
    while (this.threads.length < this.workers - 1 && !this.workerFailed) this.spawn();
  }

  /** The context's trace, generated after the pool (and perhaps its threads) started. */
  hold(trace: TraceColumns | null): void {
    this.ctx = { ...this.ctx, trace };
    // Shared memory: the workers read the same columns; the message precedes every task.
    for (const t of this.threads) t.w.postMessage({ trace });
  }

  /** Outcomes of each task, in task order. */
  run(tasks: readonly SweepTask[]): Promise<VariantOutcome[][]> {
    return Promise.all(tasks.map((t) => this.submit(t)));
  }

  submit(task: SweepTask): Promise<VariantOutcome[]> {
    this.traceDays ??= spanDays(this.ctx.scenario);
    return this.enqueue({ task }, task.scale * task.options.length, taskSize(task, this.traceDays));
  }

  /**
   * The record of option `index` of the context's scenario on its own trace (null if infeasible):
   * the base run's simulations, spread over the workers like any task.
   */
  simulate(index: number): Promise<SimRecord | null> {
    // Heaviest first on every thread (see `runLocal`): the run ends on its lightest simulations.
    return this.enqueue({ simulate: index }, 1, simulateWeight(this.ctx, index, this.state));
  }

  private enqueue<T>(job: Job, weight: number, size: number): Promise<T> {
    if (this.closed) return Promise.reject(new Error('internal: sweep pool is closed'));
    this.submitted++;
    return new Promise<T>((resolve, reject) => {
      this.pending.push({
        id: this.nextId++,
        job,
        weight,
        size,
        resolve: resolve as (o: never) => void,
        reject,
      });
      // Hand out work once the caller has submitted everything it has (so heaviest-first sees it all).
      if (!this.pumpQueued) {
        this.pumpQueued = true;
        queueMicrotask(() => {
          this.pumpQueued = false;
          this.pump();
        });
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const stranded = this.pending.splice(0);
    for (const t of this.threads) stranded.push(...t.inFlight.values());
    for (const p of stranded) p.reject(new Error('internal: sweep pool closed'));
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.w.terminate()));
    // The run's trace (shared memory, ≈ 13 B a request) is no longer needed: let it go now, not at
    // some later collection, so the report is drawn without it.
    const held = this.ctx.trace?.bytes ?? 0;
    this.ctx = { ...this.ctx, trace: null };
    this.state.held = [];
    if (held >= RELEASE_ABOVE_BYTES) await collectGarbage();
  }

  /** The heaviest (or lightest) pending task, the earliest submitted on ties. */
  private take(heaviest: boolean): Pending | undefined {
    if (this.pending.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < this.pending.length; i++) {
      const w = this.pending[i]!.size;
      const b = this.pending[best]!.size;
      if (heaviest ? w > b : w < b) best = i;
    }
    return this.pending.splice(best, 1)[0];
  }

  private finish(p: Pending, ok: boolean, value: unknown, error?: unknown): void {
    this.done++;
    this.progress?.(this.done, this.submitted);
    if (ok) p.resolve(value as never);
    else p.reject(error);
  }

  private pump(): void {
    if (this.closed || this.pending.length === 0) return;
    if (this.threads.length < this.workers - 1 && !this.workerFailed) {
      const perScale = this.perScale;
      let work = 0;
      for (const p of this.pending) work += p.weight * perScale;
      if (this.threads.length > 0 || work >= (this.opts.threadsAbove ?? THREADS_ABOVE))
        while (this.threads.length < this.workers - 1 && !this.workerFailed) this.spawn();
    }
    if (!this.localScheduled) {
      this.localScheduled = true;
      setImmediate(() => this.runLocal());
    }
    if (this.threads.length > 0 && this.pending.every((p) => 'simulate' in p.job)) {
      this.spreadSimulations();
      return;
    }
    // Workers get the heaviest tasks, PREFETCH deep so none waits on this thread between tasks,
    // but one task always stays for this thread, which is about to take it.
    for (const t of [...this.threads].sort((x, y) => Number(y.ready) - Number(x.ready)))
      while (t.inFlight.size < PREFETCH && this.pending.length > 1) {
        const p = this.take(true)!;
        t.inFlight.set(p.id, p);
        t.w.ref();
        t.w.postMessage({ id: p.id, ...p.job });
      }
  }

  /**
   * The base run's few long simulations, dealt out at once heaviest first, each to the thread with
   * the least work (this one on ties): prefetched long jobs would leave a thread idle at the end.
   */
  private spreadSimulations(): void {
    const load = [0, ...this.threads.map((t) => [...t.inFlight.values()].reduce((s, p) => s + p.size, 0))];
    const mine: Pending[] = [];
    for (const p of [...this.pending].sort((a, b) => b.size - a.size || a.id - b.id)) {
      let i = 0;
      for (let j = 1; j < load.length; j++) if (load[j]! < load[i]!) i = j;
      load[i]! += p.size;
      if (i === 0) {
        mine.push(p);
        continue;
      }
      const t = this.threads[i - 1]!;
      t.inFlight.set(p.id, p);
      t.w.ref();
      t.w.postMessage({ id: p.id, ...p.job });
    }
    this.pending.splice(0, this.pending.length, ...mine);
  }

  private runLocal(): void {
    this.localScheduled = false;
    // The lightest task, so a sweep ends with small ones; but the base run's few long simulations
    // go heaviest first here too, or this thread runs dry while a worker still holds two of them.
    const p = this.closed ? undefined : this.take(this.pending.some((q) => 'simulate' in q.job));
    if (p === undefined) return;
    let out: unknown;
    let ok = false;
    let err: unknown;
    try {
      out = runJob(this.ctx, p.job, this.state);
      ok = true;
    } catch (e) {
      err = e;
    }
    this.finished.here++;
    this.finish(p, ok, out, err);
    this.pump();
  }

  private spawn(): void {
    const w = startWorker(this.ctx, this.opts.workerCode ?? 'auto');
    const t = { w, ready: false, inFlight: new Map<number, Pending>() };
    this.threads.push(t);
    // Not needed until it has started; meanwhile it must not keep the process alive.
    w.unref();
    w.on('message', (r: WorkerReply | 'ready') => {
      if (r === 'ready') {
        t.ready = true;
        this.pump();
        return;
      }
      const p = t.inFlight.get(r.id);
      t.inFlight.delete(r.id);
      // An idle worker must not keep the process alive; one with work must.
      if (t.inFlight.size === 0) w.unref();
      if (p !== undefined) {
        this.finished.threads++;
        if ('error' in r) this.finish(p, false, null, replyError(r.error));
        else this.finish(p, true, 'outcomes' in r ? r.outcomes : r.record);
      }
      this.pump();
    });
    w.on('error', (e) => {
      this.workerFailed = true;
      const i = this.threads.indexOf(t);
      if (i >= 0) this.threads.splice(i, 1);
      for (const p of t.inFlight.values()) this.finish(p, false, null, e);
      t.inFlight.clear();
    });
  }
}

/**
 * A worker running src/planning/sweep/worker: its compiled twin under dist/ when this file is
 * compiled, or (from the sources) when `auto` finds every compiled file up to date; otherwise the
 * .ts source through tsx's loader, so workers always run the same code as this thread. (Node 20
 * ignores `--import` in a worker's execArgv for its entry module, hence the small module that
 * registers tsx first; it costs about 2 s of start-up per worker.)
 */
function startWorker(ctx: SweepContext, code: 'auto' | 'dist' | 'source'): Worker {
  const here = import.meta.url;
  if (here.endsWith('.js')) return new Worker(new URL('./worker.js', here), { workerData: ctx });
  const root = packageRoot();
  if (code === 'dist' || (code === 'auto' && distIsCurrent(root)))
    return new Worker(pathToFileURL(join(root, 'dist/src/planning/sweep/worker.js')), { workerData: ctx });
  const entry = new URL('./worker.ts', here).href;
  const boot = `const { register } = await import(${JSON.stringify(tsxApiUrl(here))}); register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: ctx });
}

let distCurrent: boolean | undefined;

/** Every src/**\/*.ts has a dist/src/**\/*.js at least as new (checked once per process). */
export function distIsCurrent(root: string): boolean {
  if (distCurrent !== undefined) return distCurrent;
  const walk = (dir: string): boolean => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = join(dir, e.name);
      if (e.isDirectory()) {
        if (!walk(rel)) return false;
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        const js = join(root, 'dist', rel.replace(/\.ts$/, '.js'));
        if (!existsSync(js) || statSync(js).mtimeMs < statSync(join(root, rel)).mtimeMs) return false;
      }
    }
    return true;
  };
  distCurrent = walk('src');
  return distCurrent;
}

/** The ESM build of tsx's API (`import.meta.resolve` where the runtime has it, else its exports map). */
function tsxApiUrl(from: string): string {
  const resolveMeta = (import.meta as { resolve?: (s: string) => string }).resolve;
  if (typeof resolveMeta === 'function') {
    try {
      return resolveMeta('tsx/esm/api');
    } catch {
      // fall through to the package's exports map
    }
  }
  const require = createRequire(from);
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    exports: Record<string, { import: string | { default: string } }>;
  };
  const target = pkg.exports['./esm/api']!.import;
  return pathToFileURL(join(dirname(pkgPath), typeof target === 'string' ? target : target.default)).href;
}
