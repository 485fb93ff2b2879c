import { z } from 'zod';
import { readShippedJson } from '../data.js';
import { InputError } from '../errors.js';
import { line } from '../billing/lines.js';
import { instanceCostSoFar, instanceSeconds } from '../billing/instance-time.js';
import { DurationDist } from '../scenario/fields.js';
import { describeDist, sample, type Dist } from '../sim/dist.js';
import { Admit, type Fleet, type FleetPolicy } from '../sim/fleet.js';
import { Rng } from '../sim/rng.js';
import { DistService } from '../sim/service.js';
import { assumed, instancePrice, sizingAssumptions, opsFields, opsLine, type Band } from './fleet-common.js';
import {
  ec2Name,
  fitModel,
  fittingInstances,
  gpuProfile,
  instanceSpec,
  InstanceService,
} from './hardware.js';
import { describeHeartbeat, HeartbeatSchema, HeartbeatStream } from './heartbeat.js';
import { fleetFields, optionObject } from './option-base.js';
import type { Assumption, ServingOption } from './types.js';
import { checkHeartbeatEvery, targetTrackingRows } from './target-tracking-rows.js';
import { complianceFacts } from './compliance.js';
import { feasibility, missingPrice } from './feasibility.js';
import { OPTION_DOCS } from './option-docs.js';

/**
 * `sagemaker-realtime`: a SageMaker real-time endpoint on GPU instances you choose, scaled by
 * target tracking on invocations per instance per minute, evaluated as CloudWatch alarms do.
 * Billed per instance-second from launch to termination.
 */

interface Defaults {
  defaults: Record<
    | 'minInstances'
    | 'maxInstances'
    | 'targetInvocationsPerInstance'
    | 'scaleOutDatapoints'
    | 'scaleInDatapoints'
    | 'scaleInThreshold'
    | 'scaleOutCooldown'
    | 'scaleInCooldown'
    | 'opsFte'
    | 'opsCostPerFteYear',
    Band
  > & {
    instanceType: { value: string; source: string };
    scaleToZero: { source: string };
    scaleFromZero: { source: string };
    launchTime: { median: number; p90: number; low: number; high: number; unit: string; source: string };
  };
}
let cache: Defaults | undefined;
const facts = (): Defaults['defaults'] =>
  (cache ??= readShippedJson('src/models/sagemaker-realtime.json') as Defaults).defaults;

const doc = OPTION_DOCS.sagemakerRealtime;
const schema = optionObject('sagemaker-realtime', {
  /** SageMaker instance type, e.g. ml.g5.2xlarge. */
  instanceType: z.string().optional().describe(doc.instanceType),
  /** Instances always kept (0 = scale to zero with inference components). Default 1. */
  minInstances: z.number().int().min(0).optional().describe(doc.minInstances),
  maxInstances: z.number().int().min(1).optional().describe(doc.maxInstances),
  /** Target invocations per instance per minute; default 70 % of the instance's capacity. */
  targetInvocationsPerInstance: z.number().positive().optional().describe(doc.targetInvocationsPerInstance),
  scaleOutDatapoints: z.number().int().positive().optional().describe(doc.scaleOutDatapoints),
  scaleInDatapoints: z.number().int().positive().optional().describe(doc.scaleInDatapoints),
  scaleOutCooldown: DurationDist.optional().describe(doc.scaleOutCooldown),
  scaleInCooldown: DurationDist.optional().describe(doc.scaleInCooldown),
  /** Time from launch to InService. */
  launchTime: DurationDist.optional().describe(doc.launchTime),
  /** Extra instances held during a blue/green deployment (used by the rollout analysis). */
  blueGreenCapacity: z.number().int().min(0).default(0).describe(doc.blueGreenCapacity),
  /** Warm heartbeat (design §4.5); only with `minInstances: 0`, every ≤ the scale-to-zero time. */
  heartbeat: HeartbeatSchema.optional().describe(doc.heartbeat),
  ...opsFields,
  ...fleetFields,
}).superRefine((s, ctx) => {
  // Checked in the schema so the error points at the scenario's line.
  if (!s.heartbeat) return;
  if (s.minInstances !== 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['heartbeat'],
      message: `a heartbeat keeps a scaled-to-zero endpoint warm, but this one keeps ${s.minInstances ?? `${facts().minInstances.value} (the default)`} instance(s) always up; set minInstances: 0 (inference components) or remove the heartbeat`,
    });
    return;
  }
  checkHeartbeatEvery(ctx, s.heartbeat.every, scaleToZeroSeconds(s), 'the endpoint');
});
export type SagemakerRealtimeSettings = z.infer<typeof schema>;

function resolveType(s: SagemakerRealtimeSettings, key: string) {
  const type = s.instanceType ?? facts().instanceType.value;
  if (!type.startsWith('ml.'))
    throw new InputError(
      `SageMaker instance types start with "ml." (e.g. ml.${type})`,
      `options.${key}.instanceType`,
    );
  return { type, spec: instanceSpec(type, `options.${key}.instanceType`, 'ml.') };
}

/**
 * Idle seconds after which an endpoint with `minInstances: 0` scales to zero: the scale-in
 * alarm's datapoints, every one a minute without an invocation (an assumption, see the policy).
 */
function scaleToZeroSeconds(s: { scaleInDatapoints?: number | undefined }): number {
  return 60 * (s.scaleInDatapoints ?? facts().scaleInDatapoints.value);
}

/** A duration setting's fixed value (cooldowns are fixed, not drawn); else the default. */
export function fixedDist(d: Dist | undefined, fallback: number): number {
  return d === undefined ? fallback : d.dist === 'fixed' ? d.value : fallback;
}

export const sagemakerRealtime: ServingOption<SagemakerRealtimeSettings> = {
  id: 'sagemaker-realtime',
  title: 'SageMaker real-time endpoint',
  // Discounts (Savings Plans) apply to instance time, never to the ops line.
  service: (l) => (l.item.startsWith('Instance usage') ? 'AmazonSageMaker' : undefined),
  schema,
  facts: () => ({
    baseSupport: 'Anything that fits the instance (any architecture, your container)',
    opsSurface: 'Heavy: endpoint config, health checks, deployment pipeline, scaling policy, version aliases',
    costShape: 'Instance-hours (per second) from launch to termination, whether busy or idle',
    versionRollback: {
      path: 'New model + endpoint config → blue/green update; rollback is the reverse update',
      timeToTrafficSeconds: null,
    },
    compliance: complianceFacts('sagemaker-realtime'),
  }),
  scaleToZero: (s) =>
    (s.minInstances ?? facts().minInstances.value) === 0
      ? { afterSeconds: scaleToZeroSeconds(s), whileCold: 'fail' }
      : null,
  feasibility(model, region, s, book) {
    const key = s.key ?? s.id;
    const { type, spec } = resolveType(s, key);
    const min = s.minInstances ?? facts().minInstances.value;
    const max = s.maxInstances ?? facts().maxInstances.value;
    if (min > max)
      throw new InputError(
        `minInstances (${min}) is greater than maxInstances (${max})`,
        `options.${key}.minInstances`,
      );
    const reasons: string[] = [];
    const fit = fitModel(model, spec);
    if (!fit.fits) {
      const fitting = fittingInstances(model).map((t) => `ml.${t}`);
      throw new InputError(
        `the model (${fit.neededGB.toFixed(1)} GB with KV headroom) fits no GPU group of ${type}; types that fit: ${fitting.join(', ') || 'none'}`,
        `options.${key}.instanceType`,
      );
    }
    const missing: string[] = [];
    if (!instancePrice(book, 'AmazonSageMaker', type, region))
      missing.push(missingPrice(`SageMaker price for ${type}`, region));
    return feasibility(reasons, missing);
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
    // Capacity per minute at full occupancy for the trace's mean request; the default target is a share of it.
    const fullService = service.time(ctx.meanTokens.input, ctx.meanTokens.output, slots);
    const capacityPerMinute = (60 * slots) / fullService;
    const target =
      s.targetInvocationsPerInstance ?? Math.max(1, d.targetInvocationsPerInstance.value * capacityPerMinute);
    const launch: Dist = s.launchTime ?? {
      dist: 'lognormal',
      median: d.launchTime.median,
      p90: d.launchTime.p90,
    };
    const price = instancePrice(ctx.book, 'AmazonSageMaker', type, ctx.region)!;
    const p: TargetTrackingParams = {
      minInstances: s.minInstances ?? d.minInstances.value,
      maxInstances: s.maxInstances ?? d.maxInstances.value,
      target,
      scaleOutDatapoints: s.scaleOutDatapoints ?? d.scaleOutDatapoints.value,
      scaleInDatapoints: s.scaleInDatapoints ?? d.scaleInDatapoints.value,
      scaleInThreshold: d.scaleInThreshold.value,
      scaleOutCooldown: fixedDist(s.scaleOutCooldown, d.scaleOutCooldown.value),
      scaleInCooldown: fixedDist(s.scaleInCooldown, d.scaleInCooldown.value),
      launchTime: launch,
      spanSeconds: ctx.spanSeconds,
    };
    const opsFte = s.opsFte ?? d.opsFte.value;
    const opsCost = s.opsCostPerFteYear ?? d.opsCostPerFteYear.value;
    const assumptions: Assumption[] = [
      ...sizingAssumptions(
        type,
        s.instanceType ? 'Scenario setting' : d.instanceType.source,
        fit,
        slots,
        profile,
        'slots per instance',
      ),
      {
        name: 'instance price',
        value: price.price,
        unit: `USD per ${price.unit.replace(/s$/, '')}`,
        source: price.source,
        uncertain: price.uncertain,
      },
      assumed('min instances', p.minInstances, d.minInstances, s.minInstances !== undefined),
      assumed('max instances', p.maxInstances, d.maxInstances, s.maxInstances !== undefined),
      ...targetTrackingRows('instance', p, d, capacityPerMinute, {
        target: s.targetInvocationsPerInstance !== undefined,
        scaleOutDatapoints: s.scaleOutDatapoints !== undefined,
        scaleInDatapoints: s.scaleInDatapoints !== undefined,
        scaleOutCooldown: s.scaleOutCooldown !== undefined,
        scaleInCooldown: s.scaleInCooldown !== undefined,
      }),
      {
        name: 'launch time',
        value: describeDist(launch, 's'),
        unit: '',
        ...(s.launchTime ? {} : { low: d.launchTime.low, high: d.launchTime.high }),
        source: s.launchTime ? 'Scenario setting' : d.launchTime.source,
        uncertain: !s.launchTime,
        dist: launch,
      },
      assumed('ops', opsFte, d.opsFte, s.opsFte !== undefined),
      assumed('ops cost per FTE-year', opsCost, d.opsCostPerFteYear, s.opsCostPerFteYear !== undefined),
      {
        name: 'routing',
        value: s.routing ?? 'least-loaded',
        unit: '',
        source: 'Assumed: SageMaker spreads requests over instances',
        uncertain: true,
      },
    ];
    if (p.minInstances === 0) {
      assumptions.push({
        name: 'idle time before scaling to zero',
        value: scaleToZeroSeconds(s),
        unit: 's',
        ...(s.scaleInDatapoints === undefined
          ? { low: 60 * d.scaleInDatapoints.low, high: 60 * d.scaleInDatapoints.high }
          : {}),
        source: d.scaleToZero.source,
        uncertain: s.scaleInDatapoints === undefined,
      });
      assumptions.push({
        name: 'scale out from zero',
        value: 'the call that finds no instance fails and starts one; calls fail until it is in service',
        unit: '',
        source: d.scaleFromZero.source,
        uncertain: false,
      });
    }
    if (s.heartbeat)
      assumptions.push({
        name: 'heartbeat',
        value: describeHeartbeat(s.heartbeat),
        unit: '',
        source:
          'Scenario setting (heartbeats are invocations: they count in InvocationsPerInstance and keep the instance in service; never user requests)',
        uncertain: false,
      });
    return {
      assumptions,
      fleet: {
        slotsPerReplica: slots,
        routing: s.routing ?? 'least-loaded',
        service,
        initialReplicas: p.minInstances,
        policy: new TargetTrackingPolicy(p, Rng.derive(ctx.seed, 'launch', ctx.key)),
      },
      heartbeats: s.heartbeat ? new HeartbeatStream(s.heartbeat, ctx.calendar, ctx.spanSeconds) : null,
      bill(record) {
        const hours = instanceSeconds(record.replicas) / 3600;
        const lines = [
          line(`Instance usage (${type}, on-demand)`, hours, 'instance-hours', price.price, {
            lineId: 'instance-usage',
          }),
        ];
        if (opsFte > 0) lines.push(opsLine(opsFte, opsCost, ctx.spanSeconds));
        const opsPerSecond = (opsFte * opsCost) / (8760 * 3600);
        return {
          lines,
          billedUnitMinutes: hours * 60,
          costSoFar: (m) => {
            const c = instanceCostSoFar(record.replicas, m, price.price / 3600);
            for (let i = 0; i < m; i++) c[i]! += opsPerSecond * Math.min(60 * (i + 1), ctx.spanSeconds);
            return c;
          },
        };
      },
    };
  },
};

export interface TargetTrackingParams {
  minInstances: number;
  maxInstances: number;
  /** Invocations per instance per minute. */
  target: number;
  scaleOutDatapoints: number;
  scaleInDatapoints: number;
  scaleInThreshold: number;
  scaleOutCooldown: number;
  scaleInCooldown: number;
  launchTime: Dist;
  spanSeconds: number;
}

const TAG_MINUTE = 0;

/**
 * Target tracking as Application Auto Scaling runs it for SageMaker variants: every minute the
 * metric `InvocationsPerInstance` (invocations in the minute ÷ instances in service) is one
 * datapoint. N consecutive datapoints above target (and the scale-out cooldown passed) set the
 * capacity to ⌈current × metric / target⌉, up to the maximum; M consecutive datapoints below
 * `scaleInThreshold` × target (and the scale-in cooldown passed) lower it the same way, never
 * below the minimum. New instances serve after their launch time; removed ones drain first.
 *
 * With `minInstances: 0` (inference components) a call that finds no instance in service fails
 * — AWS returns an error until capacity arrives — and starts one if none is launching (the step
 * scaling policy on NoCapacityInvocationFailures). Scale-in goes to zero only once the alarm's
 * `scaleInDatapoints` datapoints are all minutes without an invocation: any invocation in them
 * (a heartbeat's too) makes ⌈current × metric / target⌉ at least 1. Minutes with no instance in
 * service have no datapoint and restart the count.
 */
export class TargetTrackingPolicy implements FleetPolicy {
  private invocations = 0;
  private high = 0;
  private low = 0;
  private lastOut = -Infinity;
  private lastIn = -Infinity;
  /** Consecutive datapoints (minutes with an instance in service) without an invocation. */
  private idleMinutes = 0;

  constructor(
    protected readonly p: TargetTrackingParams,
    protected readonly rng: Rng,
  ) {}

  onStart(fleet: Fleet): void {
    fleet.setTimer(60, TAG_MINUTE);
  }

  onArrival(fleet: Fleet): number {
    if (fleet.readyCount() === 0 && this.p.minInstances === 0) {
      if (fleet.loadingCount() === 0) this.launch(fleet, true);
      return Admit.failCold;
    }
    this.invocations++;
    return Admit.admit;
  }

  onQueued(): void {}

  onIdle(): void {}

  onReady(): void {}

  onTimer(fleet: Fleet, t: number): void {
    const inService = fleet.readyCount();
    const metric = inService > 0 ? this.invocations / inService : this.invocations > 0 ? Infinity : 0;
    // A minute with requests still queued or in service is not idle: the endpoint is working.
    const working = fleet.queueLength() > 0 || fleet.live().some((r) => fleet.inFlight(r) > 0);
    this.idleMinutes = inService === 0 ? 0 : this.invocations === 0 && !working ? this.idleMinutes + 1 : 0;
    this.invocations = 0;
    this.high = metric > this.p.target ? this.high + 1 : 0;
    this.low = metric < this.p.scaleInThreshold * this.p.target ? this.low + 1 : 0;
    const current = fleet.live().filter((r) => !fleet.isDraining(r)).length;
    const toZero = this.p.minInstances === 0 && this.idleMinutes >= this.p.scaleInDatapoints;
    const inCooldown = t - this.lastIn < this.p.scaleInCooldown || t - this.lastOut < this.p.scaleInCooldown;
    if (toZero && current > 0 && !inCooldown) {
      this.shrink(fleet, current);
      this.lastIn = t;
      this.low = 0;
    } else if (this.high >= this.p.scaleOutDatapoints && t - this.lastOut >= this.p.scaleOutCooldown) {
      const desired = Math.min(
        this.p.maxInstances,
        metric === Infinity ? current + 1 : Math.ceil((Math.max(current, 1) * metric) / this.p.target),
      );
      for (let k = current; k < desired; k++) if (!this.launch(fleet, false)) break;
      if (desired > current) this.lastOut = t;
      this.high = 0;
    } else if (this.low >= this.p.scaleInDatapoints && !inCooldown) {
      // Zero only through the rule above: an invocation in the window keeps one instance.
      const desired = Math.max(this.p.minInstances, 1, Math.ceil((current * metric) / this.p.target));
      if (desired < current) {
        this.shrink(fleet, current - desired);
        this.lastIn = t;
      }
      this.low = 0;
    }
    // Keep evaluating while there is a span to cover or work to finish (work with no instance
    // left cannot finish: nothing would launch one, so the timer stops rather than spin forever).
    if (t < this.p.spanSeconds || (working && fleet.live().length > 0)) fleet.setTimer(t + 60, TAG_MINUTE);
  }

  /** Starts one replica; false when none can start (sagemaker-inference-components: no room). */
  protected launch(fleet: Fleet, cold: boolean): boolean {
    fleet.addReplica(sample(this.p.launchTime, this.rng), cold);
    return true;
  }

  /** Removes `n` instances, newest first; busy ones stop taking requests and go once drained. */
  private shrink(fleet: Fleet, n: number): void {
    const live = fleet
      .live()
      .filter((r) => !fleet.isDraining(r))
      .reverse();
    for (const r of live.slice(0, n)) fleet.drainReplica(r);
  }
}

export { ec2Name };
