import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { TraceCalendar } from '../traffic/calendar.js';
import { traceWork } from '../traffic/trace/work.js';
import { BreakevenVolume, type Scenario, type TrafficComponent } from './schema.js';

/*
 * Work limits (issue 17 item 1; README "Work limits", design §7): what a command will simulate, estimated from the
 * scenario, trace headers and flags before any work, and refused (exit 2, naming the field, the
 * estimate and the flag that raises the limit) above a documented bound. The estimate is
 * arithmetic on the settings — rates × seconds of their windows × days, counts × days, trace files
 * scanned without expansion — so refusing costs milliseconds whatever the input asks for.
 */

/** The limits a command checks; the flags `--max-requests` and `--max-days` raise them. */
export interface WorkLimits {
  /** Most requests simulated (summed over every trace a command generates). Default 1e9. */
  maxRequests: number;
  /** Longest simulated span, days. Default 1,096 (3 years). */
  maxDays: number;
}

export const DEFAULT_LIMITS: WorkLimits = { maxRequests: 1e9, maxDays: 1096 };
/** Most replicas, copies, instances, nodes or model units an option may name (schema check). */
export const MAX_REPLICAS = 10_000;
/** Most Monte Carlo runs of a forecast. */
export const MAX_RUNS = 100_000;
/** Most representative days a forecast simulates (runs × sampleDays × volumes × day types). */
export const MAX_FORECAST_DAYS = 2_000_000;

/** Where the requests come from, for the message: the largest component. */
export interface RequestEstimate {
  /** Requests in the scenario's trace (its span, every component). */
  requests: number;
  /** Field path of the component with the most requests. */
  field: string;
  /** The span in days. */
  days: number;
}

const DAY = 86_400;

/**
 * The requests the scenario's traffic holds over its span, without generating any. Trace files
 * are scanned (requests counted, binned rows summed) up to `stopAbove`.
 */
export function estimateRequests(s: Scenario, baseDir: string, stopAbove = Infinity): RequestEstimate {
  const calendar = new TraceCalendar(s.traffic, s.timezone);
  const days = calendar.span.durationSeconds / DAY;
  let requests = 0;
  let most = -1;
  let field = 'traffic.components';
  s.traffic.components.forEach((c, i) => {
    const n = componentRequests(c, days, baseDir, stopAbove);
    requests += n;
    if (n > most) {
      most = n;
      field = `traffic.components.${i}${c.type === 'trace' ? '.file' : c.type === 'poisson' ? '.rate' : '.count'}`;
    }
  });
  return { requests, field, days };
}

/** One component's requests over `days` (whole days for batches and trickles: a partial day may hold one). */
function componentRequests(c: TrafficComponent, days: number, baseDir: string, stopAbove: number): number {
  if (c.type === 'trace') return traceWork(resolve(baseDir, c.file), stopAbove, c.model).requests;
  const share = c.days === 'weekdays' ? 5 / 7 : 1;
  if (c.type === 'batch' || c.type === 'trickle') return c.count * Math.ceil(days) * share;
  const from = c.from ?? 0;
  const to = c.to ?? DAY;
  let perDay = 0;
  if (Array.isArray(c.rate))
    c.rate.forEach((r, h) => {
      perDay += r * Math.max(0, Math.min(to, (h + 1) * 3600) - Math.max(from, h * 3600));
    });
  else perDay = c.rate * (to - from);
  return perDay * days * share;
}

/**
 * Refuses a span longer than `limits.maxDays`, naming `field` (`traffic.days`, a trace file);
 * `what` says whose span it is.
 */
export function checkSpan(
  days: number,
  limits: WorkLimits,
  field: string,
  what = 'the simulated span is',
): void {
  if (days <= limits.maxDays) return;
  throw new InputError(
    `${what} ${fmt(days)} days, above the limit of ${fmt(limits.maxDays)} days (${fmt(limits.maxDays / 365.25)} years); shorten it, or raise the limit with --max-days ${Math.ceil(days)}`,
    field,
  );
}

/**
 * Refuses more than `limits.maxRequests` simulated requests; `what` says what they are ("the
 * trace", "the forecast's 1,200 representative days").
 */
export function checkRequests(requests: number, limits: WorkLimits, field: string, what: string): void {
  if (requests <= limits.maxRequests) return;
  const raise = Number.isFinite(requests) ? ` --max-requests ${sciUp(requests)}` : '';
  throw new InputError(
    `${what} ${what.endsWith('s') ? 'hold' : 'holds'} about ${sci(requests)} requests, above the limit of ${sci(limits.maxRequests)}; lower the volume${raise ? `, or raise the limit with${raise}` : ''}`,
    field,
  );
}

/**
 * The span and the trace's requests of a scenario, checked: what `run` and `trace generate`
 * simulate; with `volume`, also the volume sweep (`breakeven.volume`, its defaults if absent).
 */
export function checkScenarioWork(
  s: Scenario,
  baseDir: string,
  limits: WorkLimits = DEFAULT_LIMITS,
  opts: { volume?: boolean } = {},
): RequestEstimate {
  const days = new TraceCalendar(s.traffic, s.timezone).span.durationSeconds / DAY;
  checkSpan(days, limits, s.traffic.end !== undefined ? 'traffic.end' : 'traffic.days');
  const e = estimateRequests(s, baseDir, limits.maxRequests);
  checkRequests(e.requests, limits, e.field, 'the traffic');
  if (opts.volume) {
    const v = s.breakeven?.volume ?? BreakevenVolume.parse({});
    const n = volumeSweepRequests(v.from, v.to, v.points, days);
    checkRequests(n, limits, 'breakeven.volume.to', `the volume sweep's ${fmt(v.points)} volumes`);
  }
  return e;
}

/**
 * Requests a volume sweep simulates: the scenario's span at each of `points` daily volumes
 * log-spaced from `from` to `to` (a geometric series, summed in closed form).
 */
export function volumeSweepRequests(from: number, to: number, points: number, days: number): number {
  if (points < 2 || !(to > from)) return from * days * points;
  const q = Math.pow(to / from, 1 / (points - 1));
  return ((from * (Math.pow(q, points) - 1)) / (q - 1)) * Math.ceil(days);
}

/** `n` rounded up to two significant digits, as a flag value: 8.61e16 → `8.7e16`. */
function sciUp(n: number): string {
  if (n < 1e7) return String(Math.ceil(n));
  const e = Math.floor(Math.log10(n)) - 1;
  return `${(Math.ceil(n / 10 ** e) / 10).toFixed(1)}e${e + 1}`;
}

/** A number in words for a message: `1,096`, `2.5`. */
function fmt(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 1 : 0 });
}

/** A count that may be huge: `8.6e+16` → `8.6e16`, small ones with separators. */
function sci(n: number): string {
  if (!Number.isFinite(n)) return 'infinitely many';
  if (n < 1e7) return Math.ceil(n).toLocaleString('en-US');
  return n.toExponential(1).replace('.0e', 'e').replace('e+', 'e');
}

/** Option fields that count replicas, copies, instances, nodes or units, each at most `MAX_REPLICAS`. */
const REPLICA_FIELDS = [
  'replicas',
  'maxCopies',
  'minInstances',
  'maxInstances',
  'minNodes',
  'maxNodes',
  'modelUnits',
  'slotsPerCopy',
  'slotsPerReplica',
] as const;

/**
 * The first option field above `MAX_REPLICAS` (the engine keeps state per replica and slot, so
 * 1e9 of them is gigabytes before the first request), or null.
 */
export function replicaProblem(s: Scenario): { path: (string | number)[]; message: string } | null {
  for (let i = 0; i < s.options.length; i++) {
    const o = s.options[i]!;
    for (const f of REPLICA_FIELDS) {
      const v = o[f];
      if (typeof v === 'number' && v > MAX_REPLICAS)
        return {
          path: ['options', i, f],
          message: `${f} ${fmt(v)} is above the limit of ${fmt(MAX_REPLICAS)} (replicas, copies, instances, nodes, units and slots): no fleet of one model is that large; lower it`,
        };
    }
  }
  return null;
}
