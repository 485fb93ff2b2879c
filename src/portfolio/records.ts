import { latencies, latencyAccumulators } from '../sim/counters.js';
import type { ByClass, LatencyByGroup, ReplicaLife, SimRecord } from '../sim/record.js';

/*
 * One option's portfolio record: its models' simulation records (one deployment each) combined
 * into one, so reports, charts and timeline.csv read a portfolio option as they read any option.
 * Counts add; latency statistics come from the models' accumulators merged value by value (never
 * averaged percentiles); per-minute series add minute by minute.
 */

/**
 * The records of one option's per-model runs as one record. One record is returned as is (a
 * portfolio of one model is that model's run). Records must have been made in this thread (their
 * latency accumulators are merged).
 * Example: two models each serving 10 requests with 1 cold start → served 20, coldStarts 2.
 */
export function mergeRecords(records: readonly SimRecord[]): SimRecord {
  if (records.length === 1) return records[0]!;
  const parts = records.map((r) => {
    const p = latencyAccumulators(r);
    if (p === undefined) throw new Error('a portfolio merges records simulated in this thread only');
    return p;
  });
  const lat = latencies();
  for (const p of parts) {
    lat.all.mergeFrom(p.all);
    lat.byClass.forEach((acc, c) => acc.mergeFrom(p.byClass[c]!));
    lat.warm.mergeFrom(p.warm);
    lat.coldHit.mergeFrom(p.coldHit);
  }
  const sum = (f: (r: SimRecord) => number): number => records.reduce((s, r) => s + f(r), 0);
  const byClass = <T>(f: (c: keyof ByClass<T>) => T): ByClass<T> => ({
    interactive: f('interactive'),
    batch: f('batch'),
  });
  const firsts = records.flatMap((r) => (r.firstRequest ? [r.firstRequest] : []));
  const replicas = records.flatMap((r) => r.replicas);
  let latency: LatencyByGroup | undefined;
  let sample: SimRecord['latencySample'] | undefined;
  return {
    arrived: sum((r) => r.arrived),
    served: sum((r) => r.served),
    throttled: sum((r) => r.throttled),
    failed: sum((r) => r.failed),
    heartbeats: sum((r) => r.heartbeats),
    coldStartHits: sum((r) => r.coldStartHits),
    coldStartHitsByClass: byClass((c) => sum((r) => r.coldStartHitsByClass[c])),
    contextExceeded: sum((r) => r.contextExceeded),
    coldHitArrivals: byClass((c) => sortedConcat(records.map((r) => r.coldHitArrivals[c]))),
    coldHitMaxLatency: byClass((c) => Math.max(...records.map((r) => r.coldHitMaxLatency[c]))),
    firstRequest: firsts.reduce<SimRecord['firstRequest']>(
      (a, f) => (a === null || f.arrival < a.arrival ? f : a),
      null,
    ),
    tokensByClass: {
      input: addArrays(records.map((r) => r.tokensByClass.input)),
      output: addArrays(records.map((r) => r.tokensByClass.output)),
    },
    get latency() {
      latency ??= {
        all: lat.all.summary(),
        interactive: lat.byClass[0]!.summary(),
        batch: lat.byClass[1]!.summary(),
        warm: lat.warm.summary(),
        coldHit: lat.coldHit.summary(),
      };
      return latency;
    },
    get latencySample() {
      sample ??= {
        all: lat.all.quantiles(),
        coldHit: lat.coldHit.quantiles(),
        interactive: lat.byClass[0]!.quantiles(),
        batch: lat.byClass[1]!.quantiles(),
      };
      return sample;
    },
    replicas,
    coldStarts: sum((r) => r.coldStarts),
    evictedColdStarts: sum((r) => r.evictedColdStarts),
    scaleOutLoads: sum((r) => r.scaleOutLoads),
    peakReplicas: peakAlive(replicas),
    busySlotSeconds: sum((r) => r.busySlotSeconds),
    // Models may differ in slots per replica: the portfolio's utilization is computed from the
    // models' own figures (src/portfolio/combine.ts), never from this field.
    slotsPerReplica: records[0]!.slotsPerReplica,
    spanSeconds: records[0]!.spanSeconds,
    endTime: Math.max(...records.map((r) => r.endTime)),
    series: addSeries(records.map((r) => r.series)),
  };
}

/**
 * The most replicas alive at once (asked for and not yet removed) over all models' replicas; at
 * equal times a removal counts before an addition. Example: [0, 10) and [10, 20) → 1.
 */
export function peakAlive(replicas: readonly ReplicaLife[]): number {
  const events: [number, number][] = [];
  for (const r of replicas) events.push([r.requestedAt, 1], [r.removedAt, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let live = 0;
  let peak = 0;
  for (const [, d] of events) {
    live += d;
    if (live > peak) peak = live;
  }
  return peak;
}

function sortedConcat(arrays: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out.sort();
}

function addArrays(arrays: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(arrays[0]!.length);
  for (const a of arrays) for (let i = 0; i < a.length; i++) out[i]! += a[i]!;
  return out;
}

/** Per-minute series added minute by minute; a shorter series counts 0 past its end. */
function addSeries(series: readonly SimRecord['series'][]): SimRecord['series'] {
  const minutes = Math.max(...series.map((s) => s.minutes));
  const add = (pick: (s: SimRecord['series']) => Int32Array): Int32Array => {
    const out = new Int32Array(minutes);
    for (const s of series) {
      const a = pick(s);
      for (let i = 0; i < Math.min(a.length, minutes); i++) out[i]! += a[i]!;
    }
    return out;
  };
  return {
    minutes,
    arrivals: add((s) => s.arrivals),
    inFlight: add((s) => s.inFlight),
    ready: add((s) => s.ready),
  };
}
