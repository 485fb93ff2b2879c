import { z } from 'zod';
import { Days, PositiveDuration, TimeRange } from '../scenario/fields.js';
import { formatDuration, formatTimeOfDay } from '../scenario/units.js';
import type { TraceCalendar } from '../traffic/calendar.js';
import { RequestClass, type ArrivalStream } from '../traffic/types.js';
import { OPTION_DOCS } from './option-docs.js';

/**
 * The warm heartbeat (design §4 item 5): one tiny invocation at the start of each local range in
 * `during` and every `every` after it, on `days`. Heartbeats are invocations — they keep copies
 * warm and are billed — but never user requests.
 */
export const HeartbeatSchema = z
  .strictObject({
    /** Interval between heartbeats; must not exceed the option's scale-to-zero time. */
    every: PositiveDuration.describe(OPTION_DOCS.heartbeat.every),
    /** Local ranges `HH:MM-HH:MM` (start inclusive, end exclusive). Default the whole day. */
    during: z
      .array(TimeRange)
      .min(1)
      .default([{ from: 0, to: 86400 }])
      .describe(OPTION_DOCS.heartbeat.during),
    days: Days.default('all').describe(OPTION_DOCS.heartbeat.days),
    inputTokens: z.number().int().positive().default(1).describe(OPTION_DOCS.heartbeat.inputTokens),
    outputTokens: z.number().int().positive().default(1).describe(OPTION_DOCS.heartbeat.outputTokens),
  })
  .refine(
    (h) => {
      const r = [...h.during].sort((a, b) => a.from - b.from);
      return r.every((x, i) => i === 0 || x.from >= r[i - 1]!.to);
    },
    { message: 'heartbeat ranges in `during` overlap; list disjoint ranges', path: ['during'] },
  );
export type Heartbeat = z.infer<typeof HeartbeatSchema>;

/** `every 5m, 08:00-19:00, weekdays`: the schedule as the assumptions list shows it. */
export function describeHeartbeat(hb: Heartbeat): string {
  const ranges = hb.during.map((r) => `${formatTimeOfDay(r.from)}-${formatTimeOfDay(r.to)}`);
  return `every ${formatDuration(hb.every)}, ${ranges.join(', ')}, ${hb.days}`;
}

/** The heartbeat schedule as an arrival stream over the trace's calendar, in time order. */
export class HeartbeatStream implements ArrivalStream {
  t = 0;
  inputTokens: number;
  outputTokens: number;
  cls: number = RequestClass.heartbeat;
  private readonly ranges: { from: number; to: number }[];
  private readonly days: Iterator<ReturnType<TraceCalendar['firstDay']>>;
  private day: ReturnType<TraceCalendar['firstDay']> | undefined;
  private range = 0;
  private next_ = NaN;
  private rangeEnd = -Infinity;

  constructor(
    private readonly hb: Heartbeat,
    calendar: TraceCalendar,
    private readonly spanSeconds: number,
  ) {
    this.inputTokens = hb.inputTokens;
    this.outputTokens = hb.outputTokens;
    this.ranges = [...hb.during].sort((a, b) => a.from - b.from);
    this.days = calendar.days();
    this.day = this.nextDay();
    this.range = -1;
  }

  next(): boolean {
    for (;;) {
      if (this.next_ === this.next_ && this.next_ < this.rangeEnd && this.next_ < this.spanSeconds) {
        this.t = this.next_;
        this.next_ += this.hb.every;
        if (this.t >= 0) return true;
        continue;
      }
      if (!this.advanceRange()) return false;
    }
  }

  private advanceRange(): boolean {
    for (;;) {
      if (this.day === undefined) return false;
      this.range++;
      if (this.range < this.ranges.length) {
        const r = this.ranges[this.range]!;
        this.next_ = this.day.at(r.from);
        this.rangeEnd = this.day.at(r.to);
        if (this.next_ >= this.spanSeconds) return false;
        return true;
      }
      this.day = this.nextDay();
      this.range = -1;
    }
  }

  private nextDay(): ReturnType<TraceCalendar['firstDay']> | undefined {
    for (;;) {
      const r = this.days.next();
      if (r.done) return undefined;
      if (this.hb.days === 'all' || r.value.weekday) return r.value;
    }
  }
}
