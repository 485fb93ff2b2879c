/**
 * Parsers for the scenario's small languages: durations (`90s`, `5m`, `2h`, `30d`, or a number of
 * seconds), times of day (`09:00`, `13:30:15`), time ranges (`08:00-19:00`) and rates (`2/s`,
 * `120/m`, `1000/h`, `20000/d`, or a number per second). Each returns `undefined` when the text
 * does not parse, so the schema can report the field and the accepted forms.
 */

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(v);
  if (!m) return undefined;
  return Number(m[1]) * DURATION_UNITS[m[2]!]!;
}

/** Seconds after local midnight; `24:00` is allowed as an end of day. */
export function parseTimeOfDay(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/.exec(v);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  if (min > 59 || s > 59) return undefined;
  const total = h * 3600 + min * 60 + s;
  return total <= 86400 ? total : undefined;
}

/**
 * Seconds after local midnight as `HH:MM`, seconds dropped: the inverse of `parseTimeOfDay` for
 * whole minutes, so an end of day prints as `24:00`. 32400 → `09:00`; 86400 → `24:00`.
 */
export function formatTimeOfDay(s: number): string {
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
}

/** `HH:MM-HH:MM`, start inclusive, end exclusive, start before end. */
export function parseTimeRange(v: unknown): { from: number; to: number } | undefined {
  if (typeof v !== 'string') return undefined;
  const parts = v.split('-');
  if (parts.length !== 2) return undefined;
  const from = parseTimeOfDay(parts[0]);
  const to = parseTimeOfDay(parts[1]);
  if (from === undefined || to === undefined || to <= from) return undefined;
  return { from, to };
}

const RATE_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Requests per second. */
export function parseRate(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*\/\s*(s|m|h|d)\s*$/.exec(v);
  if (!m) return undefined;
  return Number(m[1]) / RATE_UNITS[m[2]!]!;
}

/**
 * Why a bare number in a list of rates is refused, with the fix. A single bare `rate` stays per
 * second (as documented); in a 24-value profile bare numbers read as hourly counts are the likely
 * intent, and per second they would ask for 3,600 times the traffic.
 */
export function bareRateMessage(v: number): string {
  return `a bare ${v} in a list of hourly rates would mean ${v} per second; write ${v}/h for ${v} requests an hour (or ${v}/s, ${v}/m, ${v}/d)`;
}

/**
 * A growth rate per period as a fraction: `0.05`, `"5%"`, `"-2.5%"` (a decline). Must be above
 * −100 % (volume cannot fall below zero). `"5%"` → 0.05.
 */
export function parseGrowth(v: unknown): number | undefined {
  let r: number | undefined;
  if (typeof v === 'number') r = v;
  else if (typeof v === 'string') {
    const m = /^\s*([-+]?\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(v);
    if (m) r = m[2] === '%' ? Number(m[1]) / 100 : Number(m[1]);
  }
  return r !== undefined && Number.isFinite(r) && r > -1 ? r : undefined;
}

/** Prints seconds the way a scenario would write them: `300s` → `5m`. */
export function formatDuration(seconds: number): string {
  if (seconds >= 86400 && seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${+seconds.toFixed(3)}s`;
}
