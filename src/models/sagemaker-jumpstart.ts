import type { z } from 'zod';
import { sagemakerRealtime, type SagemakerRealtimeSettings } from './sagemaker-realtime.js';
import { optionObject } from './option-base.js';
import type { ServingOption } from './types.js';
import { complianceFacts } from './compliance.js';

/**
 * `sagemaker-jumpstart`: a JumpStart catalog model on a SageMaker endpoint — billed and scaled
 * exactly as `sagemaker-realtime`, but only for catalog models. A bespoke fine-tune is not one.
 */
const {
  id: _id,
  key: _key,
  label: _label,
  ...settings
} = (sagemakerRealtime.schema as unknown as { shape: Record<string, z.ZodType> }).shape;
const schema = optionObject('sagemaker-jumpstart', settings);
type JumpStartSettings = Omit<SagemakerRealtimeSettings, 'id'> & { id: 'sagemaker-jumpstart' };

export const sagemakerJumpstart: ServingOption<JumpStartSettings> = {
  ...(sagemakerRealtime as unknown as ServingOption<JumpStartSettings>),
  id: 'sagemaker-jumpstart',
  title: 'SageMaker JumpStart',
  schema: schema as never,
  facts: (m) => ({
    ...sagemakerRealtime.facts(m),
    baseSupport: 'JumpStart catalog models only',
    opsSurface: 'Light to heavy: JumpStart deploys the endpoint; scaling and updates are yours',
    versionRollback: { path: 'JumpStart model version update', timeToTrafficSeconds: null },
    compliance: complianceFacts('sagemaker-jumpstart'),
  }),
  feasibility(model, region, s, book) {
    if (model.provenance !== 'catalog')
      return {
        ok: false,
        reasons: [
          'a bespoke fine-tune is not a JumpStart catalog model: JumpStart would replace the training step, and here the training data is the point',
        ],
      };
    return sagemakerRealtime.feasibility(model, region, { ...s, id: 'sagemaker-realtime' }, book);
  },
  prepare: (ctx, s) => sagemakerRealtime.prepare(ctx, { ...s, id: 'sagemaker-realtime' }),
};
