import { Admit, type Fleet, type FleetPolicy } from '../sim/fleet.js';
import { sample, type Dist } from '../sim/dist.js';
import type { Rng } from '../sim/rng.js';
import type { InvokedWindows } from '../billing/cmi.js';
import { QueuedScaleOut } from './fleet-common.js';
import { LoadScaleIn } from './cmi-scale-in.js';

/* How Bedrock Custom Model Import copies come and go in the simulation (bedrock-cmi.ts bills them). */

/** How an extra copy scales in: `load` (the mean load fits in fewer copies) or `idle` (design §4.2). */
export const SCALE_IN_RULES = ['load', 'idle'] as const;
export type ScaleInRule = (typeof SCALE_IN_RULES)[number];

export interface CmiParams {
  maxCopies: number;
  scaleToZeroAfter: number;
  scaleInAfter: number;
  scaleInRule: ScaleInRule;
  /** Longest step between `load`-rule checks (s). */
  checkEvery: number;
  scaleOutAfter: number;
  evictAfter: number;
  coldStart: Dist;
  evictedColdStart: Dist;
  copyLoadTime: Dist;
}

const TAG_ZERO = 0;
const TAG_OUT = 1;
const TAG_LOAD = 2;
/** `idle`-rule scale-in checks carry 3 + replica id. */
const TAG_IN = 3;

/**
 * Copy autoscaling for CMI (design §4 items 1–4; scale-in by `scaleInRule`):
 * - a call that finds no copy starts one: a cold start, or an evicted one when no invocation has
 *   arrived for longer than `evictAfter`;
 * - once requests have queued without a break for `scaleOutAfter`, beyond the slots of copies
 *   still loading, one more copy is added, and another every `scaleOutAfter` while that lasts, up
 *   to `maxCopies`;
 * - an extra copy (another copy is ready) scales in: `load` — once the mean load over
 *   `scaleInAfter` fits in one copy fewer (src/models/cmi-scale-in.ts); `idle` (design §4.2) —
 *   once nothing has been assigned to it for `scaleInAfter` and it is idle;
 * - once no invocation has arrived for `scaleToZeroAfter`, every idle copy is removed (scale to
 *   zero); a busy one goes when its last request finishes.
 * Every removal is a timer, so at one instant it comes after completions and arrivals (design §3):
 * a call arriving as a copy would go is served by it. Timers are re-armed lazily (one pending per
 * purpose) so the heap does not grow with traffic.
 */
export class CmiPolicy implements FleetPolicy {
  private lastArrival = -Infinity;
  private zeroPending = false;
  private readonly out: QueuedScaleOut;
  private readonly loadIn: LoadScaleIn | null;
  private readonly inPending = new Set<number>();
  /** When the copy of the latest cold start becomes ready. */
  private coldReadyAt = 0;

  /** Set only when a meter counts each copy's started requests (the `invoked` window rule). */
  readonly onServiceStart?: (replica: number, t: number) => void;

  constructor(
    private readonly p: CmiParams,
    private readonly rng: Rng,
    invoked: InvokedWindows | null = null,
  ) {
    if (invoked !== null) this.onServiceStart = (r, t) => invoked.start(r, t);
    this.out = new QueuedScaleOut(p.scaleOutAfter, TAG_OUT);
    this.loadIn = p.scaleInRule === 'load' ? new LoadScaleIn(p.scaleInAfter, p.checkEvery, TAG_LOAD) : null;
  }

  onStart(): void {}

  onArrival(fleet: Fleet, t: number): number {
    const idle = t - this.lastArrival;
    this.lastArrival = t;
    if (fleet.live().length === 0) {
      const evicted = idle > this.p.evictAfter;
      const load = sample(evicted ? this.p.evictedColdStart : this.p.coldStart, this.rng);
      this.coldReadyAt = t + load;
      fleet.addReplica(load, true, evicted);
    }
    if (!this.zeroPending) {
      this.zeroPending = true;
      fleet.setTimer(t + this.p.scaleToZeroAfter, TAG_ZERO);
    }
    return Admit.admit;
  }

  onQueued(fleet: Fleet, t: number): void {
    this.out.arm(fleet, t);
  }

  onIdle(fleet: Fleet, r: number, t: number): void {
    if (this.zeroDue(t)) {
      // Not removed here: a call arriving at this same instant must find the copy (design §3).
      if (!this.zeroPending) {
        this.zeroPending = true;
        fleet.setTimer(t, TAG_ZERO);
      }
      return;
    }
    if (this.loadIn === null) this.armScaleIn(fleet, r, fleet.lastAssigned(r) + this.p.scaleInAfter);
  }

  onReady(fleet: Fleet, r: number, t: number): void {
    this.loadIn?.restart(fleet, t);
    if (fleet.inFlight(r) === 0) this.onIdle(fleet, r, t);
  }

  onTimer(fleet: Fleet, t: number, tag: number): void {
    if (tag === TAG_ZERO) this.zeroTimer(fleet, t);
    else if (tag === TAG_OUT) this.scaleOut(fleet, t);
    else if (tag === TAG_LOAD) this.loadScaleIn(fleet, t);
    else this.scaleIn(fleet, tag - TAG_IN, t);
  }

  private zeroDue(t: number): boolean {
    return t >= this.lastArrival + this.p.scaleToZeroAfter;
  }

  private zeroTimer(fleet: Fleet, t: number): void {
    this.zeroPending = false;
    if (fleet.live().length === 0) return;
    if (!this.zeroDue(t)) {
      this.zeroPending = true;
      fleet.setTimer(this.lastArrival + this.p.scaleToZeroAfter, TAG_ZERO);
      return;
    }
    // No invocation for scaleToZeroAfter: every idle copy goes; busy ones go when they finish
    // (onIdle). Never while requests still wait for a copy that is loading.
    if (fleet.queueLength() > 0) return;
    const before = fleet.live().length;
    for (const r of [...fleet.live()]) if (fleet.inFlight(r) === 0) fleet.removeReplica(r);
    if (fleet.live().length < before) this.loadIn?.restart(fleet, t);
  }

  private scaleOut(fleet: Fleet, t: number): void {
    if (!this.out.due(fleet, t, this.p.maxCopies)) return;
    // While the model is still coming back from cold, an extra copy cannot be ready before it.
    const load = sample(this.p.copyLoadTime, this.rng);
    fleet.addReplica(fleet.readyCount() === 0 ? Math.max(load, this.coldReadyAt - t) : load, false);
  }

  private loadScaleIn(fleet: Fleet, t: number): void {
    const r = this.loadIn!.check(fleet, t);
    if (r < 0) return;
    if (fleet.inFlight(r) === 0) fleet.removeReplica(r);
    else fleet.drainReplica(r);
    this.loadIn!.restart(fleet, t);
  }

  private armScaleIn(fleet: Fleet, r: number, at: number): void {
    if (this.inPending.has(r)) return;
    this.inPending.add(r);
    fleet.setTimer(at, TAG_IN + r);
  }

  private scaleIn(fleet: Fleet, r: number, t: number): void {
    this.inPending.delete(r);
    if (!fleet.live().includes(r) || fleet.inFlight(r) > 0) return; // onIdle re-arms it
    if (fleet.readyCount() <= 1 && fleet.isReady(r)) return; // the last ready copy: the zero rule governs
    const due = fleet.lastAssigned(r) + this.p.scaleInAfter;
    if (t >= due) fleet.removeReplica(r);
    else this.armScaleIn(fleet, r, due);
  }
}
