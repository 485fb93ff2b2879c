import type { ReplicaLife } from '../sim/record.js';
import { line, type CostLine } from './lines.js';

/**
 * Bedrock Custom Model Import meters (design §4, "exactly"). Pure functions of the copies'
 * recorded lives.
 *
 * Each copy has its own grid of 5-minute windows anchored at its first successful call.
 * - `active` (default): every window its active period touches is billed in full:
 *   windows = max(1, ⌈(removedAt − firstCall) / 300⌉).
 * - `invoked`: only windows in which the copy started at least one request.
 * A copy that never served (removed while loading or before its first call) bills nothing.
 *
 * Cost = Σ copies windows × cmusPerCopy × $/CMU-minute × 5.
 * Worked (AWS pricing page): 2 CMUs × $0.0785 = $0.157 per minute; one window = $0.785.
 */
export const WINDOW_SECONDS = 300;
/** Month used to pro-rate storage: 730 hours (AWS's convention for monthly prices). */
export const MONTH_SECONDS = 730 * 3600;

export type WindowRule = 'active' | 'invoked';

/** Billed windows of one copy under a rule. */
export function copyWindows(
  copy: Pick<ReplicaLife, 'firstStartAt' | 'removedAt' | 'startWindows'>,
  rule: WindowRule,
): number {
  const first = copy.firstStartAt;
  if (first !== first) return 0;
  if (rule === 'invoked') return copy.startWindows;
  // A hair of tolerance so float noise at an exact boundary (600.0000000001 s) is not a window.
  return Math.max(1, Math.ceil((copy.removedAt - first) / WINDOW_SECONDS - 1e-9));
}

export function totalWindows(copies: readonly ReplicaLife[], rule: WindowRule): number {
  let n = 0;
  for (const c of copies) n += copyWindows(c, rule);
  return n;
}

/** The inference line: quantity in CMU-minutes (windows × CMUs × 5), priced per CMU-minute. */
export function cmiInferenceLine(
  windows: number,
  cmusPerCopy: number,
  pricePerCmuMinute: number,
  detail: string,
): CostLine {
  return line(`CMU inference (${detail})`, windows * cmusPerCopy * 5, 'CMU-minutes', pricePerCmuMinute, {
    lineId: 'cmi-inference',
  });
}

/** Storage: CMUs × $/CMU-month, pro-rated over the simulated span (month = 730 h). */
export function cmiStorageLine(cmusPerCopy: number, spanSeconds: number, pricePerCmuMonth: number): CostLine {
  return line(
    `Model storage (${cmusPerCopy} CMUs, pro-rated)`,
    (cmusPerCopy * spanSeconds) / MONTH_SECONDS,
    'CMU-months',
    pricePerCmuMonth,
    { lineId: 'cmi-storage' },
  );
}

/**
 * Cumulative cost at the end of each minute: each billed window is charged at the minute it
 * opens (`active`: consecutive windows from the first call; `invoked`: approximated the same way
 * for its count of windows); storage accrues linearly over the span.
 */
export function cmiCostSoFar(
  copies: readonly ReplicaLife[],
  rule: WindowRule,
  minutes: number,
  windowPrice: number,
  storagePerSecond: number,
  spanSeconds: number,
): Float64Array {
  const perMinute = new Float64Array(minutes);
  for (const c of copies) {
    const n = copyWindows(c, rule);
    for (let k = 0; k < n; k++) {
      const m = Math.min(minutes - 1, Math.floor((c.firstStartAt + k * WINDOW_SECONDS) / 60));
      perMinute[m]! += windowPrice;
    }
  }
  let acc = 0;
  for (let m = 0; m < minutes; m++) {
    acc += perMinute[m]!;
    perMinute[m] = acc + storagePerSecond * Math.min(60 * (m + 1), spanSeconds);
  }
  return perMinute;
}
