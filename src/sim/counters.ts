import { GrowF64, GrowI32 } from './grow.js';
import { bucketOf, LatencyAccumulator } from './latency.js';
import type { ByClass, LatencyByGroup, RequestCounts, SimRecord } from './record.js';
import { RequestClass } from '../traffic/types.js';

/*
 * What a simulation counts, apart from its replicas: per request class (arrays indexed by
 * `RequestClass`: interactive, batch, heartbeat) the arrivals, tokens and cold-start hits; the
 * outcomes of user requests; their latencies; and the per-minute series. The engine feeds these
 * from its loop and assembles the record from them at the end.
 */

/** Request classes the arrays are indexed by. */
const CLASSES = 3;
/** The class of the calls an option adds itself: counted, served and billed, never a user request. */
export const OWN_CALLS = RequestClass.heartbeat;
/** Arrival times kept per class of cold-start hits (the rest are counted only). */
const MAX_HIT_TIMES = 1 << 20;

type CountedHere =
  | keyof RequestCounts
  | 'contextExceeded'
  | 'coldHitArrivals'
  | 'coldHitMaxLatency'
  | 'firstRequest'
  | 'tokensByClass'
  | 'latency'
  | 'latencySample';

/** Latency accumulators of user requests: all, by class, warm and cold-start hits. */
export interface Latencies {
  all: LatencyAccumulator;
  byClass: LatencyAccumulator[];
  warm: LatencyAccumulator;
  coldHit: LatencyAccumulator;
}

export function latencies(): Latencies {
  return {
    all: new LatencyAccumulator(),
    byClass: [new LatencyAccumulator(), new LatencyAccumulator()],
    warm: new LatencyAccumulator(),
    coldHit: new LatencyAccumulator(),
  };
}

/**
 * The accumulators behind each record made in this thread (a record from a worker thread has none:
 * structured cloning keeps only the summaries). A portfolio merges them (`latencyAccumulators`).
 */
const ACCUMULATORS = new WeakMap<SimRecord, Latencies>();

/** The latency accumulators of a record made in this thread; undefined for a cloned record. */
export function latencyAccumulators(r: SimRecord): Latencies | undefined {
  return ACCUMULATORS.get(r);
}

/** Never added to: the latencies of every simulation that records none (summaries null). */
let UNTIMED: Latencies | undefined;

export class Counters {
  /** Arrivals per class (user requests and the option's own calls). */
  readonly arrivals = new Float64Array(CLASSES);
  /** Tokens of the requests started per class; an interrupted start is taken back. */
  readonly inputTokens = new Float64Array(CLASSES);
  readonly outputTokens = new Float64Array(CLASSES);
  /** Outcomes of user requests (`failed` includes `contextExceeded`). */
  served = 0;
  throttled = 0;
  failed = 0;
  contextExceeded = 0;
  /** Cold-start hits of user requests per class, their arrival times and worst latency. */
  private readonly coldHits = new Float64Array(CLASSES);
  private readonly coldHitTimes = [new GrowF64(16), new GrowF64(16), new GrowF64(0)];
  /** Worst latency of a cold-start hit per class; the first arrival served and its latency (the engine writes these as requests complete). */
  readonly coldHitMax = new Float64Array(CLASSES);
  firstArr = Infinity;
  firstLatency = NaN;
  readonly lat: Latencies;
  /** The class of every user request timed so far while there is one (−1: none yet, −2: both). */
  private soleClass = -1;
  /** A cold-start hit was timed: from then on `warm` takes its values one by one. */
  private coldTimed = false;

  /** `timed: false`: no latencies are recorded; the empty accumulators shared by every such run stand in. */
  constructor(private readonly timed = true) {
    this.lat = timed ? latencies() : (UNTIMED ??= latencies());
  }

  /**
   * A served user request's latency (and wait) into its groups; runs per request. While every
   * request timed is of one class, that class's group holds exactly the values of `all`, in the
   * same order, and so does `warm` until a cold-start hit: those groups are copied from `all`
   * (`clone`) where they part from it, or at the end, instead of being added to one by one.
   */
  time(latency: number, wait: number, cls: number, cold: boolean): void {
    const lat = this.lat;
    const b = bucketOf(latency);
    if (this.soleClass !== cls) {
      if (this.soleClass === -1) this.soleClass = cls;
      else if (this.soleClass >= 0) {
        lat.byClass[this.soleClass] = lat.all.clone();
        this.soleClass = -2;
      }
    }
    if (this.soleClass === -2) lat.byClass[cls]!.add(latency, wait, b);
    if (cold) {
      if (!this.coldTimed) {
        lat.warm = lat.all.clone();
        this.coldTimed = true;
      }
      lat.coldHit.add(latency, wait, b);
    } else if (this.coldTimed) lat.warm.add(latency, wait, b);
    lat.all.add(latency, wait, b);
  }

  coldHit(t: number, cls: number): void {
    const n = this.coldHits[cls]!++;
    // The times feed the heartbeat fit; a bounded prefix is plenty.
    if (n < MAX_HIT_TIMES) {
      this.coldHitTimes[cls]!.ensure(n + 1);
      this.coldHitTimes[cls]!.a[n] = t;
    }
  }

  /** The record: its request counts, tokens and latencies from here, the rest as given. */
  toRecord(rest: Omit<SimRecord, CountedHere>): SimRecord {
    const lat = this.lat;
    // The groups that never parted from `all` (see `time`).
    if (this.timed) {
      if (this.soleClass >= 0) lat.byClass[this.soleClass] = lat.all.clone();
      if (!this.coldTimed) lat.warm = lat.all.clone();
    }
    const { interactive: I, batch: B } = RequestClass;
    const byUserClass = <T>(f: (cls: number) => T): ByClass<T> => ({ interactive: f(I), batch: f(B) });
    let sample: SimRecord['latencySample'] | undefined;
    let latency: LatencyByGroup | undefined;
    const record: SimRecord = {
      ...rest,
      arrived: this.arrivals[I]! + this.arrivals[B]!,
      served: this.served,
      throttled: this.throttled,
      failed: this.failed,
      contextExceeded: this.contextExceeded,
      heartbeats: this.arrivals[OWN_CALLS]!,
      coldStartHits: this.coldHits[I]! + this.coldHits[B]!,
      coldStartHitsByClass: byUserClass((c) => this.coldHits[c]!),
      coldHitArrivals: byUserClass((c) =>
        this.coldHitTimes[c]!.a.slice(0, Math.min(this.coldHits[c]!, MAX_HIT_TIMES)),
      ),
      coldHitMaxLatency: byUserClass((c) => this.coldHitMax[c]!),
      firstRequest: this.firstArr < Infinity ? { arrival: this.firstArr, latency: this.firstLatency } : null,
      tokensByClass: { input: this.inputTokens.slice(), output: this.outputTokens.slice() },
      // Summarised on first use: a sweep that reads only costs (the forecast) never pays for it.
      get latency() {
        latency ??= {
          all: lat.all.summary(),
          interactive: lat.byClass[I]!.summary(),
          batch: lat.byClass[B]!.summary(),
          warm: lat.warm.summary(),
          coldHit: lat.coldHit.summary(),
        };
        return latency;
      },
      // Sorted on first use: only reports draw the CDF, sweeps never do.
      get latencySample() {
        sample ??= {
          all: lat.all.quantiles(),
          coldHit: lat.coldHit.quantiles(),
          interactive: lat.byClass[I]!.quantiles(),
          batch: lat.byClass[B]!.quantiles(),
        };
        return sample;
      },
    };
    ACCUMULATORS.set(record, lat);
    return record;
  }
}

/** Per-minute series: user arrivals, requests in the system and ready replicas at each minute's end. */
export class MinuteSeries {
  /** The minute being filled. */
  minute = 0;
  readonly arrivals = new GrowI32(1440);
  private readonly inFlight = new GrowI32(1440);
  private readonly ready = new GrowI32(1440);

  /** Records the state at the end of every whole minute before time t. */
  flush(t: number, inSystem: number, ready: number): void {
    const target = Math.floor(t / 60);
    this.arrivals.ensure(target + 1);
    this.inFlight.ensure(target + 1);
    this.ready.ensure(target + 1);
    while (this.minute < target) {
      this.inFlight.a[this.minute] = inSystem;
      this.ready.a[this.minute] = ready;
      this.minute++;
    }
  }

  toRecord(minutes: number): SimRecord['series'] {
    return {
      minutes,
      arrivals: this.arrivals.a.slice(0, minutes),
      inFlight: this.inFlight.a.slice(0, minutes),
      ready: this.ready.a.slice(0, minutes),
    };
  }
}
