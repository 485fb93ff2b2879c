import { z } from 'zod';
import { line, type CostLine } from '../billing/lines.js';
import type { PriceBook, PriceEntry } from '../pricing/book.js';
import type { Assumption } from './types.js';

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
  return book.entries.find(
    (e) =>
      e.service === service &&
      e.region === region &&
      (e.labels.instanceType === type || e.labels.instance === type) &&
      /hour|hr/i.test(e.unit) &&
      !/spot|savings|reserved/i.test(e.id),
  );
}

/** Ops settings every fleet you run can carry. */
export const opsFields = {
  /** Share of an engineer's time the option needs (FTE). */
  opsFte: z.number().min(0, { message: 'opsFte cannot be negative' }).optional(),
  /** Fully loaded cost of one engineer-year (USD). */
  opsCostPerFteYear: z.number().min(0, { message: 'opsCostPerFteYear cannot be negative' }).optional(),
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
  );
}
