import { z } from 'zod';
import { readShippedJson } from '../data.js';
import { InputError } from '../errors.js';
import { line } from '../billing/lines.js';
import { instanceCostSoFar, instanceSeconds } from '../billing/instance-time.js';
import { DurationDist, PositiveDuration } from '../scenario/fields.js';
import { describeDist, sample, type Dist } from '../sim/dist.js';
import { Admit, type Fleet, type FleetPolicy } from '../sim/engine.js';
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
 * provisioning + image pull + model load; idle nodes go after `scaleDownUnneededTime`. Spot nodes
 * cost less and are interrupted at random: an interrupted node's in-flight requests go back to the
 * queue and a replacement is launched. Billed: EC2 per second, the EKS control plane per hour, and
 * the ops time AWS does not bill you for.
 */

interface Defaults {
  defaults: Record<
    | 'minNodes'
    | 'maxNodes'
    | 'scaleOutAfter'
    | 'scaleDownUnneededTime'
    | 'spotDiscount'
    | 'interruptionRatePerHour'
    | 'opsFte'
    | 'opsCostPerFteYear',
    Band
  > & {
    instanceType: { value: string; source: string };
    provisionTime: { median: number; p90: number; low: number; high: number; unit: string; source: string };
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
  scaleDownUnneededTime: PositiveDuration.optional(),
  /** Node launch to serving: provisioning, GPU plugin, image pull, model load. */
  provisionTime: DurationDist.optional(),
  ...opsFields,
  ...fleetFields,
});
export type SelfHostedSettings = z.infer<typeof schema>;

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
    const p: NodeScalingParams = {
      minNodes: s.minNodes ?? d.minNodes.value,
      maxNodes: s.maxNodes ?? d.maxNodes.value,
      scaleOutAfter: s.scaleOutAfter ?? d.scaleOutAfter.value,
      unneededAfter: s.scaleDownUnneededTime ?? d.scaleDownUnneededTime.value,
      provisionTime: provision,
      interruptionRatePerHour: spot ? (s.interruptionRatePerHour ?? d.interruptionRatePerHour.value) : 0,
      spanSeconds: ctx.spanSeconds,
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
      assumed(
        'scale down unneeded time',
        p.unneededAfter,
        d.scaleDownUnneededTime,
        s.scaleDownUnneededTime !== undefined,
      ),
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
          ),
          line('EKS control plane (1 cluster)', clusterHours, 'cluster-hours', eks.price),
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
  unneededAfter: number;
  provisionTime: Dist;
  interruptionRatePerHour: number;
  /** Interruptions are drawn only inside the simulated span. */
  spanSeconds: number;
}

const TAG_OUT = 0;
/** Per node: 1 + 2·id = scale-down check, 2 + 2·id = spot interruption. */
const nodeTag = (id: number, interruption: boolean) => 1 + 2 * id + (interruption ? 1 : 0);

/**
 * Node autoscaling as Karpenter / Cluster Autoscaler behave for a vLLM Deployment: work that has
 * queued without a break for `scaleOutAfter` (pending pods) adds a node, one per interval, up to
 * the maximum; a node with nothing assigned for `scaleDownUnneededTime` goes, down to the minimum.
 * Spot nodes draw an interruption time (exponential with the given rate); an interrupted node's
 * in-flight requests are re-queued and a replacement is launched when needed.
 */
export class NodeScalingPolicy implements FleetPolicy {
  private readonly out: QueuedScaleOut;
  private readonly downPending = new Set<number>();
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
  }

  onArrival(): number {
    return Admit.admit;
  }

  onQueued(fleet: Fleet, t: number): void {
    this.out.arm(fleet, t);
  }

  onIdle(fleet: Fleet, r: number): void {
    this.armDown(fleet, r, fleet.lastAssigned(r) + this.p.unneededAfter);
  }

  onReady(fleet: Fleet, r: number): void {
    if (fleet.inFlight(r) === 0) this.onIdle(fleet, r);
  }

  onTimer(fleet: Fleet, t: number, tag: number): void {
    if (tag === TAG_OUT) return this.scaleOut(fleet, t);
    const id = (tag - 1) >> 1;
    if ((tag - 1) % 2 === 1) this.interrupt(fleet, id, t);
    else this.scaleDown(fleet, id, t);
  }

  private add(fleet: Fleet, t: number): void {
    const id = fleet.addReplica(sample(this.p.provisionTime, this.rng), fleet.live().length === 0);
    this.armInterruption(fleet, id, t);
  }

  private armInterruption(fleet: Fleet, id: number, t: number): void {
    if (this.p.interruptionRatePerHour <= 0) return;
    const at = t + this.rng.exponential(3600 / this.p.interruptionRatePerHour);
    if (at < this.p.spanSeconds) fleet.setTimer(at, nodeTag(id, true));
  }

  private scaleOut(fleet: Fleet, t: number): void {
    if (this.out.due(fleet, t, this.p.maxNodes)) this.add(fleet, t);
  }

  private armDown(fleet: Fleet, r: number, at: number): void {
    if (this.downPending.has(r)) return;
    this.downPending.add(r);
    fleet.setTimer(at, nodeTag(r, false));
  }

  private scaleDown(fleet: Fleet, r: number, t: number): void {
    this.downPending.delete(r);
    if (!fleet.live().includes(r) || fleet.inFlight(r) > 0 || !fleet.isReady(r)) return;
    if (fleet.live().length <= this.p.minNodes) return;
    const due = fleet.lastAssigned(r) + this.p.unneededAfter;
    if (t >= due) fleet.removeReplica(r);
    else this.armDown(fleet, r, due);
  }

  private interrupt(fleet: Fleet, r: number, t: number): void {
    if (!fleet.live().includes(r)) return;
    this.interruptions++;
    this.requeued += fleet.interruptReplica(r);
    if (
      fleet.live().length < this.p.minNodes ||
      (fleet.queueLength() > 0 && fleet.live().length < this.p.maxNodes)
    )
      this.add(fleet, t);
  }
}
