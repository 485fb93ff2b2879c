import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import type {
  BatchComponent,
  PoissonComponent,
  Traffic,
  TrafficComponent,
  TrickleComponent,
} from '../scenario/schema.js';
import { sampler, type Dist } from '../sim/dist.js';
import { Rng } from '../sim/rng.js';
import { onTickGrid } from './columns.js';
import { TraceCalendar, type LocalDay, type TraceSpan } from './calendar.js';
import { TraceFileSource } from './trace/read.js';
import { RequestClass, type ArrivalStream } from './types.js';
import { clampTokens } from './tokens.js';

/*
 * Synthetic traffic (design §3, §5). Each component is its own generator producing requests in
 * time order, day by day, on its own random stream; a k-way merge (a linear scan: k is small)
 * yields the overall stream, ties going to the lower component index. State per component is a
 * few numbers plus the current local day, so memory is flat in the trace's length, and the hot
 * path allocates nothing per request.
 *
 * Random streams: component i draws its arrival times from Rng.derive(seed, 'traffic', i) and its
 * token lengths from Rng.derive(seed, 'traffic', i, 'tokens'), so adding a component never moves
 * another's requests and changing a token distribution never moves arrival times.
 */

const DAY = 86_400;
const HOUR = 3_600;

/** The merged synthetic trace; `span` says where t = 0 is and how long the trace runs. */
class SyntheticStream implements ArrivalStream {
  t = 0;
  inputTokens = 0;
  outputTokens = 0;
  cls: number = RequestClass.interactive;

  constructor(
    readonly span: TraceSpan,
    private readonly sources: readonly MergeSource[],
  ) {
    for (let i = 0; i < sources.length; i++) sources[i]!.advance();
  }

  /**
   * Takes the earliest pending request (lowest index on ties) and refills that component. Times
   * leave on the 2^-19 s grid (`onTickGrid`), the grid a held trace stores exactly.
   */
  next(): boolean {
    const sources = this.sources;
    let best: MergeSource | undefined;
    let bestT = Infinity;
    for (let i = 0; i < sources.length; i++) {
      const s = sources[i]!;
      if (s.t < bestT) {
        bestT = s.t;
        best = s;
      }
    }
    if (best === undefined) return false;
    this.t = onTickGrid(bestT);
    this.inputTokens = best.inputTokens;
    this.outputTokens = best.outputTokens;
    this.cls = best.cls;
    best.advance();
    return true;
  }
}

/**
 * The time-ordered synthetic trace of `traffic` in `timezone` (t = 0 at `traffic.start` local).
 * `trace` components read their files (relative paths from `baseDir`). Throws `InputError` for a
 * bad zone or span.
 */
export function syntheticStream(
  traffic: Traffic,
  timezone: string,
  seed: number,
  baseDir = process.cwd(),
): SyntheticStream {
  const calendar = new TraceCalendar(traffic, timezone);
  const sources = traffic.components.map((c, i) => componentSource(c, i, calendar, seed, baseDir));
  return new SyntheticStream(calendar.span, sources);
}

/** What the merge needs from a component: its pending request and a way to move past it. */
export type MergeSource = Pick<ComponentSource, 't' | 'inputTokens' | 'outputTokens' | 'cls' | 'advance'>;

/** One component's generator, on its own random streams. */
export function componentSource(
  c: TrafficComponent,
  index: number,
  calendar: TraceCalendar,
  seed: number,
  baseDir = process.cwd(),
): MergeSource {
  if (c.type === 'trace')
    return new TraceFileSource(resolve(baseDir, c.file), {
      seed,
      index,
      offset: c.offset,
      limit: calendar.span.durationSeconds,
      ...(c.class !== undefined ? { cls: c.class } : {}),
      ...(c.inputTokens !== undefined ? { inputTokens: c.inputTokens } : {}),
      ...(c.outputTokens !== undefined ? { outputTokens: c.outputTokens } : {}),
      // A scenario's traffic is one model's: a multi-model trace must name it (issue 21 item 4).
      ...(c.model !== undefined ? { model: c.model } : {}),
      oneModel: true,
    });
  const rng = Rng.derive(seed, 'traffic', index);
  const tokenRng = Rng.derive(seed, 'traffic', index, 'tokens');
  switch (c.type) {
    case 'poisson':
      return new PoissonSource(c, calendar, rng, tokenRng);
    case 'batch':
      return new BatchSource(c, calendar, rng, tokenRng);
    case 'trickle':
      return new TrickleSource(c, calendar, rng, tokenRng);
    default:
      throw new InputError(`unknown traffic component type ${JSON.stringify((c as { type: unknown }).type)}`);
  }
}

/** What every component shares: class, token lengths, the day walk and the [0, end) clip. */
interface ComponentFields {
  class: keyof typeof RequestClass;
  inputTokens: Dist;
  outputTokens: Dist;
  days: 'all' | 'weekdays';
}

/**
 * A component's requests in time order. `t` is the pending request's time, Infinity once the
 * component is exhausted; `advance()` replaces the pending request with the next one.
 */
export abstract class ComponentSource {
  t = -Infinity;
  inputTokens = 0;
  outputTokens = 0;
  readonly cls: number;
  /** The span's end: requests at or after it are dropped. */
  protected readonly limit: number;
  private readonly inputDist: (rng: Rng) => number;
  private readonly outputDist: (rng: Rng) => number;
  private readonly weekdaysOnly: boolean;
  private day: LocalDay | undefined;
  private started = false;

  constructor(
    c: ComponentFields,
    private readonly calendar: TraceCalendar,
    protected readonly rng: Rng,
    private readonly tokenRng: Rng,
  ) {
    this.cls = RequestClass[c.class];
    this.inputDist = sampler(c.inputTokens);
    this.outputDist = sampler(c.outputTokens);
    this.weekdaysOnly = c.days === 'weekdays';
    this.limit = calendar.span.durationSeconds;
  }

  /** Moves to the next request; token lengths are rounded samples, at least 1. */
  advance(): void {
    const t = this.nextTime();
    this.t = t;
    if (t === Infinity) return;
    this.inputTokens = clampTokens(this.inputDist(this.tokenRng));
    this.outputTokens = clampTokens(this.outputDist(this.tokenRng));
  }

  /** The next arrival time in [0, limit), strictly in order, or Infinity when there is none. */
  protected abstract nextTime(): number;

  /** The next local day the component runs on (skipping weekends for `weekdays`), or undefined. */
  protected nextDay(): LocalDay | undefined {
    do {
      if (!this.started) {
        this.started = true;
        this.day = this.calendar.firstDay();
      } else if (this.day) {
        this.day = this.calendar.nextDay(this.day);
      }
    } while (this.day && this.weekdaysOnly && !this.day.weekday);
    return this.day;
  }
}

/**
 * Non-homogeneous Poisson arrivals by exact inversion of the piecewise-constant cumulative
 * intensity: draw E ~ Exp(1) and walk forward through (start, end, rate) segments, consuming
 * rate × length, until E runs out. E carries across closed hours, nights and weekends, so gaps
 * are never clipped. Segments are built one local day at a time from real elapsed hours (on DST
 * days the repeated hour runs twice, the skipped one not at all).
 */
class PoissonSource extends ComponentSource {
  private readonly segStart = new Float64Array(24);
  private readonly segEnd = new Float64Array(24);
  private readonly segRate = new Float64Array(24);
  private nSeg = 0;
  private seg = 0;
  /** Current position: the last arrival, or the start of the current segment. */
  private x = 0;
  private readonly profile: readonly number[] | undefined;
  private readonly rate: number;
  private readonly from: number;
  private readonly to: number;

  constructor(c: PoissonComponent, calendar: TraceCalendar, rng: Rng, tokenRng: Rng) {
    super(c, calendar, rng, tokenRng);
    this.profile = Array.isArray(c.rate) ? c.rate : undefined;
    this.rate = Array.isArray(c.rate) ? 0 : c.rate;
    this.from = c.from ?? 0;
    this.to = c.to ?? DAY;
  }

  protected nextTime(): number {
    let e = -Math.log(this.rng.next());
    for (;;) {
      if (this.seg >= this.nSeg) {
        if (!this.loadDay()) return Infinity;
        continue;
      }
      const rate = this.segRate[this.seg]!;
      const end = this.segEnd[this.seg]!;
      const room = rate * (end - this.x);
      if (e < room) {
        const t = this.x + e / rate;
        if (t < end) return (this.x = t);
      }
      // Rounding can leave e a hair below zero when the arrival sits on a boundary.
      e = Math.max(0, e - room);
      this.seg++;
      if (this.seg < this.nSeg) this.x = this.segStart[this.seg]!;
    }
  }

  /** Builds the next running day's segments; false when no days are left. */
  private loadDay(): boolean {
    const day = this.nextDay();
    if (!day) return false;
    this.nSeg = 0;
    this.seg = 0;
    const lo = day.at(this.from);
    const hi = day.at(this.to);
    if (this.profile) {
      let a = day.midnight;
      for (let h = 0; h < 24; h++) {
        const b = h === 23 ? day.end : day.at((h + 1) * HOUR);
        this.addSegment(Math.max(a, lo), Math.min(b, hi), this.profile[h]!);
        a = b;
      }
    } else {
      this.addSegment(lo, hi, this.rate);
    }
    if (this.nSeg > 0) this.x = this.segStart[0]!;
    return true;
  }

  /** Adds [a, b) clipped to the span, skipping empty or zero-rate pieces. */
  private addSegment(a: number, b: number, rate: number): void {
    const start = Math.max(a, 0);
    const end = Math.min(b, this.limit);
    if (!(end > start) || !(rate > 0)) return;
    const n = this.nSeg++;
    this.segStart[n] = start;
    this.segEnd[n] = end;
    this.segRate[n] = rate;
  }
}

/**
 * `count` requests each running day from local `at`, evenly spaced over `over` real seconds:
 * t_i = at + i·over/count. A run longer than a day overlaps the next day's run, so the source
 * keeps every run still in progress (their number is bounded by over / day + 1) and merges them.
 */
class BatchSource extends ComponentSource {
  private readonly at: number;
  private readonly count: number;
  private readonly over: number;
  /** Start times and next indices of the runs in progress, oldest first. */
  private readonly runBase: number[] = [];
  private readonly runIdx: number[] = [];
  /** Start of the next day's run, not yet opened (Infinity when there are no more days). */
  private pending: number;

  constructor(c: BatchComponent, calendar: TraceCalendar, rng: Rng, tokenRng: Rng) {
    super(c, calendar, rng, tokenRng);
    this.at = c.at;
    this.count = c.count;
    this.over = c.over;
    this.pending = this.nextRunStart();
  }

  protected nextTime(): number {
    for (;;) {
      let best = -1;
      let bestT = Infinity;
      for (let j = 0; j < this.runBase.length; j++) {
        const t = this.runBase[j]! + (this.runIdx[j]! * this.over) / this.count;
        if (t < bestT) {
          bestT = t;
          best = j;
        }
      }
      if (this.pending <= bestT && this.pending < Infinity) {
        this.runBase.push(this.pending);
        this.runIdx.push(0);
        this.pending = this.nextRunStart();
        continue;
      }
      if (best < 0 || bestT >= this.limit) return Infinity;
      if (++this.runIdx[best]! === this.count) {
        this.runBase.splice(best, 1);
        this.runIdx.splice(best, 1);
      }
      if (bestT >= 0) return bestT;
    }
  }

  private nextRunStart(): number {
    const day = this.nextDay();
    return day ? day.at(this.at) : Infinity;
  }
}

/**
 * `count` requests each running day, i.i.d. uniform in real time between local `from` and `to`
 * (none on a day whose window falls inside the skipped hour of a DST change),
 * drawn directly in sorted order as sequential order statistics: with n left and position x in
 * [0, 1), the next is 1 − (1 − x)·U^(1/n). Nothing is stored.
 */
class TrickleSource extends ComponentSource {
  private readonly count: number;
  private readonly from: number;
  private readonly to: number;
  private lo = 0;
  private width = 0;
  private left = 0;
  private x = 0;

  constructor(c: TrickleComponent, calendar: TraceCalendar, rng: Rng, tokenRng: Rng) {
    super(c, calendar, rng, tokenRng);
    this.count = c.count;
    this.from = c.from;
    this.to = c.to;
  }

  protected nextTime(): number {
    for (;;) {
      if (this.left === 0) {
        const day = this.nextDay();
        if (!day) return Infinity;
        this.lo = day.at(this.from);
        this.width = day.at(this.to) - this.lo;
        // A window inside the hour the clock skips (spring forward) does not occur that day: its
        // requests do not happen, rather than all at the one instant of the jump.
        if (!(this.width > 0)) continue;
        this.left = this.count;
        this.x = 0;
      }
      this.x = 1 - (1 - this.x) * Math.pow(this.rng.next(), 1 / this.left);
      this.left--;
      const t = this.lo + this.x * this.width;
      if (t >= this.limit) return Infinity;
      if (t >= 0) return t;
    }
  }
}
