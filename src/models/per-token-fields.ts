import { z } from 'zod';
import { Duration } from '../scenario/fields.js';

/*
 * Settings fields the Bedrock-served options share (on-demand, Provisioned Throughput, a native
 * fine-tune): quotas, the served model's speed, model units. Each option passes its own
 * descriptions, since the defaults they name differ.
 */

/** Requests- and tokens-per-minute quotas (fixed one-minute windows). */
export function quotaFields(doc: { rpm: string; tpm: string }) {
  return {
    rpm: z
      .number()
      .int()
      .positive({ message: 'a requests-per-minute quota must be at least 1' })
      .optional()
      .describe(doc.rpm),
    tpm: z
      .number()
      .int()
      .positive({ message: 'a tokens-per-minute quota must be at least 1' })
      .optional()
      .describe(doc.tpm),
  };
}

/** The served model's speed: time to first token, then output tokens per second. */
export function speedFields(doc: { ttft: string; tokensPerSecond: string }) {
  return {
    ttft: Duration.optional().describe(doc.ttft),
    tokensPerSecond: z.number().positive().optional().describe(doc.tokensPerSecond),
  };
}

/** Provisioned Throughput's model units: how many, their price and their throughput. */
export function modelUnitFields(doc: {
  modelUnits: string;
  pricePerModelUnitHour: string;
  tokensPerMinutePerModelUnit: string;
}) {
  return {
    modelUnits: z
      .number()
      .int()
      .min(1, { message: 'modelUnits must be at least 1' })
      .default(1)
      .describe(doc.modelUnits),
    /** USD per model-unit-hour when the price book has none (AWS shows them in its console). */
    pricePerModelUnitHour: z.number().positive().optional().describe(doc.pricePerModelUnitHour),
    /** Input + output tokens per minute one model unit sustains (shown in the Bedrock console). */
    tokensPerMinutePerModelUnit: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(doc.tokensPerMinutePerModelUnit),
  };
}
