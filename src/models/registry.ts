import type { z } from 'zod';
import { bedrockCmi } from './bedrock-cmi.js';
import { cmiPlanning } from './bedrock-cmi-planning.js';
import { fixedFleet } from './fixed-fleet.js';
import { sagemakerRealtime } from './sagemaker-realtime.js';
import { sagemakerRealtimePlanning, sagemakerSizing } from './sagemaker-realtime-planning.js';
import { selfHosted } from './self-hosted.js';
import { selfHostedPlanning } from './self-hosted-planning.js';
import { sagemakerServerless } from './sagemaker-serverless.js';
import { sagemakerJumpstart } from './sagemaker-jumpstart.js';
import { bedrockOnDemand } from './bedrock-on-demand.js';
import { bedrockProvisioned } from './bedrock-provisioned.js';
import { bedrockNativeFinetune } from './bedrock-native-finetune.js';
import { sagemakerInferenceComponents } from './sagemaker-inference-components.js';
import type { ServingOption } from './types.js';
import { NO_UNCERTAIN_SETTINGS } from './uncertain-forms.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOption = ServingOption<any>;

/**
 * The serving options that exist. Adding one is a new file in src/models/ and one line here
 * (docs/model.md, "Adding a serving option"). Options whose planning hooks would push their file
 * past its size keep them in a companion `<option>-planning.ts`, merged in here.
 */
const SHIPPED: readonly AnyOption[] = [
  { ...bedrockCmi, ...cmiPlanning },
  { ...sagemakerRealtime, ...sagemakerRealtimePlanning },
  // JumpStart sizes like real-time; its rollout (a catalog version update) is not modelled.
  { ...sagemakerJumpstart, sloSizing: sagemakerSizing, uncertain: NO_UNCERTAIN_SETTINGS },
  sagemakerServerless,
  bedrockOnDemand,
  bedrockProvisioned,
  bedrockNativeFinetune,
  { ...selfHosted, ...selfHostedPlanning },
  fixedFleet,
  // Issue 21: models sharing an endpoint's instances (a portfolio bills them with billInferenceComponents).
  sagemakerInferenceComponents,
];

const options: AnyOption[] = [...SHIPPED];

/** The registered options: the shipped ones, then any added with `registerOption`. */
export const OPTIONS: readonly AnyOption[] = options;

/**
 * Adds an option to the registry (a library user's or a test's own), before any scenario that
 * names it is parsed. An id already registered is an error: options are looked up by id.
 */
export function registerOption(option: AnyOption): void {
  if (options.some((o) => o.id === option.id))
    throw new Error(`a serving option "${option.id}" is already registered`);
  options.push(option);
}

/** Shipped with servesim (every thread has it), as opposed to added with `registerOption` (this thread only). */
export function isShipped(id: string): boolean {
  return SHIPPED.some((o) => o.id === id);
}

export function optionById(id: string): ServingOption<{ id: string }> | undefined {
  return OPTIONS.find((o) => o.id === id);
}

/** The options' settings schemas, for the scenario schema's discriminated union on `id`. */
export function optionSchemas(): [z.ZodObject, ...z.ZodObject[]] {
  return OPTIONS.map((o) => o.schema) as unknown as [z.ZodObject, ...z.ZodObject[]];
}
