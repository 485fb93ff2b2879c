import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { activeCopiesPerMinute } from '../../billing/actual-cmi.js';
import type { CopyMeter } from '../../billing/cmi.js';
import { packageRoot } from '../../data.js';
import { InputError } from '../../errors.js';
import type { PriceBook } from '../../pricing/book.js';
import type { Commitment } from '../../billing/lines.js';
import type { Scenario, ScenarioOption, Traffic, TrafficComponent } from '../../scenario/schema.js';
import { TraceCalendar } from '../../traffic/calendar.js';
import { syntheticStream } from '../../traffic/synthetic.js';
import type { ByClass, RequestCounts } from '../../sim/record.js';
import type { OptionResult, TraceSummary } from '../../compare/result.js';
import { runOption, scenarioPriceBook, summarizeTrace } from '../../compare/run.js';

/*
 * Sweeps: many simulations of one scenario that differ only in an option's settings (heartbeat
 * schedules) or in a traffic multiplier (volumes). The unit of work is a task:
 *
 *   task {scale, options[]} ─► scaled traffic ─► trace totals ─► runOption per option ─► outcomes
 *
 * `runTask` is a pure function of (context, task): every random stream is derived from the
 * scenario's seed and the option's key exactly as in `servesim run` (so the variants of one
 * option see the same user requests — common random numbers), never from which worker runs it or
 * in what order. A `SweepPool` runs tasks in this thread (1 worker) or on worker threads, heaviest
 * first, and returns outcomes in task order: results are identical for any number of workers.
 */

/** What every task of a sweep shares; sent once to each worker (plain data). */
export interface SweepContext {
  /** The scenario as analysed (seed and region overrides applied). */
  scenario: Scenario;
  /** Folder relative paths in the scenario resolve against (the price book). */
  baseDir: string;
}

export interface SweepTask {
  /** Multiplier on every traffic component's volume; exactly 1 = the scenario's own traffic. */
  scale: number;
  /** Option entries (parsed settings) to simulate on that traffic, each with its own key. */
  options: ScenarioOption[];
  /** Replaces the scenario's seed (Monte Carlo over seeds). Default: the scenario's. */
  seed?: number;
  /** Price overrides by price-book entry id, on top of the scenario's own `pricing.overrides`. */
  prices?: Record<string, number>;
  /** Replaces `traffic.start` and the span (`days`), e.g. a representative day of a month. */
  span?: { start: string; days: number };
  /** Also return each option's per-minute series (`VariantOutcome.series`), e.g. to fit copies. */
  series?: boolean;
  /** Also return the arrival times of each option's cold-start hits (`VariantOutcome.coldHitArrivals`). */
  hits?: boolean;
}

/** The few numbers an analysis needs from one simulated option (its counts as the record's). */
export interface VariantOutcome extends RequestCounts {
  key: string;
  feasible: boolean;
  reasons: string[];
  /** USD over the span; null when infeasible. */
  cost: number | null;
  /** The AWS bill alone (no staff time), USD over the span; null when infeasible. */
  costAws: number | null;
  /** Nearest-rank p99 of interactive user requests (s); null without any. */
  p99Interactive: number | null;
  /** Latency of the trace's first user request (s); null without any. */
  firstCall: number | null;
  /** Latency by class as in `servesim run` (null when infeasible). */
  latency: OptionResult['latency'];
  /**
   * Idle seconds after which the option scales to zero, read from its `scale to zero after`
   * assumption; null for options that never scale to zero.
   */
  scaleToZeroSeconds: number | null;
  /** Only when the task asks for `series` and the option was simulated. */
  series?: OutcomeSeries;
  /** Only when the task asks for `hits`: arrival times (s from the span start) of the cold-start hits. */
  coldHitArrivals?: ByClass<Float64Array>;
  /** The option's commitment (`facts.commitment`), when it has one. */
  commitment?: Commitment;
}

/** Per-minute facts of one simulated option (a task's `series`). */
export interface OutcomeSeries {
  /** Replicas in their active period (first call to removal) at any moment of each minute. */
  activeReplicas: Float64Array;
  /** The option's assumptions as name and value (e.g. CMUs per copy, the CMU rate). */
  assumptions: { name: string; value: number | string }[];
  /** How the option bills its copies (CMUs per copy, rate, window rule); null unless per copy-window. */
  copyMeter: CopyMeter | null;
}

/** Per-thread caches, each keyed by the task fields it depends on. */
interface TaskState {
  book?: { key: string; book: PriceBook };
  calendar?: { key: string; calendar: TraceCalendar };
  totals?: { key: string; summary: TraceSummary };
}

/** Runs one task. Pure in (ctx, task); `state` only caches what the task's fields determine. */
export function runTask(ctx: SweepContext, task: SweepTask, state: TaskState = {}): VariantOutcome[] {
  const base = ctx.scenario;
  const traffic0 = task.span
    ? { ...base.traffic, start: task.span.start, days: task.span.days, end: undefined }
    : base.traffic;
  const scenario: Scenario = {
    ...base,
    seed: task.seed ?? base.seed,
    traffic: scaleTraffic(traffic0, task.scale),
    pricing: task.prices
      ? { ...base.pricing, overrides: { ...base.pricing.overrides, ...task.prices } }
      : base.pricing,
  };
  const bookKey = JSON.stringify(task.prices ?? {});
  if (state.book?.key !== bookKey)
    state.book = { key: bookKey, book: scenarioPriceBook(scenario, ctx.baseDir) };
  // Scaling never moves the span (start, days, end), so one calendar serves every task of a span.
  const spanKey = JSON.stringify(task.span ?? null);
  if (state.calendar?.key !== spanKey)
    state.calendar = { key: spanKey, calendar: new TraceCalendar(scenario.traffic, scenario.timezone) };
  const calendar = state.calendar.calendar;
  const book = state.book.book;
  const span = calendar.span;
  const totalsKey = `${task.scale}|${scenario.seed}|${spanKey}`;
  if (state.totals?.key !== totalsKey)
    state.totals = {
      key: totalsKey,
      summary: summarizeTrace(scenario, span.startUtcIso, span.durationSeconds, ctx.baseDir),
    };
  const trace = state.totals.summary;
  return task.options.map((o) => {
    const { result, run, assumed } = runOption(
      scenario,
      o,
      book,
      span.durationSeconds,
      calendar,
      trace,
      ctx.baseDir,
    );
    const stz = assumed.find((a) => /^scale[ -]to[ -]zero/i.test(a.name) && typeof a.value === 'number');
    return {
      key: result.key,
      feasible: result.feasible,
      reasons: result.reasons,
      cost: result.cost?.total ?? null,
      costAws: result.cost?.aws ?? null,
      arrived: result.requests.arrived,
      served: result.requests.served,
      throttled: result.requests.throttled,
      failed: result.requests.failed,
      heartbeats: result.requests.heartbeats,
      coldStartHits: result.requests.coldStartHits,
      coldStartHitsByClass: result.requests.coldStartHitsByClass,
      p99Interactive: result.latency?.interactive?.p99 ?? null,
      latency: result.latency,
      firstCall: run.record?.firstRequest?.latency ?? null,
      scaleToZeroSeconds: stz ? (stz.value as number) : null,
      ...(result.facts.commitment ? { commitment: result.facts.commitment } : {}),
      ...(task.series && run.record
        ? {
            series: {
              activeReplicas: activeCopiesPerMinute(run.record.replicas, run.record.series.minutes),
              assumptions: assumed.map((a) => ({ name: a.name, value: a.value })),
              copyMeter: run.bill?.copies?.meter ?? null,
            },
          }
        : {}),
      ...(task.hits && run.record ? { coldHitArrivals: run.record.coldHitArrivals } : {}),
    };
  });
}

/**
 * The traffic with every component's volume multiplied by `k`, its shape (times of day, windows,
 * token lengths, classes) unchanged: Poisson rates (or each hourly rate) × k; batch and trickle
 * counts × k rounded to whole requests, at least 1. `k = 1` returns the traffic itself.
 */
export function scaleTraffic(traffic: Traffic, k: number): Traffic {
  if (k === 1) return traffic;
  if (!(k > 0) || !Number.isFinite(k)) throw new RangeError(`internal: traffic scale ${k}`);
  return { ...traffic, components: traffic.components.map((c) => scaleComponent(c, k)) };
}

/** Whether `scaleTraffic` can scale every component (trace files cannot be scaled). */
export function scalable(traffic: Traffic): boolean {
  return traffic.components.every((c) => ['poisson', 'batch', 'trickle'].includes(c.type));
}

function scaleComponent(c: TrafficComponent, k: number): TrafficComponent {
  switch (c.type) {
    case 'poisson':
      return { ...c, rate: Array.isArray(c.rate) ? c.rate.map((r) => r * k) : c.rate * k };
    case 'batch':
    case 'trickle':
      return { ...c, count: Math.max(1, Math.round(c.count * k)) };
    default:
      throw new InputError(
        `a ${(c as { type: string }).type} traffic component cannot be scaled to other volumes; the volume analyses need synthetic components (poisson, batch, trickle)`,
        'traffic.components',
      );
  }
}

/** The scenario's traffic at a glance: requests per day and the local hours that have any. */
export interface TrafficShape {
  requests: number;
  days: number;
  requestsPerDay: number;
  /** Bit h set = some user request arrives in local hour h (00–23) on some day. */
  hourMask: number;
  /** The span has a Saturday or Sunday (so `days: weekdays` differs from `all`). */
  hasWeekend: boolean;
  /** Every component can be scaled to other volumes (`scalable`) and there are requests to scale. */
  scalable: boolean;
  /** Some component draws arrival times at random (poisson, trickle): another seed moves them. */
  randomArrivals: boolean;
  /** The span's local days: date, weekday, and t of each local hour 00:00 … 24:00 (25 bounds). */
  localDays: LocalDayBounds[];
}

export interface LocalDayBounds {
  date: string;
  weekday: boolean;
  hours: Float64Array;
}

/** One pass over the scenario's trace (main thread; cheap next to the sweeps it sizes). */
export function trafficShape(scenario: Scenario, baseDir = process.cwd()): TrafficShape {
  const calendar = new TraceCalendar(scenario.traffic, scenario.timezone);
  const s = syntheticStream(scenario.traffic, scenario.timezone, scenario.seed, baseDir);
  const days = calendar.days();
  let day = days.next();
  const bounds = new Float64Array(25);
  const load = (): void => {
    if (day.done) return;
    for (let h = 0; h <= 24; h++) bounds[h] = day.value.at(h * 3600);
  };
  load();
  let h = 0;
  let mask = 0;
  let requests = 0;
  while (s.next()) {
    requests++;
    while (!day.done && s.t >= bounds[24]!) {
      day = days.next();
      load();
      h = 0;
    }
    if (day.done) continue;
    while (h < 23 && s.t >= bounds[h + 1]!) h++;
    mask |= 1 << h;
  }
  let hasWeekend = false;
  const localDays: LocalDayBounds[] = [];
  for (const d of calendar.days()) {
    hasWeekend ||= !d.weekday;
    const hours = new Float64Array(25);
    for (let k = 0; k <= 24; k++) hours[k] = d.at(k * 3600);
    localDays.push({ date: d.date, weekday: d.weekday, hours });
  }
  const d = calendar.span.durationSeconds / 86400;
  return {
    requests,
    days: d,
    requestsPerDay: requests / d,
    hourMask: mask,
    hasWeekend,
    scalable: requests > 0 && scalable(scenario.traffic),
    randomArrivals: scenario.traffic.components.some((c) => c.type === 'poisson' || c.type === 'trickle'),
    localDays,
  };
}

// ---- the pool ---------------------------------------------------------------------------------

export interface PoolOptions {
  /**
   * Worker threads; 1 runs everything in this thread (no workers). With more, this thread also
   * computes until they have all started. Default: the machine's available parallelism.
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

/** About 2–3 s of simulation on one core: below that, starting threads does not pay. */
const THREADS_ABOVE = 3_000_000;

interface Pending {
  id: number;
  task: SweepTask;
  weight: number;
  resolve: (o: VariantOutcome[]) => void;
  reject: (e: unknown) => void;
}

/** What a worker sends back: outcomes, or an error to re-throw in this thread. */
export type WorkerReply =
  | { id: number; outcomes: VariantOutcome[] }
  | { id: number; error: { input: boolean; message: string; where?: string | undefined } };

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

/** Tasks queued in a worker's inbox, so it never waits for this thread to hand it the next. */
const PREFETCH = 2;

/**
 * Runs tasks on N worker threads (or, for N = 1, in this thread). Submitting a task returns its
 * outcomes. Workers take the heaviest pending task (scale × options; the earliest submitted on
 * ties), so a long sweep ends with small tasks. Until every worker has started (it says `ready`),
 * this thread computes the lightest tasks, so worker start-up is not lost time. Close the pool
 * when done (`close()`), also on errors.
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
  private pumpQueued = false;
  /** A worker died: no new ones (this thread finishes the sweep; its tasks were rejected). */
  private workerFailed = false;

  constructor(
    private readonly ctx: SweepContext,
    private readonly opts: PoolOptions = {},
  ) {
    const n = opts.workers ?? availableParallelism();
    if (!Number.isInteger(n) || n < 1) throw new InputError(`--workers must be a whole number ≥ 1, got ${n}`);
    this.workers = n;
  }

  /** Outcomes of each task, in task order. */
  run(tasks: readonly SweepTask[]): Promise<VariantOutcome[][]> {
    return Promise.all(tasks.map((t) => this.submit(t)));
  }

  submit(task: SweepTask): Promise<VariantOutcome[]> {
    if (this.closed) return Promise.reject(new Error('internal: sweep pool is closed'));
    this.submitted++;
    return new Promise((resolve, reject) => {
      this.pending.push({
        id: this.nextId++,
        task,
        weight: task.scale * task.options.length,
        resolve,
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
  }

  /** The heaviest (or lightest) pending task, the earliest submitted on ties. */
  private take(heaviest: boolean): Pending | undefined {
    if (this.pending.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < this.pending.length; i++) {
      const w = this.pending[i]!.weight;
      const b = this.pending[best]!.weight;
      if (heaviest ? w > b : w < b) best = i;
    }
    return this.pending.splice(best, 1)[0];
  }

  private finish(p: Pending, outcomes: VariantOutcome[] | null, error?: unknown): void {
    this.done++;
    this.opts.onProgress?.(this.done, this.submitted);
    if (outcomes) p.resolve(outcomes);
    else p.reject(error);
  }

  private pump(): void {
    if (this.closed || this.pending.length === 0) return;
    if (this.workers > 1 && this.threads.length < this.workers && !this.workerFailed) {
      const perScale = this.opts.requestsPerScale ?? 1;
      let work = 0;
      for (const p of this.pending) work += p.weight * perScale;
      if (this.threads.length > 0 || work >= (this.opts.threadsAbove ?? THREADS_ABOVE))
        while (this.threads.length < this.workers && !this.workerFailed) this.spawn();
    }
    const ready = this.threads.filter((t) => t.ready).length;
    // Until every worker has started, this thread computes too — the lightest task each time (one
    // per macrotask), so it is soon free again to hand out work and read replies.
    const local = ready < this.workers;
    if (local && !this.localScheduled) {
      this.localScheduled = true;
      setImmediate(() => this.runLocal());
    }
    // Workers get the heaviest tasks, PREFETCH deep so none waits on this thread between tasks;
    // those still starting get them queued too, except the task this thread is about to take.
    for (const t of [...this.threads].sort((x, y) => Number(y.ready) - Number(x.ready)))
      while (t.inFlight.size < PREFETCH && this.pending.length > (local && !t.ready ? 1 : 0)) {
        const p = this.take(true)!;
        t.inFlight.set(p.id, p);
        t.w.ref();
        t.w.postMessage({ id: p.id, task: p.task });
      }
  }

  private runLocal(): void {
    this.localScheduled = false;
    const ready = this.threads.filter((t) => t.ready).length;
    const p = this.closed || ready >= this.workers ? undefined : this.take(false);
    if (p === undefined) return;
    let out: VariantOutcome[] | null = null;
    let err: unknown;
    try {
      out = runTask(this.ctx, p.task, this.state);
    } catch (e) {
      err = e;
    }
    this.finished.here++;
    this.finish(p, out, err);
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
        if ('outcomes' in r) this.finish(p, r.outcomes);
        else this.finish(p, null, replyError(r.error));
      }
      this.pump();
    });
    w.on('error', (e) => {
      this.workerFailed = true;
      const i = this.threads.indexOf(t);
      if (i >= 0) this.threads.splice(i, 1);
      for (const p of t.inFlight.values()) this.finish(p, null, e);
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
