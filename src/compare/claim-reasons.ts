import { DateTime } from 'luxon';
import type { Claim } from '../scenario/schema.js';
import { formatTimeOfDay, parseDuration } from '../scenario/units.js';
import type { SimRecord } from '../sim/record.js';
import type { TraceCalendar } from '../traffic/calendar.js';
import type { AssumptionRow, OptionResult } from './result.js';

/*
 * Why a claim does not hold (design §11; docs/model.md "Claims"): one sentence naming the
 * mechanism, what the run recorded, and the assumption (with its band) that drives it. Every
 * number is derived from the run's record, the trace and the option's assumption rows; nothing
 * here knows an option's defaults.
 */

/** What a reason may draw on. `calls` is computed only when a reason needs it. */
export interface ReasonContext {
  option: OptionResult;
  record: SimRecord;
  /** This option's assumption rows. */
  assumptions: readonly AssumptionRow[];
  calendar: TraceCalendar;
  /** Arrival times (s from the trace start, ascending) of every call the option received: user requests and heartbeats. */
  calls: () => Float64Array;
}

/** The reason a claim that does not hold fails; `simulated` and `claimed` as `checkClaim` measured them. */
export function claimReason(c: Claim, claimed: number, simulated: number, ctx: ReasonContext): string {
  switch (c.metric) {
    case 'firstRequestLatency':
      return firstRequestReason(ctx);
    case 'coldStarts':
      return coldStartsReason(c, simulated, ctx);
    case 'peakReplicas':
      return peakReason(claimed, simulated, ctx);
    case 'p50':
    case 'p95':
    case 'p99':
      return latencyReason(c.metric, c.class ?? 'all', ctx);
    case 'billedUnitHours':
      return billedReason(ctx);
    case 'totalCost':
      return costReason(ctx);
  }
}

// ---- assumptions ---------------------------------------------------------------------------------

/** The first of `names` the option declares. */
function assumption(ctx: ReasonContext, ...names: string[]): AssumptionRow | undefined {
  for (const n of names) {
    const a = ctx.assumptions.find((x) => x.name === n);
    if (a) return a;
  }
  return undefined;
}

/** An assumption's value in seconds (`300` with unit `s`, or a duration such as `96s`); null otherwise. */
function assumedSeconds(a: AssumptionRow | undefined): number | null {
  if (!a) return null;
  if (typeof a.value === 'number') return a.unit === 's' ? a.value : null;
  return parseDuration(a.value) ?? null;
}

/**
 * A duration as people say it: `96 s`, `150 s`, `5 min`, `30 min`, `1 h`, `1.5 h`.
 * Seconds below 3 minutes, minutes below an hour (or off the half hour), else hours.
 */
export function humanDuration(s: number): string {
  if (s >= 3600 && s % 1800 === 0) return `${s / 3600} h`;
  if (s >= 180 && s % 60 === 0) return `${s / 60} min`;
  if (s >= 7200) return `${+(s / 3600).toFixed(1)} h`;
  if (s >= 180) return `${+(s / 60).toFixed(1)} min`;
  return `${+s.toFixed(1)} s`;
}

/** `band 60–150 s`, `band 30 min–2 h`; empty for a band without width or ends. */
export function bandText(a: AssumptionRow, seconds: boolean): string {
  if (a.low === null || a.high === null || a.low === a.high) return '';
  if (!seconds || typeof a.low !== 'number' || typeof a.high !== 'number') return `band ${a.low}–${a.high}`;
  const lo = humanDuration(a.low);
  const hi = humanDuration(a.high);
  const unit = (t: string) => t.slice(t.lastIndexOf(' '));
  return unit(lo) === unit(hi) ? `band ${lo.slice(0, lo.lastIndexOf(' '))}–${hi}` : `band ${lo}–${hi}`;
}

/** `evictAfter (1 h, band 30 min–2 h)`-style: the assumption's value with its band. */
function valueAndBand(a: AssumptionRow, seconds: boolean): string {
  const s = seconds ? assumedSeconds(a) : null;
  const value = s !== null ? humanDuration(s) : `${a.value}${a.unit ? ` ${a.unit}` : ''}`;
  const band = bandText(a, s !== null);
  return band ? `${value}, ${band}` : value;
}

// ---- formatting ----------------------------------------------------------------------------------

function n(x: number): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** A measured time: `0.41 s`, `97.1 s`, `3.3 h`. */
function secs(x: number): string {
  if (x < 10) return `${+x.toFixed(2)} s`;
  return x < 120 ? `${+x.toFixed(1)} s` : humanDuration(Math.round(x));
}

/** Local wall-clock time (scenario timezone) of t seconds from the trace start, `09:02`. */
function clock(ctx: ReasonContext, t: number): string {
  return DateTime.fromSeconds(ctx.calendar.span.startEpochSeconds + t, {
    zone: ctx.calendar.timezone,
  }).toFormat('HH:mm');
}

// ---- mechanisms ----------------------------------------------------------------------------------

function firstRequestReason(ctx: ReasonContext): string {
  const first = ctx.record.firstRequest;
  if (!first) return 'no user request was served';
  // A cold start under way when the first call arrived: the call waited for it.
  const cold = ctx.record.replicas.find(
    (r) => r.cold && r.requestedAt <= first.arrival + 1e-9 && r.readyAt > first.arrival,
  );
  if (!cold) {
    const profile = assumption(ctx, 'perf profile');
    return `the first call found a ready copy (no cold start): its ${secs(first.latency)} is queueing and service time${profile ? ` (perf profile ${profile.value})` : ''}`;
  }
  const load = cold.readyAt - cold.requestedAt;
  const wait = cold.readyAt - first.arrival;
  const evictAfter = assumption(ctx, 'evict after idle');
  const idleBefore = assumption(ctx, 'idle before the trace');
  const evictS = assumedSeconds(evictAfter);
  // Idle since before the trace counts as longer than any evictAfter when the option assumes so.
  const idleLong = idleBefore !== undefined && /longer/.test(String(idleBefore.value));
  const evicted = evictAfter !== undefined && evictS !== null && (idleLong || first.arrival > evictS);
  // The call waited from its arrival until the copy was ready (the whole load when it started it).
  const waited = Math.abs(wait - load) < 1e-6 ? '' : `, ${secs(wait)} of it after the call arrived`;
  const took = `; it took ${secs(first.latency)} in all`;
  if (evicted) {
    const ev = assumption(ctx, 'evicted cold start');
    const evBand = ev ? bandText(ev, true) : '';
    const since = idleLong
      ? 'since before the trace (assumed)'
      : `for ${secs(first.arrival)} from the trace start`;
    return (
      `the model was idle ${since}, longer than evictAfter (${valueAndBand(evictAfter, true)}), so it had been evicted: ` +
      `the first call waited on an evicted cold start of ${secs(load)}${evBand ? ` (${evBand})` : ''}${waited}${took}`
    );
  }
  const cs = assumption(ctx, 'cold start', 'launch time', 'node provision + model load');
  const csBand = cs ? bandText(cs, true) : '';
  return (
    `no copy was ready when the first call arrived, so it started one: a cold start of ${secs(load)}` +
    `${cs ? ` (${cs.name}: ${cs.value}${csBand ? `, ${csBand}` : ''})` : ''}${waited}${took}`
  );
}

/** Per window (a local range each day, or the whole span): calls, long gaps, idle-before-first. */
export interface GapCount {
  calls: number;
  /** Gaps between consecutive calls inside a window longer than `idle`. */
  gaps: number;
  /** Windows whose first call came more than `idle` after the call before it (or with none before). */
  idleFirsts: number;
  /** When exactly one window: how long the first call followed the one before (Infinity: none before). */
  firstIdle: number | null;
}

/**
 * Counts, over windows `[from, to)`, the calls inside and the gaps longer than `idle` between
 * consecutive ones; a window's first call counts as following a long gap when the call before it
 * (inside the window or not) is more than `idle` earlier. Each long gap is a scale-to-zero.
 * Example: calls [0, 100, 500, 520], one window [50, 600), idle 300 → calls 3 (100, 500, 520),
 * gaps 1 (100 → 500), idleFirsts 0 (100 − 0 ≤ 300).
 */
export function countGaps(calls: Float64Array, windows: readonly [number, number][], idle: number): GapCount {
  const out: GapCount = { calls: 0, gaps: 0, idleFirsts: 0, firstIdle: null };
  for (const [from, to] of windows) {
    let i = lowerBound(calls, from);
    let prev = i > 0 ? calls[i - 1]! : -Infinity;
    let first = true;
    for (; i < calls.length && calls[i]! < to; i++) {
      const t = calls[i]!;
      out.calls++;
      if (t - prev > idle) {
        if (first) out.idleFirsts++;
        else out.gaps++;
      }
      if (first && windows.length === 1) out.firstIdle = t - prev;
      first = false;
      prev = t;
    }
  }
  return out;
}

function lowerBound(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function coldStartsReason(c: Claim, simulated: number, ctx: ReasonContext): string {
  const windows: [number, number][] = [];
  if (c.during)
    for (const day of ctx.calendar.days()) windows.push([day.at(c.during.from), day.at(c.during.to)]);
  else windows.push([0, ctx.calendar.span.durationSeconds]);
  const where = c.during
    ? `between ${formatTimeOfDay(c.during.from)} and ${formatTimeOfDay(c.during.to)}`
    : 'over the trace';
  const days = c.during && windows.length > 1 ? ` on ${windows.length} days` : '';
  const stzRow = assumption(ctx, 'scale to zero after');
  const stz = assumedSeconds(stzRow);
  if (stzRow === undefined || stz === null) {
    return `${n(simulated)} copies were started ${where}${days} while no copy was ready: each waited its full load time`;
  }
  const g = countGaps(ctx.calls(), windows, stz);
  const what = ctx.record.heartbeats > 0 ? 'calls (user requests and heartbeats)' : 'calls';
  const band = bandText(stzRow, true);
  const before =
    g.idleFirsts === 0
      ? ''
      : g.firstIdle !== null
        ? `, and the first came ${Number.isFinite(g.firstIdle) ? `${secs(g.firstIdle)} after the call before it` : 'with no call before it'}`
        : `, and on ${g.idleFirsts} of ${windows.length} days the first came more than ${humanDuration(stz)} after the call before it`;
  return (
    `the ${n(g.calls)} ${what} ${where}${days} left ${n(g.gaps)} ${g.gaps === 1 ? 'gap' : 'gaps'} longer than the ` +
    `${humanDuration(stz)} scale-to-zero time${band ? ` (${band})` : ''}${before}: ` +
    `${n(simulated)} cold ${simulated === 1 ? 'start' : 'starts'} ${where}`
  );
}

function peakReason(claimed: number, simulated: number, ctx: ReasonContext): string {
  const slots = assumption(ctx, 'slots per copy', 'slots per instance', 'slots per node');
  const maxRow = assumption(ctx, 'max copies', 'max instances', 'max nodes');
  const out = assumption(ctx, 'scale out after', 'scale-out datapoints');
  const s = ctx.record.series;
  let peakIn = 0;
  let at = 0;
  for (let m = 0; m < s.minutes; m++)
    if (s.inFlight[m]! > peakIn) {
      peakIn = s.inFlight[m]!;
      at = m;
    }
  const per = ctx.record.slotsPerReplica;
  const needed = per > 0 ? Math.ceil(peakIn / per) : 0;
  const slotsBand = slots ? bandText(slots, false) : '';
  // inFlight is counted at each minute's end.
  const load =
    `${n(peakIn)} ${peakIn === 1 ? 'request was' : 'requests were'} in the system at ${clock(ctx, (at + 1) * 60)}, ` +
    `${n(needed)} ${needed === 1 ? "copy's" : "copies'"} worth at ${n(per)} ${slots?.name ?? 'slots per copy'}${slotsBand ? ` (${slotsBand})` : ''}`;
  if (simulated < claimed) return `at most ${load}: the fleet never needed more than ${n(simulated)}`;
  // When the fleet first reached its peak (live = asked for and not yet removed).
  const ev: [number, number][] = [];
  for (const r of ctx.record.replicas) ev.push([r.requestedAt, 1], [r.removedAt, -1]);
  ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let live = 0;
  let reached = NaN;
  for (const [t, d] of ev) {
    live += d;
    if (live >= simulated) {
      reached = t;
      break;
    }
  }
  const capped = maxRow !== undefined && Number(maxRow.value) === simulated;
  const maxBand = maxRow ? bandText(maxRow, false) : '';
  return (
    `copies are added while requests queue beyond their slots` +
    (out ? ` for longer than ${out.name} (${valueAndBand(out, out.unit === 's')})` : '') +
    `: ${load}, and the fleet grew to ${n(simulated)} copies` +
    (Number.isNaN(reached) ? '' : ` by ${clock(ctx, reached)}`) +
    (capped && maxRow ? `, its cap (${maxRow.name}: ${maxRow.value}${maxBand ? `, ${maxBand}` : ''})` : '')
  );
}

function latencyReason(
  metric: 'p50' | 'p95' | 'p99',
  cls: 'all' | 'interactive' | 'batch',
  ctx: ReasonContext,
): string {
  const l = ctx.option.latency?.[cls];
  if (!l) return `no ${cls} request was served`;
  const q = metric === 'p50' ? 0.5 : metric === 'p95' ? 0.95 : 0.99;
  const hits = ctx.record.coldStartHits;
  const served = ctx.record.served;
  const share = served > 0 ? hits / served : 0;
  const cs = assumption(ctx, 'cold start', 'launch time', 'node provision + model load');
  if (hits > 0 && share > 1 - q)
    return (
      `${n(hits)} of ${n(served)} user requests (${(share * 100).toFixed(1)} %) waited on a cold start, more than the ` +
      `${Math.round((1 - q) * 100)} % above the ${metric}: it is a cold-start wait` +
      (cs ? ` (${cs.name}: ${cs.value}${bandText(cs, true) ? `, ${bandText(cs, true)}` : ''})` : '')
    );
  const slots = assumption(ctx, 'slots per copy', 'slots per instance', 'slots per node');
  if (l.meanWait > 0.2 * l.mean)
    return `requests queued for a slot: the mean wait is ${secs(l.meanWait)} of a mean ${secs(l.mean)} (${cls === 'all' ? 'all user' : cls} requests)${slots ? `, with ${slots.name} ${valueAndBand(slots, false)}` : ''}`;
  const profile = assumption(ctx, 'perf profile', 'output speed');
  return `service time sets it: the mean wait is only ${secs(l.meanWait)} of a mean ${secs(l.mean)} (${cls === 'all' ? 'all user' : cls} requests)${profile ? `; ${profile.name}: ${profile.value}${profile.unit ? ` ${profile.unit}` : ''}` : ''}`;
}

function billedReason(ctx: ReasonContext): string {
  const reps = ctx.record.replicas;
  const up = reps.reduce((s, r) => s + (r.removedAt - r.requestedAt), 0) / 3600;
  const rule = assumption(ctx, 'window rule');
  const billed = ctx.option.capacity?.billedUnitMinutes;
  return (
    `${n(reps.length)} ${reps.length === 1 ? 'copy was' : 'copies were'} started, up ${+up.toFixed(2)} copy-hours in all (peak ${n(ctx.record.peakReplicas)})` +
    (billed == null ? '' : `, billed as ${+(billed / 60).toFixed(2)} unit-hours`) +
    (rule ? ` under the ${rule.name} "${rule.value}" (assumed)` : '')
  );
}

function costReason(ctx: ReasonContext): string {
  const cost = ctx.option.cost;
  if (!cost || cost.lines.length === 0) return 'the option has no cost lines';
  const top = cost.lines.reduce((a, b) => (b.amount > a.amount ? b : a));
  const usd = (x: number) => `$${x.toFixed(2)}`;
  return (
    `the largest line is ${top.item}: ${usd(top.amount)} (${+top.quantity.toPrecision(4)} ${top.unit} × ${top.unitPrice})` +
    (cost.staff !== 0 ? `; ${usd(cost.aws)} is the AWS bill and ${usd(cost.staff)} staff time` : '')
  );
}
