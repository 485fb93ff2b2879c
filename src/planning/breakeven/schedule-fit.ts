import type { Heartbeat } from '../../models/heartbeat.js';
import type { UserClass } from '../../compare/result.js';
import type { LocalDayBounds, VariantOutcome } from '../sweep/sweep.js';

/*
 * A heartbeat schedule fitted to a trace's cold starts, on a minute grid (issue 14, docs/breakeven.md):
 *
 *   never's counted cold-start hits (on each draw of the traffic) ─► local times of day ─► one range per hit, from `lead` before it
 *     to the hit ─► ranges closer than `mergeGap` merged ─► simulate every (lead, mergeGap) pair
 *     ─► hits left by the best? add ranges before them with a longer lead (≤ 3 rounds)
 *     ─► drop one range at a time while that is better ─► weekdays only, if no hit is on a weekend.
 *
 * A heartbeat's first beat is at the start of its range and starts a cold copy, so a range must
 * begin at least one cold start before the request it protects; the lead search finds how long that
 * is under the option's own cold-start times (evicted starts take longer). Merging trades the
 * windows of a bridged gap against the extra cold start and partial windows of a new range.
 * With random arrivals every candidate runs on several draws of the traffic (the scenario's seed and
 * the next ones) and is ranked on their sum: a schedule that only fits one draw's exact arrival
 * times, and would miss tomorrow's, does not win.
 */

/** Leads tried before each hit (s); those that are not a multiple of the grid are left out. */
const LEADS = [60, 120, 180, 300, 600];
/** Gaps bridged, as multiples of the scale-to-zero time (∞ = one range from the first hit to the last). */
const MERGE_FACTORS = [0, 1, 2, 4, 12, Infinity];
const REFINE_ROUNDS = 3;
const PRUNE_ROUNDS = 4;
/** Dropping ranges one at a time is tried only up to this many ranges (each try is a simulation). */
const PRUNE_MAX_RANGES = 24;

export interface TimeRangeS {
  from: number;
  to: number;
}

/** Where t (s from the span start) falls in local time: the day's index and the second of its day. */
function localTimeOf(
  t: number,
  days: readonly LocalDayBounds[],
): { day: number; secondOfDay: number } | null {
  let lo = 0;
  let hi = days.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const d = days[mid]!;
    if (t < d.hours[0]!) hi = mid - 1;
    else if (t >= d.hours[24]!) lo = mid + 1;
    else {
      // Local hours are whole (DST moves whole hours), so within one hour local time is linear.
      let h = 0;
      while (h < 23 && t >= d.hours[h + 1]!) h++;
      return { day: mid, secondOfDay: h * 3600 + Math.min(t - d.hours[h]!, 3600 - 1e-6) };
    }
  }
  return null;
}

/**
 * One range per hit, on a `grid`-second grid: from `lead` before the grid point at or before the
 * hit, to the grid point at or after it (at least one grid step long); ranges that overlap, touch
 * or lie at most `mergeGap` apart become one. Clipped to the day (a daily list cannot cross midnight).
 *
 * Example: hits at 14:00:00 and 14:07:00, grid 60, lead 60 → 13:59–14:00 and 14:06–14:07;
 * with mergeGap ≥ 360 they merge into 13:59–14:07.
 */
export function rangesForHits(
  secondsOfDay: readonly number[],
  grid: number,
  lead: number,
  mergeGap: number,
): TimeRangeS[] {
  const raw = secondsOfDay
    .map((s): TimeRangeS => {
      const at = Math.floor(s / grid) * grid;
      const from = Math.max(0, at - lead);
      const to = Math.min(86400, Math.max(Math.ceil(s / grid) * grid, from + grid));
      return { from, to };
    })
    .sort((a, b) => a.from - b.from || a.to - b.to);
  return mergeRanges(raw, mergeGap);
}

/** Sorted ranges, those at most `gap` apart joined. */
function mergeRanges(sorted: readonly TimeRangeS[], gap: number): TimeRangeS[] {
  const out: TimeRangeS[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.from - last.to <= gap) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

export interface FitInput {
  /** The option without a heartbeat, run with `hits`, once per draw of the traffic. */
  never: VariantOutcome[];
  classes: readonly UserClass[];
  days: readonly LocalDayBounds[];
  hasWeekend: boolean;
  grid: number;
  every: number;
  scaleToZero: number;
  tokens: { inputTokens: number; outputTokens: number };
  /** Simulates the option with a heartbeat on each draw of the traffic (with hit times). */
  run: (hb: Heartbeat) => Promise<VariantOutcome[]>;
  /** Strictly better by the analysis' rule (value, or counted hits then cost), on `pooled` outcomes. */
  better: (a: VariantOutcome, b: VariantOutcome) => boolean;
}

export interface FitOutcome {
  heartbeat: Heartbeat;
  /** One outcome per draw of the traffic; [0] is the scenario's own seed. */
  rs: VariantOutcome[];
}

/**
 * Several draws of one variant as one outcome for ranking: costs and cold-start hits summed, so a
 * schedule is judged on every draw (a fit to one draw's exact arrival times is not rewarded).
 */
export function pooled(rs: readonly VariantOutcome[]): VariantOutcome {
  const first = rs[0]!;
  if (rs.length === 1) return first;
  let cost = 0;
  let hits = 0;
  const byClass = { interactive: 0, batch: 0 };
  for (const r of rs) {
    cost += r.cost ?? NaN;
    hits += r.coldStartHits;
    byClass.interactive += r.coldStartHitsByClass.interactive;
    byClass.batch += r.coldStartHitsByClass.batch;
  }
  return { ...first, cost, coldStartHits: hits, coldStartHitsByClass: byClass };
}

/** The counted hits' local times of day (unique, sorted) and whether any falls on a weekend day. */
function hitTimesOfDay(
  rs: readonly VariantOutcome[],
  classes: readonly UserClass[],
  days: readonly LocalDayBounds[],
): { seconds: number[]; onWeekend: boolean } {
  const set = new Set<number>();
  let onWeekend = false;
  for (const r of rs)
    for (const c of classes) {
      for (const t of r.coldHitArrivals?.[c] ?? []) {
        const lt = localTimeOf(t, days);
        if (lt === null) continue;
        set.add(lt.secondOfDay);
        onWeekend ||= !days[lt.day]!.weekday;
      }
    }
  return { seconds: [...set].sort((a, b) => a - b), onWeekend };
}

/** The fitted schedule (null when the run has no counted hit to avoid). */
export async function fitSchedule(f: FitInput): Promise<FitOutcome | null> {
  const hits = hitTimesOfDay(f.never, f.classes, f.days);
  if (hits.seconds.length === 0) return null;
  const leads = LEADS.filter((l) => l % f.grid === 0);
  const heartbeat = (ranges: TimeRangeS[], days: 'all' | 'weekdays'): Heartbeat => ({
    every: f.every,
    during: ranges,
    days,
    ...f.tokens,
  });
  const memo = new Map<string, Promise<VariantOutcome[]>>();
  const evaluate = (hb: Heartbeat): Promise<VariantOutcome[]> => {
    const k = `${hb.days}|${hb.during.map((r) => `${r.from}-${r.to}`).join(',')}`;
    let p = memo.get(k);
    if (!p) memo.set(k, (p = f.run(hb)));
    return p;
  };
  const pickBest = async (hbs: Heartbeat[]): Promise<FitOutcome> => {
    const rs = await Promise.all(hbs.map(evaluate));
    const ps = rs.map(pooled);
    let best = 0;
    ps.forEach((p, i) => {
      if (f.better(p, ps[best]!)) best = i;
    });
    return { heartbeat: hbs[best]!, rs: rs[best]! };
  };

  // Every (lead, merge gap) pair; the shortest lead first, so ties keep the least heartbeat.
  const grid: { lead: number; gap: number; hb: Heartbeat }[] = [];
  for (const lead of leads)
    for (const k of MERGE_FACTORS) {
      // Ranges closer than one beat interval always merge: a gap shorter than that only adds a
      // beat and a restart.
      const gap = Math.max(k * f.scaleToZero, f.every);
      grid.push({ lead, gap, hb: heartbeat(rangesForHits(hits.seconds, f.grid, lead, gap), 'all') });
    }
  let best = await pickBest(grid.map((g) => g.hb));
  const chosen = grid.find((g) => g.hb === best.heartbeat)!;

  // Hits the best still has (a beat too late for an evicted start, a new gap): warm those earlier.
  let lead = chosen.lead;
  for (let round = 0; round < REFINE_ROUNDS; round++) {
    const left = hitTimesOfDay(best.rs, f.classes, f.days).seconds;
    if (left.length === 0) break;
    lead = Math.min(lead * 2, 3600);
    const added = rangesForHits(left, f.grid, lead, 0);
    const ranges = mergeRanges(
      [...best.heartbeat.during, ...added].sort((a, b) => a.from - b.from),
      chosen.gap,
    );
    const next = await pickBest([best.heartbeat, heartbeat(ranges, 'all')]);
    if (next.heartbeat === best.heartbeat) break;
    best = next;
  }

  // Ranges that do not pay for themselves.
  for (let round = 0; round < PRUNE_ROUNDS; round++) {
    const during = best.heartbeat.during;
    if (during.length < 2 || during.length > PRUNE_MAX_RANGES) break;
    const next = await pickBest([
      best.heartbeat,
      ...during.map((_, i) => heartbeat(during.filter((__, j) => j !== i) as TimeRangeS[], 'all')),
    ]);
    if (next.heartbeat === best.heartbeat) break;
    best = next;
  }

  if (f.hasWeekend && !hits.onWeekend) {
    best = await pickBest([best.heartbeat, heartbeat(best.heartbeat.during as TimeRangeS[], 'weekdays')]);
  }
  return best;
}

/** `2026-01-05 (Mon)`, or the first and last of several days with their count. */
export function fittedToText(days: readonly LocalDayBounds[]): string {
  const name = (d: LocalDayBounds): string =>
    `${d.date} (${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(`${d.date}T00:00:00Z`).getUTCDay()]})`;
  if (days.length === 0) return 'no days';
  if (days.length === 1) return name(days[0]!);
  if (days.length === 2) return `${name(days[0]!)} and ${name(days[1]!)}`;
  return `${days.length} days, ${name(days[0]!)} to ${name(days.at(-1)!)}`;
}
