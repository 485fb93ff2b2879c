import { Admit, type Fleet, type FleetPolicy } from '../sim/fleet.js';
import { sample, type Dist } from '../sim/dist.js';
import type { Rng } from '../sim/rng.js';
import { QueuedScaleOut } from './fleet-common.js';

/* How self-hosted EKS nodes and their vLLM pods come and go in the simulation (self-hosted.ts bills them). */

export interface NodeScalingParams {
  minNodes: number;
  maxNodes: number;
  scaleOutAfter: number;
  /** Cluster Autoscaler `scale-down-unneeded-time`. */
  unneededAfter: number;
  provisionTime: Dist;
  interruptionRatePerHour: number;
  /** Interruptions are drawn only inside the simulated span. */
  spanSeconds: number;
  /** HPA target: requests in flight or waiting per ready pod. */
  hpaTarget: number;
  hpaSyncPeriod: number;
  hpaTolerance: number;
  hpaStabilization: number;
  /** Cluster Autoscaler scan interval, utilisation threshold and `scale-down-delay-after-add`. */
  scanInterval: number;
  utilizationThreshold: number;
  delayAfterAdd: number;
  /** A new pod on a node that is already up (image cached): weights load only. */
  podStartTime: Dist;
}

const TAG_OUT = 0;
const TAG_HPA = 1;
const TAG_SCAN = 2;
/** Per node: 3 + id = spot interruption. */
const interruptTag = (id: number) => 3 + id;

/**
 * A vLLM Deployment (one pod per GPU node) under a HorizontalPodAutoscaler and the Cluster
 * Autoscaler, as Kubernetes runs them:
 *
 *   scale out  work queued without a break for `scaleOutAfter` (pending pods) ─► a pod, on an
 *              empty node if one is up (pod start), else on a new node (provision + model load)
 *   scale in   HPA, every sync period: desired pods = ⌈(in flight + waiting) / target⌉ (no change
 *              within the tolerance), the highest recommendation of the stabilization window
 *              holds ─► surplus pods (newest first) stop taking requests and drain
 *   node gone  Cluster Autoscaler, every scan: a node whose requested GPUs are below the
 *              utilisation threshold (its pod is gone) for `scale-down-unneeded-time`, and no node
 *              added for `scale-down-delay-after-add` ─► removed, down to `minNodes`
 *
 * A node is billed from launch until the Cluster Autoscaler removes it, empty time included.
 * Traffic spread over every pod (least-loaded routing) keeps each a little busy, so the scale-in
 * cannot wait for an idle node: it comes from the HPA's load-based count. Spot nodes draw an
 * interruption time (exponential); an interrupted node's in-flight requests are re-queued.
 */
export class NodeScalingPolicy implements FleetPolicy {
  private readonly out: QueuedScaleOut;
  /** HPA recommendations inside the stabilization window, oldest first. */
  private readonly recs: { t: number; n: number }[] = [];
  /** Empty nodes by id: the scan that first found them unneeded. */
  private readonly unneeded = new Map<number, number>();
  private scanArmed = false;
  private lastNodeAdd = -Infinity;
  /** Interrupted nodes, for reports and tests. */
  interruptions = 0;
  requeued = 0;

  constructor(
    private readonly p: NodeScalingParams,
    private readonly rng: Rng,
  ) {
    this.out = new QueuedScaleOut(p.scaleOutAfter, TAG_OUT);
  }

  onStart(fleet: Fleet): void {
    for (const r of fleet.live()) this.armInterruption(fleet, r, 0);
    fleet.setTimer(this.p.hpaSyncPeriod, TAG_HPA);
  }

  onArrival(): number {
    return Admit.admit;
  }

  onQueued(fleet: Fleet, t: number): void {
    this.out.arm(fleet, t);
  }

  onIdle(): void {}

  onReady(): void {}

  onTimer(fleet: Fleet, t: number, tag: number): void {
    if (tag === TAG_OUT) this.scaleOut(fleet, t);
    else if (tag === TAG_HPA) this.hpa(fleet, t);
    else if (tag === TAG_SCAN) this.scan(fleet, t);
    else this.interrupt(fleet, tag - 3, t);
  }

  /** Pods: live replicas that are not draining (loading or serving). */
  private pods(fleet: Fleet): number[] {
    return fleet.live().filter((r) => !fleet.isDraining(r));
  }

  /** Nodes whose pod has drained away: up and billed, serving nothing. */
  private emptyNodes(fleet: Fleet): number[] {
    return fleet.live().filter((r) => fleet.isDraining(r) && fleet.inFlight(r) === 0);
  }

  /** Starts a pod: on an empty node when one is up, else on a new node. */
  private launchPod(fleet: Fleet, t: number): void {
    const cold = this.pods(fleet).length === 0;
    const empty = this.emptyNodes(fleet)[0];
    if (empty !== undefined) {
      // The node stays up: the old replica ends and the new one begins at the same instant.
      fleet.removeReplica(empty);
      this.unneeded.delete(empty);
      const id = fleet.addReplica(sample(this.p.podStartTime, this.rng), cold);
      this.armInterruption(fleet, id, t);
      return;
    }
    const id = fleet.addReplica(sample(this.p.provisionTime, this.rng), cold);
    this.lastNodeAdd = t;
    this.armInterruption(fleet, id, t);
  }

  private armInterruption(fleet: Fleet, id: number, t: number): void {
    if (this.p.interruptionRatePerHour <= 0) return;
    const at = t + this.rng.exponential(3600 / this.p.interruptionRatePerHour);
    if (at < this.p.spanSeconds) fleet.setTimer(at, interruptTag(id));
  }

  private scaleOut(fleet: Fleet, t: number): void {
    // The cap is on nodes; an empty node takes the new pod without adding one.
    if (this.out.due(fleet, t, this.p.maxNodes + this.emptyNodes(fleet).length)) this.launchPod(fleet, t);
  }

  /** One HPA sync: recommend, stabilize, drain the surplus pods. */
  private hpa(fleet: Fleet, t: number): void {
    const p = this.p;
    const pods = this.pods(fleet);
    const ready = pods.filter((r) => fleet.isReady(r));
    let rec = pods.length;
    if (ready.length > 0) {
      let load = fleet.queueLength();
      for (const r of ready) load += fleet.inFlight(r);
      const ratio = load / (ready.length * p.hpaTarget);
      // 1e-9: a load that is an exact multiple of the target must not round up a pod.
      if (Math.abs(ratio - 1) > p.hpaTolerance) rec = Math.ceil(ratio * ready.length - 1e-9);
    }
    rec = Math.min(p.maxNodes, Math.max(p.minNodes, rec));
    const recs = this.recs;
    while (recs.length > 0 && recs[0]!.t <= t - p.hpaStabilization) recs.shift();
    recs.push({ t, n: rec });
    let desired = 0;
    for (const x of recs) desired = Math.max(desired, x.n);
    if (desired < pods.length) this.drainPods(fleet, pods, pods.length - desired, t);
    const busy = fleet.queueLength() > 0 || fleet.live().some((r) => fleet.inFlight(r) > 0);
    if (t < p.spanSeconds || busy) fleet.setTimer(t + p.hpaSyncPeriod, TAG_HPA);
  }

  /** Removes `n` pods as a ReplicaSet picks them: not-ready first, then the newest. */
  private drainPods(fleet: Fleet, pods: number[], n: number, t: number): void {
    const newestFirst = [...pods].reverse();
    const victims = [
      ...newestFirst.filter((r) => !fleet.isReady(r)),
      ...newestFirst.filter((r) => fleet.isReady(r)),
    ].slice(0, n);
    // A pod still starting on a new node is dropped with its node (rare: the stabilization window
    // holds the recommendation that launched it).
    for (const r of victims) fleet.drainReplica(r, true);
    this.armScan(fleet, t);
  }

  /** The next Cluster Autoscaler scan on its grid (multiples of the scan interval). */
  private armScan(fleet: Fleet, t: number): void {
    if (this.scanArmed) return;
    this.scanArmed = true;
    fleet.setTimer((Math.floor(t / this.p.scanInterval) + 1) * this.p.scanInterval, TAG_SCAN);
  }

  /** One Cluster Autoscaler scan over nodes whose pod the HPA removed. */
  private scan(fleet: Fleet, t: number): void {
    const p = this.p;
    this.scanArmed = false;
    for (const r of [...fleet.live()]) {
      if (!fleet.isDraining(r)) continue;
      // GPU requests on the node ÷ its GPUs: the draining pod holds them until its last request ends.
      const utilization = fleet.inFlight(r) > 0 ? 1 : 0;
      if (utilization >= p.utilizationThreshold) continue;
      const since = this.unneeded.get(r) ?? t;
      this.unneeded.set(r, since);
      if (
        t - since >= p.unneededAfter &&
        t - this.lastNodeAdd >= p.delayAfterAdd &&
        fleet.live().length > p.minNodes
      ) {
        fleet.removeReplica(r);
        this.unneeded.delete(r);
      }
    }
    if (fleet.live().some((r) => fleet.isDraining(r))) this.armScan(fleet, t);
  }

  private interrupt(fleet: Fleet, r: number, t: number): void {
    if (!fleet.live().includes(r)) return;
    this.interruptions++;
    this.unneeded.delete(r);
    this.requeued += fleet.interruptReplica(r);
    const pods = this.pods(fleet).length;
    if (pods < this.p.minNodes || (fleet.queueLength() > 0 && fleet.live().length < this.p.maxNodes))
      this.launchPod(fleet, t);
  }
}
