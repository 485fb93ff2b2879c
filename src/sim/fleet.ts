import type { Routing } from '../scenario/fields.js';

/*
 * The contract between the engine and the serving options (design §3): an option hands the engine
 * a `FleetConfig` (slots, routing, service times, its `FleetPolicy`); the engine calls the policy
 * at each arrival, queueing, idle replica, ready replica and timer, and the policy acts through
 * the `Fleet` control surface (add, remove, drain, interrupt replicas; set timers).
 */

/**
 * Seconds of service for a request, fixed when it starts; `occupancy` counts the request itself;
 * `replica` is the replica it starts on (a multi-LoRA node's resident adapters depend on it).
 */
export interface ServiceModel {
  time(inputTokens: number, outputTokens: number, occupancy: number, cls: number, replica: number): number;
}

/**
 * What an arrival gets: served (admit), refused by a quota (throttle), refused (fail), or refused
 * because nothing is warm (failCold: an endpoint at zero instances answers with an error — counted
 * as failed and as a cold-start hit, so the heartbeat analysis sees what a cold start costs it).
 */
export const Admit = { admit: 0, throttle: 1, fail: 2, failCold: 3 } as const;

/** The control surface a scaling policy sees. */
export interface Fleet {
  readonly now: number;
  readonly slotsPerReplica: number;
  readyCount(): number;
  loadingCount(): number;
  queueLength(): number;
  /** Free slots on ready replicas (not draining). */
  freeSlotCount(): number;
  /** When the queue last went from empty to non-empty (NaN while it is empty). */
  queuedSince(): number;
  /** Live replica ids (loading and ready), oldest first. */
  live(): readonly number[];
  isReady(id: number): boolean;
  /** True while a replica drains (no new requests; removed when empty). */
  isDraining(id: number): boolean;
  inFlight(id: number): number;
  /** Time of the last request started on the replica (its ready time if none). */
  lastAssigned(id: number): number;
  /**
   * Request-seconds spent in the system (in service or queued, heartbeats included) from the
   * start to now: the difference over an interval, divided by its length, is the mean load.
   */
  loadSeconds(): number;
  /**
   * Asks for a replica that becomes ready after `loadSeconds`. `cold` marks a cold start (the
   * fleet had no replica); `evicted` one that restores an evicted model (a subset of cold starts).
   */
  addReplica(loadSeconds: number, cold: boolean, evicted?: boolean): number;
  /** Removes an idle (or still loading) replica now. */
  removeReplica(id: number): void;
  /**
   * Removes a replica now even if it is serving (a spot interruption): its in-flight requests go
   * back to the head of the queue, oldest first, and start again from scratch elsewhere.
   * Returns how many were re-queued.
   */
  interruptReplica(id: number): number;
  /**
   * Stops routing to a replica and removes it once its in-flight requests finish (now, if idle).
   * A loading replica is removed at once. With `keep`, a drained replica stays live but empty (a
   * node whose pod is gone, still billed) until the policy removes it; `isDraining` stays true.
   */
  drainReplica(id: number, keep?: boolean): void;
  setTimer(at: number, tag: number): void;
}

/** An option's scaling behaviour; `null` policy = a fixed fleet. */
export interface FleetPolicy {
  onStart(fleet: Fleet): void;
  /** Called for every invocation before routing; returns an `Admit` code. */
  onArrival(fleet: Fleet, t: number, cls: number, inputTokens: number, outputTokens: number): number;
  onQueued(fleet: Fleet, t: number): void;
  onIdle(fleet: Fleet, replica: number, t: number): void;
  onReady(fleet: Fleet, replica: number, t: number): void;
  onTimer(fleet: Fleet, t: number, tag: number): void;
  /**
   * Optional: a request (user or heartbeat) started on `replica` at `t`. For options whose bill
   * depends on when each replica served; leave it out otherwise, as it runs once per request.
   */
  onServiceStart?(replica: number, t: number): void;
}

export interface FleetConfig {
  slotsPerReplica: number;
  routing: Routing;
  service: ServiceModel;
  /** Replicas ready at t = 0. */
  initialReplicas: number;
  policy: FleetPolicy | null;
  /** The model's context length: a user request with more input tokens fails on arrival. */
  maxInputTokens?: number;
  /**
   * `false`: record no latencies (the record's `latency` groups are null, `latencySample` empty),
   * for sweeps that read only costs and counts (the forecast). Counts, first request and the
   * cold-start hits' worst latency are kept.
   */
  latency?: false;
  /**
   * Never queues: one replica ready from the start whose slots never run out, and a policy that
   * only admits or refuses arrivals (it never reads or acts on the fleet). Such a fleet without
   * calls of its own is simulated by a direct pass (direct.ts) with the same record.
   */
  unqueued?: true;
}
