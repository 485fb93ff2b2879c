import { TraceCalendar } from '../../traffic/calendar.js';

/*
 * The forecast's calendar: which local days each month has, in the scenario's time zone. A day is
 * a weekday (Monday–Friday) or a weekend day, and regular (24 h) or not (23 h or 25 h on a DST
 * change) — the only things about a date a simulation of one day depends on (`days: weekdays` on
 * traffic components and heartbeats; the length of the day).
 */

/** A local day whose length is not 24 h (a DST change). */
export interface IrregularDay {
  /** Local date, `YYYY-MM-DD`. */
  date: string;
  weekday: boolean;
  /** Real length, 82,800 s or 90,000 s for a one-hour shift. */
  seconds: number;
}

export interface ForecastMonth {
  /** `YYYY-MM`. */
  month: string;
  /** 0 for the first month forecast: its volume is (1 + growth)^index × the daily traffic. */
  index: number;
  /** Calendar days (28–31). */
  days: number;
  /** Monday–Friday, DST days included. */
  weekdays: number;
  /** Saturday and Sunday, DST days included. */
  weekendDays: number;
  irregular: IrregularDay[];
}

/** `YYYY-MM` of a local date or date-time (`2026-01-05T00:00` → `2026-01`). */
export function monthOf(localDate: string): string {
  return localDate.slice(0, 7);
}

/** The month `k` months after `month` (`YYYY-MM`). addMonths('2026-11', 3) → '2027-02'. */
export function addMonths(month: string, k: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + k;
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** `count` consecutive months from `start`, each with its days sorted by type. Cost: one pass per day. */
export function forecastMonths(start: string, count: number, timezone: string): ForecastMonth[] {
  return Array.from({ length: count }, (_, index) => {
    const month = addMonths(start, index);
    const cal = new TraceCalendar(
      { start: `${month}-01T00:00`, end: `${addMonths(month, 1)}-01T00:00` },
      timezone,
    );
    const out: ForecastMonth = { month, index, days: 0, weekdays: 0, weekendDays: 0, irregular: [] };
    for (const d of cal.days()) {
      out.days++;
      if (d.weekday) out.weekdays++;
      else out.weekendDays++;
      const seconds = d.end - d.midnight;
      if (seconds !== 86400) out.irregular.push({ date: d.date, weekday: d.weekday, seconds });
    }
    return out;
  });
}

/**
 * The first regular (24 h) weekday or weekend day on or after the 1st of `month`: the date a
 * representative day of that type is simulated on (any regular day of the type gives the same
 * simulation, so one date serves every month).
 */
export function regularDay(month: string, timezone: string, weekday: boolean): string {
  const cal = new TraceCalendar({ start: `${month}-01T00:00`, days: 28 }, timezone);
  for (const d of cal.days()) if (d.weekday === weekday && d.end - d.midnight === 86400) return d.date;
  throw new Error(`internal: no regular ${weekday ? 'weekday' : 'weekend day'} in the 4 weeks from ${month}`);
}
