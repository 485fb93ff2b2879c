import { z } from 'zod';
import { MAX_REQUEST_TOKENS } from '../traffic/types.js';
import { DOCS } from '../scenario/field-docs.js';

/**
 * The model being served (design §3) and what follows from it: weight size and the GPU memory a
 * copy needs. Options read it to decide feasibility and size their replicas.
 */
/** The scenario's `model:` section. */
export const ModelSpecSchema = z.strictObject({
  name: z.string().min(1).default('llama-3.1-8b-finetune').describe(DOCS.model.name),
  /** `imported` (weights trained elsewhere), `catalog` (a model a service offers), `bedrock-native`. */
  provenance: z
    .enum(['imported', 'catalog', 'bedrock-native'])
    .default('imported')
    .describe(DOCS.model.provenance),
  /** Hugging Face architecture name from config.json. */
  architecture: z.string().min(1).default('LlamaForCausalLM').describe(DOCS.model.architecture),
  /** Parameter count. */
  parameters: z.number().positive().default(8.03e9).describe(DOCS.model.parameters),
  bytesPerParameter: z.number().positive().default(2).describe(DOCS.model.bytesPerParameter),
  /** Context length in tokens (Llama 3.1: 131,072). */
  contextLength: z
    .number()
    .int()
    .positive()
    .max(MAX_REQUEST_TOKENS, {
      message: `contextLength is at most ${MAX_REQUEST_TOKENS.toLocaleString('en-US')} tokens`,
    })
    .default(131072)
    .describe(DOCS.model.contextLength),
});
export type ModelSpec = z.infer<typeof ModelSpecSchema>;

/** Bytes of weights: parameters × bytes per parameter (Llama 3.1 8B in bf16 ≈ 16.06 GB). */
export function weightBytes(m: ModelSpec): number {
  return m.parameters * m.bytesPerParameter;
}

/** Weights in GB (10^9 bytes), the unit AWS limits are written in. */
export function weightGB(m: ModelSpec): number {
  return weightBytes(m) / 1e9;
}
