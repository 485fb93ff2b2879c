import type { LatencySummary } from './latency.js';
import { RequestClass } from '../traffic/types.js';

/** One replica's life, as billing meters need it. Times are seconds from trace start. */
export interface ReplicaLife {
  id: number;
  /** When the replica was asked for (launch / load begins). */
  requestedAt: number;
  /** When it could first serve; NaN if removed while loading. */
  readyAt: number;
  /** Its first started request; NaN if it never served. */
  firstStartAt: number;
  /** Its last started request; NaN if it never served. */
  lastStartAt: number;
  /** When it was removed (or the end of the run for replicas that were never removed). */
  removedAt: number;
  /** Requests started on it (user requests and heartbeats). */
  starts: number;
  /** True when it was a cold start (the fleet had no ready replica when it was asked for). */
  cold: boolean;
}

export interface LatencyByGroup {
  all: LatencySummary | null;
  interactive: LatencySummary | null;
  batch: LatencySummary | null;
  warm: LatencySummary | null;
  coldHit: LatencySummary | null;
}

/** A value per user request class. */
export interface ByClass<T> {
  interactive: T;
  batch: T;
}

/** What became of the requests: declared once, for the record and the results built from it. */
export interface RequestCounts {
  /** User requests that arrived. */
  arrived: number;
  served: number;
  throttled: number;
  failed: number;
  /** Calls the option added itself (heartbeats): served and billed, never user requests. */
  heartbeats: number;
  /** User requests that waited on a cold (or evicted) start. */
  coldStartHits: number;
  /** `coldStartHits` split by the requests' class (design §11). */
  coldStartHitsByClass: ByClass<number>;
}

/** Everything one simulation recorded; billing and reports are computed from it. */
export interface SimRecord extends RequestCounts {
  /** User requests longer than the model's context length: failed on arrival (part of `failed`). */
  contextExceeded: number;
  /** Arrival times (s from trace start) of the cold-start hits of each class, in order; at most 2^20 each. */
  coldHitArrivals: ByClass<Float64Array>;
  /** Worst latency (s) of a cold-start hit of each class; 0 without any. */
  coldHitMaxLatency: ByClass<number>;
  /** The earliest-arriving served user request: when it arrived and how long it took. */
  firstRequest: { arrival: number; latency: number } | null;
  /**
   * Tokens of the requests served, per class: arrays indexed by `RequestClass` (interactive,
   * batch, heartbeat). `userTokens` sums the user classes.
   */
  tokensByClass: { input: Float64Array; output: Float64Array };
  latency: LatencyByGroup;
  /**
   * Sorted latency samples for the report's CDF (`LatencyAccumulator.quantiles`, ≤ 2,000 values
   * each): all user requests, those that waited on a cold start, and each class on its own.
   */
  latencySample: { all: Float64Array; coldHit: Float64Array; interactive: Float64Array; batch: Float64Array };
  replicas: ReplicaLife[];
  /** Loads started while the fleet had no replica (cold and evicted starts). */
  coldStarts: number;
  /** The cold starts that restored an evicted model (`addReplica`'s `evicted`). */
  evictedColdStarts: number;
  /** Loads started while another replica was live (scale-out, replacements); not cold starts. */
  scaleOutLoads: number;
  peakReplicas: number;
  /** Slot-seconds spent serving (user requests and heartbeats). */
  busySlotSeconds: number;
  slotsPerReplica: number;
  /** Simulated span (trace length) and the time the last event happened (≥ span when draining). */
  spanSeconds: number;
  endTime: number;
  /** Per minute of max(span, endTime): arrivals (user), requests in the system at the minute's end, ready replicas at its end. */
  series: { minutes: number; arrivals: Int32Array; inFlight: Int32Array; ready: Int32Array };
}

/** Tokens of the user classes (interactive + batch) in a per-class array of `tokensByClass`. */
export function userTokens(byClass: ArrayLike<number>): number {
  return byClass[RequestClass.interactive]! + byClass[RequestClass.batch]!;
}
