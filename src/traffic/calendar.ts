import { DateTime, IANAZone } from 'luxon';
import { InputError } from '../errors.js';

/*
 * Time anchoring (design §5). t = 0 is `traffic.start` read as a local date-time in the scenario's
 * IANA zone; the span ends `days` local days later or at `traffic.end`. Times of day are local, so
 * a local day is 23 h, 24 h or 25 h long on DST days. Wall-clock → instant conversion:
 * - a time that occurs twice (the repeated hour) maps to its FIRST occurrence, so hour boundaries
 *   fall where the local clock first reads them and the repeated hour runs twice;
 * - a time inside a skipped hour does not occur: it maps to the instant the clock jumps past it,
 *   so the skipped hour has no length and a window inside it none either (docs/model.md).
 */

/** Where the trace sits on the calendar. */
export interface TraceSpan {
  /** t = 0 as UTC ISO-8601, e.g. `2026-01-05T05:00:00Z`. */
  startUtcIso: string;
  /** t = 0 as Unix seconds. */
  startEpochSeconds: number;
  /** Length of the span in real (elapsed) seconds. */
  durationSeconds: number;
}

/** The fields of `traffic` that fix the span (so callers need not build whole components). */
export interface TrafficSpanFields {
  /** Local date-time, `2026-01-05T00:00`. */
  start?: string | undefined;
  days?: number | undefined;
  end?: string | undefined;
}

const DEFAULT_START = '2026-01-05T00:00';
const MS_PER_DAY = 86_400_000;

/** The trace's start, length and UTC anchor. Throws `InputError` for a bad zone, start or end. */
export function traceSpan(traffic: TrafficSpanFields, timezone: string): TraceSpan {
  return new TraceCalendar(traffic, timezone).span;
}

/**
 * One local calendar day overlapping the span. `midnight` may be negative (a trace that starts
 * mid-day) and `end` may pass the span's end; callers clip.
 */
export class LocalDay {
  constructor(
    private readonly calendar: TraceCalendar,
    /** The day's local date as a UTC-midnight timestamp: pure calendar arithmetic, no zone. */
    readonly dateMs: number,
    /** t of the day's local midnight. */
    readonly midnight: number,
    /** t of the next local midnight: `end − midnight` is the day's real length. */
    readonly end: number,
  ) {}

  /** Local date, `YYYY-MM-DD`. */
  get date(): string {
    return new Date(this.dateMs).toISOString().slice(0, 10);
  }

  /** Monday to Friday, for `days: weekdays`. */
  get weekday(): boolean {
    const dow = new Date(this.dateMs).getUTCDay();
    return dow >= 1 && dow <= 5;
  }

  /** t of a local time of day (seconds after local midnight; 86400 = the next midnight). */
  at(secondsOfDay: number): number {
    return this.calendar.localToT(this.dateMs + secondsOfDay * 1000);
  }
}

/** The span plus a lazy walk over its local days; nothing here grows with the span's length. */
export class TraceCalendar {
  readonly span: TraceSpan;
  readonly timezone: string;
  private readonly zone: IANAZone;
  private readonly startMs: number;
  private readonly firstDateMs: number;

  constructor(traffic: TrafficSpanFields, timezone: string) {
    this.zone = validZone(timezone);
    this.timezone = timezone;
    const start = parseLocal(traffic.start ?? DEFAULT_START, this.zone, 'traffic.start');
    const end =
      traffic.end !== undefined
        ? parseLocal(traffic.end, this.zone, 'traffic.end')
        : start.plus({ days: traffic.days ?? 1 });
    this.startMs = start.toMillis();
    const durationSeconds = (end.toMillis() - this.startMs) / 1000;
    if (!(durationSeconds > 0))
      throw new InputError(
        `the trace ends (${end.toISO()}) at or before it starts (${start.toISO()}): \`end\` must be after \`start\``,
        'traffic.end',
      );
    this.firstDateMs = Date.UTC(start.year, start.month - 1, start.day);
    this.span = {
      startUtcIso: start.toUTC().toISO({ suppressMilliseconds: true }) ?? '',
      startEpochSeconds: this.startMs / 1000,
      durationSeconds,
    };
  }

  /** The first local day (the one containing t = 0). */
  firstDay(): LocalDay {
    return this.dayOf(this.firstDateMs);
  }

  /** The local day after `day`, or undefined once its midnight is at or past the span's end. */
  nextDay(day: LocalDay): LocalDay | undefined {
    if (day.end >= this.span.durationSeconds) return undefined;
    return this.dayOf(day.dateMs + MS_PER_DAY);
  }

  /** All local days overlapping [0, durationSeconds), in order, built one at a time. */
  *days(): Generator<LocalDay> {
    for (let d: LocalDay | undefined = this.firstDay(); d; d = this.nextDay(d)) yield d;
  }

  /**
   * t of a local wall-clock reading, given as "local milliseconds" (the UTC timestamp the same
   * digits would have). Finds an instant near the reading, tries the offsets in force 3 h either
   * side of it (DST shifts are shorter) and keeps the earliest instant that really shows the
   * reading; none does inside a skipped hour, which maps to the jump (`gapInstant`).
   */
  localToT(localMs: number): number {
    const near = localMs - this.offsetMs(localMs - this.offsetMs(localMs));
    let best = Infinity;
    for (let k = -1; k <= 1; k++) {
      const offset = this.offsetMs(near + k * 3 * 3_600_000);
      const instant = localMs - offset;
      if (this.offsetMs(instant) === offset && instant < best) best = instant;
    }
    if (best === Infinity) best = this.gapInstant(localMs);
    return (best - this.startMs) / 1000;
  }

  /** The zone's UTC offset at an instant, in milliseconds. */
  private offsetMs(instantMs: number): number {
    return this.zone.offset(instantMs) * 60_000;
  }

  private dayOf(dateMs: number): LocalDay {
    const midnight = this.localToT(dateMs);
    const end = this.localToT(dateMs + MS_PER_DAY);
    return new LocalDay(this, dateMs, midnight, end);
  }

  /**
   * A reading the clock skips: the instant of the jump, the first whose local reading is past it.
   * Local time (instant + offset) only rises near a gap, so a binary search over the 6 h around
   * the reading finds it to the millisecond.
   */
  private gapInstant(localMs: number): number {
    const guess = localMs - this.offsetMs(localMs);
    let lo = guess - 3 * 3_600_000;
    let hi = guess + 3 * 3_600_000;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (mid + this.offsetMs(mid) > localMs) hi = mid;
      else lo = mid;
    }
    return hi;
  }
}

/** An IANA zone or an `InputError`; `local`/`system` are refused so runs stay reproducible. */
function validZone(timezone: string): IANAZone {
  if (typeof timezone !== 'string' || !IANAZone.isValidZone(timezone))
    throw new InputError(
      `unknown time zone ${JSON.stringify(timezone)}: use an IANA name such as UTC, Europe/Berlin or America/New_York`,
      'timezone',
    );
  return IANAZone.create(timezone);
}

function parseLocal(text: string, zone: IANAZone, where: string): DateTime {
  const dt = DateTime.fromISO(text, { zone });
  if (!dt.isValid)
    throw new InputError(
      `invalid local date-time ${JSON.stringify(text)}: ${dt.invalidExplanation ?? dt.invalidReason ?? 'unparseable'}`,
      where,
    );
  return dt;
}
