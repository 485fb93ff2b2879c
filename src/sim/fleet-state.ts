import type { Fleet } from './fleet.js';
import { RequestQueue } from './queue.js';
import { Rep, ReplicaTable } from './replicas.js';

/**
 * What a policy may read of the running fleet (the `Fleet` interface's read side), and the state
 * behind it. The engine (engine.ts) extends it and adds the event loop and the mutating calls.
 */
export abstract class FleetState implements Pick<
  Fleet,
  | 'readyCount'
  | 'loadingCount'
  | 'queueLength'
  | 'freeSlotCount'
  | 'queuedSince'
  | 'live'
  | 'isReady'
  | 'isDraining'
  | 'inFlight'
  | 'lastAssigned'
  | 'loadSeconds'
> {
  now = 0;
  protected readonly reps = new ReplicaTable();
  protected freeSlots = 0;
  /** ∫ (in service + queued) dt up to `loadAt`. */
  protected loadArea = 0;
  protected loadAt = 0;
  protected readonly queue = new RequestQueue();
  protected inService = 0;

  readyCount(): number {
    return this.reps.nReady;
  }
  loadingCount(): number {
    return this.reps.nLoading;
  }
  queueLength(): number {
    return this.queue.length;
  }
  freeSlotCount(): number {
    return this.freeSlots;
  }
  queuedSince(): number {
    return this.queue.length > 0 ? this.queue.since : NaN;
  }
  live(): readonly number[] {
    return this.reps.live;
  }
  isReady(id: number): boolean {
    return this.reps.state.a[id] === Rep.ready;
  }
  isDraining(id: number): boolean {
    return this.reps.state.a[id] === Rep.draining;
  }
  inFlight(id: number): number {
    return this.reps.inFlight.a[id]!;
  }
  lastAssigned(id: number): number {
    const last = this.reps.lastStart.a[id]!;
    const ready = this.reps.ready.a[id]!;
    return last === last ? Math.max(last, ready) : ready;
  }

  loadSeconds(): number {
    return this.loadArea + (this.now - this.loadAt) * (this.inService + this.queue.length);
  }
}
