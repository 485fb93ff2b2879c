import { z } from 'zod';
import { line } from '../../src/billing/lines.js';
import { optionObject } from '../../src/models/option-base.js';
import { complianceFacts } from '../../src/models/compliance.js';
import { point } from '../../src/models/slo-sizing.js';
import type { ServingOption } from '../../src/models/types.js';

/**
 * A toy serving option in one file: a flat fee per day of the span, one always-on replica with
 * `slots` requests at once, each served in `serviceSeconds`. It has an SLO sizing hook (nothing to
 * size: checked as configured) and no uncertain inputs or rollout model, so sensitivity and
 * rollout must say they do not support it.
 */
const settings = {
  usdPerDay: z.number().positive().default(10),
  slots: z.number().int().positive().default(100),
  serviceSeconds: z.number().positive().default(1),
};
const schema = optionObject('toy-flat', settings);
type ToySettings = z.infer<typeof schema>;

/** The toy under another id, without its SLO sizing hook (an option that lacks every hook). */
export function bareToy(id: string): ServingOption<{ id: string }> {
  const { sloSizing: _drop, ...rest } = toyFlat;
  return {
    ...(rest as unknown as ServingOption<{ id: string }>),
    id,
    schema: optionObject(id, settings) as never,
  };
}

export const toyFlat: ServingOption<ToySettings> = {
  id: 'toy-flat',
  title: 'Toy flat rate',
  schema,
  facts: () => ({
    baseSupport: 'Anything',
    opsSurface: 'None',
    costShape: 'Flat per day',
    versionRollback: { path: 'Ask the vendor', timeToTrafficSeconds: null },
    compliance: complianceFacts('fixed-fleet'),
  }),
  feasibility: () => ({ ok: true, reasons: [] }),
  sloSizing: { countSettings: [], lines: (o) => [point('flat rate', o)] },
  prepare(ctx, s) {
    const days = ctx.spanSeconds / 86400;
    return {
      assumptions: [{ name: 'fee', value: s.usdPerDay, unit: 'USD/day', source: 'toy', uncertain: false }],
      fleet: {
        slotsPerReplica: s.slots,
        routing: 'least-loaded',
        service: { time: () => s.serviceSeconds },
        initialReplicas: 1,
        policy: null,
      },
      heartbeats: null,
      bill: () => ({
        lines: [line('Flat fee (toy)', days, 'days', s.usdPerDay, { lineId: 'flat-fee' })],
        costSoFar: (m) => Float64Array.from({ length: m }, (_, i) => (s.usdPerDay * days * (i + 1)) / m),
      }),
    };
  },
};
