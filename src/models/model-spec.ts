import type { ModelSpecInput } from '../scenario/schema.js';

/**
 * The model being served (design §3) and what follows from it: weight size and the GPU memory a
 * copy needs. Options read it to decide feasibility and size their replicas.
 */
export type ModelSpec = ModelSpecInput;

/** Bytes of weights: parameters × bytes per parameter (Llama 3.1 8B in bf16 ≈ 16.06 GB). */
export function weightBytes(m: ModelSpec): number {
  return m.parameters * m.bytesPerParameter;
}

/** Weights in GB (10^9 bytes), the unit AWS limits are written in. */
export function weightGB(m: ModelSpec): number {
  return weightBytes(m) / 1e9;
}
