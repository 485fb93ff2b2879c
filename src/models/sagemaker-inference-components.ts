import { instanceCostSoFar } from '../billing/instance-time.js';
import { packCopies } from '../billing/shared-instances.js';
import { describeDist, type Dist } from '../sim/dist.js';
import { Rng } from '../sim/rng.js';
import { DistService } from '../sim/service.js';
import { complianceFacts } from './compliance.js';
import { feasibility } from './feasibility.js';
import { assumed, sizingAssumptions } from './fleet-common.js';
import { fitModel, gpuProfile, InstanceService } from './hardware.js';
import { describeHeartbeat, HeartbeatStream } from './heartbeat.js';
import {
  componentReasons,
  componentReservation,
  endpointLines,
  endpointPrice,
  IC_ID,
  icFacts,
  icScaleToZeroSeconds,
  IcSettingsSchema,
  realtimeFacts,
  resolveEndpoint,
  type IcSettings,
} from './inference-components.js';
import { ComponentCopyPolicy } from './inference-components-policy.js';
import { fixedDist, type TargetTrackingParams } from './sagemaker-realtime.js';
import type { Assumption, ServingOption } from './types.js';
import { targetTrackingRows } from './target-tracking-rows.js';
import { InputError } from '../errors.js';
import { decision, fact, OPS } from './uncertain-forms.js';

/**
 * `sagemaker-inference-components`: models hosted as inference components on one SageMaker
 * endpoint whose instances they share. Each component scales its copies by target tracking on
 * invocations per copy (sagemaker-realtime's alarms, cooldowns and scale-to-zero rule); each copy
 * reserves accelerators and memory; managed instance scaling launches an instance when a copy
 * does not fit and releases one that hosts no copy. Billed per instance-second. Run alone, the
 * scenario's model is the endpoint's one component; a portfolio bills several models' runs
 * together with `billInferenceComponents` (inference-components.ts).
 */

function bounds(s: IcSettings, key: string) {
  const d = icFacts();
  const b = {
    minCopies: s.minCopies ?? d.minCopies.value,
    maxCopies: s.maxCopies ?? d.maxCopies.value,
    minInstances: s.minInstances ?? d.minInstances.value,
    maxInstances: s.maxInstances ?? d.maxInstances.value,
  };
  for (const [lo, hi] of [
    ['minCopies', 'maxCopies'],
    ['minInstances', 'maxInstances'],
  ] as const)
    if (b[lo] > b[hi])
      throw new InputError(`${lo} (${b[lo]}) is greater than ${hi} (${b[hi]})`, `options.${key}.${lo}`);
  return b;
}

export const sagemakerInferenceComponents: ServingOption<IcSettings> = {
  id: IC_ID,
  title: 'SageMaker inference components',
  service: (l) => (l.item.startsWith('Instance usage') ? 'AmazonSageMaker' : undefined),
  schema: IcSettingsSchema,
  facts: () => ({
    baseSupport:
      'Anything that fits the instance (any architecture, your container), several models per endpoint',
    opsSurface:
      'Heavy: one endpoint for every model — components, copy and instance scaling, health checks, deployments',
    costShape:
      'Instance-hours (per second) of the shared instances, split among the models by reserved copy time',
    versionRollback: {
      path: 'New model → update the inference component (rolling copy replacement); rollback is the reverse update',
      timeToTrafficSeconds: null,
    },
    compliance: complianceFacts('sagemaker-realtime'),
  }),
  // The settings behind the uncertain rows (sensitivity, forecast); names match the rows below.
  uncertain: {
    settings: {
      minCopies: decision('min copies', 'int'),
      maxCopies: decision('max copies', 'int'),
      minInstances: decision('min instances', 'int'),
      maxInstances: decision('max instances', 'int'),
      targetInvocationsPerCopy: decision('target invocations/copy/min', 'number'),
      scaleOutDatapoints: fact('scale-out datapoints', 'int'),
      scaleInDatapoints: fact('scale-in datapoints', 'int'),
      scaleOutCooldown: decision('scale-out cooldown', 'dist'),
      scaleInCooldown: decision('scale-in cooldown', 'dist'),
      copyLoadTime: fact('copy load time', 'dist'),
      launchTime: fact('launch time', 'dist'),
      ...OPS,
    },
    minMax: [
      ['minCopies', 'maxCopies'],
      ['minInstances', 'maxInstances'],
    ],
  },
  scaleToZero: (s) =>
    (s.minCopies ?? icFacts().minCopies.value) === 0
      ? { afterSeconds: icScaleToZeroSeconds(s), whileCold: s.coldCalls ?? 'wait' }
      : null,
  feasibility(model, region, s, book) {
    const key = s.key ?? s.id;
    const e = resolveEndpoint(s, key);
    bounds(s, key);
    const priced = endpointPrice(book, e, region);
    return feasibility(componentReasons(model, s, e), 'missing' in priced ? [priced.missing] : []);
  },
  prepare(ctx, s) {
    const d = icFacts();
    const r = realtimeFacts();
    const e = resolveEndpoint(s, ctx.key);
    const b = bounds(s, ctx.key);
    const fit = fitModel(ctx.model, e.spec);
    const reservation = componentReservation(s, fit);
    const profile = gpuProfile(e.spec, `options.${ctx.key}.instanceType`);
    // A copy is one engine on its tensor-parallel group.
    const slots = profile.slots;
    const service = s.serviceTime
      ? new DistService(s.serviceTime, Rng.derive(ctx.seed, 'service', ctx.key))
      : new InstanceService(profile, 1, ctx.model, fit.tensorParallel);
    const capacityPerMinute = (60 * slots) / service.time(ctx.meanTokens.input, ctx.meanTokens.output, slots);
    const target =
      s.targetInvocationsPerCopy ?? Math.max(1, r.targetInvocationsPerInstance.value * capacityPerMinute);
    const copyLoad: Dist = s.copyLoadTime ?? {
      dist: 'lognormal',
      median: d.copyLoadTime.median,
      p90: d.copyLoadTime.p90,
    };
    const launch: Dist = s.launchTime ?? {
      dist: 'lognormal',
      median: r.launchTime.median,
      p90: r.launchTime.p90,
    };
    const priced = endpointPrice(ctx.book, e, ctx.region);
    if ('missing' in priced) throw new InputError(priced.missing, `options.${ctx.key}.instanceType`);
    const price = priced.price;
    const coldCalls = s.coldCalls ?? 'wait';
    // sagemaker-realtime's target tracking, on copies: its instance bounds are the copy bounds.
    const tt: TargetTrackingParams = {
      minInstances: b.minCopies,
      maxInstances: b.maxCopies,
      target,
      scaleOutDatapoints: s.scaleOutDatapoints ?? r.scaleOutDatapoints.value,
      scaleInDatapoints: s.scaleInDatapoints ?? r.scaleInDatapoints.value,
      scaleInThreshold: r.scaleInThreshold.value,
      scaleOutCooldown: fixedDist(s.scaleOutCooldown, r.scaleOutCooldown.value),
      scaleInCooldown: fixedDist(s.scaleInCooldown, r.scaleInCooldown.value),
      launchTime: copyLoad,
      spanSeconds: ctx.spanSeconds,
    };
    const policy = new ComponentCopyPolicy(
      {
        copies: tt,
        reservation,
        shape: e.shape,
        minInstances: b.minInstances,
        maxInstances: b.maxInstances,
        instanceLaunch: launch,
        coldCalls,
      },
      Rng.derive(ctx.seed, 'launch', ctx.key),
    );
    const fromScenario = (k: keyof IcSettings) => s[k] !== undefined;
    const assumptions: Assumption[] = [
      ...sizingAssumptions(
        e.type,
        s.instanceType ? 'Scenario setting' : d.instanceType.source,
        fit,
        slots,
        profile,
        'slots per copy',
      ),
      {
        name: 'instance price',
        value: price.price,
        unit: `USD per ${price.unit.replace(/s$/, '')}`,
        source: `${price.source}; ${d.billing.source}`,
        uncertain: price.uncertain,
      },
      {
        name: 'reservation per copy',
        value: `${reservation.accelerators} GPU(s), ${reservation.memoryGiB} GiB of ${e.shape.accelerators} GPU(s), ${e.shape.memoryGiB} GiB per instance`,
        unit: '',
        source: s.reservation
          ? 'Scenario setting'
          : `GPUs: the model's tensor-parallel group on ${e.type} (computed); memory: ${d.memoryGiBPerCopy.source}; instance memory: ${d.instanceMemoryGiB.source}`,
        uncertain: s.reservation?.memoryGiB === undefined,
      },
      assumed('min copies', b.minCopies, d.minCopies, fromScenario('minCopies')),
      assumed('max copies', b.maxCopies, d.maxCopies, fromScenario('maxCopies')),
      assumed('min instances', b.minInstances, d.minInstances, fromScenario('minInstances')),
      assumed('max instances', b.maxInstances, d.maxInstances, fromScenario('maxInstances')),
      ...targetTrackingRows('copy', tt, r, capacityPerMinute, {
        target: fromScenario('targetInvocationsPerCopy'),
        scaleOutDatapoints: fromScenario('scaleOutDatapoints'),
        scaleInDatapoints: fromScenario('scaleInDatapoints'),
        scaleOutCooldown: fromScenario('scaleOutCooldown'),
        scaleInCooldown: fromScenario('scaleInCooldown'),
      }),
      distRow('copy load time', copyLoad, s.copyLoadTime !== undefined, d.copyLoadTime),
      distRow('launch time', launch, s.launchTime !== undefined, {
        ...r.launchTime,
        source: `${r.launchTime.source}; a copy that needs a new instance waits for its launch plus its own load`,
      }),
      {
        name: 'copy placement',
        value: 'first fit, oldest instance first',
        unit: '',
        source: d.placement.source,
        uncertain: true,
      },
      {
        name: 'instance release',
        value: 'when it hosts no copy',
        unit: '',
        source: d.instanceRelease.source,
        uncertain: true,
      },
      {
        name: 'cold calls',
        value: coldCalls,
        unit: '',
        source: fromScenario('coldCalls') ? 'Scenario setting' : d.coldCalls.source,
        uncertain: !fromScenario('coldCalls'),
      },
      assumed('ops', s.opsFte ?? r.opsFte.value, r.opsFte, fromScenario('opsFte')),
      assumed(
        'ops cost per FTE-year',
        s.opsCostPerFteYear ?? r.opsCostPerFteYear.value,
        r.opsCostPerFteYear,
        fromScenario('opsCostPerFteYear'),
      ),
      {
        name: 'routing',
        value: s.routing ?? 'least-loaded',
        unit: '',
        source: "Assumed: SageMaker spreads a component's requests over its copies",
        uncertain: true,
      },
      {
        name: 'shared cost split',
        value: 'by reserved copy-seconds',
        unit: '',
        source: d.split.source,
        uncertain: false,
      },
    ];
    if (b.minCopies === 0)
      assumptions.push({
        name: 'idle time before scaling to zero',
        value: icScaleToZeroSeconds(s),
        unit: 's',
        ...(s.scaleInDatapoints === undefined
          ? { low: 60 * r.scaleInDatapoints.low, high: 60 * r.scaleInDatapoints.high }
          : {}),
        source: r.scaleToZero.source,
        uncertain: s.scaleInDatapoints === undefined,
      });
    if (s.heartbeat)
      assumptions.push({
        name: 'heartbeat',
        value: describeHeartbeat(s.heartbeat),
        unit: '',
        source:
          'Scenario setting (heartbeats are invocations: they count per copy and keep the copy in service; never user requests)',
        uncertain: false,
      });
    return {
      assumptions,
      fleet: {
        slotsPerReplica: slots,
        routing: s.routing ?? 'least-loaded',
        service,
        initialReplicas: b.minCopies,
        policy,
      },
      heartbeats: s.heartbeat ? new HeartbeatStream(s.heartbeat, ctx.calendar, ctx.spanSeconds) : null,
      bill(record) {
        // The bill packs the recorded copies exactly as the policy placed them live.
        let end = ctx.spanSeconds;
        for (const c of record.replicas) end = Math.max(end, c.removedAt);
        const packing = packCopies(
          [{ model: ctx.model.name, reservation, copies: record.replicas }],
          e.shape,
          {
            minInstances: b.minInstances,
            maxInstances: b.maxInstances,
            end,
          },
        );
        const lines = endpointLines(s, e.type, price, packing.instanceSeconds, ctx.spanSeconds);
        const ops = lines.find((l) => l.lineId === 'ops');
        const opsPerSecond = ops ? ops.amount / ctx.spanSeconds : 0;
        return {
          lines,
          billedUnitMinutes: packing.instanceSeconds / 60,
          costSoFar: (m) => {
            const c = instanceCostSoFar(packing.instances, m, price.price / 3600);
            for (let i = 0; i < m; i++) c[i]! += opsPerSecond * Math.min(60 * (i + 1), ctx.spanSeconds);
            return c;
          },
        };
      },
    };
  },
};

function distRow(
  name: string,
  dist: Dist,
  fromScenario: boolean,
  d: { low: number; high: number; source: string },
): Assumption {
  return {
    name,
    value: describeDist(dist, 's'),
    unit: '',
    ...(fromScenario ? {} : { low: d.low, high: d.high }),
    source: fromScenario ? 'Scenario setting' : d.source,
    uncertain: !fromScenario,
    dist,
  };
}
