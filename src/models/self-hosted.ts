import { z } from 'zod';
import { readShippedJson } from '../data.js';
import { InputError } from '../errors.js';
import { line } from '../billing/lines.js';
import { instanceCostSoFar, instanceSeconds } from '../billing/instance-time.js';
import { Duration, DurationDist, PositiveDuration } from '../scenario/fields.js';
import { describeDist, sample, type Dist } from '../sim/dist.js';
import { Admit, type Fleet, type FleetPolicy } from '../sim/fleet.js';
import { Rng } from '../sim/rng.js';
import { DistService } from '../sim/service.js';
import {
  assumed,
  instancePrice,
  QueuedScaleOut,
  sizingAssumptions,
  opsFields,
  opsLine,
  YEAR_SECONDS,
  type Band,
} from './fleet-common.js';
import { fitModel, fittingInstances, gpuProfile, instanceSpec, InstanceService } from './hardware.js';
import { fleetFields, optionObject } from './option-base.js';
import type { Assumption, ServingOption } from './types.js';
import { complianceFacts } from './compliance.js';
import { feasibility, missingPrice } from './feasibility.js';
import type { PriceBook } from '../pricing/book.js';

/**
 * `self-hosted`: vLLM on your own EC2 GPU nodes under EKS. Nodes scale between `minNodes` and
 * `maxNodes` on pending work (requests queued for `scaleOutAfter`), each new node serving after
 * provisioning + image pull + model load. As load drops the HPA lowers the pod count, surplus pods
 * drain, and the Cluster Autoscaler removes each node left without a pod after
 * `scaleDownUnneededTime` (NodeScalingPolicy). Spot nodes
 * cost less and are interrupted at random: an interrupted node's in-flight requests go back to the
 * queue and a replacement is launched. Billed: EC2 per second, the EKS control plane per hour, and
 * the ops time AWS does not bill you for.
 */

interface DistBand {
  median: number;
  p90: number;
  low: number;
  high: number;
  unit: string;
  source: string;
}
interface Defaults {
  defaults: Record<
    | 'minNodes'
    | 'maxNodes'
    | 'scaleOutAfter'
    | 'scaleDownUnneededTime'
    | 'hpaTargetUtilization'
    | 'hpaSyncPeriod'
    | 'hpaTolerance'
    | 'hpaScaleDownStabilization'
    | 'scanInterval'
    | 'utilizationThreshold'
    | 'scaleDownDelayAfterAdd'
    | 'spotDiscount'
    | 'interruptionRatePerHour'
    | 'opsFte'
    | 'opsCostPerFteYear',
    Band
  > & {
    instanceType: { value: string; source: string };
    provisionTime: DistBand;
    podStartTime: DistBand;
    eksControlPlanePerHour: { source: string };
  };
}
let cache: Defaults | undefined;
const facts = (): Defaults['defaults'] =>
  (cache ??= readShippedJson('src/models/self-hosted.json') as Defaults).defaults;

const schema = optionObject('self-hosted', {
  /** EC2 instance type, e.g. g5.2xlarge. */
  instanceType: z.string().optional(),
  minNodes: z.number().int().min(0).optional(),
  maxNodes: z.number().int().min(1).optional(),
  /** `on-demand` or `spot`. */
  capacity: z.enum(['on-demand', 'spot']).default('on-demand'),
  /** Fraction off on-demand for spot (0–1). */
  spotDiscount: z.number().min(0).max(1, { message: 'a discount is at most 1 (100 %)' }).optional(),
  /** Spot interruptions per node-hour. */
  interruptionRatePerHour: z
    .number()
    .min(0, { message: 'the interruption rate cannot be negative' })
    .optional(),
  scaleOutAfter: PositiveDuration.optional(),
  /** Cluster Autoscaler: how long a node stays unneeded (its pod gone) before it is removed. Default 10m. */
  scaleDownUnneededTime: PositiveDuration.optional(),
  /** Cluster Autoscaler: no node is removed this long after one was added. Default 10m. */
  scaleDownDelayAfterAdd: Duration.optional(),
  /** HPA target: requests in flight or waiting per pod, as a share of its slots (0–1]. Default 0.7. */
  hpaTargetUtilization: z
    .number()
    .positive({ message: 'hpaTargetUtilization must be above 0' })
    .max(1, {
      message:
        'hpaTargetUtilization is a share of a pod’s slots, at most 1 (above it the HPA would remove pods the queue then asks back)',
    })
    .optional(),
  /** HPA scale-down stabilization window: the highest recommendation of this long holds. Default 5m. */
  hpaScaleDownStabilization: Duration.optional(),
  /** Node launch to serving: provisioning, GPU plugin, image pull, model load. */
  provisionTime: DurationDist.optional(),
  /** A pod placed on a node that is already up (image cached): model load only. */
  podStartTime: DurationDist.optional(),
  ...opsFields,
  ...fleetFields,
});
export type SelfHostedSettings = z.infer<typeof schema>;

/** A published default (Kubernetes, Cluster Autoscaler) the scenario cannot set: no band. */
function known(name: string, d: Band): Assumption {
  return { name, value: d.value, unit: d.unit, source: d.source, uncertain: false };
}

function resolveType(s: SelfHostedSettings, key: string) {
  const type = s.instanceType ?? facts().instanceType.value;
  if (type.startsWith('ml.'))
    throw new InputError(
      `self-hosted nodes are EC2 types without "ml." (e.g. ${type.slice(3)})`,
      `options.${key}.instanceType`,
    );
  return { type, spec: instanceSpec(type, `options.${key}.instanceType`) };
}

function eksPrice(book: PriceBook, region: string) {
  const rows = book.entries.filter(
    (e) => e.service === 'AmazonEKS' && e.region === region && /hour/i.test(e.unit),
  );
  // Standard support unless the book only has another tier.
  return rows.find((e) => e.labels.support === 'standard') ?? rows[0];
}

export const selfHosted: ServingOption<SelfHostedSettings> = {
  id: 'self-hosted',
  title: 'Self-hosted vLLM on EKS',
  service: (l) =>
    l.item.startsWith('EC2') ? 'AmazonEC2' : l.item.startsWith('EKS') ? 'AmazonEKS' : undefined,
  schema,
  facts: () => ({
    baseSupport: 'Anything that fits your GPUs (any architecture, any engine)',
    opsSurface: 'Heaviest: nodes, drivers, images, vLLM, autoscaling, upgrades and on-call are yours',
    costShape: 'EC2 instance-hours (per second) + EKS cluster-hours + your engineers’ time',
    versionRollback: {
      path: 'Your deployment (e.g. a second Deployment and a Service switch)',
      timeToTrafficSeconds: null,
    },
    compliance: complianceFacts('self-hosted'),
  }),
  feasibility(model, region, s, book) {
    const key = s.key ?? s.id;
    const { type, spec } = resolveType(s, key);
    const min = s.minNodes ?? facts().minNodes.value;
    const max = s.maxNodes ?? facts().maxNodes.value;
    if (min > max)
      throw new InputError(`minNodes (${min}) is greater than maxNodes (${max})`, `options.${key}.minNodes`);
    const fit = fitModel(model, spec);
    if (!fit.fits)
      throw new InputError(
        `the model (${fit.neededGB.toFixed(1)} GB with KV headroom) fits no GPU group of ${type}; types that fit: ${fittingInstances(model).join(', ') || 'none'}`,
        `options.${key}.instanceType`,
      );
    const missing: string[] = [];
    if (!instancePrice(book, 'AmazonEC2', type, region))
      missing.push(missingPrice(`EC2 price for ${type}`, region));
    if (!eksPrice(book, region)) missing.push(missingPrice('EKS control-plane price', region));
    return feasibility([], missing);
  },
  prepare(ctx, s) {
    const d = facts();
    const { type, spec } = resolveType(s, ctx.key);
    const fit = fitModel(ctx.model, spec);
    const profile = gpuProfile(spec, `options.${ctx.key}.instanceType`);
    const slots = fit.engines * profile.slots;
    const service = s.serviceTime
      ? new DistService(s.serviceTime, Rng.derive(ctx.seed, 'service', ctx.key))
      : new InstanceService(profile, fit.engines, ctx.model, fit.tensorParallel);
    const spot = s.capacity === 'spot';
    const discount = spot ? (s.spotDiscount ?? d.spotDiscount.value) : 0;
    const provision: Dist = s.provisionTime ?? {
      dist: 'lognormal',
      median: d.provisionTime.median,
      p90: d.provisionTime.p90,
    };
    const podStart: Dist = s.podStartTime ?? {
      dist: 'lognormal',
      median: d.podStartTime.median,
      p90: d.podStartTime.p90,
    };
    const hpaShare = s.hpaTargetUtilization ?? d.hpaTargetUtilization.value;
    const p: NodeScalingParams = {
      minNodes: s.minNodes ?? d.minNodes.value,
      maxNodes: s.maxNodes ?? d.maxNodes.value,
      scaleOutAfter: s.scaleOutAfter ?? d.scaleOutAfter.value,
      unneededAfter: s.scaleDownUnneededTime ?? d.scaleDownUnneededTime.value,
      provisionTime: provision,
      interruptionRatePerHour: spot ? (s.interruptionRatePerHour ?? d.interruptionRatePerHour.value) : 0,
      spanSeconds: ctx.spanSeconds,
      hpaTarget: hpaShare * slots,
      hpaSyncPeriod: d.hpaSyncPeriod.value,
      hpaTolerance: d.hpaTolerance.value,
      hpaStabilization: s.hpaScaleDownStabilization ?? d.hpaScaleDownStabilization.value,
      scanInterval: d.scanInterval.value,
      utilizationThreshold: d.utilizationThreshold.value,
      delayAfterAdd: s.scaleDownDelayAfterAdd ?? d.scaleDownDelayAfterAdd.value,
      podStartTime: podStart,
    };
    const ec2 = instancePrice(ctx.book, 'AmazonEC2', type, ctx.region)!;
    const eks = eksPrice(ctx.book, ctx.region)!;
    const opsFte = s.opsFte ?? d.opsFte.value;
    const opsCost = s.opsCostPerFteYear ?? d.opsCostPerFteYear.value;
    const hourly = ec2.price * (1 - discount);
    const assumptions: Assumption[] = [
      ...sizingAssumptions(
        type,
        s.instanceType ? 'Scenario setting' : d.instanceType.source,
        fit,
        slots,
        profile,
        'slots per node',
      ),
      {
        name: 'EC2 price',
        value: ec2.price,
        unit: 'USD per instance-hour',
        source: ec2.source,
        uncertain: ec2.uncertain,
      },
      assumed('min nodes', p.minNodes, d.minNodes, s.minNodes !== undefined),
      assumed('max nodes', p.maxNodes, d.maxNodes, s.maxNodes !== undefined),
      assumed('scale out after', p.scaleOutAfter, d.scaleOutAfter, s.scaleOutAfter !== undefined),
      assumed('HPA target', hpaShare, d.hpaTargetUtilization, s.hpaTargetUtilization !== undefined),
      assumed(
        'HPA scale-down stabilization',
        p.hpaStabilization,
        d.hpaScaleDownStabilization,
        s.hpaScaleDownStabilization !== undefined,
      ),
      known('HPA sync period', d.hpaSyncPeriod),
      known('HPA tolerance', d.hpaTolerance),
      assumed(
        'scale down unneeded time',
        p.unneededAfter,
        d.scaleDownUnneededTime,
        s.scaleDownUnneededTime !== undefined,
      ),
      assumed(
        'scale down delay after add',
        p.delayAfterAdd,
        d.scaleDownDelayAfterAdd,
        s.scaleDownDelayAfterAdd !== undefined,
      ),
      known('Cluster Autoscaler scan interval', d.scanInterval),
      known('node utilisation threshold', d.utilizationThreshold),
      {
        name: 'pod start on a running node',
        value: describeDist(podStart, 's'),
        unit: '',
        ...(s.podStartTime ? {} : { low: d.podStartTime.low, high: d.podStartTime.high }),
        source: s.podStartTime ? 'Scenario setting' : d.podStartTime.source,
        uncertain: !s.podStartTime,
        dist: podStart,
      },
      {
        name: 'node provision + model load',
        value: describeDist(provision, 's'),
        unit: '',
        ...(s.provisionTime ? {} : { low: d.provisionTime.low, high: d.provisionTime.high }),
        source: s.provisionTime ? 'Scenario setting' : d.provisionTime.source,
        uncertain: !s.provisionTime,
        dist: provision,
      },
      assumed('ops', opsFte, d.opsFte, s.opsFte !== undefined),
      assumed('ops cost per FTE-year', opsCost, d.opsCostPerFteYear, s.opsCostPerFteYear !== undefined),
      {
        name: 'EKS control plane',
        value: eks.price,
        unit: 'USD per cluster-hour',
        source: eks.source,
        uncertain: eks.uncertain,
      },
      {
        name: 'routing',
        value: s.routing ?? 'least-loaded',
        unit: '',
        source: 'Assumed: a Kubernetes Service spreading over pods',
        uncertain: true,
      },
    ];
    if (spot) {
      assumptions.push(assumed('spot discount', discount, d.spotDiscount, s.spotDiscount !== undefined));
      assumptions.push(
        assumed(
          'spot interruptions',
          p.interruptionRatePerHour,
          d.interruptionRatePerHour,
          s.interruptionRatePerHour !== undefined,
        ),
      );
    }
    const policy = new NodeScalingPolicy(p, Rng.derive(ctx.seed, 'nodes', ctx.key));
    return {
      assumptions,
      fleet: {
        slotsPerReplica: slots,
        routing: s.routing ?? 'least-loaded',
        service,
        initialReplicas: p.minNodes,
        policy,
      },
      heartbeats: null,
      bill(record) {
        const hours = instanceSeconds(record.replicas) / 3600;
        const clusterHours = Math.max(ctx.spanSeconds, record.endTime) / 3600;
        const lines = [
          line(
            `EC2 instances (${type}, ${spot ? `spot, ${Math.round(discount * 100)} % off` : 'on-demand'})`,
            hours,
            'instance-hours',
            hourly,
            { lineId: 'ec2-instances' },
          ),
          line('EKS control plane (1 cluster)', clusterHours, 'cluster-hours', eks.price, {
            lineId: 'eks-control-plane',
          }),
        ];
        if (opsFte > 0) lines.push(opsLine(opsFte, opsCost, ctx.spanSeconds));
        const fixedPerSecond = eks.price / 3600 + (opsFte * opsCost) / YEAR_SECONDS;
        return {
          lines,
          billedUnitMinutes: hours * 60,
          costSoFar: (m) => {
            const c = instanceCostSoFar(record.replicas, m, hourly / 3600);
            for (let i = 0; i < m; i++) c[i]! += fixedPerSecond * Math.min(60 * (i + 1), ctx.spanSeconds);
            return c;
          },
        };
      },
    };
  },
};

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
