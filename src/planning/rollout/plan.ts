import { DateTime } from 'luxon';
import { readShippedJson } from '../../data.js';
import { InputError } from '../../errors.js';
import type { Rollout } from '../../scenario/rollout-section.js';
import { formatDuration } from '../../scenario/units.js';
import type { TraceCalendar } from '../../traffic/calendar.js';
import type { ShareSchedule } from '../../traffic/split.js';

/*
 * The rollout's timeline (docs/rollout.md), a pure function of the scenario's `rollout:` section,
 * the span and how long an option takes to ready new weights:
 *
 *   at (weights in S3) ─ready─► evaluation ─► stage 1 … stage n (flip) ─retireAfter─► v1 retired
 *                                                          └─rollbackAfter─► rollback decided
 */

/** A quantity with its uncertainty band (seconds here). */
export interface Band3 {
  low: number;
  value: number;
  high: number;
}

export interface RolloutTimeline {
  /** Seconds from the trace start: weights in S3. */
  at: number;
  /** v2 can serve: import done, endpoint or nodes in service (at + the band's value). */
  ready: number;
  evaluationEnd: number;
  /** Start of each stage of the flip. */
  stageStarts: number[];
  /** Start of the last stage. */
  flip: number;
  /** v1 retired; null when the last stage leaves traffic on v1 (nothing to retire). */
  retire: number | null;
  /** When the rollback is decided. */
  rollbackAt: number;
  /** v2's share of user requests over time. */
  schedule: ShareSchedule;
}

/** `rollout.at` in seconds from the trace start; outside the span → InputError at `rollout.at`. */
export function rolloutAt(r: Rollout, calendar: TraceCalendar): number {
  const span = calendar.span.durationSeconds;
  let t: number;
  if (typeof r.at === 'number') t = r.at;
  else {
    const wall = DateTime.fromISO(r.at, { zone: 'UTC' });
    if (!wall.isValid) throw new InputError(`invalid local date-time ${JSON.stringify(r.at)}`, 'rollout.at');
    t = calendar.localToT(wall.toMillis());
  }
  if (t < 0 || t >= span)
    throw new InputError(
      `the rollout is outside the simulated span: it starts ${t < 0 ? `${formatDuration(-t)} before the trace starts` : `${formatDuration(t)} after the start, at or after the span's end (${formatDuration(span)})`}; move \`at\` inside the span or simulate more days (traffic.days)`,
      'rollout.at',
    );
  return t;
}

/** The timeline for an option that readies v2 in `readySeconds`; a flip past the span → InputError. */
export function rolloutTimeline(
  r: Rollout,
  at: number,
  readySeconds: number,
  spanSeconds: number,
  key: string,
): RolloutTimeline {
  const ready = at + readySeconds;
  const evaluationEnd = ready + r.evaluation;
  const stageStarts: number[] = [];
  let t = evaluationEnd;
  for (const s of r.stages) stageStarts.push((t += s.after));
  const flip = stageStarts.at(-1)!;
  if (flip >= spanSeconds)
    throw new InputError(
      `the rollout is outside the simulated span for option ${key}: its last stage starts ${formatDuration(flip)} after the trace start (${formatDuration(readySeconds)} to ready v2, ${formatDuration(r.evaluation)} evaluation, then the stages), but the span ends at ${formatDuration(spanSeconds)}; start the rollout earlier, shorten it or simulate more days (traffic.days)`,
      `rollout.stages.${r.stages.length - 1}.after`,
    );
  return {
    at,
    ready,
    evaluationEnd,
    stageStarts,
    flip,
    retire: r.stages.at(-1)!.share === 1 ? flip + r.retireAfter : null,
    rollbackAt: flip + r.rollbackAfter,
    schedule: {
      times: [ready, ...stageStarts],
      shares: [r.evaluationShare, ...r.stages.map((s) => s.share)],
    },
  };
}

interface ImportFacts {
  cmiImport: { low: number; value: number; high: number; source: string };
}

/** The CMI import-job band: the scenario's `importTime`, else 10–30 min (value: the middle). */
export function importBand(r: Rollout): Band3 & { source: string } {
  if (r.importTime)
    return {
      low: r.importTime.low,
      value: r.importTime.value ?? (r.importTime.low + r.importTime.high) / 2,
      high: r.importTime.high,
      source: 'Scenario setting (rollout.importTime)',
    };
  const f = (readShippedJson('src/planning/rollout/rollout.json') as ImportFacts).cmiImport;
  return { low: f.low, value: f.value, high: f.high, source: f.source };
}

/** Adds a constant to every point of a band. */
export function shiftBand(b: Band3, by: number): Band3 {
  return { low: b.low + by, value: b.value + by, high: b.high + by };
}
