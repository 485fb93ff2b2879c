import { ITEMS } from '../pricing/vocabulary.js';
import { z } from 'zod';
import { line, type CostLine } from '../billing/lines.js';
import type { PriceBook, PriceEntry } from '../pricing/book.js';
import type { Assumption } from './types.js';
import type { Fleet } from '../sim/fleet.js';
import type { PerfProfile } from '../sim/service.js';
import type { Fit } from './hardware.js';
import { OPTION_DOCS } from './option-docs.js';

/** Helpers shared by the options that run instances you size (SageMaker, self-hosted). */

/** A default with its band and source, as the data files store it. */
export interface Band {
  value: number;
  low: number;
  high: number;
  unit: string;
  source: string;
}

/** Assumption row for a setting: the scenario's value, or the default with its band and source. */
export function assumed(name: string, value: number | string, d: Band, fromScenario: boolean): Assumption {
  return fromScenario
    ? { name, value, unit: d.unit, source: 'Scenario setting', uncertain: false }
    : { name, value, unit: d.unit, low: d.low, high: d.high, source: d.source, uncertain: true };
}

/** Hourly on-demand price of an instance type in a region, from the price book. */
export function instancePrice(
  book: PriceBook,
  service: 'AmazonSageMaker' | 'AmazonEC2',
  type: string,
  region: string,
): PriceEntry | undefined {
  const item = service === 'AmazonSageMaker' ? ITEMS.realtimeInstance : ITEMS.ec2Instance;
  return book
    .find(service, item, region, { instanceType: type })
    .find((e) => /hour|hr/i.test(e.unit) && !/spot|savings|reserved/i.test(e.id));
}

/** Ops settings every fleet you run can carry. */
export const opsFields = {
  /** Share of an engineer's time the option needs (FTE). */
  opsFte: z
    .number()
    .min(0, { message: 'opsFte cannot be negative' })
    .optional()
    .describe(OPTION_DOCS.common.opsFte),
  /** Fully loaded cost of one engineer-year (USD). */
  opsCostPerFteYear: z
    .number()
    .min(0, { message: 'opsCostPerFteYear cannot be negative' })
    .optional()
    .describe(OPTION_DOCS.common.opsCostPerFteYear),
};

/** Seconds in the 8,760-hour year the ops line pro-rates over. */
export const YEAR_SECONDS = 8760 * 3600;

/**
 * The ops cost nobody bills you for: opsFte × cost per FTE-year × span / year.
 * Worked: 0.25 FTE at $200,000 over one day → 0.25 × 200,000 × 24 / 8,760 = $136.99.
 */
export function opsLine(opsFte: number, costPerFteYear: number, spanSeconds: number): CostLine {
  return line(
    `Operations (${opsFte} FTE, not billed by AWS)`,
    (opsFte * spanSeconds) / YEAR_SECONDS,
    'FTE-years',
    costPerFteYear,
    { billedBy: 'staff', lineId: 'ops' },
  );
}

/**
 * The "pending work" scale-out trigger CMI and self-hosted share: a replica is due once requests
 * have queued without a break for `after` seconds, beyond the slots of replicas still loading,
 * and another every `after` while that lasts. One timer is pending at a time.
 */
export class QueuedScaleOut {
  private pending = false;
  constructor(
    private readonly after: number,
    private readonly tag: number,
  ) {}

  /** Call from the policy's onQueued. */
  arm(fleet: Fleet, t: number): void {
    if (this.pending) return;
    this.pending = true;
    fleet.setTimer(t + this.after, this.tag);
  }

  /** Call from the policy's timer with this tag: true when one replica should be added now. */
  due(fleet: Fleet, t: number, maxReplicas: number): boolean {
    this.pending = false;
    if (fleet.queueLength() === 0) return false;
    const due = fleet.queuedSince() + this.after;
    this.pending = true;
    if (t < due) {
      fleet.setTimer(due, this.tag);
      return false;
    }
    fleet.setTimer(t + this.after, this.tag);
    return (
      fleet.queueLength() > fleet.loadingCount() * fleet.slotsPerReplica && fleet.live().length < maxReplicas
    );
  }
}

/** The sizing rows every instance-based option lists: type, computed fit, slots per instance. */
export function sizingAssumptions(
  type: string,
  typeSource: string,
  fit: Fit,
  slots: number,
  profile: PerfProfile,
  slotName: string,
): Assumption[] {
  return [
    { name: 'instance type', value: type, unit: '', source: typeSource, uncertain: false },
    {
      name: 'model fit',
      value: `${fit.engines} engine(s) × TP${fit.tensorParallel}, ${fit.kvCacheGB.toFixed(1)} GB KV each`,
      unit: '',
      source:
        'Computed from src/models/hardware.json (vLLM memory share 0.9, 1 GB overhead per GPU, ≥ 2 GB KV)',
      uncertain: true,
    },
    { name: slotName, value: slots, unit: 'requests', source: profile.source, uncertain: profile.uncertain },
  ];
}
