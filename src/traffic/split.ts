import type { Rng } from '../sim/rng.js';
import { RequestClass, type ArrivalStream } from './types.js';

/*
 * Arrival-stream filters for running two versions of a model side by side (docs/rollout.md).
 * A traffic split sends each request to v2 with probability share(t), drawing one number per
 * request from a seeded stream: the v1 and v2 filters, built on the same seed, see the same draws
 * and so put every request on exactly one side. Nothing is allocated per request.
 */

/** A step function of time: `shares[i]` from `times[i]` (ascending) on; 0 before `times[0]`. */
export interface ShareSchedule {
  times: readonly number[];
  shares: readonly number[];
}

/** The share in force at t. */
function shareAt(s: ShareSchedule, t: number): number {
  let v = 0;
  for (let i = 0; i < s.times.length && s.times[i]! <= t; i++) v = s.shares[i]!;
  return v;
}

/** Copies the current request of `from` into `to`. */
function copy(from: ArrivalStream, to: ArrivalStream): void {
  to.t = from.t;
  to.inputTokens = from.inputTokens;
  to.outputTokens = from.outputTokens;
  to.cls = from.cls;
}

/** Keeps the requests a filter decides to keep; remembers the last kept at or before `watch`. */
abstract class Filter implements ArrivalStream {
  t = 0;
  inputTokens = 0;
  outputTokens = 0;
  cls: number = RequestClass.interactive;
  /** Arrival time of the last request kept at or before `watch` (−Infinity if none). */
  lastKept = -Infinity;

  constructor(
    protected readonly src: ArrivalStream,
    private readonly watch = Infinity,
  ) {}

  protected abstract keep(t: number): boolean;

  next(): boolean {
    while (this.src.next()) {
      if (!this.keep(this.src.t)) continue;
      copy(this.src, this);
      if (this.t <= this.watch) this.lastKept = this.t;
      return true;
    }
    return false;
  }
}

/**
 * One side of a seeded traffic split: `v2` keeps a request when its draw u < share(t), `v1` when
 * u ≥ share(t). A draw is taken for every request, whatever the share, so both sides stay in step.
 */
export class TrafficSplit extends Filter {
  constructor(
    src: ArrivalStream,
    private readonly schedule: ShareSchedule,
    private readonly rng: Rng,
    private readonly side: 'v1' | 'v2',
    watch = Infinity,
  ) {
    super(src, watch);
  }

  protected keep(t: number): boolean {
    const toV2 = this.rng.next() < shareAt(this.schedule, t);
    return toV2 === (this.side === 'v2');
  }
}

/** Keeps a request while the version receives user traffic at all (heartbeats follow the traffic). */
export class ShareGate extends Filter {
  constructor(
    src: ArrivalStream,
    private readonly schedule: ShareSchedule,
    private readonly side: 'v1' | 'v2',
    watch = Infinity,
  ) {
    super(src, watch);
  }

  protected keep(t: number): boolean {
    const s = shareAt(this.schedule, t);
    return this.side === 'v2' ? s > 0 : s < 1;
  }
}

/** `count` non-user calls evenly spaced over [from, to): at from + i·(to − from)/count. */
export class EvenCalls implements ArrivalStream {
  t = 0;
  cls: number = RequestClass.heartbeat;
  private i = 0;

  constructor(
    private readonly from: number,
    private readonly to: number,
    private readonly count: number,
    public inputTokens: number,
    public outputTokens: number,
  ) {}

  next(): boolean {
    if (this.i >= this.count) return false;
    this.t = this.from + (this.i * (this.to - this.from)) / this.count;
    this.i++;
    return true;
  }
}

/** Two time-ordered streams as one (ties to `a`); either may be null. */
export function mergeStreams(a: ArrivalStream | null, b: ArrivalStream | null): ArrivalStream | null {
  if (a === null) return b;
  if (b === null) return a;
  return new Merged(a, b);
}

class Merged implements ArrivalStream {
  t = 0;
  inputTokens = 0;
  outputTokens = 0;
  cls: number = RequestClass.interactive;
  private hasA: boolean;
  private hasB: boolean;

  constructor(
    private readonly a: ArrivalStream,
    private readonly b: ArrivalStream,
  ) {
    this.hasA = a.next();
    this.hasB = b.next();
  }

  next(): boolean {
    if (this.hasA && (!this.hasB || this.a.t <= this.b.t)) {
      copy(this.a, this);
      this.hasA = this.a.next();
      return true;
    }
    if (this.hasB) {
      copy(this.b, this);
      this.hasB = this.b.next();
      return true;
    }
    return false;
  }
}
