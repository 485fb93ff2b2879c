import { ITEMS } from '../pricing/vocabulary.js';
import { z } from 'zod';
import { readShippedJson } from '../data.js';
import { InputError } from '../errors.js';
import { line } from '../billing/lines.js';
import { instanceCostSoFar, instanceSeconds } from '../billing/instance-time.js';
import { Duration, DurationDist, PositiveDuration } from '../scenario/fields.js';
import { describeDist, type Dist } from '../sim/dist.js';
import { Rng } from '../sim/rng.js';
import { DistService } from '../sim/service.js';
import {
  assumed,
  instancePrice,
  sizingAssumptions,
  opsFields,
  opsLine,
  YEAR_SECONDS,
  type Band,
} from './fleet-common.js';
import { fitModel, fittingInstances, gpuProfile, instanceSpec, InstanceService } from './hardware.js';
import { NodeScalingPolicy, type NodeScalingParams } from './node-scaling.js';
import { fleetFields, optionObject } from './option-base.js';
import type { Assumption, ServingOption } from './types.js';
import { complianceFacts } from './compliance.js';
import { feasibility, missingPrice } from './feasibility.js';
import type { PriceBook } from '../pricing/book.js';
import { OPTION_DOCS } from './option-docs.js';
import { MultiLoraSetting, multiLoraOn, SINGLE_MODEL_NOTE } from './multi-lora.js';

/**
 * `self-hosted`: vLLM on your own EC2 GPU nodes under EKS. Nodes scale between `minNodes` and
 * `maxNodes` on pending work (requests queued for `scaleOutAfter`), each new node serving after
 * provisioning + image pull + model load. As load drops the HPA lowers the pod count, surplus pods
 * drain, and the Cluster Autoscaler removes each node left without a pod after
 * `scaleDownUnneededTime` (NodeScalingPolicy). Spot nodes
 * cost less and are interrupted at random: an interrupted node's in-flight requests go back to the
 * queue and a replacement is launched. Billed: EC2 per second, the EKS control plane per hour, and
 * the ops time AWS does not bill you for. The node and pod scaling is in node-scaling.ts; this file
 * holds the settings, checks, assumptions and the bill.
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

const doc = OPTION_DOCS.selfHosted;
const schema = optionObject('self-hosted', {
  /** EC2 instance type, e.g. g5.2xlarge. */
  instanceType: z.string().optional().describe(doc.instanceType),
  minNodes: z.number().int().min(0).optional().describe(doc.minNodes),
  maxNodes: z.number().int().min(1).optional().describe(doc.maxNodes),
  /** `on-demand` or `spot`. */
  capacity: z.enum(['on-demand', 'spot']).default('on-demand').describe(doc.capacity),
  /** Fraction off on-demand for spot (0–1). */
  spotDiscount: z
    .number()
    .min(0)
    .max(1, { message: 'a discount is at most 1 (100 %)' })
    .optional()
    .describe(doc.spotDiscount),
  /** Spot interruptions per node-hour. */
  interruptionRatePerHour: z
    .number()
    .min(0, { message: 'the interruption rate cannot be negative' })
    .optional()
    .describe(doc.interruptionRatePerHour),
  scaleOutAfter: PositiveDuration.optional().describe(doc.scaleOutAfter),
  /** Cluster Autoscaler: how long a node stays unneeded (its pod gone) before it is removed. Default 10m. */
  scaleDownUnneededTime: PositiveDuration.optional().describe(doc.scaleDownUnneededTime),
  /** Cluster Autoscaler: no node is removed this long after one was added. Default 10m. */
  scaleDownDelayAfterAdd: Duration.optional().describe(doc.scaleDownDelayAfterAdd),
  /** HPA target: requests in flight or waiting per pod, as a share of its slots (0–1]. Default 0.7. */
  hpaTargetUtilization: z
    .number()
    .positive({ message: 'hpaTargetUtilization must be above 0' })
    .max(1, {
      message:
        'hpaTargetUtilization is a share of a pod’s slots, at most 1 (above it the HPA would remove pods the queue then asks back)',
    })
    .optional()
    .describe(doc.hpaTargetUtilization),
  /** HPA scale-down stabilization window: the highest recommendation of this long holds. Default 5m. */
  hpaScaleDownStabilization: Duration.optional().describe(doc.hpaScaleDownStabilization),
  /** Node launch to serving: provisioning, GPU plugin, image pull, model load. */
  provisionTime: DurationDist.optional().describe(doc.provisionTime),
  /** A pod placed on a node that is already up (image cached): model load only. */
  podStartTime: DurationDist.optional().describe(doc.podStartTime),
  /** Portfolios: adapters of one base share a node group (src/models/multi-lora.ts). */
  multiLora: MultiLoraSetting,
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
  const rows = book.find('AmazonEKS', ITEMS.eksControlPlane, region).filter((e) => /hour/i.test(e.unit));
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
    // A single model has no adapters to share a node group with (docs/portfolio.md).
    if (multiLoraOn(s.multiLora)) assumptions.push(SINGLE_MODEL_NOTE);
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
