import type { Feasibility } from './types.js';

/**
 * Feasibility from two kinds of reason (issue 15 item 9): `reasons` say the option cannot serve
 * this model; `missing` name prices the book lacks for this region. Either makes the option
 * `feasible: false` (so nothing ranks it); missing prices alone mark it `unpriced`, shown with
 * its reasons while the run goes on. A price is never taken from another region or rate label
 * to fill the gap.
 */
export function feasibility(reasons: readonly string[], missing: readonly string[] = []): Feasibility {
  return {
    ok: reasons.length === 0 && missing.length === 0,
    reasons: [...reasons, ...missing.map((m) => `unpriced: ${m}`)],
    ...(missing.length > 0 ? { unpriced: true } : {}),
  };
}

/** The standard text of a missing price: what, where, and how to supply it. */
export function missingPrice(what: string, region: string, fix = 'supply it with pricing.book'): string {
  return `the price book has no ${what} in ${region}; ${fix}`;
}
