import { Counters, MinuteSeries } from './counters.js';
import { Admit, type Fleet, type FleetConfig } from './fleet.js';
import type { SimRecord } from './record.js';
import { ReplicaTable } from './replicas.js';
import type { ArrivalStream } from '../traffic/types.js';

/*
 * The event loop of a fleet that never queues (`FleetConfig.unqueued`: the managed per-token
 * endpoints, one replica ready from t = 0 whose slots never run out, behind a policy that only
 * admits or refuses each arrival). No request ever waits, so per user request the loop is: admit
 * or refuse it; if admitted, it completes at arrival + service time. What the general engine
 * spends on routing, slots, scaling hooks and the load integral is skipped; what the record holds
 * is computed as the engine computes it — completions taken in its order (time, then start
 * order: the latency sums are order-sensitive in floating point), the per-minute series flushed
 * at the same events — so the record is the engine's, byte for byte (test/sim/direct.test.ts).
 */

/** Stands for the fleet in an unqueued policy's `onArrival`, which must not touch it. */
const DETACHED = new Proxy({} as Fleet, {
  get(_t, name) {
    throw new Error(`internal: an unqueued fleet's policy read fleet.${String(name)}`);
  },
});

/** `simulate` for a config with `unqueued` and no calls of the option's own. */
export function simulateUnqueued(cfg: FleetConfig, users: ArrivalStream, spanSeconds: number): SimRecord {
  if (cfg.initialReplicas !== 1 || cfg.policy?.onServiceStart !== undefined)
    throw new Error('internal: an unqueued fleet has one replica and watches no starts');
  const policy = cfg.policy;
  const service = cfg.service;
  const maxIn = cfg.maxInputTokens ?? Infinity;
  const timed = cfg.latency !== false;
  const counts = new Counters(timed);
  const { arrivals, inputTokens: tokIn, outputTokens: tokOut } = counts;
  const series = new MinuteSeries();
  // The one replica, ready at 0 as the engine makes it (addReplica(0) then its ready event).
  const reps = new ReplicaTable();
  reps.add(0, false);
  reps.markReady(0, 0);
  policy?.onReady(DETACHED, 0, 0);
  policy?.onStart(DETACHED);
  // Requests in service, by completion time (then start order, the engine heap's tie rule): a
  // ring of the few in flight, each admitted request inserted from the back.
  let cap = 64;
  let done = new Float64Array(cap);
  let arr = new Float64Array(cap);
  let classes = new Int32Array(cap);
  let head = 0;
  let inService = 0;
  let busy = 0;
  let now = 0;
  let lastWork = 0;
  let started = 0;
  let firstStart = NaN;
  let lastStart = NaN;
  const grow = (): void => {
    const n = cap * 2;
    const [d, a, c] = [new Float64Array(n), new Float64Array(n), new Int32Array(n)];
    for (let k = 0; k < inService; k++) {
      const j = (head + k) & (cap - 1);
      d[k] = done[j]!;
      a[k] = arr[j]!;
      c[k] = classes[j]!;
    }
    [done, arr, classes, head, cap] = [d, a, c, 0, n];
  };

  const complete = (): void => {
    const t = done[head]!;
    if (t >= (series.minute + 1) * 60) series.flush(t, inService, 1);
    now = t;
    lastWork = t;
    const arrT = arr[head]!;
    const cls = classes[head]!;
    head = (head + 1) & (cap - 1);
    inService--;
    counts.served++;
    const latency = t - arrT;
    if (arrT < counts.firstArr) {
      counts.firstArr = arrT;
      counts.firstLatency = latency;
    }
    if (timed) counts.time(latency, 0, cls, false);
  };

  while (users.next()) {
    const t = users.t;
    while (inService > 0 && done[head]! <= t) complete();
    if (t >= (series.minute + 1) * 60) series.flush(t, inService, 1);
    now = t;
    lastWork = t;
    const cls = users.cls;
    const inTok = users.inputTokens;
    const outTok = users.outputTokens;
    arrivals[cls]!++;
    series.arrivals.a[series.minute]!++;
    if (inTok > maxIn) {
      counts.failed++;
      counts.contextExceeded++;
      continue;
    }
    if (policy !== null) {
      const code = policy.onArrival(DETACHED, t, cls, inTok, outTok);
      if (code !== Admit.admit) {
        if (code === Admit.throttle) counts.throttled++;
        else counts.failed++;
        if (code === Admit.failCold) counts.coldHit(t, cls);
        continue;
      }
    }
    // Started at once on the one replica (the request itself counted in its occupancy).
    if (inService === cap) grow();
    const svc = service.time(inTok, outTok, ++inService, cls, 0);
    const end = t + svc;
    const mask = cap - 1;
    let k = inService - 1;
    while (k > 0 && done[(head + k - 1) & mask]! > end) {
      const from = (head + k - 1) & mask;
      const to = (head + k) & mask;
      done[to] = done[from]!;
      arr[to] = arr[from]!;
      classes[to] = classes[from]!;
      k--;
    }
    const at = (head + k) & mask;
    done[at] = end;
    arr[at] = t;
    classes[at] = cls;
    busy += svc;
    tokIn[cls]! += inTok;
    tokOut[cls]! += outTok;
    if (started++ === 0) firstStart = t;
    lastStart = t;
  }
  while (inService > 0) complete();
  // As the engine's `finish`: the replica's starts, then the record.
  reps.firstStart.a[0] = firstStart;
  reps.lastStart.a[0] = lastStart;
  reps.starts.a[0] = started;
  const end = Math.max(spanSeconds, lastWork);
  const minutes = Math.max(1, Math.ceil(Math.max(end, now) / 60));
  series.flush(minutes * 60, 0, 1);
  return counts.toRecord({
    replicas: reps.lives(end),
    coldStarts: 0,
    evictedColdStarts: 0,
    scaleOutLoads: 0,
    peakReplicas: reps.peakLive,
    busySlotSeconds: busy,
    slotsPerReplica: cfg.slotsPerReplica,
    spanSeconds,
    endTime: now,
    series: series.toRecord(minutes),
  });
}
