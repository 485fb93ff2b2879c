import { line, type CostLine } from './lines.js';

/**
 * Bedrock Custom Model Import meters (design §4, "exactly"). Pure functions of the copies'
 * recorded lives (`CopyLife`; a simulated replica's life satisfies it with its `startWindows`).
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

/** One copy's life as the CMI meters read it; times are seconds from the trace start. */
export interface CopyLife {
  /** Its first successful call; NaN if it never served. */
  firstStartAt: number;
  /** When it was removed (or the end of the run). */
  removedAt: number;
  /** Windows (on its own grid) in which it started a request: what the `invoked` rule bills. */
  startWindows: number;
}

/** How an option bills its copies: what the inference line and the actual-vs-simulated bill need. */
export interface CopyMeter {
  cmusPerCopy: number;
  pricePerCmuMinute: number;
  rule: WindowRule;
}

/**
 * Counts, per copy, the distinct windows (anchored at its first call) in which it started a
 * request: `CopyLife.startWindows`, fed once per started request. Worked: starts at 10, 200, 320
 * and 900 s → windows 0, 0, 1, 2 of the grid from 10 s → 3.
 */
export class InvokedWindows {
  private first = new Float64Array(16).fill(NaN);
  private last = new Float64Array(16).fill(-1);
  private count = new Float64Array(16);

  /** A request started on `copy` at `t` (non-decreasing across calls). */
  start(copy: number, t: number): void {
    if (copy >= this.first.length) this.grow(copy + 1);
    let first = this.first[copy]!;
    if (first !== first) first = this.first[copy] = t;
    const win = Math.floor((t - first) / WINDOW_SECONDS);
    if (win !== this.last[copy]) {
      this.last[copy] = win;
      this.count[copy]!++;
    }
  }

  /** Windows with a start of `copy` (0 if it never started one). */
  of(copy: number): number {
    return copy < this.count.length ? this.count[copy]! : 0;
  }

  private grow(n: number): void {
    const size = Math.max(n, this.first.length * 2);
    const grown = (a: Float64Array, fill: number) => {
      const b = new Float64Array(size).fill(fill);
      b.set(a);
      return b;
    };
    this.first = grown(this.first, NaN);
    this.last = grown(this.last, -1);
    this.count = grown(this.count, 0);
  }
}

/** Billed windows of one copy under a rule. */
export function copyWindows(copy: CopyLife, rule: WindowRule): number {
  const first = copy.firstStartAt;
  if (first !== first) return 0;
  if (rule === 'invoked') return copy.startWindows;
  // A hair of tolerance so float noise at an exact boundary (600.0000000001 s) is not a window.
  return Math.max(1, Math.ceil((copy.removedAt - first) / WINDOW_SECONDS - 1e-9));
}

export function totalWindows(copies: readonly CopyLife[], rule: WindowRule): number {
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
  copies: readonly CopyLife[],
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
