import { InstancePacker, type InstanceShape, type Reservation } from '../billing/shared-instances.js';
import { sample, type Dist } from '../sim/dist.js';
import { Admit, type Fleet } from '../sim/fleet.js';
import type { Rng } from '../sim/rng.js';
import { TargetTrackingPolicy, type TargetTrackingParams } from './sagemaker-realtime.js';

/*
 * One inference component's copies in the simulation (sagemaker-inference-components): the
 * replicas are copies, scaled by sagemaker-realtime's target tracking (its `minInstances` /
 * `maxInstances` are the component's copy bounds, its `launchTime` the copy load time). What
 * differs is where a copy goes: onto the endpoint's instances, packed as the bill packs them.
 */

export interface ComponentPolicyParams {
  /** Copy bounds, target per copy, alarms and cooldowns; `launchTime` = the copy load time. */
  copies: TargetTrackingParams;
  reservation: Reservation;
  shape: InstanceShape;
  minInstances: number;
  maxInstances: number;
  /** Time from launch to in service of an instance a copy needs. */
  instanceLaunch: Dist;
  /** A call to a component with no copy in service: waits (the client retries) or fails. */
  coldCalls: 'wait' | 'fail';
}

/**
 * Target tracking on invocations per copy, with the copies placed on instances by the same
 * packer the bill uses (src/billing/shared-instances.ts): a copy that fits an instance in service
 * is ready after its load time; one that needs a new instance after the instance's launch *plus*
 * its load (the launch is part of that copy's load — the approximation this option states); one
 * that finds the endpoint at `maxInstances` is not started.
 *
 * With `coldCalls: 'wait'` a call that finds no copy starts one (if none is loading) and waits
 * for it: a cold-start hit. AWS answers such calls with errors, so they are not invocations in
 * the per-copy metric (the client's retries fail until the copy is in service).
 */
export class ComponentCopyPolicy extends TargetTrackingPolicy {
  private readonly packer: InstancePacker;
  /** Copies placed on the packer, by replica id. */
  private readonly placed = new Set<number>();
  /** When each instance (by launch index) is in service. */
  private readonly instanceReady: number[] = [];
  /** Instances launched for a copy. */
  instanceLaunches = 0;

  constructor(
    private readonly ic: ComponentPolicyParams,
    rng: Rng,
  ) {
    super(ic.copies, rng);
    this.packer = new InstancePacker(ic.shape, ic.minInstances, ic.maxInstances);
    // Instances kept from the start are in service at 0.
    for (let i = 0; i < ic.minInstances; i++) this.instanceReady.push(0);
  }

  override onStart(fleet: Fleet): void {
    // The initial copies are in service at 0, on instances launched at 0 (the endpoint's creation).
    for (const r of fleet.live()) {
      const placed = this.packer.place(r, this.ic.reservation, 0, true)!;
      this.instanceReady[placed.at] = 0;
      this.placed.add(r);
    }
    super.onStart(fleet);
  }

  override onArrival(fleet: Fleet): number {
    if (this.ic.coldCalls === 'wait' && fleet.readyCount() === 0 && this.p.minInstances === 0) {
      if (fleet.loadingCount() === 0) this.launch(fleet, true);
      return Admit.admit;
    }
    return super.onArrival(fleet);
  }

  protected override launch(fleet: Fleet, cold: boolean): boolean {
    this.sync(fleet);
    const r = this.ic.reservation;
    const now = fleet.now;
    const fit = this.packer.fit(r);
    if (fit === 'full') return false;
    // Draw order fixed (copy load, then instance launch) so a run is reproducible from its seed.
    const copyLoad = sample(this.p.launchTime, this.rng);
    // The copy loads once its instance is in service: a new one after its launch, one still
    // launching (asked for by an earlier copy) when that launch ends.
    const instanceReady =
      fit === 'launch' ? now + sample(this.ic.instanceLaunch, this.rng) : this.instanceReady[fit]!;
    const id = fleet.addReplica(Math.max(0, instanceReady - now) + copyLoad, cold);
    const placed = this.packer.place(id, r, now)!;
    if (placed.launched) {
      this.instanceReady[placed.at] = instanceReady;
      this.instanceLaunches++;
    }
    this.placed.add(id);
    return true;
  }

  /**
   * Frees the room of copies the fleet has removed since the last look. Only the set of copies
   * matters to a placement (instances go as soon as they are empty), not when each one went.
   */
  private sync(fleet: Fleet): void {
    const live = new Set(fleet.live());
    for (const id of this.placed) {
      if (live.has(id)) continue;
      this.packer.release(id, this.ic.reservation, fleet.now);
      this.placed.delete(id);
    }
  }
}
