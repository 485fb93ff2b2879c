import { copyWindows, WINDOW_SECONDS, type CopyLife, type CopyMeter, type WindowRule } from './cmi.js';

/**
 * Actual vs simulated Custom Model Import bill (design §4 item 7). CloudWatch reports copies per
 * period (`ModelCopy`, Maximum), not each copy's own window grid, so both sides are billed by one
 * per-minute rule and the difference measures the simulation, not the billing method:
 *
 *   each stretch of consecutive minutes with copies > 0 is cut into 5-minute blocks from its
 *   first minute; each block bills its peak copy count × CMUs × $/CMU-minute × 5.
 *
 * (A short last block bills a full 5 minutes.) This approximates AWS's per-copy grids: it is exact
 * for one copy that stays up through whole windows, and it can differ by a window where copies
 * come and go inside a block.
 *
 * Like with like (issue 15 item 5): the simulated copies are first seen as CloudWatch would have
 * reported them at the trace's period (each period's peak, on the trace's bin grid), so a
 * simulation that matches the real copies shows no difference. The run's own bill (per-copy
 * windows, as `cost.lines` bills it) is a third figure, shown beside and labelled: it differs from
 * both by the rule, not by the simulation.
 *
 * Pure: the caller reads the observed copies from the trace and passes each option's copy meter.
 *
 * Worked, 2 CMUs at $0.0785 (AWS pricing example, $0.785 per copy-window):
 * - copies [1,1,1,1,1,1] (6 minutes) → blocks [0–4] peak 1, [5] peak 1 → 2 copy-windows → $1.57;
 * - copies [1,2,1,0,0,1] → stretch 0–2 (one block, peak 2) + stretch 5 (peak 1) → 3 → $2.355;
 * - copies [0,0,0] → nothing.
 */

export interface PerMinuteBill {
  /** 5-minute blocks with copies > 0. */
  blocks: number;
  /** Σ over blocks of the block's peak copies: the number of copy-windows billed. */
  copyWindows: number;
  /** Most copies in any minute. */
  peakCopies: number;
  /** Σ over minutes of copies (a copy up for a minute = 1). */
  copyMinutes: number;
}

const BLOCK_MINUTES = WINDOW_SECONDS / 60;

/** The per-minute rule over a series of copies per minute. O(minutes). */
export function perMinuteBill(copies: ArrayLike<number>): PerMinuteBill {
  let blocks = 0;
  let copyWindows = 0;
  let peakCopies = 0;
  let copyMinutes = 0;
  let inBlock = 0; // minutes into the current block; 0 = no open block
  let blockPeak = 0;
  for (let m = 0; m < copies.length; m++) {
    const c = copies[m]!;
    copyMinutes += c;
    if (c > peakCopies) peakCopies = c;
    if (c > 0) {
      if (inBlock === 0) blockPeak = 0;
      if (c > blockPeak) blockPeak = c;
      if (++inBlock === BLOCK_MINUTES) {
        blocks++;
        copyWindows += blockPeak;
        inBlock = 0;
      }
    } else if (inBlock > 0) {
      // The stretch ended inside a block: the block still bills in full.
      blocks++;
      copyWindows += blockPeak;
      inBlock = 0;
    }
  }
  if (inBlock > 0) {
    blocks++;
    copyWindows += blockPeak;
  }
  return { blocks, copyWindows, peakCopies, copyMinutes };
}

/**
 * Simulated copies per minute: the most copies in their active period (from first call to
 * removal, design §4 item 1; loading is not counted) at any moment of minute m. O(copies log copies
 * + minutes).
 */
export function activeCopiesPerMinute(
  replicas: readonly Pick<CopyLife, 'firstStartAt' | 'removedAt'>[],
  minutes: number,
): Float64Array {
  const ev: [number, number][] = [];
  for (const r of replicas) {
    if (r.firstStartAt !== r.firstStartAt || !(r.removedAt > r.firstStartAt)) continue;
    ev.push([r.firstStartAt, 1], [r.removedAt, -1]);
  }
  // Removals before additions at equal times, so a hand-over does not count twice.
  ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = new Float64Array(minutes);
  let live = 0;
  let i = 0;
  for (let m = 0; m < minutes; m++) {
    const end = (m + 1) * 60;
    let peak = live;
    while (i < ev.length && ev[i]![0] < end) {
      live += ev[i]![1];
      if (live > peak) peak = live;
      i++;
    }
    out[m] = peak;
  }
  return out;
}

/** The run's own CMU bill: per-copy windows by the option's rule (design §4 item 3), storage apart. */
export interface RunCmiBill {
  rule: WindowRule;
  copyWindows: number;
  cmuMinutes: number;
  cost: number;
}

export interface ActualVsSimulatedOption {
  /** The option's key. */
  key: string;
  cmusPerCopy: number;
  pricePerCmuMinute: number;
  /** From the trace's `model_copies`, by the per-minute rule. */
  actual: PerMinuteBill & { cmuMinutes: number; cost: number };
  /** The simulated copies seen at the trace's period, by the same per-minute rule. */
  simulated: PerMinuteBill & { cmuMinutes: number; cost: number };
  /** The run's own bill (its `CMU inference` line), shown beside; null where the lives are not at hand. */
  runBill: RunCmiBill | null;
  /** simulated − actual, USD. */
  difference: number;
  /** (simulated − actual) / actual; null when the actual bill is zero. */
  relativeDifference: number | null;
}

export interface ActualVsSimulated {
  rule: string;
  /** The trace's `source=`. */
  trace: string;
  /** The trace's period; above 60 s each bin's peak stands for every minute it covers. */
  periodSeconds: number;
  approximate: boolean;
  options: ActualVsSimulatedOption[];
}

export const PER_MINUTE_RULE =
  "per minute: each stretch of minutes with copies > 0 is cut into 5-minute blocks from its first minute; each block bills its peak copies × CMUs × $/CMU-minute × 5 (applied to both sides; approximates AWS's per-copy window grids)";

function billOf(
  copies: ArrayLike<number>,
  cmus: number,
  rate: number,
): PerMinuteBill & { cmuMinutes: number; cost: number } {
  const b = perMinuteBill(copies);
  const cmuMinutes = b.copyWindows * cmus * BLOCK_MINUTES;
  return { ...b, cmuMinutes, cost: cmuMinutes * rate };
}

/** The CMU size and rate both sides are billed with. */
export type CopyRates = Pick<CopyMeter, 'cmusPerCopy' | 'pricePerCmuMinute'>;

/**
 * Simulated copies per minute as a metric of `periodSeconds` would report them: each period of the
 * grid anchored at `offset` (the trace's bins) takes its peak, spread over the minutes it touches
 * exactly as `observedCopiesPerMinute` spreads an observed bin. Minutes before `offset` are left
 * as they are. Identity for 60 s periods on whole minutes. O(minutes).
 * Worked: [1,0,1,0,1, 0,0,0,0,0] at 300 s → [1,1,1,1,1, 0,0,0,0,0].
 */
export function atPeriod(perMinute: ArrayLike<number>, periodSeconds: number, offset: number): Float64Array {
  const minutes = perMinute.length;
  const out = Float64Array.from(perMinute as ArrayLike<number>);
  if (periodSeconds <= 60 && offset % 60 === 0) return out;
  const from0 = Math.max(0, Math.floor(offset / 60));
  out.fill(0, from0);
  for (let a = offset; a < minutes * 60; a += periodSeconds) {
    const from = Math.max(0, Math.floor(a / 60));
    const to = Math.min(minutes, Math.ceil((a + periodSeconds) / 60 - 1e-9));
    let peak = 0;
    for (let m = from; m < to; m++) if (perMinute[m]! > peak) peak = perMinute[m]!;
    for (let m = from; m < to; m++) if (peak > out[m]!) out[m] = peak;
  }
  return out;
}

/** The run's own CMU bill from its copies' lives: Σ per-copy windows × CMUs × 5 × rate. */
export function runCmiBill(
  lives: readonly CopyLife[],
  { rule, cmusPerCopy, pricePerCmuMinute }: CopyMeter,
): RunCmiBill {
  let windows = 0;
  for (const r of lives) windows += copyWindows(r, rule);
  const cmuMinutes = windows * cmusPerCopy * BLOCK_MINUTES;
  return { rule, copyWindows: windows, cmuMinutes, cost: cmuMinutes * pricePerCmuMinute };
}

/**
 * Observed and simulated copies of one option, both billed by the per-minute rule with the
 * simulated side first seen at the observed period (`atPeriod`), and the run's own bill beside.
 */
export function compareCopies(
  key: string,
  observed: Pick<ObservedCopies, 'perMinute' | 'periodSeconds' | 'offset'>,
  simulatedCopies: ArrayLike<number>,
  { cmusPerCopy: cmus, pricePerCmuMinute: rate }: CopyRates,
  runBill: RunCmiBill | null = null,
): ActualVsSimulatedOption {
  const actual = billOf(observed.perMinute, cmus, rate);
  const simulated = billOf(atPeriod(simulatedCopies, observed.periodSeconds, observed.offset), cmus, rate);
  return {
    key,
    cmusPerCopy: cmus,
    pricePerCmuMinute: rate,
    actual,
    simulated,
    runBill,
    difference: simulated.cost - actual.cost,
    relativeDifference: actual.cost > 0 ? (simulated.cost - actual.cost) / actual.cost : null,
  };
}

/** What the comparison needs from each option billed per copy-window. */
export interface SimulatedCopies {
  key: string;
  /** The option's CMU size, rate and window rule. */
  meter: CopyMeter;
  /** Its copies' lives, as its own bill read them. */
  lives: readonly CopyLife[];
  /** Minutes of the run. */
  minutes: number;
}

/** The observed side: copies per minute of a trace's `model_copies`, read by the caller. */
export interface ObservedCopies {
  perMinute: Float64Array;
  periodSeconds: number;
  /** Where the trace's t_s = 0 lands in the run (s). */
  offset: number;
  /** The trace's `source=`. */
  source: string;
}

/** The observed copies compared with each option's simulated copies, each side billed with its meter. */
export function actualVsSimulated(
  observed: ObservedCopies,
  sims: readonly SimulatedCopies[],
): ActualVsSimulated {
  const options: ActualVsSimulatedOption[] = [];
  for (const s of sims) {
    const simulated = activeCopiesPerMinute(s.lives, s.minutes);
    options.push(compareCopies(s.key, observed, simulated, s.meter, runCmiBill(s.lives, s.meter)));
  }
  return {
    rule: PER_MINUTE_RULE,
    trace: observed.source,
    periodSeconds: observed.periodSeconds,
    approximate: observed.periodSeconds > 60,
    options,
  };
}
