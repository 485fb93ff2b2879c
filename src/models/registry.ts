import type { z } from 'zod';
import { bedrockCmi } from './bedrock-cmi.js';
import { fixedFleet } from './fixed-fleet.js';
import { sagemakerRealtime } from './sagemaker-realtime.js';
import { selfHosted } from './self-hosted.js';
import { sagemakerServerless } from './sagemaker-serverless.js';
import { sagemakerJumpstart } from './sagemaker-jumpstart.js';
import { bedrockOnDemand } from './bedrock-on-demand.js';
import { bedrockProvisioned } from './bedrock-provisioned.js';
import { bedrockNativeFinetune } from './bedrock-native-finetune.js';
import type { ServingOption } from './types.js';

/**
 * The serving options that exist. Adding one is a new file in src/models/ and one line here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const OPTIONS: readonly ServingOption<any>[] = [
  bedrockCmi,
  sagemakerRealtime,
  sagemakerJumpstart,
  sagemakerServerless,
  bedrockOnDemand,
  bedrockProvisioned,
  bedrockNativeFinetune,
  selfHosted,
  fixedFleet,
];

export function optionById(id: string): ServingOption<{ id: string }> | undefined {
  return OPTIONS.find((o) => o.id === id);
}

/** The options' settings schemas, for the scenario schema's discriminated union on `id`. */
export function optionSchemas(): [z.ZodObject, ...z.ZodObject[]] {
  return OPTIONS.map((o) => o.schema) as unknown as [z.ZodObject, ...z.ZodObject[]];
}
