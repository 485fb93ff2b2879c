import { z } from 'zod';
import { readShippedJson } from '../data.js';
import { InputError } from '../errors.js';
import { costSplit, line, type CostLine } from '../billing/lines.js';
import {
  fitsInstance,
  packCopies,
  splitByReservation,
  type CopyLife,
  type InstanceShape,
  type Packing,
  type Reservation,
} from '../billing/shared-instances.js';
import type { PriceBook, PriceEntry } from '../pricing/book.js';
import { DurationDist } from '../scenario/fields.js';
import { compensatedSum } from '../stats.js';
import { checkHeartbeatEvery } from './target-tracking-rows.js';
import { instancePrice, opsFields, opsLine, type Band } from './fleet-common.js';
import { fitModel, instanceSpec, type Fit, type InstanceSpec } from './hardware.js';
import { HeartbeatSchema } from './heartbeat.js';
import { OPTION_DOCS } from './option-docs.js';
import { weightGB, type ModelSpec } from './model-spec.js';
import { fleetFields, optionObject } from './option-base.js';
import { missingPrice } from './feasibility.js';

/*
 * `sagemaker-inference-components`, the endpoint layer: settings, the instance and the copy's
 * reservation, feasibility, and the shared bill — one endpoint's instances packed with every
 * model's copies (src/billing/shared-instances.ts) and split among the models. The option file
 * (sagemaker-inference-components.ts) runs one model; a portfolio calls `billInferenceComponents`
 * with each model's run.
 */

export const IC_ID = 'sagemaker-inference-components';

type Dated = { median: number; p90: number; low: number; high: number; unit: string; source: string };
interface IcFacts {
  defaults: Record<'minCopies' | 'maxCopies' | 'minInstances' | 'maxInstances' | 'memoryGiBPerCopy', Band> &
    Record<'instanceRelease' | 'placement' | 'coldCalls' | 'billing' | 'split', { source: string }> & {
      instanceType: { value: string; source: string };
      copyLoadTime: Dated;
      instanceMemoryGiB: { source: string; values: Record<string, number> };
    };
}
/** Shared with sagemaker-realtime: its alarms, cooldowns, target share, instance launch, ops. */
interface RealtimeFacts {
  defaults: Record<
    | 'targetInvocationsPerInstance'
    | 'scaleOutDatapoints'
    | 'scaleInDatapoints'
    | 'scaleInThreshold'
    | 'scaleOutCooldown'
    | 'scaleInCooldown'
    | 'opsFte'
    | 'opsCostPerFteYear',
    Band
  > & { launchTime: Dated; scaleToZero: { source: string } };
}
let ic: IcFacts | undefined;
let rt: RealtimeFacts | undefined;
export const icFacts = (): IcFacts['defaults'] =>
  (ic ??= readShippedJson('src/models/inference-components.json') as IcFacts).defaults;
export const realtimeFacts = (): RealtimeFacts['defaults'] =>
  (rt ??= readShippedJson('src/models/sagemaker-realtime.json') as RealtimeFacts).defaults;

const doc = OPTION_DOCS.inferenceComponents;
const rtDoc = OPTION_DOCS.sagemakerRealtime;
export const IcSettingsSchema = optionObject(IC_ID, {
  /** SageMaker instance type the endpoint's instances are, e.g. ml.g5.12xlarge. */
  instanceType: z.string().optional().describe(doc.instanceType),
  /** Managed instance scaling: instances kept (0 = none while no copy runs). Default 0. */
  minInstances: z.number().int().min(0).optional().describe(doc.minInstances),
  /** Managed instance scaling: MaxInstanceCount. Default 4. */
  maxInstances: z.number().int().min(1).optional().describe(doc.maxInstances),
  /** Copies of the component always kept (0 = the component scales to zero). Default 1. */
  minCopies: z.number().int().min(0).optional().describe(doc.minCopies),
  maxCopies: z.number().int().min(1).optional().describe(doc.maxCopies),
  /** Target invocations per copy per minute; default 70 % of a copy's capacity. */
  targetInvocationsPerCopy: z.number().positive().optional().describe(doc.targetInvocationsPerCopy),
  /** What one copy reserves (ComputeResourceRequirements); defaults from the model and instance. */
  reservation: z
    .strictObject({
      /** GPUs per copy; default the tensor-parallel group the model needs on this instance. */
      accelerators: z.number().min(1).optional().describe(doc.accelerators),
      /** Host memory per copy, GiB (MinMemoryRequiredInMb ÷ 1,024); default 1. */
      memoryGiB: z.number().min(0.125).optional().describe(doc.memoryGiB),
    })
    .optional()
    .describe(doc.reservation),
  /** Load time of a copy on an instance in service (container, weights, server start). */
  copyLoadTime: DurationDist.optional().describe(doc.copyLoadTime),
  /** Launch time of an instance a copy needs (added to that copy's load). */
  launchTime: DurationDist.optional().describe(doc.launchTime),
  /** A call to a component with no copy in service: `wait` (client retries; default) or `fail`. */
  coldCalls: z.enum(['wait', 'fail']).optional().describe(doc.coldCalls),
  scaleOutDatapoints: z.number().int().positive().optional().describe(rtDoc.scaleOutDatapoints),
  scaleInDatapoints: z.number().int().positive().optional().describe(rtDoc.scaleInDatapoints),
  scaleOutCooldown: DurationDist.optional().describe(rtDoc.scaleOutCooldown),
  scaleInCooldown: DurationDist.optional().describe(rtDoc.scaleInCooldown),
  /** Warm heartbeat (design §4.5); only with `minCopies: 0`, every ≤ the scale-to-zero time. */
  heartbeat: HeartbeatSchema.optional().describe(doc.heartbeat),
  ...opsFields,
  ...fleetFields,
}).superRefine((s, ctx) => {
  if (!s.heartbeat) return;
  const min = s.minCopies ?? icFacts().minCopies.value;
  if (min !== 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['heartbeat'],
      message: `a heartbeat keeps a component scaled to zero warm, but this one keeps ${min} cop${min === 1 ? 'y' : 'ies'} always up${s.minCopies === undefined ? ' (the default)' : ''}; set minCopies: 0 or remove the heartbeat`,
    });
    return;
  }
  checkHeartbeatEvery(ctx, s.heartbeat.every, icScaleToZeroSeconds(s), 'the component');
});
export type IcSettings = z.infer<typeof IcSettingsSchema>;

/** Idle seconds before a component with `minCopies: 0` has no copy: sagemaker-realtime's rule. */
export function icScaleToZeroSeconds(s: { scaleInDatapoints?: number | undefined }): number {
  return 60 * (s.scaleInDatapoints ?? realtimeFacts().scaleInDatapoints.value);
}

/** The endpoint's instance: type, hardware, accelerators and host memory. */
export interface Endpoint {
  type: string;
  spec: InstanceSpec;
  shape: InstanceShape;
}

export function resolveEndpoint(s: IcSettings, key: string): Endpoint {
  const where = `options.${key}.instanceType`;
  const type = s.instanceType ?? icFacts().instanceType.value;
  if (!type.startsWith('ml.'))
    throw new InputError(`SageMaker instance types start with "ml." (e.g. ml.${type})`, where);
  const spec = instanceSpec(type, where, 'ml.');
  const memoryGiB = icFacts().instanceMemoryGiB.values[spec.type];
  if (memoryGiB === undefined)
    throw new InputError(
      `no host memory recorded for ${type} (src/models/inference-components.json); choose another type`,
      where,
    );
  return { type, spec, shape: { accelerators: spec.gpus, memoryGiB } };
}

/** The copy's reservation: the settings', else the model's GPU group on this instance and 1 GiB. */
export function componentReservation(s: IcSettings, fit: Fit): Reservation {
  return {
    accelerators: s.reservation?.accelerators ?? Math.max(1, fit.tensorParallel),
    memoryGiB: s.reservation?.memoryGiB ?? icFacts().memoryGiBPerCopy.value,
  };
}

/**
 * Why one model's copy cannot run on this endpoint (empty when it can): the model must fit a GPU
 * group of the instance, the reservation must grant that group, and fit an empty instance.
 */
export function componentReasons(model: ModelSpec, s: IcSettings, e: Endpoint): string[] {
  const fit = fitModel(model, e.spec);
  if (!fit.fits)
    return [
      `${model.name}: the model (${fit.neededGB.toFixed(1)} GB with KV headroom) fits no GPU group of ${e.type}`,
    ];
  const r = componentReservation(s, fit);
  const reasons: string[] = [];
  if (r.accelerators < fit.tensorParallel)
    reasons.push(
      `${model.name}: a copy needs ${fit.tensorParallel} GPUs (${weightGB(model).toFixed(1)} GB of weights with KV headroom) but reserves ${r.accelerators}`,
    );
  const over = fitsInstance(r, e.shape);
  if (over) reasons.push(`${model.name}: ${over} (${e.type}); lower the reservation or pick a larger type`);
  return reasons;
}

/** The instance's hourly price, or the missing-price reason. */
export function endpointPrice(
  book: PriceBook,
  e: Endpoint,
  region: string,
): { price: PriceEntry } | { missing: string } {
  const price = instancePrice(book, 'AmazonSageMaker', e.type, region);
  return price ? { price } : { missing: missingPrice(`SageMaker price for ${e.type}`, region) };
}

/** One model's run on the shared endpoint: its name, spec and the copies its simulation recorded. */
export interface ComponentRun {
  model: string;
  spec: ModelSpec;
  /** The model's SimRecord (its replicas are the component's copies). */
  record: { replicas: readonly CopyLife[]; spanSeconds: number };
  /** This component's reservation, when it differs from the settings' (default: from `spec`). */
  reservation?: Reservation;
}

/** A model's part of the shared bill. */
export interface ModelShare {
  model: string;
  /** Σ its copies' seconds × the copy's dominant share of an instance. */
  reservedShareSeconds: number;
  /** Its fraction of the shared cost (the shares add up to 1). */
  share: number;
  cost: { total: number; aws: number; staff: number };
}

/** The endpoint's bill: its lines (instances, ops), their totals, and the split among models. */
export interface SharedEndpointBill {
  instanceType: string;
  lines: CostLine[];
  cost: { total: number; aws: number; staff: number };
  perModel: ModelShare[];
  packing: Packing;
  /** The hourly price used. */
  price: PriceEntry;
  /** What the reader should know about this bill (copies past `maxInstances`), one sentence each. */
  notes: string[];
}

/**
 * Bills one endpoint shared by several models' inference components: every run's copies packed
 * onto the instances (first fit by accelerators and memory, a new instance when none fits,
 * released when empty, `minInstances` kept), instance-seconds × hourly price ÷ 3,600 (SageMaker
 * bills per second), one ops line for the endpoint, each line split among the models by reserved
 * share-seconds. Throws an InputError when a model's copy cannot run on the instance or the price
 * is missing (check `componentReasons` / `endpointPrice` first for a feasibility answer).
 *
 * Worked: ml.g5.12xlarge ($7.09/h, 4 GPUs, 192 GiB); model A's copy 0–3,600 s and model B's copy
 * 600–3,000 s, 1 GPU and 1 GiB each → one instance for 3,600 s = 1 instance-hour = $7.09;
 * weights A 3,600 × ¼ = 900, B 2,400 × ¼ = 600 → A $4.254, B $2.836.
 */
export function billInferenceComponents(
  settings: IcSettings,
  ctx: { region: string; book: PriceBook; spanSeconds: number; key?: string },
  runs: readonly ComponentRun[],
): SharedEndpointBill {
  const key = ctx.key ?? settings.key ?? IC_ID;
  const e = resolveEndpoint(settings, key);
  const priced = endpointPrice(ctx.book, e, ctx.region);
  if ('missing' in priced) throw new InputError(priced.missing, `options.${key}.instanceType`);
  const reservations = runs.map(
    (r) => r.reservation ?? componentReservation(settings, fitModel(r.spec, e.spec)),
  );
  const reasons = runs.flatMap((r) => {
    if (!r.reservation) return componentReasons(r.spec, settings, e);
    const over = fitsInstance(r.reservation, e.shape);
    return over ? [`${r.model}: ${over} (${e.type})`] : [];
  });
  if (reasons.length > 0) throw new InputError(reasons.join('; '), `options.${key}.reservation`);
  let end = ctx.spanSeconds;
  for (const r of runs) for (const c of r.record.replicas) end = Math.max(end, c.removedAt);
  const minInstances = settings.minInstances ?? icFacts().minInstances.value;
  const maxInstances = settings.maxInstances ?? icFacts().maxInstances.value;
  const packing = packCopies(
    runs.map((r, i) => ({ model: r.model, reservation: reservations[i]!, copies: r.record.replicas })),
    e.shape,
    { minInstances, maxInstances, end },
  );
  const lines = endpointLines(settings, e.type, priced.price, packing.instanceSeconds, ctx.spanSeconds);
  const weights = packing.reservedShareSeconds;
  const total = compensatedSum(weights);
  const split = lines.map((l) => splitByReservation(l.amount, weights));
  const perModel = runs.map((r, i) => {
    const parts = costSplit(lines.map((l, j) => ({ ...l, amount: split[j]![i]! })));
    return {
      model: r.model,
      reservedShareSeconds: weights[i]!,
      share: total > 0 ? weights[i]! / total : 1 / runs.length,
      cost: parts,
    };
  });
  const notes =
    packing.overMax > 0
      ? [
          `${packing.overMax} cop${packing.overMax === 1 ? 'y' : 'ies'} found the endpoint at maxInstances (${maxInstances}) and ${packing.overMax === 1 ? 'was' : 'were'} billed on instances past it (each model was simulated alone): raise maxInstances, or expect those copies to wait`,
        ]
      : [];
  return {
    instanceType: e.type,
    lines,
    cost: costSplit(lines),
    perModel,
    packing,
    price: priced.price,
    notes,
  };
}

/** The endpoint's cost lines: its instances and its ops. */
export function endpointLines(
  s: IcSettings,
  type: string,
  price: PriceEntry,
  instanceSeconds: number,
  spanSeconds: number,
): CostLine[] {
  const d = realtimeFacts();
  const lines = [
    line(
      `Instance usage (${type}, on-demand, inference components)`,
      instanceSeconds / 3600,
      'instance-hours',
      price.price,
      {
        lineId: 'ic-instance-usage',
      },
    ),
  ];
  const fte = s.opsFte ?? d.opsFte.value;
  if (fte > 0) lines.push(opsLine(fte, s.opsCostPerFteYear ?? d.opsCostPerFteYear.value, spanSeconds));
  return lines;
}
