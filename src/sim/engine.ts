import { EventHeap } from './heap.js';
import { bucketOf, LatencyAccumulator } from './latency.js';
import type { ReplicaLife, SimRecord } from './record.js';
import type { ArrivalStream } from '../traffic/types.js';
import type { Routing } from '../scenario/fields.js';

/*
 * The discrete-event core (design §3). One loop per option over the same trace:
 *
 *   arrivals (trace ⊕ heartbeats) ─► policy.onArrival (admit | throttle | fail)
 *        ─► a ready replica with a free slot (routing) ─► completion event
 *        └► FIFO queue when every slot is busy or no replica is ready ─► policy.onQueued
 *   completions free a slot: the queue head starts there; an emptied replica ─► policy.onIdle
 *   replica loads finish ─► READY: the queue drains onto it ─► policy.onReady
 *   policy timers ─► policy.onTimer (scale out, scale in, scale to zero)
 *
 * At equal times: completions and replica-ready events, then arrivals, then scaling decisions.
 * Arrivals are pulled from their streams, never stored; the heap holds completions, loads and
 * timers only. Per-request state lives in typed arrays while a request is queued or in service.
 */

/** Seconds of service for a request, fixed when it starts; `occupancy` counts the request itself. */
export interface ServiceModel {
  time(inputTokens: number, outputTokens: number, occupancy: number, cls: number): number;
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
}

export interface FleetConfig {
  slotsPerReplica: number;
  routing: Routing;
  service: ServiceModel;
  /** Replicas ready at t = 0. */
  initialReplicas: number;
  policy: FleetPolicy | null;
  /** If set, count per replica the distinct windows of this length in which it started requests. */
  startWindowSeconds?: number;
  /** The model's context length: a user request with more input tokens fails on arrival. */
  maxInputTokens?: number;
}

// Heap kinds encode the event order at equal times: service events (completions and replica
// loads finishing; the payload tells them apart) before arrivals, timers (scaling) after.
const HEAP_KIND_SERVICE = 0;
const HEAP_KIND_TIMER = 2;
const HEARTBEAT = 2;
/** Arrival times kept per class of cold-start hits (the rest are counted only). */
const MAX_HIT_TIMES = 1 << 20;

class GrowI32 {
  a: Int32Array;
  constructor(n: number) {
    this.a = new Int32Array(n);
  }
  ensure(n: number): void {
    if (n <= this.a.length) return;
    const b = new Int32Array(Math.max(n, this.a.length * 2));
    b.set(this.a);
    this.a = b;
  }
}
class GrowF64 {
  a: Float64Array;
  constructor(n: number) {
    this.a = new Float64Array(n);
  }
  ensure(n: number): void {
    if (n <= this.a.length) return;
    const b = new Float64Array(Math.max(n, this.a.length * 2));
    b.set(this.a);
    this.a = b;
  }
}

/** Runs one simulation. Not reusable: create one per option run. */
export class Simulation implements Fleet {
  now = 0;
  readonly slotsPerReplica: number;
  private readonly cfg: FleetConfig;
  private readonly policy: FleetPolicy | null;
  private readonly heap = new EventHeap();
  private readonly spanSeconds: number;

  // Replicas (index = id, creation order).
  private nRep = 0;
  private repState = new GrowI32(16); // 0 loading, 1 ready, 2 removed, 3 draining
  private repInFlight = new GrowI32(16);
  private repRequested = new GrowF64(16);
  private repReady = new GrowF64(16);
  private repFirst = new GrowF64(16);
  private repLastStart = new GrowF64(16);
  private repRemoved = new GrowF64(16);
  private repStarts = new GrowF64(16);
  private repWindows = new GrowF64(16);
  private repLastWin = new GrowF64(16);
  private repCold = new GrowI32(16);
  private repKeep = new GrowI32(16);
  private liveIds: number[] = [];
  private readyIds: number[] = [];
  private nReady = 0;
  private nLoading = 0;
  private freeSlots = 0;
  private peakLive = 0;
  private coldStarts = 0;
  private evictedColdStarts = 0;
  /** ∫ (in service + queued) dt up to `loadAt`. */
  private loadArea = 0;
  private loadAt = 0;

  // Queue (ring buffer): arrival time, tokens, class, cold-hit flag.
  private qT = new Float64Array(1024);
  private qIn = new Float64Array(1024);
  private qOut = new Float64Array(1024);
  private qCls = new Int32Array(1024);
  private qCold = new Uint8Array(1024);
  private qHead = 0;
  private qLen = 0;
  private qSince = NaN;

  // In-service pool.
  private sArr = new GrowF64(256);
  private sStart = new GrowF64(256);
  private sCls = new GrowI32(256);
  private sCold = new GrowI32(256);
  private sRep = new GrowI32(256);
  /** 0 free, 1 in service, 2 interrupted (its completion event is stale and frees the record). */
  private sState = new GrowI32(256);
  private sIn = new GrowF64(256);
  private sOut = new GrowF64(256);
  private sDone = new GrowF64(256);
  private sFree = new GrowI32(256);
  private sFreeN = 0;
  private sN = 0;
  private inService = 0;

  // Counters.
  private arrived = 0;
  private served = 0;
  private throttled = 0;
  private failed = 0;
  private contextExceeded = 0;
  private heartbeats = 0;
  private coldStartHits = 0;
  /** Cold-start hits of interactive (0) and batch (1) requests, their arrival times and worst latency. */
  private coldHitsByCls = [0, 0];
  private coldHitTimes = [new GrowF64(16), new GrowF64(16)];
  private coldHitMax = [0, 0];
  private servedIn = 0;
  private servedOut = 0;
  private batchIn = 0;
  private batchOut = 0;
  private hbIn = 0;
  private hbOut = 0;
  private busy = 0;
  private firstArr = Infinity;
  /** Time of the last arrival or completion: replicas never removed are billed to max(span, this). */
  private lastWork = 0;
  private firstLatency = NaN;

  private readonly lat = {
    all: new LatencyAccumulator(),
    interactive: new LatencyAccumulator(),
    batch: new LatencyAccumulator(),
    warm: new LatencyAccumulator(),
    coldHit: new LatencyAccumulator(),
  };

  // Per-minute series.
  private minute = 0;
  private serArr = new GrowI32(1440);
  private serFlight = new GrowI32(1440);
  private serReady = new GrowI32(1440);

  constructor(cfg: FleetConfig, spanSeconds: number) {
    this.cfg = cfg;
    this.policy = cfg.policy;
    this.slotsPerReplica = cfg.slotsPerReplica;
    this.spanSeconds = spanSeconds;
  }

  // ---- Fleet interface -------------------------------------------------------------------
  readyCount(): number {
    return this.nReady;
  }
  loadingCount(): number {
    return this.nLoading;
  }
  queueLength(): number {
    return this.qLen;
  }
  freeSlotCount(): number {
    return this.freeSlots;
  }
  queuedSince(): number {
    return this.qLen > 0 ? this.qSince : NaN;
  }
  live(): readonly number[] {
    return this.liveIds;
  }
  isReady(id: number): boolean {
    return this.repState.a[id] === 1;
  }
  isDraining(id: number): boolean {
    return this.repState.a[id] === 3;
  }
  inFlight(id: number): number {
    return this.repInFlight.a[id]!;
  }
  lastAssigned(id: number): number {
    const last = this.repLastStart.a[id]!;
    return last === last ? Math.max(last, this.repReady.a[id]!) : this.repReady.a[id]!;
  }

  loadSeconds(): number {
    return this.loadArea + (this.now - this.loadAt) * (this.inService + this.qLen);
  }

  /** Brings the load integral up to `t`; call before the number in the system changes. */
  private accrueLoad(t: number): void {
    this.loadArea += (t - this.loadAt) * (this.inService + this.qLen);
    this.loadAt = t;
  }

  addReplica(loadSeconds: number, cold: boolean, evicted = false): number {
    const id = this.nRep++;
    for (const g of [this.repState, this.repInFlight, this.repCold, this.repKeep]) g.ensure(id + 1);
    for (const g of [
      this.repRequested,
      this.repReady,
      this.repFirst,
      this.repLastStart,
      this.repRemoved,
      this.repStarts,
      this.repWindows,
      this.repLastWin,
    ])
      g.ensure(id + 1);
    this.repState.a[id] = 0;
    this.repInFlight.a[id] = 0;
    this.repCold.a[id] = cold ? 1 : 0;
    this.repKeep.a[id] = 0;
    this.repRequested.a[id] = this.now;
    this.repReady.a[id] = NaN;
    this.repFirst.a[id] = NaN;
    this.repLastStart.a[id] = NaN;
    this.repRemoved.a[id] = NaN;
    this.repStarts.a[id] = 0;
    this.repWindows.a[id] = 0;
    this.repLastWin.a[id] = -1;
    this.liveIds.push(id);
    if (this.liveIds.length > this.peakLive) this.peakLive = this.liveIds.length;
    if (cold) this.coldStarts++;
    if (cold && evicted) this.evictedColdStarts++;
    this.nLoading++;
    this.heap.push(this.now + loadSeconds, HEAP_KIND_SERVICE, -1 - id);
    return id;
  }

  removeReplica(id: number): void {
    const state = this.repState.a[id];
    if (state === 2) return;
    if (this.repInFlight.a[id] !== 0) throw new Error(`internal: replica ${id} removed while serving`);
    if (state === 1) {
      this.nReady--;
      this.freeSlots -= this.slotsPerReplica;
      this.readyIds.splice(this.readyIds.indexOf(id), 1);
    } else if (state === 0) this.nLoading--;
    // state 3 (draining) already left the ready set and its free slots.
    this.repState.a[id] = 2;
    this.repRemoved.a[id] = this.now;
    this.liveIds.splice(this.liveIds.indexOf(id), 1);
  }

  interruptReplica(id: number): number {
    if (this.repState.a[id] === 2) return 0;
    const victims: number[] = [];
    for (let idx = 0; idx < this.sN; idx++)
      if (this.sRep.a[idx] === id && this.sState.a[idx] === 1) victims.push(idx);
    victims.sort((a, b) => this.sArr.a[a]! - this.sArr.a[b]! || a - b);
    // Undo the start accounting, then put the requests back at the head in arrival order.
    for (let k = victims.length - 1; k >= 0; k--) {
      const idx = victims[k]!;
      this.sState.a[idx] = 2;
      this.inService--;
      this.repInFlight.a[id]!--;
      this.freeSlots++;
      this.busy -= this.sDone.a[idx]! - this.now;
      if (this.sCls.a[idx] === HEARTBEAT) {
        this.hbIn -= this.sIn.a[idx]!;
        this.hbOut -= this.sOut.a[idx]!;
      } else {
        this.servedIn -= this.sIn.a[idx]!;
        this.servedOut -= this.sOut.a[idx]!;
        if (this.sCls.a[idx] === 1) {
          this.batchIn -= this.sIn.a[idx]!;
          this.batchOut -= this.sOut.a[idx]!;
        }
      }
      this.pushFront(
        this.sArr.a[idx]!,
        this.sIn.a[idx]!,
        this.sOut.a[idx]!,
        this.sCls.a[idx]!,
        this.sCold.a[idx]!,
      );
    }
    this.removeReplica(id);
    // The re-queued requests take any free slot left elsewhere at once.
    while (this.qLen > 0 && this.freeSlots > 0) this.startQueued(this.route(), this.now);
    return victims.length;
  }

  drainReplica(id: number, keep = false): void {
    const state = this.repState.a[id];
    if (state !== 1) {
      if (state === 0) this.removeReplica(id);
      return;
    }
    const busy = this.repInFlight.a[id]!;
    if (busy === 0 && !keep) {
      this.removeReplica(id);
      return;
    }
    this.repKeep.a[id] = keep ? 1 : 0;
    this.repState.a[id] = 3;
    this.nReady--;
    this.freeSlots -= this.slotsPerReplica - busy;
    this.readyIds.splice(this.readyIds.indexOf(id), 1);
  }

  setTimer(at: number, tag: number): void {
    this.heap.push(Math.max(at, this.now), HEAP_KIND_TIMER, tag);
  }

  // ---- The loop ----------------------------------------------------------------------------
  run(users: ArrivalStream, heartbeats: ArrivalStream | null): SimRecord {
    for (let i = 0; i < this.cfg.initialReplicas; i++) this.addReplica(0, false);
    this.drainHeapAt(0);
    this.policy?.onStart(this);

    let uT = users.next() ? users.t : Infinity;
    let hT = heartbeats !== null && heartbeats.next() ? heartbeats.t : Infinity;
    const heap = this.heap;

    for (;;) {
      const aT = uT <= hT ? uT : hT;
      const eT = heap.peekTime();
      if (aT === Infinity && eT === Infinity) break;
      // Heap kinds 0 (service) go before arrivals at equal times; timers (2) after.
      if (eT < aT || (eT === aT && heap.peekKind() === HEAP_KIND_SERVICE)) {
        heap.pop();
        const t = heap.t;
        if (t >= (this.minute + 1) * 60) this.flushMinutes(t);
        this.now = t;
        if (heap.k === HEAP_KIND_SERVICE) {
          if (heap.p >= 0) this.complete(heap.p, t);
          else this.ready(-1 - heap.p, t);
        } else {
          if (aT === Infinity && this.qLen === 0 && this.inService === 0 && t > this.spanSeconds + 86400)
            break;
          this.policy!.onTimer(this, t, heap.p);
        }
      } else if (uT <= hT) {
        if (aT >= (this.minute + 1) * 60) this.flushMinutes(aT);
        this.now = aT;
        this.arrive(aT, users.inputTokens, users.outputTokens, users.cls);
        uT = users.next() ? users.t : Infinity;
      } else {
        if (aT >= (this.minute + 1) * 60) this.flushMinutes(aT);
        this.now = aT;
        this.arrive(aT, heartbeats!.inputTokens, heartbeats!.outputTokens, HEARTBEAT);
        hT = heartbeats!.next() ? heartbeats!.t : Infinity;
      }
    }
    return this.finish();
  }

  /** Handles the service events (loads finishing, completions) due at or before `t`. */
  private drainHeapAt(t: number): void {
    const heap = this.heap;
    while (heap.size > 0 && heap.peekTime() <= t && heap.peekKind() === HEAP_KIND_SERVICE) {
      heap.pop();
      if (heap.p >= 0) this.complete(heap.p, heap.t);
      else this.ready(-1 - heap.p, heap.t);
    }
  }

  private arrive(t: number, inTok: number, outTok: number, cls: number): void {
    this.lastWork = t;
    const user = cls !== HEARTBEAT;
    if (user) {
      this.arrived++;
      this.serArr.a[this.minute]!++;
    } else this.heartbeats++;
    if (user && inTok > (this.cfg.maxInputTokens ?? Infinity)) {
      this.failed++;
      this.contextExceeded++;
      return;
    }
    if (this.policy !== null) {
      const code = this.policy.onArrival(this, t, cls, inTok, outTok);
      if (code !== Admit.admit) {
        if (user) {
          if (code === Admit.throttle) this.throttled++;
          else this.failed++;
          if (code === Admit.failCold) this.countColdHit(t, cls);
        }
        return;
      }
      // A replica the policy asked for with no load time is ready now: the request does not
      // wait on a cold start (a 0 s cold start counts no cold-start hit).
      this.drainHeapAt(t);
    }
    this.accrueLoad(t);
    const cold = user && this.nReady === 0 ? 1 : 0;
    if (cold) this.countColdHit(t, cls);
    if (this.freeSlots > 0 && this.qLen === 0) {
      this.start(this.route(), t, t, inTok, outTok, cls, cold);
      return;
    }
    this.enqueue(t, inTok, outTok, cls, cold);
    this.policy?.onQueued(this, t);
  }

  private countColdHit(t: number, cls: number): void {
    this.coldStartHits++;
    const c = cls === 0 ? 0 : 1;
    const n = this.coldHitsByCls[c]!++;
    // The times feed the heartbeat fit; a bounded prefix is plenty.
    if (n < MAX_HIT_TIMES) {
      this.coldHitTimes[c]!.ensure(n + 1);
      this.coldHitTimes[c]!.a[n] = t;
    }
  }

  /** The ready replica with a free slot the routing rule picks; ties go to the oldest. */
  private route(): number {
    const ids = this.readyIds;
    const inf = this.repInFlight.a;
    const slots = this.slotsPerReplica;
    const pack = this.cfg.routing === 'pack';
    let best = -1;
    let bestF = 0;
    for (let i = 0; i < ids.length; i++) {
      const r = ids[i]!;
      const f = inf[r]!;
      if (f >= slots) continue;
      if (best < 0 || (pack ? f > bestF : f < bestF)) {
        best = r;
        bestF = f;
      }
    }
    return best;
  }

  private start(
    r: number,
    t: number,
    arrT: number,
    inTok: number,
    outTok: number,
    cls: number,
    cold: number,
  ): void {
    const occ = ++this.repInFlight.a[r]!;
    this.freeSlots--;
    const svc = this.cfg.service.time(inTok, outTok, occ, cls);
    let idx: number;
    if (this.sFreeN > 0) idx = this.sFree.a[--this.sFreeN]!;
    else {
      idx = this.sN++;
      if (idx >= this.sArr.a.length) {
        const n = idx + 1;
        this.sArr.ensure(n);
        this.sStart.ensure(n);
        this.sCls.ensure(n);
        this.sCold.ensure(n);
        this.sRep.ensure(n);
        this.sState.ensure(n);
        this.sIn.ensure(n);
        this.sOut.ensure(n);
        this.sDone.ensure(n);
        this.sFree.ensure(n);
      }
    }
    this.sArr.a[idx] = arrT;
    this.sStart.a[idx] = t;
    this.sCls.a[idx] = cls;
    this.sCold.a[idx] = cold;
    this.sRep.a[idx] = r;
    this.sState.a[idx] = 1;
    this.sIn.a[idx] = inTok;
    this.sOut.a[idx] = outTok;
    this.sDone.a[idx] = t + svc;
    this.inService++;
    this.busy += svc;
    if (cls === HEARTBEAT) {
      this.hbIn += inTok;
      this.hbOut += outTok;
    } else {
      this.servedIn += inTok;
      this.batchIn += cls === 1 ? inTok : 0;
      this.batchOut += cls === 1 ? outTok : 0;
      this.servedOut += outTok;
    }
    const first = this.repFirst.a[r]!;
    if (first !== first) this.repFirst.a[r] = t;
    this.repLastStart.a[r] = t;
    this.repStarts.a[r]!++;
    const w = this.cfg.startWindowSeconds;
    if (w !== undefined) {
      const win = Math.floor((t - this.repFirst.a[r]!) / w);
      if (win !== this.repLastWin.a[r]) {
        this.repLastWin.a[r] = win;
        this.repWindows.a[r]!++;
      }
    }
    this.heap.push(t + svc, HEAP_KIND_SERVICE, idx);
  }

  private complete(idx: number, t: number): void {
    if (this.sState.a[idx] === 2) {
      // The replica was interrupted and the request re-queued: only the slot record is freed now.
      this.sState.a[idx] = 0;
      this.sFree.a[this.sFreeN++] = idx;
      return;
    }
    this.accrueLoad(t);
    this.sState.a[idx] = 0;
    this.lastWork = t;
    const r = this.sRep.a[idx]!;
    const cls = this.sCls.a[idx]!;
    this.sFree.a[this.sFreeN++] = idx;
    this.inService--;
    const left = --this.repInFlight.a[r]!;
    if (this.repState.a[r] === 3) {
      // Draining: the slot does not return to the pool; the replica goes when it is empty.
      this.recordLatency(idx, cls, t);
      if (left === 0 && this.repKeep.a[r] === 0) this.removeReplica(r);
      return;
    }
    this.freeSlots++;
    this.recordLatency(idx, cls, t);
    if (this.qLen > 0) {
      this.startQueued(r, t);
    } else if (this.repInFlight.a[r] === 0 && this.policy !== null) {
      this.policy.onIdle(this, r, t);
    }
  }

  private recordLatency(idx: number, cls: number, t: number): void {
    if (cls === HEARTBEAT) return;
    this.served++;
    const arrT = this.sArr.a[idx]!;
    const latency = t - arrT;
    const wait = this.sStart.a[idx]! - arrT;
    if (arrT < this.firstArr) {
      this.firstArr = arrT;
      this.firstLatency = latency;
    }
    const b = bucketOf(latency);
    const lat = this.lat;
    lat.all.add(latency, wait, b);
    (cls === 0 ? lat.interactive : lat.batch).add(latency, wait, b);
    if (this.sCold.a[idx] === 1) {
      lat.coldHit.add(latency, wait, b);
      const c = cls === 0 ? 0 : 1;
      if (latency > this.coldHitMax[c]!) this.coldHitMax[c] = latency;
    } else lat.warm.add(latency, wait, b);
  }

  private ready(r: number, t: number): void {
    if (this.repState.a[r] !== 0) return; // removed while loading
    this.repState.a[r] = 1;
    this.repReady.a[r] = t;
    this.nLoading--;
    this.nReady++;
    this.freeSlots += this.slotsPerReplica;
    // Keep readyIds in creation order so routing ties go to the oldest replica.
    const ids = this.readyIds;
    let i = ids.length;
    while (i > 0 && ids[i - 1]! > r) i--;
    ids.splice(i, 0, r);
    while (this.qLen > 0 && this.repInFlight.a[r]! < this.slotsPerReplica) this.startQueued(r, t);
    this.policy?.onReady(this, r, t);
  }

  private startQueued(r: number, t: number): void {
    const h = this.qHead;
    this.qHead = (h + 1) & (this.qT.length - 1);
    this.qLen--;
    this.start(r, t, this.qT[h]!, this.qIn[h]!, this.qOut[h]!, this.qCls[h]!, this.qCold[h]!);
  }

  private enqueue(t: number, inTok: number, outTok: number, cls: number, cold: number): void {
    if (this.qLen === 0) this.qSince = t;
    if (this.qLen === this.qT.length) this.growQueue();
    const i = (this.qHead + this.qLen) & (this.qT.length - 1);
    this.qT[i] = t;
    this.qIn[i] = inTok;
    this.qOut[i] = outTok;
    this.qCls[i] = cls;
    this.qCold[i] = cold;
    this.qLen++;
  }

  /** Puts a request back at the head of the queue (an interrupted request keeps its place). */
  private pushFront(t: number, inTok: number, outTok: number, cls: number, cold: number): void {
    if (this.qLen === 0) this.qSince = this.now;
    if (this.qLen === this.qT.length) this.growQueue();
    const i = (this.qHead - 1) & (this.qT.length - 1);
    this.qHead = i;
    this.qT[i] = t;
    this.qIn[i] = inTok;
    this.qOut[i] = outTok;
    this.qCls[i] = cls;
    this.qCold[i] = cold;
    this.qLen++;
  }

  private growQueue(): void {
    const n = this.qT.length;
    const order = (
      src: Float64Array | Int32Array | Uint8Array,
      dst: Float64Array | Int32Array | Uint8Array,
    ) => {
      for (let k = 0; k < n; k++) dst[k] = src[(this.qHead + k) & (n - 1)]!;
    };
    const t = new Float64Array(2 * n);
    const i = new Float64Array(2 * n);
    const o = new Float64Array(2 * n);
    const c = new Int32Array(2 * n);
    const d = new Uint8Array(2 * n);
    order(this.qT, t);
    order(this.qIn, i);
    order(this.qOut, o);
    order(this.qCls, c);
    order(this.qCold, d);
    this.qT = t;
    this.qIn = i;
    this.qOut = o;
    this.qCls = c;
    this.qCold = d;
    this.qHead = 0;
  }

  /** Records the state at the end of every whole minute before time t. */
  private flushMinutes(t: number): void {
    const target = Math.floor(t / 60);
    this.serArr.ensure(target + 1);
    this.serFlight.ensure(target + 1);
    this.serReady.ensure(target + 1);
    const inSystem = this.inService + this.qLen;
    while (this.minute < target) {
      this.serFlight.a[this.minute] = inSystem;
      this.serReady.a[this.minute] = this.nReady;
      this.minute++;
    }
  }

  private finish(): SimRecord {
    const endTime = this.now;
    // Requests still queued can never be served (no replica will come): they failed.
    if (this.qLen > 0) {
      for (let k = 0; k < this.qLen; k++) {
        if (this.qCls[(this.qHead + k) & (this.qT.length - 1)] !== HEARTBEAT) this.failed++;
      }
      this.qLen = 0;
    }
    const end = Math.max(this.spanSeconds, this.lastWork);
    const minutes = Math.max(1, Math.ceil(Math.max(end, endTime) / 60));
    this.flushMinutes(minutes * 60);
    const lat = this.lat;
    let sample: SimRecord['latencySample'] | undefined;
    const replicas: ReplicaLife[] = [];
    for (let id = 0; id < this.nRep; id++) {
      const removed = this.repRemoved.a[id]!;
      replicas.push({
        id,
        requestedAt: this.repRequested.a[id]!,
        readyAt: this.repReady.a[id]!,
        firstStartAt: this.repFirst.a[id]!,
        lastStartAt: this.repLastStart.a[id]!,
        removedAt: removed === removed ? removed : Math.max(end, this.repRequested.a[id]!),
        starts: this.repStarts.a[id]!,
        startWindows: this.repWindows.a[id]!,
        cold: this.repCold.a[id] === 1,
      });
    }
    return {
      arrived: this.arrived,
      served: this.served,
      throttled: this.throttled,
      failed: this.failed,
      contextExceeded: this.contextExceeded,
      heartbeats: this.heartbeats,
      coldStartHits: this.coldStartHits,
      coldStartHitsByClass: { interactive: this.coldHitsByCls[0]!, batch: this.coldHitsByCls[1]! },
      coldHitArrivals: {
        interactive: this.coldHitTimes[0]!.a.slice(0, Math.min(this.coldHitsByCls[0]!, MAX_HIT_TIMES)),
        batch: this.coldHitTimes[1]!.a.slice(0, Math.min(this.coldHitsByCls[1]!, MAX_HIT_TIMES)),
      },
      coldHitMaxLatency: { interactive: this.coldHitMax[0]!, batch: this.coldHitMax[1]! },
      firstRequest: this.firstArr < Infinity ? { arrival: this.firstArr, latency: this.firstLatency } : null,
      servedInputTokens: this.servedIn,
      servedOutputTokens: this.servedOut,
      servedBatchInputTokens: this.batchIn,
      servedBatchOutputTokens: this.batchOut,
      heartbeatInputTokens: this.hbIn,
      heartbeatOutputTokens: this.hbOut,
      latency: {
        all: this.lat.all.summary(),
        interactive: this.lat.interactive.summary(),
        batch: this.lat.batch.summary(),
        warm: this.lat.warm.summary(),
        coldHit: this.lat.coldHit.summary(),
      },
      // Sorted on first use: only reports draw the CDF, sweeps never do.
      get latencySample() {
        sample ??= { all: lat.all.quantiles(), coldHit: lat.coldHit.quantiles() };
        return sample;
      },
      replicas,
      coldStarts: this.coldStarts,
      evictedColdStarts: this.evictedColdStarts,
      // Every load that was neither a start from zero nor one of the initial replicas.
      scaleOutLoads: this.nRep - this.coldStarts - this.cfg.initialReplicas,
      peakReplicas: this.peakLive,
      busySlotSeconds: this.busy,
      slotsPerReplica: this.slotsPerReplica,
      spanSeconds: this.spanSeconds,
      endTime,
      series: {
        minutes,
        arrivals: this.serArr.a.slice(0, minutes),
        inFlight: this.serFlight.a.slice(0, minutes),
        ready: this.serReady.a.slice(0, minutes),
      },
    };
  }
}

/** Convenience: one run of one fleet over a trace. */
export function simulate(
  cfg: FleetConfig,
  users: ArrivalStream,
  heartbeats: ArrivalStream | null,
  spanSeconds: number,
): SimRecord {
  return new Simulation(cfg, spanSeconds).run(users, heartbeats);
}
