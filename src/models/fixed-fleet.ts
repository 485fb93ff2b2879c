import { z } from 'zod';
import { fleetFields, optionObject, perfProfile, serviceModel } from './option-base.js';
import type { ServingOption } from './types.js';
import { CAPACITY, count, MAX_COUNT, num } from './slo-sizing.js';
import { NO_UNCERTAIN_SETTINGS } from './uncertain-forms.js';
import { complianceFacts } from './compliance.js';
import { line } from '../billing/lines.js';
import { instanceCostSoFar, instanceSeconds } from '../billing/instance-time.js';
import { OPTION_DOCS } from './option-docs.js';

/**
 * `fixed-fleet`: N replicas × slots, always ready, never scaled — an on-prem box, a reserved
 * fleet, or the engine's check against queueing theory. Billing is optional: an hourly price per
 * replica, from launch (t = 0) to the end of the run.
 */
const doc = OPTION_DOCS.fixedFleet;
const schema = optionObject('fixed-fleet', {
  /** Replicas, all ready at t = 0. Default 1. */
  replicas: z.number().int().positive().default(1).describe(doc.replicas),
  /** Concurrent requests per replica. Default: the perf profile's slots, or 1 with `serviceTime`. */
  slotsPerReplica: z.number().int().positive().optional().describe(doc.slotsPerReplica),
  /** Optional price per replica-hour (USD); no cost lines without it. */
  hourlyPrice: z.number().nonnegative().optional().describe(doc.hourlyPrice),
  ...fleetFields,
});
export type FixedFleetSettings = z.infer<typeof schema>;

const DEFAULT_PROFILE = 'a10g-llama-8b-vllm';

export const fixedFleet: ServingOption<FixedFleetSettings> = {
  uncertain: NO_UNCERTAIN_SETTINGS,
  sloSizing: {
    countSettings: ['replicas'],
    lines: (o) => [
      count('replicas', (n) => ({ ...o, replicas: n }), 1, MAX_COUNT, num(o.replicas, 1), CAPACITY),
    ],
  },
  id: 'fixed-fleet',
  title: 'Fixed fleet',
  schema,
  facts: () => ({
    baseSupport: 'Anything you can run',
    opsSurface: 'Yours: a fixed set of servers',
    costShape: 'Per replica-hour, always on',
    versionRollback: { path: 'Your deployment', timeToTrafficSeconds: null },
    compliance: complianceFacts('fixed-fleet'),
  }),
  feasibility: () => ({ ok: true, reasons: [] }),
  prepare(ctx, s) {
    const profile = perfProfile(s.perfProfile ?? DEFAULT_PROFILE, `options.${ctx.key}.perfProfile`);
    const slots = s.slotsPerReplica ?? (s.serviceTime ? 1 : profile.slots);
    const routing = s.routing ?? 'least-loaded';
    return {
      assumptions: [
        {
          name: 'routing',
          value: routing,
          unit: '',
          source: 'Scenario setting (default least-loaded)',
          uncertain: false,
        },
        s.serviceTime
          ? {
              name: 'service time',
              value: s.serviceTime.dist,
              unit: 's',
              source: 'Scenario setting serviceTime (replaces the perf profile)',
              uncertain: false,
            }
          : {
              name: 'perf profile',
              value: profile.id,
              unit: '',
              source: profile.source,
              uncertain: profile.uncertain,
            },
      ],
      fleet: {
        slotsPerReplica: slots,
        routing,
        service: serviceModel(s.serviceTime, profile, ctx.seed, ctx.key),
        initialReplicas: s.replicas,
        policy: null,
      },
      heartbeats: null,
      bill(record) {
        const price = s.hourlyPrice;
        if (price === undefined) return { lines: [], costSoFar: (m) => new Float64Array(m) };
        const hours = instanceSeconds(record.replicas) / 3600;
        return {
          lines: [
            line(
              `Replica usage (fixed fleet, ${s.replicas} × ${slots} slots)`,
              hours,
              'replica-hours',
              price,
              { lineId: 'replica-usage' },
            ),
          ],
          costSoFar: (m) => instanceCostSoFar(record.replicas, m, price / 3600),
        };
      },
    };
  },
};
