/*
 * Instants as a reader of the scenario's zone reads them: the local date and time, the zone's
 * abbreviation where it has a real one, and the UTC offset in force at that instant (so a span that
 * crosses a DST change shows two offsets).
 */

const MINUS = '\u2212';

/**
 * `2026-01-05T05:00:00Z` in America/New_York → `2026-01-05 00:00 EST (UTC−05:00)`; in Europe/Berlin
 * (no abbreviation of its own in en-US, only `GMT+1`) → `2026-01-05 06:00 (UTC+01:00)`; in UTC →
 * `2026-01-05 05:00 (UTC+00:00)`. Minutes are truncated, as a clock shows them.
 */
export function zonedTime(iso: string, timeZone: string): string {
  const at = new Date(iso);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const abbr = parts.timeZoneName ?? '';
  const name = /^(GMT|UTC)/.test(abbr) ? '' : ` ${abbr}`;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}${name} (${utcOffset(at, timeZone)})`;
}

/** The zone's offset at `at`: `UTC−05:00`, `UTC+05:30`, `UTC+00:00` (a true minus sign). */
export function utcOffset(at: Date, timeZone: string): string {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (!m) return 'UTC+00:00';
  return `UTC${m[1] === '-' ? MINUS : '+'}${m[2]}:${m[3]}`;
}
