import { IANAZone } from 'luxon';
import { InputError } from '../../errors.js';
import { RequestClass } from '../types.js';
import { readBinnedSeries, type BinnedSeries } from './binned.js';
import { isoSeconds, type TraceKind } from './format.js';
import { readTraceHeader, TraceFileStream } from './read.js';

/* Summary statistics of a trace file, for `trace show` and `replay`. */

export interface ClassTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

export interface IdleGap {
  /** When the gap starts (UTC ISO-8601). */
  from: string;
  seconds: number;
  /** Binned traces only know gaps to the bin: the gap is at least `seconds`. */
  atLeast: boolean;
}

export interface TraceStats {
  kind: TraceKind;
  source: string;
  start: string;
  end: string;
  durationSeconds: number;
  periodSeconds: number | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  byClass: { interactive: ClassTotals; batch: ClassTotals };
  /** Most requests that arrived in one minute (binned with period > 60 s: in one period). */
  peakPerMinute: number | null;
  peakPerPeriod: number | null;
  timezone: string;
  /** Requests per local hour of day 00–23, summed over the trace. */
  perHour: number[];
  /** Longest idle gaps, longest first. Requests traces: between consecutive arrivals; binned: runs of empty bins. */
  longestIdleGaps: IdleGap[];
  throttles: number | null;
  modelCopies: { peak: number; copyMinutes: number } | null;
  /** Mean observed latency weighted by requests (binned traces with latency_ms). */
  meanLatencyMs: number | null;
  /** A trace with a `model` column, when one model is shown (absent otherwise). */
  model?: string;
  /** Totals per model of a trace with a `model` column, all of them whichever is shown (absent without the column). */
  byModel?: ({ model: string } & ClassTotals)[];
}

/** Keeps the k largest gaps (k is small: a linear insert). */
class TopGaps {
  readonly gaps: { start: number; seconds: number }[] = [];
  constructor(private readonly k: number) {}
  add(start: number, seconds: number): void {
    const g = this.gaps;
    if (g.length === this.k && seconds <= g[g.length - 1]!.seconds) return;
    let i = g.length;
    while (i > 0 && g[i - 1]!.seconds < seconds) i--;
    g.splice(i, 0, { start, seconds });
    if (g.length > this.k) g.pop();
  }
}

/** Local hour of day for Unix seconds, with the zone offset cached per UTC hour. */
function hourOfDay(zone: IANAZone): (epochSeconds: number) => number {
  let cachedHour = NaN;
  let cachedOffset = 0;
  return (s) => {
    const h = Math.floor(s / 3600);
    if (h !== cachedHour) {
      cachedHour = h;
      cachedOffset = zone.offset(h * 3600 * 1000) * 60;
    }
    const local = s + cachedOffset;
    return Math.floor((((local % 86400) + 86400) % 86400) / 3600);
  };
}

/**
 * One streaming pass over a trace file: span, totals, per-hour profile (in `timezone`), the
 * longest idle gaps. Requests traces never hold more than one row; binned traces are read per bin
 * (their requests are not expanded: counts and gaps come from the bins).
 */
export function summarizeTraceFile(path: string, timezone = 'UTC', topGaps = 5, model?: string): TraceStats {
  if (!IANAZone.isValidZone(timezone))
    throw new InputError(
      `unknown time zone ${JSON.stringify(timezone)}: use an IANA name such as UTC or Europe/Berlin`,
      '--timezone',
    );
  const hour = hourOfDay(IANAZone.create(timezone));
  const { header } = readTraceHeader(path);
  const start = header.startEpochSeconds;
  const perHour = new Array<number>(24).fill(0);
  const by = { interactive: totals(), batch: totals() };
  const gaps = new TopGaps(topGaps);
  let peakPerMinute: number | null = 0;
  let peakPerPeriod: number | null = null;
  let end: number;
  let throttles: number | null = null;
  let modelCopies: TraceStats['modelCopies'] = null;
  let meanLatencyMs: number | null = null;

  const perModel: ClassTotals[] = [];
  let names: string[] | null = null;
  if (header.kind === 'requests') {
    const s = new TraceFileStream(path, { seed: 0, index: 0, ...(model !== undefined ? { model } : {}) });
    if (s.header.models !== undefined) names = s.header.models;
    let prev = NaN;
    let minute = -1;
    let inMinute = 0;
    while (s.next()) {
      const c = s.cls === RequestClass.batch ? by.batch : by.interactive;
      c.requests++;
      c.inputTokens += s.inputTokens;
      c.outputTokens += s.outputTokens;
      if (names !== null && model === undefined) {
        const pm = (perModel[s.model] ??= totals());
        pm.requests++;
        pm.inputTokens += s.inputTokens;
        pm.outputTokens += s.outputTokens;
      }
      perHour[hour(start + s.t)]!++;
      if (prev === prev) gaps.add(prev, s.t - prev);
      prev = s.t;
      const m = Math.floor(s.t / 60);
      if (m !== minute) {
        minute = m;
        inMinute = 0;
      }
      if (++inMinute > peakPerMinute!) peakPerMinute = inMinute;
    }
    // One model shown: every model's totals take a second pass.
    if (names !== null && model !== undefined) {
      const all = new TraceFileStream(path, { seed: 0, index: 0 });
      names = all.header.models!;
      while (all.next()) {
        const pm = (perModel[all.model] ??= totals());
        pm.requests++;
        pm.inputTokens += all.inputTokens;
        pm.outputTokens += all.outputTokens;
      }
    }
    const last = prev === prev ? prev : 0;
    end = header.durationSeconds ?? (Math.floor(last / 60) + 1) * 60;
  } else {
    const read = readBinnedSeries(path, model);
    if (read.models.length > 0) {
      names = read.models;
      const all = model === undefined ? read : readBinnedSeries(path);
      for (let i = 0; i < all.t.length; i++) {
        const pm = (perModel[all.model![i]!] ??= totals());
        pm.requests += all.requests[i]!;
        pm.inputTokens += all.inputTokens[i]!;
        pm.outputTokens += all.outputTokens[i]!;
      }
    }
    // Several models' bins at one t_s count as one bin of the trace.
    const b = read.model === null ? read : mergeModels(read);
    const p = b.periodSeconds;
    peakPerPeriod = 0;
    if (p > 60) peakPerMinute = null;
    let emptyFrom = NaN;
    let latencyWeighted = 0;
    let copyMinutes = 0;
    let peakCopies = 0;
    let nextT = 0;
    const cls = header.class === 'batch' ? by.batch : by.interactive;
    for (let i = 0; i < b.t.length; i++) {
      const t = b.t[i]!;
      const n = b.requests[i]!;
      // Sparse files: missing bins before this one are empty.
      if (t > nextT && emptyFrom !== emptyFrom) emptyFrom = nextT;
      nextT = t + p;
      cls.requests += n;
      cls.inputTokens += b.inputTokens[i]!;
      cls.outputTokens += b.outputTokens[i]!;
      perHour[hour(start + t)]! += n;
      if (n > peakPerPeriod) peakPerPeriod = n;
      if (n > 0) {
        if (emptyFrom === emptyFrom) gaps.add(emptyFrom, t - emptyFrom);
        emptyFrom = NaN;
      } else if (emptyFrom !== emptyFrom) emptyFrom = t;
      if (b.latencyMs) latencyWeighted += b.latencyMs[i]! * n;
      if (b.modelCopies) {
        const c = b.modelCopies[i]!;
        copyMinutes += (c * p) / 60;
        if (c > peakCopies) peakCopies = c;
      }
    }
    const lastEnd = b.t.length > 0 ? b.t[b.t.length - 1]! + p : 0;
    end = Math.max(header.durationSeconds ?? 0, lastEnd);
    if (emptyFrom === emptyFrom) gaps.add(emptyFrom, end - emptyFrom);
    else if (end > lastEnd) gaps.add(lastEnd, end - lastEnd);
    if (p <= 60) peakPerMinute = peakPerPeriod;
    if (b.throttles) throttles = b.throttles.reduce((a, v) => a + v, 0);
    if (b.modelCopies) modelCopies = { peak: peakCopies, copyMinutes };
    const total = cls.requests;
    if (b.latencyMs && total > 0) meanLatencyMs = latencyWeighted / total;
  }
  return {
    kind: header.kind,
    source: header.source,
    start: header.start,
    end: isoSeconds(start + end),
    durationSeconds: end,
    periodSeconds: header.periodSeconds ?? null,
    requests: by.interactive.requests + by.batch.requests,
    inputTokens: by.interactive.inputTokens + by.batch.inputTokens,
    outputTokens: by.interactive.outputTokens + by.batch.outputTokens,
    byClass: by,
    peakPerMinute,
    peakPerPeriod,
    timezone,
    perHour,
    longestIdleGaps: gaps.gaps.map((g) => ({
      from: isoSeconds(start + g.start),
      seconds: g.seconds,
      atLeast: header.kind === 'binned',
    })),
    throttles,
    modelCopies,
    meanLatencyMs,
    ...(model !== undefined ? { model } : {}),
    ...(names !== null ? { byModel: names.map((m, k) => ({ model: m, ...(perModel[k] ?? totals()) })) } : {}),
  };
}

/**
 * A multi-model binned series as one: bins sharing a `t` summed (requests, tokens, throttles,
 * copies); latency the request-weighted mean (0 where no bin has requests: it weighs nothing).
 */
function mergeModels(b: BinnedSeries): BinnedSeries {
  const t: number[] = [];
  const cols = [b.requests, b.inputTokens, b.outputTokens, b.throttles, b.modelCopies];
  const sums: number[][] = cols.map(() => []);
  const lat: number[] = [];
  for (let i = 0, j = -1; i < b.t.length; i++) {
    const n = b.requests[i]!;
    if (j < 0 || b.t[i] !== t[j]) {
      j++;
      t.push(b.t[i]!);
      sums.forEach((s) => s.push(0));
      lat.push(0);
    }
    cols.forEach((c, k) => {
      if (c) sums[k]![j]! += c[i]!;
    });
    if (b.latencyMs) lat[j]! += b.latencyMs[i]! * n;
  }
  const opt = (k: number) => (cols[k] ? Float64Array.from(sums[k]!) : null);
  return {
    ...b,
    t: Float64Array.from(t),
    requests: Float64Array.from(sums[0]!),
    inputTokens: Float64Array.from(sums[1]!),
    outputTokens: Float64Array.from(sums[2]!),
    throttles: opt(3),
    modelCopies: opt(4),
    latencyMs: b.latencyMs
      ? Float64Array.from(lat, (x, j) => (sums[0]![j]! > 0 ? x / sums[0]![j]! : 0))
      : null,
    model: null,
  };
}

function totals(): ClassTotals {
  return { requests: 0, inputTokens: 0, outputTokens: 0 };
}
