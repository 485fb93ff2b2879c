import { InputError } from '../../errors.js';
import { MSG } from '../messages.js';
import { TimestampParser } from '../import/timestamps.js';

/* The window to import and the period to read it at, within what CloudWatch still keeps. */

/** CloudWatch retention (aws-facts §6): the finest period still kept for data this old. */
export const RETENTION = [
  { periodSeconds: 60, maxAgeDays: 15 },
  { periodSeconds: 300, maxAgeDays: 63 },
  { periodSeconds: 3600, maxAgeDays: 455 },
] as const;

const DAY = 86_400;

/**
 * The finest period CloudWatch still keeps for a window starting `ageSeconds` ago: 60 s up to
 * 15 days, 300 s up to 63 days, 3600 s up to 455 days; older is an `InputError`. A coarser
 * `asked` period is honoured; a finer one is an error.
 */
export function choosePeriod(ageSeconds: number, asked?: number): { periodSeconds: number; reason: string } {
  const days = ageSeconds / DAY;
  const tier = RETENTION.find((r) => days <= r.maxAgeDays);
  if (tier === undefined) throw new InputError(MSG.windowTooOld(days), '--start');
  const reason = `finest period CloudWatch keeps for data ${days.toFixed(1)} days old (≤ ${tier.maxAgeDays} days: ${tier.periodSeconds} s)`;
  if (asked === undefined) return { periodSeconds: tier.periodSeconds, reason };
  if (!Number.isInteger(asked) || asked < 1 || asked % 60 !== 0)
    throw new InputError('--period must be a whole number of minutes (60s, 5m, 1h)', '--period');
  if (asked < tier.periodSeconds)
    throw new InputError(MSG.periodTooFine(asked, tier.periodSeconds, days), '--period');
  return { periodSeconds: asked, reason: `--period ${asked} s (${reason})` };
}

/**
 * The window in Unix seconds from `--last` (seconds before now) or `--start`/`--end` (ISO-8601;
 * without an offset, in `timezone`, default UTC; `--end` defaults to now).
 */
export function resolveWindow(o: {
  last?: number;
  start?: string;
  end?: string;
  now: number;
  timezone?: string;
}): { start: number; end: number } {
  if (o.last !== undefined && (o.start !== undefined || o.end !== undefined))
    throw new InputError('give either --last or --start/--end, not both', '--last');
  if (o.last !== undefined) {
    if (!(o.last > 0)) throw new InputError('--last must be a duration such as 14d or 12h', '--last');
    return { start: o.now - o.last, end: o.now };
  }
  if (o.start === undefined)
    throw new InputError('give the window: --last 14d, or --start (and optionally --end)', '--start');
  const p = new TimestampParser('iso', o.timezone ?? 'UTC', 0);
  const start = p.parse(o.start);
  if (start !== start)
    throw new InputError(
      `cannot read ${JSON.stringify(o.start)}: use ISO-8601 such as 2026-11-02T00:00:00Z`,
      '--start',
    );
  let end = o.now;
  if (o.end !== undefined) {
    end = p.parse(o.end);
    if (end !== end)
      throw new InputError(
        `cannot read ${JSON.stringify(o.end)}: use ISO-8601 such as 2026-11-16T00:00:00Z`,
        '--end',
      );
  }
  return { start, end };
}
