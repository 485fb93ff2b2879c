import { z } from 'zod';
import { echo } from '../errors.js';
import {
  bareRateMessage,
  parseDuration,
  parseGrowth,
  parseRate,
  parseTimeOfDay,
  parseTimeRange,
} from './units.js';
import type { Dist } from '../sim/dist.js';
import { MAX_REQUEST_TOKENS } from '../traffic/types.js';

/**
 * Zod field types shared by the scenario schema and the options' settings schemas. Each accepts
 * the human form in YAML and yields a number (seconds, seconds after midnight, requests/second).
 * Each carries a description of its forms and unit (the JSON Schema shows it where the type is
 * used); the fields that use one add their own meaning and default with `.describe()`.
 */

function parsed<T>(
  parse: (v: unknown) => T | undefined,
  expected: string,
  jsonType: z.ZodType,
  reason: (v: unknown) => string | undefined = signReason,
) {
  return jsonType.transform((v, ctx): T => {
    const out = parse(v);
    if (out === undefined) {
      const why = reason(v);
      ctx.addIssue({
        code: 'custom',
        message: `${why ? `${why}; ` : ''}expected ${expected}, got ${echo(v)}`,
      });
      return z.NEVER;
    }
    return out;
  });
}

/** Why a number-like value that looks almost right is refused. */
function signReason(v: unknown): string | undefined {
  if (typeof v === 'number' && !Number.isFinite(v)) return 'must be a finite number';
  if ((typeof v === 'number' && v < 0) || (typeof v === 'string' && /^\s*-\s*\d/.test(v)))
    return 'must not be negative';
  return undefined;
}

/** Why `HH:MM` is refused when it has the right shape but not a valid value. */
function timeReason(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/.exec(v);
  if (!m) return undefined;
  if (Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) return `${v.trim()} has more than 59 minutes or seconds`;
  return `${v.trim()} is past the end of the day (times run from 00:00 to 24:00)`;
}

/** Why `HH:MM-HH:MM` is refused: a bad end point, or an end not after the start. */
function rangeReason(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const parts = v.split('-');
  if (parts.length !== 2) return undefined;
  for (const p of parts)
    if (parseTimeOfDay(p) === undefined)
      return timeReason(p) ?? `${JSON.stringify(p.trim())} is not a time of day`;
  return 'the range ends before it starts (ranges cannot cross midnight; list two ranges instead)';
}

/** Seconds. `90s`, `5m`, `2h`, `30d` or a number of seconds. */
export const Duration = parsed(
  parseDuration,
  'a duration such as 90s, 5m, 2h or 30d',
  z.union([z.number(), z.string()]),
).describe('A duration: 90s, 5m, 2h, 30d, 250ms, or a bare number of seconds. Unit: s.');
/** Seconds > 0. */
export const PositiveDuration = Duration.refine((s) => s > 0, { message: 'must be greater than zero' });

/** Seconds after local midnight, from `HH:MM`. */
export const TimeOfDay = parsed(
  parseTimeOfDay,
  'a time of day such as 09:00',
  z.string(),
  timeReason,
).describe(
  'A local time of day HH:MM or HH:MM:SS, 00:00 to 24:00, in the scenario timezone. Unit: time of day.',
);

/** A local time range `HH:MM-HH:MM` (start inclusive, end exclusive). */
export const TimeRange = parsed(
  parseTimeRange,
  'a time range such as 08:00-19:00 (start before end)',
  z.string(),
  rangeReason,
).describe(
  'A local time range HH:MM-HH:MM, start inclusive, end exclusive, within one day (08:00-19:00). Unit: time of day.',
);

/** Requests per second; `2/s`, `120/m`, `1000/h`, `20000/d` or a number per second. */
export const Rate = parsed(
  parseRate,
  'a rate such as 2/s, 120/m, 1000/h or 20000/d',
  z.union([z.number(), z.string()]),
).describe('A request rate: 2/s, 120/m, 1000/h, 20000/d, or a bare number per second. Unit: requests/s.');

/**
 * One rate of a per-hour profile: as `Rate`, but a bare number other than 0 is refused with the
 * fix (issue 15 item 8), since hourly counts written bare would be read per second.
 */
export const HourRate = parsed(
  (v) => (typeof v === 'number' && v !== 0 ? undefined : parseRate(v)),
  'a rate with its unit such as 600/h',
  z.union([z.number(), z.string()]),
  (v) => (typeof v === 'number' && v !== 0 && Number.isFinite(v) ? bareRateMessage(v) : signReason(v)),
).describe(
  'One hour’s request rate with its unit (600/h, 10/m, 0.5/s); a bare number must be 0. Unit: requests/s.',
);

/** A growth rate per month as a fraction: `0.05` or `"5%"`; negative for a decline, above −100 %. */
export const GrowthRate = parsed(
  parseGrowth,
  'a growth rate above -100% such as 0.05 or "5%"',
  z.union([z.number(), z.string()]),
  (v) => (typeof v === 'number' && !Number.isFinite(v) ? 'must be a finite number' : undefined),
).describe(
  'A growth rate per month: a fraction (0.05) or a percentage ("5%"), above -100%. Unit: fraction per month.',
);

/** Calendar filter: every day or Monday–Friday only. */
export const Days = z
  .enum(['all', 'weekdays'])
  .describe('Which local days: all, or weekdays (Monday–Friday). Unit: none (one of all, weekdays).');
export type Days = z.infer<typeof Days>;

const positive = z
  .number()
  .positive()
  .max(MAX_REQUEST_TOKENS, {
    message: `a request carries at most ${MAX_REQUEST_TOKENS.toLocaleString('en-US')} tokens (more than any model's context)`,
  });

/**
 * A distribution written with `dist:`; `value` makes it `fixed`. `unit` (how `value` is written)
 * goes into the parameters' descriptions.
 */
function distOf(value: z.ZodType<number>, unit: string) {
  const param = (what: string) => value.describe(`${what}. Unit: ${unit}. No default: required.`);
  const kind = <K extends string>(k: K, what: string) =>
    z.literal(k).describe(`Distribution ${k}: ${what}. Unit: none. No default: required.`);
  return z.discriminatedUnion('dist', [
    z.strictObject({ dist: kind('fixed', 'always `value`'), value: param('The value every draw takes') }),
    z.strictObject({
      dist: kind('uniform', 'uniformly between `min` and `max`'),
      min: param('Lowest value drawn'),
      max: param('Highest value drawn (at least `min`)'),
    }),
    z.strictObject({
      dist: kind('exponential', 'exponential with mean `mean`'),
      mean: param('Mean of the draws'),
    }),
    z.strictObject({
      dist: kind('lognormal', 'lognormal through its median and 90th percentile'),
      median: param('Median of the draws (above 0)'),
      p90: param('90th percentile of the draws (at least `median`)'),
    }),
  ]);
}

function checkDist(d: Dist, ctx: z.RefinementCtx): void {
  if (d.dist === 'uniform' && d.max < d.min)
    ctx.addIssue({ code: 'custom', message: 'uniform: max must be ≥ min' });
  if (d.dist === 'lognormal' && d.p90 < d.median)
    ctx.addIssue({ code: 'custom', message: 'lognormal: p90 must be ≥ median' });
  if (d.dist === 'lognormal' && d.median <= 0)
    ctx.addIssue({ code: 'custom', message: 'lognormal: median must be > 0' });
}

/** A duration distribution: a plain duration (fixed) or `{dist: lognormal, median: 30s, p90: 60s}`. */
export const DurationDist = z
  .union([
    Duration.transform((value): Dist => ({ dist: 'fixed', value })),
    distOf(Duration, 's (a duration: 90s, 5m, or a number of seconds)'),
  ])
  .superRefine(checkDist)
  .describe(
    'A duration (fixed) or a distribution of durations: {dist: fixed|uniform|exponential|lognormal, …}. Unit: s.',
  ) as z.ZodType<Dist, unknown>;

/** Token counts: a number (fixed) or `{dist: uniform|lognormal, ...}`; samples are rounded, ≥ 1. */
export const TokenLength = z
  .union([positive.transform((value): Dist => ({ dist: 'fixed', value })), distOf(positive, 'tokens')])
  .superRefine(checkDist)
  .describe(
    'A token count (fixed) or a distribution of them: {dist: fixed|uniform|exponential|lognormal, …}; draws are rounded, at least 1. Unit: tokens.',
  ) as z.ZodType<Dist, unknown>;

/** Request class: interactive (a person waits) or batch (a job waits). */
export const RequestClassName = z
  .enum(['interactive', 'batch'])
  .describe('Request class: interactive (a person waits) or batch (a job waits). Unit: none.');
export type RequestClassName = z.infer<typeof RequestClassName>;

/** Routing inside a fleet: see design §3. */
export const Routing = z
  .enum(['pack', 'least-loaded'])
  .describe(
    'How a request picks among ready replicas with a free slot: pack (the busiest) or least-loaded (the emptiest); ties go to the oldest. Unit: none.',
  );
export type Routing = z.infer<typeof Routing>;
