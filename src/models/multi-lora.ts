import { z } from 'zod';
import { readShippedJson } from '../data.js';
import { PositiveDuration } from '../scenario/fields.js';
import { assumed, type Band } from './fleet-common.js';
import { OPTION_DOCS } from './option-docs.js';
import type { Assumption } from './types.js';

/*
 * Self-hosted vLLM serving many LoRA adapters on one base model (issue 21 item 2;
 * docs/portfolio.md, "Self-hosted multi-LoRA"). This file holds what one node of such a group
 * knows: the `multiLora` setting, its sourced defaults (src/models/self-hosted.json `multiLora`),
 * and the adapters resident on a node. The portfolio groups models by base and simulates each
 * group (src/portfolio/lora-shared.ts).
 */

const doc = OPTION_DOCS.selfHosted;

/** `multiLora: true` (sourced defaults) or the three settings; absent or false: one deployment per model. */
export const MultiLoraSetting = z
  .union([
    z.boolean(),
    z.strictObject({
      maxResidentAdapters: z
        .number()
        .int()
        .min(1, { message: 'a node holds at least 1 adapter' })
        .optional()
        .describe(doc.maxResidentAdapters),
      adapterLoadTime: PositiveDuration.optional().describe(doc.adapterLoadTime),
      throughputFactor: z
        .number()
        .positive({ message: 'throughputFactor must be above 0' })
        .max(1, { message: 'throughputFactor is a share of the base model’s throughput, at most 1' })
        .optional()
        .describe(doc.throughputFactor),
    }),
  ])
  .optional()
  .describe(doc.multiLora);
export type MultiLoraSetting = z.infer<typeof MultiLoraSetting>;

/** The multi-LoRA settings in force for one run. */
export interface MultiLora {
  /** Adapters a node keeps loaded at once (vLLM `--max-loras`); the least recently used goes first. */
  maxResidentAdapters: number;
  /** Seconds a request waits when its adapter is not resident on its node. */
  adapterLoadSeconds: number;
  /** Throughput of the shared node group as a share of the base model's (service times ÷ this). */
  throughputFactor: number;
}

type Facts = Record<'maxResidentAdapters' | 'adapterLoadTime' | 'throughputFactor', Band>;
let cache: Facts | undefined;
const facts = (): Facts =>
  (cache ??= (readShippedJson('src/models/self-hosted.json') as { multiLora: Facts }).multiLora);

/** True when the setting asks for multi-LoRA serving. */
export function multiLoraOn(s: MultiLoraSetting): boolean {
  return s !== undefined && s !== false;
}

/** The settings with defaults filled, and their assumption rows (a scenario value is no assumption). */
export function resolveMultiLora(s: MultiLoraSetting): { settings: MultiLora; assumptions: Assumption[] } {
  const d = facts();
  const o = typeof s === 'object' ? s : {};
  const settings: MultiLora = {
    maxResidentAdapters: o.maxResidentAdapters ?? d.maxResidentAdapters.value,
    adapterLoadSeconds: o.adapterLoadTime ?? d.adapterLoadTime.value,
    throughputFactor: o.throughputFactor ?? d.throughputFactor.value,
  };
  return {
    settings,
    assumptions: [
      assumed(
        'resident adapters per node',
        settings.maxResidentAdapters,
        d.maxResidentAdapters,
        o.maxResidentAdapters !== undefined,
      ),
      assumed(
        'adapter load time',
        settings.adapterLoadSeconds,
        d.adapterLoadTime,
        o.adapterLoadTime !== undefined,
      ),
      assumed(
        'multi-LoRA throughput factor',
        settings.throughputFactor,
        d.throughputFactor,
        o.throughputFactor !== undefined,
      ),
    ],
  };
}

/** What a single-model run says about `multiLora`: it has nothing to share, so nothing changes. */
export const SINGLE_MODEL_NOTE: Assumption = {
  name: 'multi-LoRA',
  value: 'not applied: one model',
  unit: '',
  source:
    'multiLora shares a node group among a portfolio’s adapters of one base (docs/portfolio.md); a single-model scenario runs as without it',
  uncertain: false,
};

/**
 * The adapters resident on each node, least recently used first out. `use` says whether the
 * adapter had to be loaded (a miss); a node seen for the first time holds none.
 * Example: capacity 1, uses a, b, a on one node → loads 3 (every switch is a load).
 */
export class AdapterResidency {
  /** Per node id: resident adapters, least recently used first. */
  private readonly nodes: number[][] = [];
  loads = 0;

  constructor(private readonly capacity: number) {}

  use(node: number, adapter: number): boolean {
    const resident = (this.nodes[node] ??= []);
    const at = resident.indexOf(adapter);
    if (at >= 0) {
      // Most recently used goes last.
      if (at !== resident.length - 1) {
        resident.splice(at, 1);
        resident.push(adapter);
      }
      return false;
    }
    if (resident.length >= this.capacity) resident.shift();
    resident.push(adapter);
    this.loads++;
    return true;
  }
}
