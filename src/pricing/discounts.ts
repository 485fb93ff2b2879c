import { echo } from '../errors.js';
import { didYouMean } from '../nearest.js';
import { z } from 'zod';
import { line, totalOf, type CostLine, type Bill } from '../billing/lines.js';
import { isServiceCode, SERVICE_CODES } from './vocabulary.js';

/**
 * Percentage discounts per AWS service (an enterprise discount, a Savings Plan): a scenario's
 * `pricing.discounts`, keyed by Price List service code. A discount is never folded into a
 * price: it is its own cost line (design §3) whose quantity is the discounted base in USD and
 * whose unit price is the negative rate, so the report shows both the list cost and the saving.
 */

const PERCENT = /^\s*(-?\d+(?:\.\d+)?)\s*%\s*$/;

/**
 * One discount: a percentage (`"15%"`) or a fraction (`0.15`, as `spotDiscount` takes), 0–100 %.
 * Parses to the fraction.
 */
export const DiscountRate = z
  .union([z.string(), z.number()])
  .describe('A percentage such as "15%", or a fraction such as 0.15 (0–100 %)')
  .transform((v, ctx) => {
    const m = typeof v === 'string' ? PERCENT.exec(v) : null;
    if (typeof v === 'string' && !m) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a percentage such as "15%", got ${echo(v)}`,
      });
      return z.NEVER;
    }
    const rate = m ? Number(m[1]) / 100 : (v as number);
    const shown = m ? v : `${v} (${+((v as number) * 100).toFixed(6)}%)`;
    if (!Number.isFinite(rate) || rate < 0) {
      ctx.addIssue({ code: 'custom', message: `a discount cannot be negative, got ${shown}` });
      return z.NEVER;
    }
    if (rate > 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          typeof v === 'number'
            ? `a discount is at most 1 (100%), got ${v}; write 15% as "15%" or 0.15`
            : `a discount cannot exceed 100% (it would make the price negative), got ${v}`,
      });
      return z.NEVER;
    }
    return rate;
  });

/** `pricing.discounts`: `{<Price List service code>: rate}`; unknown codes suggest the nearest. */
export const Discounts = z.record(z.string(), DiscountRate).superRefine((d, ctx) => {
  for (const service of Object.keys(d)) {
    if (isServiceCode(service)) continue;
    ctx.addIssue({
      code: 'custom',
      path: [service],
      message:
        `unknown service "${service}"${didYouMean(service, SERVICE_CODES, '.')}` +
        ` Discounts are keyed by AWS Price List service code: ${SERVICE_CODES.join(', ')}`,
    });
  }
});

/**
 * How an option's cost lines map to AWS services (`ServingOption.service`): one code for all its
 * lines, or per line (undefined for lines that are no AWS charge, such as an ops cost line).
 */
export type LineService = string | ((line: CostLine) => string | undefined);

/**
 * The discount line for `rate` off `base` USD of one service's charges.
 * Worked: CMI one window $0.785 with 15 % off AmazonBedrock → quantity 0.785 USD,
 * unit price −0.15, amount −0.11775.
 */
export function discountLine(service: string, rate: number, base: number): CostLine {
  return line(`Discount (${service}, ${+(rate * 100).toFixed(6)}%)`, base, 'USD', -rate, {
    lineId: `discount-${service.toLowerCase()}`,
  });
}

/**
 * A bill with one discount line appended per discounted service among its lines (in the order
 * the services first appear). The cost-so-far curve is scaled by total after / total before, so
 * it still ends at the discounted total. Without a matching discount the bill is returned as is.
 */
export function withDiscounts(
  bill: Bill,
  service: LineService | undefined,
  discounts: Readonly<Record<string, number>> | undefined,
): Bill {
  if (service === undefined || discounts === undefined || Object.keys(discounts).length === 0) return bill;
  const bases = new Map<string, CostLine[]>();
  for (const l of bill.lines) {
    // An AWS discount never reduces staff time, whatever the option's service mapping says.
    if (l.billedBy === 'staff') continue;
    const s = typeof service === 'function' ? service(l) : service;
    const rate = s === undefined ? undefined : discounts[s];
    if (s === undefined || rate === undefined || rate <= 0) continue;
    const group = bases.get(s) ?? [];
    group.push(l);
    bases.set(s, group);
  }
  if (bases.size === 0) return bill;
  const extra = [...bases].map(([s, lines]) => discountLine(s, discounts[s]!, totalOf(lines)));
  const before = totalOf(bill.lines);
  const lines = [...bill.lines, ...extra];
  const factor = before > 0 ? totalOf(lines) / before : 1;
  return {
    ...bill,
    lines,
    costSoFar(minutes) {
      const c = bill.costSoFar(minutes);
      for (let i = 0; i < c.length; i++) c[i] = c[i]! * factor;
      return c;
    },
  };
}
