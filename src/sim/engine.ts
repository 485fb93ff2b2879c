import { Counters, MinuteSeries, OWN_CALLS } from './counters.js';
import { Admit, type Fleet, type FleetConfig, type FleetPolicy } from './fleet.js';
import { GrowF64, GrowI32 } from './grow.js';
import { EventHeap } from './heap.js';
import { simulateUnqueued } from './direct.js';
import type { SimRecord } from './record.js';
import { FleetState } from './fleet-state.js';
import { Rep } from './replicas.js';
import type { ArrivalStream } from '../traffic/types.js';

/*
 * The discrete-event core (design §3). One loop per option over the same trace:
 *
 *   arrivals (trace ⊕ the option's own calls) ─► policy.onArrival (admit | throttle | fail)
 *        ─► a ready replica with a free slot (routing) ─► completion event
 *        └► FIFO queue when every slot is busy or no replica is ready ─► policy.onQueued
 *   completions free a slot: the queue head starts there; an emptied replica ─► policy.onIdle
 *   replica loads finish ─► READY: the queue drains onto it ─► policy.onReady
 *   policy timers ─► policy.onTimer (scale out, scale in, scale to zero)
 *
 * At equal times: completions and replica-ready events, then arrivals, then scaling decisions.
 * Arrivals are pulled from their streams, never stored; the heap holds completions, loads and
 * timers only. Per-request state lives in typed arrays while a request is queued (queue.ts) or in
 * service (here); replicas in replicas.ts; what is counted in counters.ts. The policy contract
 * is fleet.ts.
 */

// Heap kinds encode the event order at equal times: service events (completions and replica
// loads finishing; the payload tells them apart) before arrivals, timers (scaling) after.
const HEAP_KIND_SERVICE = 0;
const HEAP_KIND_TIMER = 2;

/** Runs one simulation. Not reusable: create one per option run. */
export class Simulation extends FleetState implements Fleet {
  readonly slotsPerReplica: number;
  private readonly cfg: FleetConfig;
  private readonly policy: FleetPolicy | null;
  /** The policy when it watches every start (`onServiceStart`), else null. */
  private readonly startWatcher: FleetPolicy | null;
  private readonly heap = new EventHeap();
  private readonly spanSeconds: number;

  private coldStarts = 0;
  private evictedColdStarts = 0;

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

  private readonly counts: Counters;
  /** Latencies are recorded (`FleetConfig.latency`). */
  private readonly timed: boolean;
  // The counters' per-class arrays, held here too: the hot path reads them on every request.
  private readonly arrivals: Float64Array;
  private readonly tokIn: Float64Array;
  private readonly tokOut: Float64Array;
  private readonly series = new MinuteSeries();
  private busy = 0;
  /** Time of the last arrival or completion: replicas never removed are billed to max(span, this). */
  private lastWork = 0;

  constructor(cfg: FleetConfig, spanSeconds: number) {
    super();
    this.cfg = cfg;
    this.policy = cfg.policy;
    this.startWatcher = cfg.policy?.onServiceStart !== undefined ? cfg.policy : null;
    this.slotsPerReplica = cfg.slotsPerReplica;
    this.spanSeconds = spanSeconds;
    this.timed = cfg.latency !== false;
    this.counts = new Counters(this.timed);
    this.arrivals = this.counts.arrivals;
    this.tokIn = this.counts.inputTokens;
    this.tokOut = this.counts.outputTokens;
  }

  /** Brings the load integral up to `t`; call before the number in the system changes. */
  private accrueLoad(t: number): void {
    this.loadArea += (t - this.loadAt) * (this.inService + this.queue.length);
    this.loadAt = t;
  }

  addReplica(loadSeconds: number, cold: boolean, evicted = false): number {
    const id = this.reps.add(this.now, cold);
    if (cold) this.coldStarts++;
    if (cold && evicted) this.evictedColdStarts++;
    this.heap.push(this.now + loadSeconds, HEAP_KIND_SERVICE, -1 - id);
    return id;
  }

  removeReplica(id: number): void {
    const state = this.reps.state.a[id];
    if (state === Rep.removed) return;
    if (this.reps.inFlight.a[id] !== 0) throw new Error(`internal: replica ${id} removed while serving`);
    // A draining replica already gave up its free slots.
    if (state === Rep.ready) this.freeSlots -= this.slotsPerReplica;
    this.reps.markRemoved(id, this.now);
  }

  interruptReplica(id: number): number {
    if (this.reps.state.a[id] === Rep.removed) return 0;
    const victims: number[] = [];
    for (let idx = 0; idx < this.sN; idx++)
      if (this.sRep.a[idx] === id && this.sState.a[idx] === 1) victims.push(idx);
    victims.sort((a, b) => this.sArr.a[a]! - this.sArr.a[b]! || a - b);
    // Undo the start accounting, then put the requests back at the head in arrival order.
    for (let k = victims.length - 1; k >= 0; k--) {
      const idx = victims[k]!;
      const cls = this.sCls.a[idx]!;
      this.sState.a[idx] = 2;
      this.inService--;
      this.reps.inFlight.a[id]!--;
      this.freeSlots++;
      this.busy -= this.sDone.a[idx]! - this.now;
      this.tokIn[cls]! -= this.sIn.a[idx]!;
      this.tokOut[cls]! -= this.sOut.a[idx]!;
      this.queue.pushFront(
        this.now,
        this.sArr.a[idx]!,
        this.sIn.a[idx]!,
        this.sOut.a[idx]!,
        cls,
        this.sCold.a[idx]!,
      );
    }
    this.removeReplica(id);
    // The re-queued requests take any free slot left elsewhere at once.
    while (this.queue.length > 0 && this.freeSlots > 0) this.startQueued(this.route(), this.now);
    return victims.length;
  }

  drainReplica(id: number, keep = false): void {
    const state = this.reps.state.a[id];
    if (state !== Rep.ready) {
      if (state === Rep.loading) this.removeReplica(id);
      return;
    }
    const busy = this.reps.inFlight.a[id]!;
    if (busy === 0 && !keep) {
      this.removeReplica(id);
      return;
    }
    this.reps.keep.a[id] = keep ? 1 : 0;
    this.reps.leaveReady(id);
    this.reps.state.a[id] = Rep.draining;
    this.freeSlots -= this.slotsPerReplica - busy;
  }

  setTimer(at: number, tag: number): void {
    this.heap.push(Math.max(at, this.now), HEAP_KIND_TIMER, tag);
  }

  // ---- The loop ----------------------------------------------------------------------------
  run(users: ArrivalStream, ownCalls: ArrivalStream | null): SimRecord {
    for (let i = 0; i < this.cfg.initialReplicas; i++) this.addReplica(0, false);
    this.drainHeapAt(0);
    this.policy?.onStart(this);

    let uT = users.next() ? users.t : Infinity;
    let hT = ownCalls !== null && ownCalls.next() ? ownCalls.t : Infinity;
    const heap = this.heap;
    const series = this.series;

    for (;;) {
      const aT = uT <= hT ? uT : hT;
      const eT = heap.peekTime();
      if (aT === Infinity && eT === Infinity) break;
      // Heap kinds 0 (service) go before arrivals at equal times; timers (2) after.
      if (eT < aT || (eT === aT && heap.peekKind() === HEAP_KIND_SERVICE)) {
        heap.pop();
        const t = heap.t;
        if (t >= (series.minute + 1) * 60) this.flushMinutes(t);
        this.now = t;
        if (heap.k === HEAP_KIND_SERVICE) {
          if (heap.p >= 0) this.complete(heap.p, t);
          else this.ready(-1 - heap.p, t);
        } else {
          if (
            aT === Infinity &&
            this.queue.length === 0 &&
            this.inService === 0 &&
            t > this.spanSeconds + 86400
          )
            break;
          this.policy!.onTimer(this, t, heap.p);
        }
      } else if (uT <= hT) {
        if (aT >= (series.minute + 1) * 60) this.flushMinutes(aT);
        this.now = aT;
        this.arrive(aT, users.inputTokens, users.outputTokens, users.cls);
        uT = users.next() ? users.t : Infinity;
      } else {
        if (aT >= (series.minute + 1) * 60) this.flushMinutes(aT);
        this.now = aT;
        this.arrive(aT, ownCalls!.inputTokens, ownCalls!.outputTokens, OWN_CALLS);
        hT = ownCalls!.next() ? ownCalls!.t : Infinity;
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
    const counts = this.counts;
    const user = cls !== OWN_CALLS;
    this.arrivals[cls]!++;
    if (user) this.series.arrivals.a[this.series.minute]!++;
    if (user && inTok > (this.cfg.maxInputTokens ?? Infinity)) {
      counts.failed++;
      counts.contextExceeded++;
      return;
    }
    if (this.policy !== null) {
      const code = this.policy.onArrival(this, t, cls, inTok, outTok);
      if (code !== Admit.admit) {
        if (user) {
          if (code === Admit.throttle) counts.throttled++;
          else counts.failed++;
          if (code === Admit.failCold) counts.coldHit(t, cls);
        }
        return;
      }
      // A replica the policy asked for with no load time is ready now: the request does not
      // wait on a cold start (a 0 s cold start counts no cold-start hit).
      this.drainHeapAt(t);
    }
    this.accrueLoad(t);
    const cold = user && this.reps.nReady === 0 ? 1 : 0;
    if (cold) counts.coldHit(t, cls);
    if (this.freeSlots > 0 && this.queue.length === 0) {
      this.start(this.route(), t, t, inTok, outTok, cls, cold);
      return;
    }
    this.queue.push(t, t, inTok, outTok, cls, cold);
    this.policy?.onQueued(this, t);
  }

  /** The ready replica with a free slot the routing rule picks; ties go to the oldest. */
  private route(): number {
    const ids = this.reps.readyIds;
    const inf = this.reps.inFlight.a;
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
    const reps = this.reps;
    const occ = ++reps.inFlight.a[r]!;
    this.freeSlots--;
    const svc = this.cfg.service.time(inTok, outTok, occ, cls, r);
    let idx: number;
    if (this.sFreeN > 0) idx = this.sFree.a[--this.sFreeN]!;
    else {
      idx = this.sN++;
      if (idx >= this.sArr.a.length) this.growPool(idx + 1);
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
    this.tokIn[cls]! += inTok;
    this.tokOut[cls]! += outTok;
    reps.started(r, t);
    if (this.startWatcher !== null) this.startWatcher.onServiceStart!(r, t);
    this.heap.push(t + svc, HEAP_KIND_SERVICE, idx);
  }

  private growPool(n: number): void {
    for (const g of [this.sArr, this.sStart, this.sIn, this.sOut, this.sDone]) g.ensure(n);
    for (const g of [this.sCls, this.sCold, this.sRep, this.sState, this.sFree]) g.ensure(n);
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
    const reps = this.reps;
    const left = --reps.inFlight.a[r]!;
    if (reps.state.a[r] === Rep.draining) {
      // Draining: the slot does not return to the pool; the replica goes when it is empty.
      this.recordServed(idx, cls, t);
      if (left === 0 && reps.keep.a[r] === 0) this.removeReplica(r);
      return;
    }
    this.freeSlots++;
    this.recordServed(idx, cls, t);
    if (this.queue.length > 0) {
      this.startQueued(r, t);
    } else if (left === 0 && this.policy !== null) {
      this.policy.onIdle(this, r, t);
    }
  }

  /** A user request completed: counted and its latency recorded (it runs per request). */
  private recordServed(idx: number, cls: number, t: number): void {
    if (cls === OWN_CALLS) return;
    const c = this.counts;
    const arrT = this.sArr.a[idx]!;
    c.served++;
    const latency = t - arrT;
    const wait = this.sStart.a[idx]! - arrT;
    if (arrT < c.firstArr) {
      c.firstArr = arrT;
      c.firstLatency = latency;
    }
    const cold = this.sCold.a[idx] === 1;
    if (cold && latency > c.coldHitMax[cls]!) c.coldHitMax[cls] = latency;
    if (this.timed) c.time(latency, wait, cls, cold);
  }

  private ready(r: number, t: number): void {
    if (this.reps.state.a[r] !== Rep.loading) return; // removed while loading
    this.reps.markReady(r, t);
    this.freeSlots += this.slotsPerReplica;
    while (this.queue.length > 0 && this.reps.inFlight.a[r]! < this.slotsPerReplica) this.startQueued(r, t);
    this.policy?.onReady(this, r, t);
  }

  private startQueued(r: number, t: number): void {
    const q = this.queue;
    const h = q.shift();
    this.start(r, t, q.t[h]!, q.inTok[h]!, q.outTok[h]!, q.cls[h]!, q.cold[h]!);
  }

  /** Records the state at the end of every whole minute before time t. */
  private flushMinutes(t: number): void {
    this.series.flush(t, this.inService + this.queue.length, this.reps.nReady);
  }

  private finish(): SimRecord {
    const endTime = this.now;
    // Requests still queued can never be served (no replica will come): they failed.
    if (this.queue.length > 0) {
      this.counts.failed += this.queue.countOtherThan(OWN_CALLS);
      this.queue.clear();
    }
    const end = Math.max(this.spanSeconds, this.lastWork);
    const minutes = Math.max(1, Math.ceil(Math.max(end, endTime) / 60));
    this.flushMinutes(minutes * 60);
    return this.counts.toRecord({
      replicas: this.reps.lives(end),
      coldStarts: this.coldStarts,
      evictedColdStarts: this.evictedColdStarts,
      // Every load that was neither a start from zero nor one of the initial replicas.
      scaleOutLoads: this.reps.count - this.coldStarts - this.cfg.initialReplicas,
      peakReplicas: this.reps.peakLive,
      busySlotSeconds: this.busy,
      slotsPerReplica: this.slotsPerReplica,
      spanSeconds: this.spanSeconds,
      endTime,
      series: this.series.toRecord(minutes),
    });
  }
}

/** Convenience: one run of one fleet over a trace and the option's own calls (heartbeats). */
export function simulate(
  cfg: FleetConfig,
  users: ArrivalStream,
  ownCalls: ArrivalStream | null,
  spanSeconds: number,
): SimRecord {
  if (cfg.unqueued && ownCalls === null) return simulateUnqueued(cfg, users, spanSeconds);
  return new Simulation(cfg, spanSeconds).run(users, ownCalls);
}
