import { InputError } from '../../errors.js';
import { TimestampParser } from '../../traffic/import/timestamps.js';
import { parseDuration } from '../../scenario/units.js';

/* Reading the `trace` (and `replay`) flags: once-only strings, numbers, durations, timestamps. */

/** A string flag given once; yargs makes repeated flags arrays and empty ones "". */
export function single(v: unknown, flag: string): string | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw new InputError(`--${flag} given more than once; give it once`);
  if (typeof v !== 'string' || v.trim() === '') throw new InputError(`--${flag} needs a value`);
  return v;
}

/** A string flag that may be repeated: one value, or a list (each non-empty). */
export function several(v: unknown, flag: string): string | string[] | undefined {
  if (v === undefined) return undefined;
  const all = Array.isArray(v) ? v : [v];
  for (const x of all)
    if (typeof x !== 'string' || x.trim() === '') throw new InputError(`--${flag} needs a value`);
  return Array.isArray(v) ? (all as string[]) : (v as string);
}

export function durationFlag(v: string, flag: string, zeroOk = false): number {
  const s = parseDuration(v);
  if (s === undefined || (!zeroOk && s <= 0))
    throw new InputError(`${flag} must be a duration such as 90s, 5m, 2h or 14d, got "${v}"`, flag);
  return s;
}

export function isoFlag(v: string, flag: string, timezone: string | undefined): number {
  const t = new TimestampParser('iso', timezone ?? 'UTC', 0).parse(v);
  if (t !== t)
    throw new InputError(
      `${flag} must be an ISO-8601 date-time such as 2026-11-02T00:00:00Z, got "${v}"`,
      flag,
    );
  return t;
}

export function numberFlag(v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`--${flag} needs a number`);
  return v;
}
