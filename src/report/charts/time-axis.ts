import { DateTime } from 'luxon';
import type { RunOutput } from '../../compare/run.js';

/** The time axis of a run's time series: field `t`, local wall-clock time on a UTC scale. */
export interface TimeAxis {
  /** Seconds from trace start → epoch ms of the local wall-clock time, read as UTC. */
  x(seconds: number): number;
  /** What the time field holds, for the spec's description. */
  description: string;
  axis: { title: string; format: string; labelOverlap: boolean };
  scale: { type: 'utc' };
}

/**
 * Charts show local wall-clock time (the scenario's timezone) on a UTC scale, so rendering never
 * depends on the machine's timezone. Each instant takes the offset in force then, so a span
 * crossing a DST change keeps its labels right (09:00 stays 09:00); in the autumn the repeated
 * hour is drawn twice over the same stretch of axis.
 */
export function timeAxis(out: RunOutput): TimeAxis {
  const startMs = Date.parse(out.result.trace.start);
  const zone = out.scenario.timezone;
  const local = DateTime.fromMillis(startMs, { zone });
  const end = DateTime.fromMillis(startMs + out.result.trace.durationSeconds * 1000, { zone });
  const days = out.result.trace.durationSeconds / 86400;
  const format = days <= 1.5 ? '%H:%M' : days <= 8 ? '%a %H:%M' : '%b %d';
  // Offsets change only on the quarter hour: one zone lookup per 15 minutes of the span.
  const offsets = new Map<number, number>();
  const offsetMs = (ms: number): number => {
    const q = Math.floor(ms / 900_000);
    let o = offsets.get(q);
    if (o === undefined) {
      o = DateTime.fromMillis(q * 900_000, { zone }).offset * 60_000;
      offsets.set(q, o);
    }
    return o;
  };
  const utc = (d: DateTime): string => `UTC${d.toFormat('ZZ')}`;
  return {
    x: (s) => {
      const ms = startMs + Math.round(s * 1000);
      return ms + offsetMs(ms);
    },
    description: `Field t: local wall-clock time in ${zone} (the offset in force at each instant), as epoch milliseconds on a UTC scale.`,
    axis: {
      title: `local time (${zone}, ${offsetsText(local, end, utc)})`,
      format,
      labelOverlap: true,
    },
    scale: { type: 'utc' },
  };
}

/** The x encoding of a time series on `t`'s axis (field `t`). */
export function timeX(t: TimeAxis) {
  return { field: 't', type: 'temporal' as const, scale: t.scale, axis: t.axis };
}

/**
 * The offsets a span sees, in order of first appearance, checked every 6 hours (DST changes are
 * months apart): one (`UTC-05:00`), or each in turn (`UTC-05:00 → UTC-04:00 → UTC-05:00`).
 */
function offsetsText(start: DateTime, end: DateTime, utc: (d: DateTime) => string): string {
  const seen: string[] = [];
  for (let t = start; t < end; t = t.plus({ hours: 6 })) {
    const o = utc(t);
    if (seen[seen.length - 1] !== o) seen.push(o);
  }
  const last = utc(end);
  if (seen[seen.length - 1] !== last) seen.push(last);
  return seen.join(' → ');
}
