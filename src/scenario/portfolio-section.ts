import { z } from 'zod';
import { ModelSpecSchema } from '../models/model-spec.js';
import type { Scenario } from './schema.js';
import { DOCS } from './field-docs.js';

/*
 * The scenario's `models:` section (issue 21; docs/portfolio.md): a portfolio of fine-tunes, each
 * with its own model fields, fine-tune kind and traffic components. The top-level `traffic` keeps
 * `start`, `days`/`end` and the calendar for all of them; its `components` must then be absent.
 * The component schema is passed in (it lives in schema.ts, which imports this file).
 */

/** A portfolio entry's name: used in results (`perModel[].model`), reports and error paths. */
export const ModelName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    message:
      'a model name is 1–64 characters: letters, digits, ".", "_" and "-", starting with a letter or digit (e.g. notes-summary)',
  })
  .describe(DOCS.portfolio.name);

/**
 * A LoRA adapter of a base model: the base is another entry of `models` (by `name`) or a catalog
 * base model id (src/models/catalog-models.json, e.g. `llama-3.1-8b-instruct`). The entry's model
 * fields describe the adapter merged into its base (what Bedrock Custom Model Import accepts —
 * merged weights only, aws-facts §1.6); when the base is an entry, fields the adapter leaves out
 * are taken from it. `rank` and `sizeMB` describe the adapter itself, for options that serve
 * adapters unmerged (a multi-LoRA server); per-model deployments do not read them.
 */
export const LoraFineTune = z.strictObject({
  lora: z
    .strictObject({
      /** Name of another `models` entry, or a catalog base model id. */
      base: z
        .string()
        .min(1, { message: 'name the base model: another models entry or a catalog model id' })
        .describe(DOCS.portfolio.base),
      /** LoRA rank r (the adapter's low-rank dimension). Optional. */
      rank: z.number().int().positive().optional().describe(DOCS.portfolio.rank),
      /** Adapter size in MB (10^6 bytes). Optional. */
      sizeMB: z.number().positive().optional().describe(DOCS.portfolio.sizeMB),
    })
    .describe(DOCS.portfolio.lora),
});

/** `full` (all weights trained; the default) or `{lora: {base, rank?, sizeMB?}}`. */
export const FineTune = z
  .union([z.literal('full'), LoraFineTune])
  .default('full')
  .describe(DOCS.portfolio.fineTune);

/** One portfolio entry: the model fields of `model:` (name required), its fine-tune kind, its traffic. */
export function portfolioModelSchema<C extends z.ZodType>(component: C) {
  return z.strictObject({
    ...ModelSpecSchema.shape,
    name: ModelName,
    fineTune: FineTune,
    /** This model's traffic: the component schema of `traffic.components`. */
    components: z
      .array(component)
      .min(1, { message: 'list at least one traffic component for this model' })
      .describe(DOCS.portfolio.components),
  });
}

/** Model fields a LoRA entry takes from its base entry when it leaves them out. */
export const INHERITED_FROM_BASE = [
  'provenance',
  'architecture',
  'parameters',
  'bytesPerParameter',
  'contextLength',
] as const;

/**
 * The single-model scenario of portfolio entry `i`: its model fields as `model`, its components as
 * `traffic.components`, the rest of the scenario as is, and the seed `seed + i` (so two models with
 * the same traffic shape do not draw the same requests; entry 0 draws exactly what a single-model
 * scenario with this traffic would).
 */
export function modelScenario(s: Scenario, i: number): Scenario {
  const m = s.models![i]!;
  const { models: _models, ...rest } = s;
  return {
    ...rest,
    seed: s.seed + i,
    model: {
      name: m.name,
      provenance: m.provenance,
      architecture: m.architecture,
      parameters: m.parameters,
      bytesPerParameter: m.bytesPerParameter,
      contextLength: m.contextLength,
    },
    traffic: { ...s.traffic, components: m.components },
  };
}
