import { z } from 'zod';
import { readShippedJson } from '../data.js';
import { DurationDist, Routing } from '../scenario/fields.js';
import { DistService, ProfileService, type PerfProfile } from '../sim/service.js';
import { Rng } from '../sim/rng.js';
import type { ServiceModel } from '../sim/fleet.js';
import type { Dist } from '../sim/dist.js';
import { InputError } from '../errors.js';
import { OPTION_DOCS } from './option-docs.js';

/** Fields every option entry has (design §5): `id`, optional `key` and `label`. */
export function optionObject<Id extends string, Shape extends z.ZodRawShape>(id: Id, shape: Shape) {
  return z.strictObject({
    id: z.literal(id).describe(OPTION_DOCS.common.id(id)),
    /** The option's name in results, CSVs and charts; defaults to `id`. */
    key: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'keys are lower-case letters, digits, ".", "_" and "-"' })
      .optional()
      .describe(OPTION_DOCS.common.key),
    /** Human label for tables and charts. */
    label: z.string().optional().describe(OPTION_DOCS.common.label),
    ...shape,
  });
}

/** Settings shared by options that run a fleet of replicas. */
export const fleetFields = {
  /** Request routing among replicas: `pack` or `least-loaded`. */
  routing: Routing.optional().describe(OPTION_DOCS.common.routing),
  /** Perf profile id (src/models/perf-profiles.json). */
  perfProfile: z.string().optional().describe(OPTION_DOCS.common.perfProfile),
  /** Replace the perf profile with i.i.d. service times (queueing checks). */
  serviceTime: DurationDist.optional().describe(OPTION_DOCS.common.serviceTime),
};

let profiles: PerfProfile[] | undefined;

export function perfProfiles(): PerfProfile[] {
  profiles ??= (readShippedJson('src/models/perf-profiles.json') as { profiles: PerfProfile[] }).profiles;
  return profiles;
}

export function perfProfile(id: string, where: string): PerfProfile {
  const p = perfProfiles().find((x) => x.id === id);
  if (!p)
    throw new InputError(
      `unknown perf profile "${id}"; known: ${perfProfiles()
        .map((x) => x.id)
        .join(', ')}`,
      where,
    );
  return p;
}

/** The service model: i.i.d. draws when `serviceTime` is given, else the perf profile. */
export function serviceModel(
  serviceTime: Dist | undefined,
  profile: PerfProfile,
  seed: number,
  key: string,
): ServiceModel {
  if (serviceTime !== undefined) return new DistService(serviceTime, Rng.derive(seed, 'service', key));
  return new ProfileService(profile);
}
