import { compensatedSum } from '../stats.js';
import type { CopyLife, CopyMeter } from './cmi.js';

/** Who sends the bill for a cost line: AWS, or nobody (your own staff time). */
export const BILLED_BY = ['aws', 'staff'] as const;
export type BilledBy = (typeof BILLED_BY)[number];

/**
 * A cost line (design §3): `amount = quantity × unitPrice`. Units are plural and match the
 * vendor's price page ("CMU-minutes", "instance-hours"); variable details go in brackets in the
 * item name ("Instance usage (ml.g5.2xlarge, on-demand)").
 *
 * `billedBy` says whether AWS bills the line or it is staff time nobody bills (design §11);
 * `lineId` is a short slug for the kind of line (`cmi-inference`, `ops`), stable across item
 * wording and settings and unique within an option (docs/model.md, "Cost lines: AWS bill and staff time").
 */
export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  amount: number;
  billedBy: BilledBy;
  lineId: string;
}

/** An option's cost over the span: `total = aws + staff`, the AWS bill and staff time nobody bills (design §11). */
export interface OptionCost {
  total: number;
  aws: number;
  staff: number;
  currency: 'USD';
  lines: CostLine[];
  /** The 30-day-month equivalent (`servesim run`; absent from a bare `runScenario`). */
  monthly?: MonthlyCost;
}

/**
 * A 30-day month of an option, each day costed by its day type (src/planning/monthly/monthly.ts;
 * docs/model.md): what finance reads beside the simulated span. `method` says how it was derived.
 */
export interface MonthlyCost {
  total: number;
  aws: number;
  staff: number;
  method: string;
}

/**
 * A term that must be bought whole (issue 15 item 6). The run's cost lines bill the span's
 * amortised share (so options compare over the same span); `termTotal` is what the whole term
 * costs at list price (before any `pricing.discounts`).
 */
export interface Commitment {
  /** The option's `term` setting: `1m` or `6m`. */
  term: string;
  termMonths: number;
  /** Hours billed over the whole term (termMonths × hours per month). */
  termHours: number;
  /** USD for the whole term: model units × hourly price × termHours. */
  termTotal: number;
}

/** Billing result: the cost lines and the cost accrued by the end of each minute. */
export interface Bill {
  lines: CostLine[];
  /** The option's billed capacity in unit-minutes (CMU-minutes, instance-minutes), if it has one. */
  billedUnitMinutes?: number;
  /** Cumulative USD at the end of minute m, for m in 0..minutes-1. */
  costSoFar(minutes: number): Float64Array;
  /** A commitment bought whole (shown as `facts.commitment`); the lines bill its share of the span. */
  commitment?: Commitment;
  /**
   * Options billed per copy-window (CMI): their meter and their copies' lives as billed, for the
   * actual-vs-simulated bill against observed copies (src/billing/actual-cmi.ts).
   */
  copies?: { meter: CopyMeter; lives: readonly CopyLife[] };
}

export interface LineTags {
  /** Default `aws`: every line is on the AWS bill unless it says otherwise. */
  billedBy?: BilledBy;
  /** Default: the item's name without its bracketed details, as a slug ("EKS control plane (1 cluster)" → `eks-control-plane`). */
  lineId?: string;
}

export function line(
  item: string,
  quantity: number,
  unit: string,
  unitPrice: number,
  tags: LineTags = {},
): CostLine {
  return {
    item,
    quantity,
    unit,
    unitPrice,
    amount: quantity * unitPrice,
    billedBy: tags.billedBy ?? 'aws',
    lineId: tags.lineId ?? lineIdOf(item),
  };
}

/** The default line id: the item without its bracketed details, lower-case, runs of other characters → `-`. */
export function lineIdOf(item: string): string {
  const kind = item.replace(/\s*\(.*\)\s*$/, '') || item;
  return (
    kind
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'line'
  );
}

/** Sum of line amounts, compensated (Neumaier) so many small lines add up exactly enough. */
export function totalOf(lines: readonly CostLine[]): number {
  return compensatedSum(lines.map((l) => l.amount));
}

/**
 * An option's cost split by who bills it (design §11): `aws` and `staff` are compensated sums of
 * their lines and `total = aws + staff` exactly (one addition, so the identity holds bit for bit).
 * Worked: lines $39.57 (aws) and $54.79 (staff) → {aws: 39.57, staff: 54.79, total: 94.36}.
 */
export function costSplit(lines: readonly CostLine[]): { total: number; aws: number; staff: number } {
  const aws = compensatedSum(lines.filter((l) => l.billedBy === 'aws').map((l) => l.amount));
  const staff = compensatedSum(lines.filter((l) => l.billedBy === 'staff').map((l) => l.amount));
  return { total: aws + staff, aws, staff };
}
