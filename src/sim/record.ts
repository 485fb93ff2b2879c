import type { LatencySummary } from './latency.js';

/** One replica's life, as billing meters need it. Times are seconds from trace start. */
export interface ReplicaLife {
  id: number;
  /** When the replica was asked for (launch / load begins). */
  requestedAt: number;
  /** When it could first serve; NaN if removed while loading. */
  readyAt: number;
  /** Its first started request (a CMI copy's first successful call); NaN if it never served. */
  firstStartAt: number;
  /** Its last started request; NaN if it never served. */
  lastStartAt: number;
  /** When it was removed (or the end of the run for replicas that were never removed). */
  removedAt: number;
  /** Requests started on it (user requests and heartbeats). */
  starts: number;
  /** Distinct `startWindowSeconds` windows (anchored at firstStartAt) in which it started a request. */
  startWindows: number;
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

/** Everything one simulation recorded; billing and reports are computed from it. */
export interface SimRecord {
  arrived: number;
  served: number;
  throttled: number;
  failed: number;
  /** User requests longer than the model's context length: failed on arrival (part of `failed`). */
  contextExceeded: number;
  heartbeats: number;
  coldStartHits: number;
  /** `coldStartHits` split by the requests' class (design §11). */
  coldStartHitsByClass: ByClass<number>;
  /** Arrival times (s from trace start) of the cold-start hits of each class, in order; at most 2^20 each. */
  coldHitArrivals: ByClass<Float64Array>;
  /** Worst latency (s) of a cold-start hit of each class; 0 without any. */
  coldHitMaxLatency: ByClass<number>;
  /** The earliest-arriving served user request: when it arrived and how long it took. */
  firstRequest: { arrival: number; latency: number } | null;
  servedInputTokens: number;
  servedOutputTokens: number;
  /** The part of the served tokens that belongs to `batch` requests (per-token batch pricing). */
  servedBatchInputTokens: number;
  servedBatchOutputTokens: number;
  heartbeatInputTokens: number;
  heartbeatOutputTokens: number;
  latency: LatencyByGroup;
  /** Sorted latency samples for the report's CDF (`LatencyAccumulator.quantiles`, ≤ 2,000 values each). */
  latencySample: { all: Float64Array; coldHit: Float64Array };
  replicas: ReplicaLife[];
  /** Loads started while the fleet had no replica (cold and evicted starts). */
  coldStarts: number;
  /** The cold starts that restored an evicted model (CMI's `evictedColdStart`). */
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
