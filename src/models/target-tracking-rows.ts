import type { z } from 'zod';
import { formatDuration } from '../scenario/units.js';
import { assumed, type Band } from './fleet-common.js';
import type { Assumption } from './types.js';

/*
 * What SageMaker's real-time endpoint and its inference components share beyond the target
 * tracking itself (src/models/sagemaker-realtime.ts): the assumption rows of the policy, and the
 * check that a heartbeat beats within the scale-to-zero time. One text for both, so a change to
 * AWS's rule lands in one place.
 */

/** The target-tracking policy as simulated: what the rows report. */
interface PolicyValues {
  target: number;
  scaleOutDatapoints: number;
  scaleInDatapoints: number;
  scaleOutCooldown: number;
  scaleInCooldown: number;
}

/** The defaults the rows cite (sagemaker-realtime.json). */
interface PolicyDefaults {
  targetInvocationsPerInstance: Band;
  scaleOutDatapoints: Band;
  scaleInDatapoints: Band;
  scaleOutCooldown: Band;
  scaleInCooldown: Band;
}

/**
 * The policy's rows: the target per `unit` (`instance` or `copy`) — banded 50–90 % of the capacity
 * per minute when defaulted — then the datapoints and cooldowns.
 */
export function targetTrackingRows(
  unit: 'instance' | 'copy',
  p: PolicyValues,
  d: PolicyDefaults,
  capacityPerMinute: number,
  given: {
    target: boolean;
    scaleOutDatapoints: boolean;
    scaleInDatapoints: boolean;
    scaleOutCooldown: boolean;
    scaleInCooldown: boolean;
  },
): Assumption[] {
  return [
    {
      name: `target invocations/${unit}/min`,
      value: Math.round(p.target * 10) / 10,
      unit: 'per minute',
      ...(given.target ? {} : { low: 0.5 * capacityPerMinute, high: 0.9 * capacityPerMinute }),
      source: given.target ? 'Scenario setting' : d.targetInvocationsPerInstance.source,
      uncertain: !given.target,
    },
    assumed('scale-out datapoints', p.scaleOutDatapoints, d.scaleOutDatapoints, given.scaleOutDatapoints),
    assumed('scale-in datapoints', p.scaleInDatapoints, d.scaleInDatapoints, given.scaleInDatapoints),
    assumed('scale-out cooldown', p.scaleOutCooldown, d.scaleOutCooldown, given.scaleOutCooldown),
    assumed('scale-in cooldown', p.scaleInCooldown, d.scaleInCooldown, given.scaleInCooldown),
  ];
}

/**
 * A schema issue when a heartbeat beats less often than the scale-to-zero time (`zero` seconds):
 * the `subject` (the endpoint, the component) would scale to zero between beats.
 */
export function checkHeartbeatEvery(
  ctx: z.RefinementCtx,
  every: number,
  zero: number,
  subject: string,
): void {
  if (every > zero)
    ctx.addIssue({
      code: 'custom',
      path: ['heartbeat', 'every'],
      message: `heartbeat every ${formatDuration(every)} is longer than the scale-to-zero time (${formatDuration(zero)}: ${zero / 60} one-minute datapoints without an invocation): ${subject} would scale to zero between beats; use every ≤ ${formatDuration(zero)}`,
    });
}
