import { AdapterResidency, type MultiLora } from '../models/multi-lora.js';
import { Counters } from '../sim/counters.js';
import { simulate } from '../sim/engine.js';
import { Admit, type Fleet, type FleetConfig, type FleetPolicy, type ServiceModel } from '../sim/fleet.js';
import { bucketOf } from '../sim/latency.js';
import type { SimRecord } from '../sim/record.js';
import type { UserSource } from '../traffic/held.js';
import type { ArrivalStream } from '../traffic/types.js';

/*
 * One multi-LoRA node group simulated once over its models' merged requests
 * (docs/portfolio.md, "Self-hosted multi-LoRA"):
 *
 *   models' streams ─► merged by time, each request tagged with its model ─► the engine (the
 *   option's own fleet: slots, routing, node scaling) with a service model that divides every
 *   time by the throughput factor and adds the adapter load when the request's adapter is not
 *   resident on its node (an LRU per node)
 *   ─► the fleet's record (billing), and per model a record of its own requests
 *
 * The engine does not carry a request's model. It starts requests in arrival order (FIFO queue;
 * no interruptions: spot nodes are refused with multi-LoRA), so the requests admitted and not yet
 * started are kept here in the same order: a start takes the oldest. Each start's service time
 * is decided here, and `onServiceStart` gives its start time, so each model's latency is the
 * engine's own (start + service − arrival), recorded into that model's counters.
 */

/** One model of a node group: its requests, and whether it is an adapter (the base itself needs none). */
export interface GroupMember {
  model: string;
  users: UserSource;
  adapter: boolean;
}

/** A node group's run: the fleet's record, and per member its own requests' record, busy seconds and adapter loads. */
export interface GroupRun {
  record: SimRecord;
  perModel: { record: SimRecord; busySeconds: number; adapterLoads: number }[];
}

export function simulateGroup(
  fleet: FleetConfig,
  members: readonly GroupMember[],
  lora: MultiLora,
  spanSeconds: number,
  maxInputTokens: number,
): GroupRun {
  const t = new Tracker(members, lora, fleet.service, fleet.policy, maxInputTokens);
  const record = simulate(
    { ...fleet, service: t, policy: t, maxInputTokens },
    new MergedStream(
      members.map((m) => m.users()),
      t,
    ),
    null,
    spanSeconds,
  );
  return { record, perModel: t.records(record) };
}

/** The members' streams merged by arrival time (ties: the earlier member first); `onEmit` sees each request. */
class MergedStream implements ArrivalStream {
  t = 0;
  inputTokens = 0;
  outputTokens = 0;
  cls = 0;
  private readonly live: boolean[];

  constructor(
    private readonly streams: ArrivalStream[],
    private readonly tracker: Tracker,
  ) {
    this.live = streams.map((s) => s.next());
  }

  next(): boolean {
    let best = -1;
    for (let i = 0; i < this.streams.length; i++)
      if (this.live[i] && (best < 0 || this.streams[i]!.t < this.streams[best]!.t)) best = i;
    if (best < 0) return false;
    const s = this.streams[best]!;
    this.t = s.t;
    this.inputTokens = s.inputTokens;
    this.outputTokens = s.outputTokens;
    this.cls = s.cls;
    this.tracker.emitted(best, s.t, s.inputTokens, s.cls);
    this.live[best] = s.next();
    return true;
  }
}

/** The service model and the policy of the group's fleet, wrapping the option's own. */
class Tracker implements ServiceModel, FleetPolicy {
  private readonly counters: Counters[];
  private readonly busy: number[];
  private readonly loads: number[];
  private readonly residency: AdapterResidency;
  // Requests admitted (or about to arrive) and not yet started, oldest first.
  private readonly qModel: number[] = [];
  private readonly qArr: number[] = [];
  private readonly qCls: number[] = [];
  private readonly qCold: number[] = [];
  private head = 0;
  // The request whose service time was just decided (its start follows at once).
  private cur = -1;
  private curSvc = 0;
  private curIn = 0;
  private curOut = 0;
  private fleet: Fleet | null = null;

  constructor(
    private readonly members: readonly GroupMember[],
    private readonly lora: MultiLora,
    private readonly inner: ServiceModel,
    private readonly policy: FleetPolicy | null,
    private readonly maxInputTokens: number,
  ) {
    this.counters = members.map(() => new Counters(true));
    this.busy = members.map(() => 0);
    this.loads = members.map(() => 0);
    this.residency = new AdapterResidency(lora.maxResidentAdapters);
  }

  /** A request left the merged stream: counted as arrived; queued here unless too long for the context (the engine fails it on arrival). */
  emitted(m: number, t: number, inputTokens: number, cls: number): void {
    const c = this.counters[m]!;
    c.arrivals[cls]!++;
    if (inputTokens > this.maxInputTokens) {
      c.failed++;
      c.contextExceeded++;
      return;
    }
    // Started entries are dropped now and then (never between a start's time() and its
    // onServiceStart, which the engine calls back to back): memory stays with the queue's length.
    if (this.head >= 4096 && this.head * 2 >= this.qModel.length) {
      for (const q of [this.qModel, this.qArr, this.qCls, this.qCold]) q.splice(0, this.head);
      this.head = 0;
    }
    this.qModel.push(m);
    this.qArr.push(t);
    this.qCls.push(cls);
    this.qCold.push(0);
  }

  // ---- ServiceModel ----
  time(inputTokens: number, outputTokens: number, occupancy: number, cls: number, replica: number): number {
    const k = this.head++;
    const m = this.qModel[k]!;
    let svc =
      this.inner.time(inputTokens, outputTokens, occupancy, cls, replica) / this.lora.throughputFactor;
    if (this.members[m]!.adapter && this.residency.use(replica, m)) {
      svc += this.lora.adapterLoadSeconds;
      this.loads[m]!++;
    }
    this.busy[m]! += svc;
    this.cur = k;
    this.curSvc = svc;
    this.curIn = inputTokens;
    this.curOut = outputTokens;
    return svc;
  }

  // ---- FleetPolicy ----
  onStart(fleet: Fleet): void {
    this.fleet = fleet;
    this.policy?.onStart(fleet);
  }

  onArrival(fleet: Fleet, t: number, cls: number, inputTokens: number, outputTokens: number): number {
    const code = this.policy?.onArrival(fleet, t, cls, inputTokens, outputTokens) ?? Admit.admit;
    if (code !== Admit.admit) throw new Error('internal: a multi-LoRA node group admits every request');
    // As the engine decides a cold-start hit: no ready node when the request arrives. The request
    // is the last one emitted (the merged stream is read one ahead only after this arrival).
    if (fleet.readyCount() === 0) {
      const k = this.qModel.length - 1;
      this.qCold[k] = 1;
      this.counters[this.qModel[k]!]!.coldHit(t, cls);
    }
    return code;
  }

  onQueued(fleet: Fleet, t: number): void {
    this.policy?.onQueued(fleet, t);
  }
  onIdle(fleet: Fleet, replica: number, t: number): void {
    this.policy?.onIdle(fleet, replica, t);
  }
  onReady(fleet: Fleet, replica: number, t: number): void {
    this.policy?.onReady(fleet, replica, t);
  }
  onTimer(fleet: Fleet, t: number, tag: number): void {
    this.policy?.onTimer(fleet, t, tag);
  }

  /** The request timed last starts now: its latency is fixed (the engine records the same at completion). */
  onServiceStart(replica: number, t: number): void {
    this.policy?.onServiceStart?.(replica, t);
    const k = this.cur;
    const m = this.qModel[k]!;
    const cls = this.qCls[k]!;
    const arr = this.qArr[k]!;
    const c = this.counters[m]!;
    const done = t + this.curSvc;
    const latency = done - arr;
    const wait = t - arr;
    c.served++;
    c.inputTokens[cls]! += this.curIn;
    c.outputTokens[cls]! += this.curOut;
    if (arr < c.firstArr) {
      c.firstArr = arr;
      c.firstLatency = latency;
    }
    const b = bucketOf(latency);
    c.lat.all.add(latency, wait, b);
    c.lat.byClass[cls]!.add(latency, wait, b);
    if (this.qCold[k] === 1) {
      c.lat.coldHit.add(latency, wait, b);
      if (latency > c.coldHitMax[cls]!) c.coldHitMax[cls] = latency;
    } else c.lat.warm.add(latency, wait, b);
  }

  /** Each member's record once the run is over; requests never started failed (as the engine counts them). */
  records(fleetRecord: SimRecord): GroupRun['perModel'] {
    if (this.fleet === null) throw new Error('internal: the group never ran');
    for (let k = this.head; k < this.qModel.length; k++) this.counters[this.qModel[k]!]!.failed++;
    return this.members.map((_, m) => ({
      record: this.counters[m]!.toRecord({
        // The nodes are the group's, shared: each model's record carries its requests only.
        replicas: [],
        coldStarts: fleetRecord.coldStarts,
        evictedColdStarts: fleetRecord.evictedColdStarts,
        scaleOutLoads: 0,
        peakReplicas: fleetRecord.peakReplicas,
        busySlotSeconds: this.busy[m]!,
        slotsPerReplica: fleetRecord.slotsPerReplica,
        spanSeconds: fleetRecord.spanSeconds,
        endTime: fleetRecord.endTime,
        series: {
          minutes: 0,
          arrivals: new Int32Array(0),
          inFlight: new Int32Array(0),
          ready: new Int32Array(0),
        },
      }),
      busySeconds: this.busy[m]!,
      adapterLoads: this.loads[m]!,
    }));
  }
}
