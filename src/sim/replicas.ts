import { GrowF64, GrowI32 } from './grow.js';
import type { ReplicaLife } from './record.js';

/** A replica's state in `ReplicaTable.state`. */
export const Rep = { loading: 0, ready: 1, removed: 2, draining: 3 } as const;

/**
 * The engine's replicas: per-replica typed arrays indexed by id (creation order), the live and
 * ready lists, and the counts a policy reads. The engine drives the transitions; this keeps the
 * bookkeeping that every transition shares.
 */
export class ReplicaTable {
  count = 0;
  readonly state = new GrowI32(16);
  readonly inFlight = new GrowI32(16);
  readonly requested = new GrowF64(16);
  readonly ready = new GrowF64(16);
  readonly firstStart = new GrowF64(16);
  readonly lastStart = new GrowF64(16);
  readonly removed = new GrowF64(16);
  readonly starts = new GrowF64(16);
  readonly cold = new GrowI32(16);
  /** 1: a drained replica stays live, empty, until the policy removes it. */
  readonly keep = new GrowI32(16);
  /** Live replica ids (loading, ready, draining), oldest first. */
  readonly live: number[] = [];
  /** Ready replica ids in creation order, so routing ties go to the oldest. */
  readonly readyIds: number[] = [];
  nReady = 0;
  nLoading = 0;
  peakLive = 0;

  /** A new loading replica asked for at `now`; returns its id. */
  add(now: number, cold: boolean): number {
    const id = this.count++;
    for (const g of [this.state, this.inFlight, this.cold, this.keep]) g.ensure(id + 1);
    for (const g of [this.requested, this.ready, this.firstStart, this.lastStart, this.removed, this.starts])
      g.ensure(id + 1);
    this.state.a[id] = Rep.loading;
    this.inFlight.a[id] = 0;
    this.cold.a[id] = cold ? 1 : 0;
    this.keep.a[id] = 0;
    this.requested.a[id] = now;
    this.ready.a[id] = NaN;
    this.firstStart.a[id] = NaN;
    this.lastStart.a[id] = NaN;
    this.removed.a[id] = NaN;
    this.starts.a[id] = 0;
    this.live.push(id);
    if (this.live.length > this.peakLive) this.peakLive = this.live.length;
    this.nLoading++;
    return id;
  }

  /** A loading replica became ready at `t`. */
  markReady(r: number, t: number): void {
    this.state.a[r] = Rep.ready;
    this.ready.a[r] = t;
    this.nLoading--;
    this.nReady++;
    const ids = this.readyIds;
    let i = ids.length;
    while (i > 0 && ids[i - 1]! > r) i--;
    ids.splice(i, 0, r);
  }

  /** A ready replica stops taking requests (draining, or removed). */
  leaveReady(r: number): void {
    this.nReady--;
    this.readyIds.splice(this.readyIds.indexOf(r), 1);
  }

  /** Removes a replica at `now`; the caller has settled its slots. */
  markRemoved(r: number, now: number): void {
    const state = this.state.a[r];
    if (state === Rep.ready) this.leaveReady(r);
    else if (state === Rep.loading) this.nLoading--;
    // A draining replica already left the ready set.
    this.state.a[r] = Rep.removed;
    this.removed.a[r] = now;
    this.live.splice(this.live.indexOf(r), 1);
  }

  /** A request started on replica r at t. */
  started(r: number, t: number): void {
    const first = this.firstStart.a[r]!;
    if (first !== first) this.firstStart.a[r] = t;
    this.lastStart.a[r] = t;
    this.starts.a[r]!++;
  }

  /** Every replica's life; replicas never removed are billed to `end` (or their request time). */
  lives(end: number): ReplicaLife[] {
    const out: ReplicaLife[] = [];
    for (let id = 0; id < this.count; id++) {
      const removed = this.removed.a[id]!;
      out.push({
        id,
        requestedAt: this.requested.a[id]!,
        readyAt: this.ready.a[id]!,
        firstStartAt: this.firstStart.a[id]!,
        lastStartAt: this.lastStart.a[id]!,
        removedAt: removed === removed ? removed : Math.max(end, this.requested.a[id]!),
        starts: this.starts.a[id]!,
        cold: this.cold.a[id] === 1,
      });
    }
    return out;
  }
}
