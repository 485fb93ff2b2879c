import { resolve } from 'node:path';
import type { ReplicaLife } from '../sim/record.js';
import type { TrafficComponent } from '../scenario/schema.js';
import { observedCopiesPerMinute, readTraceHeader } from '../traffic/trace-file.js';
import { WINDOW_SECONDS } from './cmi.js';

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
  replicas: readonly Pick<ReplicaLife, 'firstStartAt' | 'removedAt'>[],
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

export interface ActualVsSimulatedOption {
  /** The option's key. */
  key: string;
  cmusPerCopy: number;
  pricePerCmuMinute: number;
  actual: PerMinuteBill & { cmuMinutes: number; cost: number };
  simulated: PerMinuteBill & { cmuMinutes: number; cost: number };
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

/** CMUs per copy and the CMU rate, read from one option's assumption rows; null if either is missing. */
export function cmiRates(
  rows: readonly { name: string; value: number | string }[],
): { cmus: number; rate: number } | null {
  const cmus = rows.find((a) => a.name === 'CMUs per copy')?.value;
  const rate = rows.find((a) => a.name === 'CMU rate')?.value;
  return typeof cmus === 'number' && typeof rate === 'number' ? { cmus, rate } : null;
}

/** Observed and simulated copies per minute of one option, both billed by the per-minute rule. */
export function compareCopies(
  key: string,
  observed: ArrayLike<number>,
  simulatedCopies: ArrayLike<number>,
  { cmus, rate }: { cmus: number; rate: number },
): ActualVsSimulatedOption {
  const actual = billOf(observed, cmus, rate);
  const simulated = billOf(simulatedCopies, cmus, rate);
  return {
    key,
    cmusPerCopy: cmus,
    pricePerCmuMinute: rate,
    actual,
    simulated,
    difference: simulated.cost - actual.cost,
    relativeDifference: actual.cost > 0 ? (simulated.cost - actual.cost) / actual.cost : null,
  };
}

/** What the comparison needs from each simulated option. */
export interface SimulatedCmi {
  key: string;
  id: string;
  replicas: readonly Pick<ReplicaLife, 'firstStartAt' | 'removedAt'>[] | null;
  minutes: number;
  /** The option's assumption rows (CMUs per copy and the CMU rate are read from them). */
  assumptions: readonly { option: string; name: string; value: number | string }[];
}

/** The observed side: copies per minute of the first `trace` component with `model_copies`. */
export interface ObservedCopies {
  perMinute: Float64Array;
  periodSeconds: number;
  /** Where the trace's t_s = 0 lands in the run (s). */
  offset: number;
  /** The trace's `source=`. */
  source: string;
}

/**
 * Observed copies per minute of the run's span from the first `trace` component that has
 * `model_copies`, or null when none has. Reads the trace file.
 */
export function observedCopies(
  components: readonly TrafficComponent[],
  baseDir: string,
  spanSeconds: number,
): ObservedCopies | null {
  for (const c of components) {
    if (c.type !== 'trace') continue;
    const path = resolve(baseDir, c.file);
    const observed = observedCopiesPerMinute(path, c.offset, Math.ceil(spanSeconds / 60));
    if (observed === null) continue;
    return { ...observed, offset: c.offset, source: readTraceHeader(path).header.source };
  }
  return null;
}

/**
 * The comparison for a run, or null when no `trace` component has `model_copies`. Reads the
 * first such trace (the only I/O here); compares it with every `bedrock-cmi` option of the run,
 * each side billed with that option's CMUs and rate.
 */
export function actualVsSimulated(
  components: readonly TrafficComponent[],
  baseDir: string,
  spanSeconds: number,
  sims: readonly SimulatedCmi[],
): ActualVsSimulated | null {
  const observed = observedCopies(components, baseDir, spanSeconds);
  if (observed === null) return null;
  const options: ActualVsSimulatedOption[] = [];
  for (const s of sims) {
    if (s.id !== 'bedrock-cmi' || s.replicas === null) continue;
    const rates = cmiRates(s.assumptions.filter((a) => a.option === s.key));
    if (rates === null) continue;
    const simulated = activeCopiesPerMinute(s.replicas, s.minutes);
    options.push(compareCopies(s.key, observed.perMinute, simulated, rates));
  }
  return {
    rule: PER_MINUTE_RULE,
    trace: observed.source,
    periodSeconds: observed.periodSeconds,
    approximate: observed.periodSeconds > 60,
    options,
  };
}
