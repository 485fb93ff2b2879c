import type { Fleet } from '../sim/fleet.js';

/**
 * CMI's `load` scale-in rule (an assumption, docs/model.md "Copy scale-in"): an extra copy goes
 * once the mean load — requests in service and queued, heartbeats included — over the last
 * `after` seconds fits in one copy fewer, mean ≤ (ready − 1) × slotsPerCopy, while no request
 * waits and no copy loads. The copy removed is the least busy ready one (the youngest on ties):
 * removed if idle, drained otherwise.
 *
 * The mean is measured exactly from snapshots of the fleet's load integral taken every
 * `after / k` seconds, k = ⌈after / checkEvery⌉, so decisions fall on that grid. The window
 * restarts whenever the copies change (one ready, one removed): a copy never goes sooner than
 * `after` after the fleet last changed. Example: 8 slots, 2 copies, `after` 300 s; a mean of
 * 5 requests over 5 minutes fits in 1 copy (5 ≤ 8) → one copy goes, even if a ninth request
 * reached the second copy a minute ago.
 *
 * One check timer is live at a time; a restart leaves the old one stale (ignored when it fires).
 */
export class LoadScaleIn {
  private readonly k: number;
  private readonly step: number;
  /** Load-integral snapshots, `n` of them since the last restart (a ring of k + 1). */
  private readonly ring: Float64Array;
  private n = 0;
  /** Time of the live check timer; NaN when none is live. */
  private next = NaN;

  constructor(
    private readonly after: number,
    checkEvery: number,
    private readonly tag: number,
  ) {
    this.k = Math.max(1, Math.ceil(after / checkEvery));
    this.step = after / this.k;
    this.ring = new Float64Array(this.k + 1);
  }

  /** Call whenever the copies change: the window starts again now (checks run while ≥ 2 copies live). */
  restart(fleet: Fleet, t: number): void {
    if (fleet.live().length < 2) {
      this.next = NaN;
      return;
    }
    this.ring[0] = fleet.loadSeconds();
    this.n = 1;
    this.arm(fleet, t + this.step);
  }

  /** Call from the policy's timer with this tag: the copy to scale in now, or −1. */
  check(fleet: Fleet, t: number): number {
    if (t !== this.next) return -1; // stale: the window restarted after it was set
    if (fleet.live().length < 2) {
      this.next = NaN;
      return -1;
    }
    const size = this.k + 1;
    const now = fleet.loadSeconds();
    this.ring[this.n % size] = now;
    this.n++;
    this.arm(fleet, t + this.step);
    if (this.n <= this.k) return -1; // less than `after` since the restart
    const mean = (now - this.ring[(this.n - 1 - this.k) % size]!) / this.after;
    const ready = fleet.readyCount();
    if (ready < 2 || fleet.loadingCount() > 0 || fleet.queueLength() > 0) return -1;
    if (mean > (ready - 1) * fleet.slotsPerReplica) return -1;
    return leastBusyReady(fleet);
  }

  private arm(fleet: Fleet, at: number): void {
    this.next = at;
    fleet.setTimer(at, this.tag);
  }
}

/** The ready copy with the fewest requests in flight; ties go to the youngest. */
function leastBusyReady(fleet: Fleet): number {
  const live = fleet.live();
  let best = -1;
  for (let i = live.length - 1; i >= 0; i--) {
    const r = live[i]!;
    if (!fleet.isReady(r)) continue;
    if (best < 0 || fleet.inFlight(r) < fleet.inFlight(best)) best = r;
  }
  return best;
}
