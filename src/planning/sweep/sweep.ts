import { activeCopiesPerMinute } from '../../billing/actual-cmi.js';
import type { CopyMeter } from '../../billing/cmi.js';
import { InputError } from '../../errors.js';
import type { PriceBook } from '../../pricing/book.js';
import type { Commitment } from '../../billing/lines.js';
import type { Scenario, ScenarioOption, Traffic, TrafficComponent } from '../../scenario/schema.js';
import { TraceCalendar } from '../../traffic/calendar.js';
import { syntheticStream } from '../../traffic/synthetic.js';
import type { ByClass, RequestCounts } from '../../sim/record.js';
import type { OptionResult, TraceSummary } from '../../compare/result.js';
import {
  finishOption,
  prepareOption,
  scenarioPriceBook,
  simulateOption,
  summarizeTrace,
  type OptionOutcome,
} from '../../compare/run.js';
import type { PreparedOption } from '../../models/types.js';
import { optionById } from '../../models/registry.js';
import type { SimRecord } from '../../sim/record.js';
import { holdTrace, type HeldTrace } from '../../traffic/held.js';
import { ColumnStream, type TraceColumns } from '../../traffic/columns.js';

/*
 * Sweeps: many simulations of one scenario that differ only in an option's settings (heartbeat
 * schedules) or in a traffic multiplier (volumes). The unit of work is a task:
 *
 *   task {scale, options[]} ─► scaled traffic ─► trace totals ─► runOption per option ─► outcomes
 *
 * `runTask` is a pure function of (context, task): every random stream is derived from the
 * scenario's seed and the option's key exactly as in `servesim run` (so the variants of one
 * option see the same user requests — common random numbers), never from which worker runs it or
 * in what order. A `SweepPool` (pool.ts) runs tasks in this thread (1 worker) or on worker threads, heaviest
 * first, and returns outcomes in task order: results are identical for any number of workers.
 */

/** What every task of a sweep shares; sent once to each worker (plain data). */
export interface SweepContext {
  /** The scenario as analysed (seed and region overrides applied). */
  scenario: Scenario;
  /** Folder relative paths in the scenario resolve against (the price book). */
  baseDir: string;
  /**
   * The scenario's own trace (scale 1, its seed, its span) as generated once by the run, on shared
   * memory: tasks on that trace read it instead of regenerating it. Absent: generated per thread.
   */
  trace?: TraceColumns | null;
}

/** Traces other than the scenario's own held per thread up to this size (≈ 8–13 B a request). */
const HELD_PER_THREAD = 1_500_000;

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
  /**
   * `false`: leave latency out (`latency` and `p99Interactive` null), for sweeps that read only
   * costs and counts (the forecast): the engine then records no latencies at all.
   */
  latency?: false;
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
  /** Arrival of the trace's first served user request (s from the span start); null without any. */
  firstArrival: number | null;
  /** Loads started while the fleet had no replica (the record's `coldStarts`); 0 when infeasible. */
  coldStarts: number;
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
export interface TaskState {
  book?: { key: string; book: PriceBook };
  calendar?: { key: string; calendar: TraceCalendar };
  totals?: { key: string; summary: TraceSummary };
  /** Traces other than the context's own (another scale, seed or span), most recent last. */
  held?: { key: string; held: HeldTrace }[];
}

/** What a task simulates on: its scenario, prices, calendar and trace (cached per thread). */
interface TaskSetup {
  scenario: Scenario;
  book: PriceBook;
  calendar: TraceCalendar;
  held: HeldTrace;
  trace: TraceSummary;
}

/**
 * The trace of `key` from this thread's cache, made if missing. The cache keeps the most recent
 * traces within HELD_PER_THREAD requests in all (sweeps alternate between a few: the days of a
 * sensitivity analysis, the draws of a heartbeat fit).
 */
function heldTrace(state: TaskState, key: string, make: () => HeldTrace): HeldTrace {
  const list = (state.held ??= []);
  const i = list.findIndex((h) => h.key === key);
  const hit = i >= 0 ? list.splice(i, 1)[0]! : { key, held: make() };
  list.push(hit);
  let total = 0;
  for (let j = list.length - 1; j >= 0; j--) {
    total += list[j]!.held.columns?.requests ?? 0;
    if (total > HELD_PER_THREAD && j < list.length - 1) {
      list.splice(0, j + 1);
      break;
    }
  }
  return hit.held;
}

function setUp(ctx: SweepContext, task: SweepTask, state: TaskState): TaskSetup {
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
  const own = task.scale === 1 && scenario.seed === base.seed && task.span === undefined && ctx.trace;
  let held: HeldTrace;
  if (own) {
    const columns = ctx.trace!;
    held = { columns, users: () => new ColumnStream(columns) };
  } else {
    held = heldTrace(state, totalsKey, () =>
      holdTrace(scenario, ctx.baseDir, { shared: false, maxRequests: HELD_PER_THREAD }),
    );
  }
  if (state.totals?.key !== totalsKey)
    state.totals = {
      key: totalsKey,
      summary: summarizeTrace(scenario, span.startUtcIso, span.durationSeconds, ctx.baseDir, held.columns),
    };
  return { scenario, book, calendar, held, trace: state.totals.summary };
}

/** Option `index` of the context's scenario on its own trace: its record (null if infeasible). */
export function simulateOwn(ctx: SweepContext, index: number, state: TaskState = {}): SimRecord | null {
  const { scenario, book, calendar, held, trace } = setUp(ctx, { scale: 1, options: [] }, state);
  const o = scenario.options[index]!;
  if (!optionById(o.id)!.feasibility(scenario.model, scenario.region, o, book).ok) return null;
  const span = calendar.span.durationSeconds;
  const prepared = prepareOption(scenario, o, book, span, calendar, trace);
  return simulateOption(scenario, prepared, span, held.users);
}

/**
 * What simulating option `index` on the context's own trace costs, relative to a queued fleet (1):
 * 0 when infeasible (nothing to simulate), about half for a fleet that never queues (the direct
 * pass of src/sim/direct.ts). Orders the base run's simulations; never changes a result.
 */
export function simulateWeight(ctx: SweepContext, index: number, state: TaskState = {}): number {
  // Without a held trace, setting up would generate one here: weigh every option alike.
  if (!ctx.trace) return 1;
  try {
    const { scenario, book, calendar, trace } = setUp(ctx, { scale: 1, options: [] }, state);
    const o = scenario.options[index]!;
    if (!optionById(o.id)!.feasibility(scenario.model, scenario.region, o, book).ok) return 0;
    const prepared = prepareOption(scenario, o, book, calendar.span.durationSeconds, calendar, trace);
    return prepared.fleet.unqueued ? 0.5 : 1;
  } catch {
    return 1; // the simulation itself reports the error
  }
}

/** Runs one task. Pure in (ctx, task); `state` only caches what the task's fields determine. */
export function runTask(ctx: SweepContext, task: SweepTask, state: TaskState = {}): VariantOutcome[] {
  const { scenario, book, calendar, held, trace } = setUp(ctx, task, state);
  const span = calendar.span.durationSeconds;
  // Without latency the engine records none (its summaries would be discarded anyway).
  const simulated =
    task.latency === false
      ? (p: PreparedOption): SimRecord =>
          simulateOption(scenario, { ...p, fleet: { ...p.fleet, latency: false } }, span, held.users)
      : (p: PreparedOption): SimRecord => simulateOption(scenario, p, span, held.users);
  return task.options.map((o) =>
    variantOutcome(finishOption(scenario, o, book, trace, simulated, span, calendar), task),
  );
}

/** The few numbers an analysis needs from one option's run (`series`, `hits` as the task asks). */
export function variantOutcome(
  { result, run, assumed }: OptionOutcome,
  task: Pick<SweepTask, 'series' | 'hits' | 'latency'> = {},
): VariantOutcome {
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
    p99Interactive: task.latency === false ? null : (result.latency?.interactive?.p99 ?? null),
    latency: task.latency === false ? null : result.latency,
    firstCall: run.record?.firstRequest?.latency ?? null,
    firstArrival: run.record?.firstRequest?.arrival ?? null,
    coldStarts: run.record?.coldStarts ?? 0,
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

/** One pass over the scenario's trace (its columns when held; cheap next to the sweeps it sizes). */
export function trafficShape(
  scenario: Scenario,
  baseDir = process.cwd(),
  columns: TraceColumns | null = null,
): TrafficShape {
  const calendar = new TraceCalendar(scenario.traffic, scenario.timezone);
  const s = columns
    ? new ColumnStream(columns)
    : syntheticStream(scenario.traffic, scenario.timezone, scenario.seed, baseDir);
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
