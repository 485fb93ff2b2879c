import { didYouMean } from '../nearest.js';
import { readShippedJson } from '../data.js';
import { InputError } from '../errors.js';
import type { ServiceModel } from '../sim/fleet.js';
import type { PerfProfile } from '../sim/service.js';
import { weightGB, type ModelSpec } from './model-spec.js';
import { perfProfile } from './option-base.js';

/**
 * GPU instances (src/models/hardware.json) and which of them fit a model. Fit is computed, never
 * listed: weights spread over a tensor-parallel group of 1, 2, 4 or 8 GPUs must leave at least
 * `minKvCacheGB` of KV cache after vLLM's memory share and a per-GPU overhead. An instance with
 * G GPUs then runs ⌊G / tp⌋ independent engines, each with its GPU profile's slots.
 */

interface GpuSpec {
  memoryGB: number;
  usableGB: number;
  profile: string;
}
export interface InstanceSpec {
  type: string;
  gpu: string;
  gpus: number;
  vcpu: number;
}
interface HardwareData {
  source: string;
  gpus: Record<string, GpuSpec>;
  instances: InstanceSpec[];
  fit: { gpuMemoryUtilization: number; overheadGBPerGpu: number; minKvCacheGB: number; source: string };
}

let data: HardwareData | undefined;
export function hardware(): HardwareData {
  data ??= readShippedJson('src/models/hardware.json') as HardwareData;
  return data;
}

/** The EC2 name of an instance type (`ml.g5.2xlarge` → `g5.2xlarge`). */
export function ec2Name(type: string): string {
  return type.startsWith('ml.') ? type.slice(3) : type;
}

/** An instance by EC2 or SageMaker name; unknown → InputError with the nearest known type. */
export function instanceSpec(type: string, where: string, prefix = ''): InstanceSpec {
  const spec = hardware().instances.find((i) => i.type === ec2Name(type));
  if (spec) return spec;
  const names = hardware().instances.map((i) => prefix + i.type);
  throw new InputError(
    `unknown instance type "${type}"${didYouMean(type, names, '.')} Known: ${names.join(', ')}`,
    where,
  );
}

export interface Fit {
  fits: boolean;
  /** GPUs per engine (tensor parallel degree). */
  tensorParallel: number;
  /** Independent model engines per instance. */
  engines: number;
  /** KV cache left per engine, GB. */
  kvCacheGB: number;
  /** GB one engine needs at the smallest tensor-parallel degree tried, when it does not fit. */
  neededGB: number;
}

/** The smallest tensor-parallel group of the instance's GPUs that holds the model with KV headroom. */
export function fitModel(model: ModelSpec, inst: InstanceSpec): Fit {
  const hw = hardware();
  const gpu = hw.gpus[inst.gpu]!;
  const perGpu = gpu.usableGB * hw.fit.gpuMemoryUtilization - hw.fit.overheadGBPerGpu;
  const weights = weightGB(model);
  for (const tp of [1, 2, 4, 8]) {
    if (tp > inst.gpus) break;
    const kv = tp * perGpu - weights;
    if (kv >= hw.fit.minKvCacheGB)
      return {
        fits: true,
        tensorParallel: tp,
        engines: Math.floor(inst.gpus / tp),
        kvCacheGB: kv,
        neededGB: 0,
      };
  }
  return {
    fits: false,
    tensorParallel: 0,
    engines: 0,
    kvCacheGB: 0,
    neededGB: weights + hw.fit.minKvCacheGB,
  };
}

/** Instance types (EC2 names) that fit the model, smallest GPU count first. */
export function fittingInstances(model: ModelSpec): string[] {
  return hardware()
    .instances.filter((i) => fitModel(model, i).fits)
    .map((i) => i.type);
}

export function gpuProfile(inst: InstanceSpec, where: string): PerfProfile {
  return perfProfile(hardware().gpus[inst.gpu]!.profile, where);
}

/**
 * One instance's service model: the GPU profile, with occupancy shared by its engines (requests
 * are spread over them) and times scaled by the weights each GPU streams per token relative to the
 * profile's 8B model (decode is memory-bandwidth-bound), never below 1.
 */
export class InstanceService implements ServiceModel {
  private readonly scale: number;
  constructor(
    private readonly p: PerfProfile,
    private readonly engines: number,
    model: ModelSpec,
    tensorParallel: number,
  ) {
    this.scale = Math.max(1, weightGB(model) / tensorParallel / REFERENCE_WEIGHTS_GB);
  }
  time(inputTokens: number, outputTokens: number, occupancy: number): number {
    const n = Math.ceil(occupancy / this.engines);
    const p = this.p;
    return (
      this.scale *
      (p.ttftBase +
        p.ttftPerInputToken * inputTokens +
        outputTokens * (p.tpotBase + p.tpotPerExtraInFlight * (n - 1)))
    );
  }
}

/** Weights of the 8B model the GPU profiles were measured with (bf16). */
const REFERENCE_WEIGHTS_GB = 16.06;
