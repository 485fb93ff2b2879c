import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import { TraceCalendar, traceSpan, type LocalDay } from '../../src/traffic/calendar.js';

const H = 3600;
const D = 86400;

function days(cal: TraceCalendar): LocalDay[] {
  return [...cal.days()];
}

describe('traceSpan', () => {
  it('defaults to 2026-01-05T00:00 for one day', () => {
    expect(traceSpan({}, 'UTC')).toEqual({
      startUtcIso: '2026-01-05T00:00:00Z',
      startEpochSeconds: Date.UTC(2026, 0, 5) / 1000,
      durationSeconds: D,
    });
  });

  it('reads start as local time in the zone', () => {
    // New York is UTC−5 in January; Tokyo is UTC+9 all year.
    expect(traceSpan({ start: '2026-01-05T00:00' }, 'America/New_York').startUtcIso).toBe(
      '2026-01-05T05:00:00Z',
    );
    const tokyo = traceSpan({ start: '2026-01-05T00:00' }, 'Asia/Tokyo');
    expect(tokyo.startUtcIso).toBe('2026-01-04T15:00:00Z');
    expect(tokyo.startEpochSeconds).toBe(Date.UTC(2026, 0, 4, 15) / 1000);
  });

  it('takes days or end', () => {
    expect(traceSpan({ days: 7 }, 'UTC').durationSeconds).toBe(7 * D);
    expect(traceSpan({ end: '2026-01-06T12:00' }, 'UTC').durationSeconds).toBe(D + 12 * H);
    expect(traceSpan({ start: '2026-01-05', end: '2026-01-07' }, 'Europe/Berlin').durationSeconds).toBe(
      2 * D,
    );
  });

  it('counts real seconds across DST changes', () => {
    // US spring forward 2026-03-08 02:00 → 03:00: 23 h; fall back 2026-11-01 02:00 → 01:00: 25 h.
    expect(traceSpan({ start: '2026-03-08T00:00', days: 1 }, 'America/New_York').durationSeconds).toBe(82800);
    expect(traceSpan({ start: '2026-11-01T00:00', days: 1 }, 'America/New_York').durationSeconds).toBe(90000);
    // EU: 2026-03-29 (23 h) and 2026-10-25 (25 h).
    expect(traceSpan({ start: '2026-03-29T00:00', days: 1 }, 'Europe/Berlin').durationSeconds).toBe(82800);
    expect(traceSpan({ start: '2026-10-25T00:00', days: 1 }, 'Europe/Berlin').durationSeconds).toBe(90000);
    // Three days with the spring-forward day in the middle.
    expect(traceSpan({ start: '2026-03-07T00:00', days: 3 }, 'America/New_York').durationSeconds).toBe(
      3 * D - H,
    );
  });

  it('throws InputError for an invalid zone', () => {
    for (const tz of ['Mars/Olympus_Mons', '', 'local', 'system'])
      expect(() => traceSpan({}, tz)).toThrow(InputError);
    expect(() => traceSpan({}, 'Mars/Olympus_Mons')).toThrow(/time zone/);
  });

  it('throws InputError when the end is not after the start', () => {
    expect(() => traceSpan({ start: '2026-01-05T00:00', end: '2026-01-05T00:00' }, 'UTC')).toThrow(
      InputError,
    );
    expect(() => traceSpan({ start: '2026-01-05T00:00', end: '2026-01-04T23:00' }, 'UTC')).toThrow(/after/);
  });

  it('throws InputError for an impossible date', () => {
    expect(() => traceSpan({ start: '2026-13-01T00:00' }, 'UTC')).toThrow(InputError);
    expect(() => traceSpan({ end: '2026-02-30T00:00' }, 'UTC')).toThrow(InputError);
  });
});

describe('local days', () => {
  it('lists weekdays from Monday 2026-01-05', () => {
    const ds = days(new TraceCalendar({ start: '2026-01-05T00:00', days: 7 }, 'UTC'));
    expect(ds.map((d) => d.date)).toEqual([
      '2026-01-05',
      '2026-01-06',
      '2026-01-07',
      '2026-01-08',
      '2026-01-09',
      '2026-01-10',
      '2026-01-11',
    ]);
    expect(ds.map((d) => d.weekday)).toEqual([true, true, true, true, true, false, false]);
    expect(ds.map((d) => d.midnight)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => i * D));
  });

  it('includes the partial first and last day of a mid-day start', () => {
    const ds = days(new TraceCalendar({ start: '2026-01-05T12:00', days: 2 }, 'UTC'));
    expect(ds.map((d) => d.midnight)).toEqual([-12 * H, 12 * H, 36 * H]);
    expect(ds[0]!.at(9 * H)).toBe(-3 * H);
  });

  it('handles the US spring-forward day (23 h)', () => {
    const ds = days(new TraceCalendar({ start: '2026-03-07T00:00', days: 3 }, 'America/New_York'));
    expect(ds.map((d) => d.date)).toEqual(['2026-03-07', '2026-03-08', '2026-03-09']);
    expect(ds.map((d) => d.midnight)).toEqual([0, D, 2 * D - H]);
    expect(ds.map((d) => d.end - d.midnight)).toEqual([D, D - H, D]);
    expect(ds.map((d) => d.weekday)).toEqual([false, false, true]);
    const sun = ds[1]!;
    // 00:00 EST = 05:00Z; 09:00 EDT = 13:00Z: 8 h later.
    expect(sun.at(9 * H) - sun.midnight).toBe(8 * H);
    // 02:00–03:00 does not occur: every reading in it maps to the jump, 03:00 EDT = 07:00Z, 2 h
    // after midnight (docs/model.md: skipped hours do not occur).
    expect(sun.at(2 * H) - sun.midnight).toBe(2 * H);
    expect(sun.at(3 * H) - sun.midnight).toBe(2 * H);
    expect(sun.at(2.5 * H) - sun.midnight).toBe(2 * H);
    expect(sun.at(2 * H + 59 * 60 + 59.5) - sun.midnight).toBe(2 * H);
    // 03:30 EDT = 07:30Z, 2.5 h after midnight: the hour after the gap is untouched.
    expect(sun.at(3.5 * H) - sun.midnight).toBe(2.5 * H);
    expect(sun.at(D)).toBe(sun.end);
  });

  it('handles the US fall-back day (25 h): a repeated time maps to its first occurrence', () => {
    const ds = days(new TraceCalendar({ start: '2026-11-01T00:00', days: 1 }, 'America/New_York'));
    expect(ds).toHaveLength(1);
    const d = ds[0]!;
    expect(d.end - d.midnight).toBe(25 * H);
    // 00:00 EDT = 04:00Z. 01:00 EDT = 05:00Z (first of two), 01:30 EDT = 05:30Z, 02:00 EST = 07:00Z.
    expect(d.at(1 * H)).toBe(1 * H);
    expect(d.at(1.5 * H)).toBe(1.5 * H);
    expect(d.at(2 * H)).toBe(3 * H);
    expect(d.at(9 * H)).toBe(10 * H);
  });

  it('handles Europe/Berlin 2026-10-25 (25 h, 02:00–03:00 repeated)', () => {
    const d = days(new TraceCalendar({ start: '2026-10-25T00:00', days: 1 }, 'Europe/Berlin'))[0]!;
    // 00:00 CEST = 22:00Z the day before; 02:00 CEST = 00:00Z; 03:00 CET = 02:00Z.
    expect(d.at(2 * H)).toBe(2 * H);
    expect(d.at(3 * H)).toBe(4 * H);
    expect(d.end).toBe(90000);
  });

  it('in UTC, local days are 86400 s and times of day are plain offsets (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: D }),
        (dayOffset, hour, n, tod) => {
          const startMs = Date.UTC(2024, 0, 1) + dayOffset * D * 1000;
          const iso = new Date(startMs).toISOString().slice(0, 10) + `T${String(hour).padStart(2, '0')}:00`;
          const cal = new TraceCalendar({ start: iso, days: n }, 'UTC');
          const ds = days(cal);
          expect(cal.span.durationSeconds).toBe(n * D);
          // A start at midnight covers n days; any later start touches n + 1.
          expect(ds).toHaveLength(hour === 0 ? n : n + 1);
          ds.forEach((d, i) => {
            expect(d.midnight).toBe(i * D - hour * H);
            expect(d.at(tod)).toBe(d.midnight + tod);
            const dow = new Date(startMs + i * D * 1000).getUTCDay();
            expect(d.weekday).toBe(dow !== 0 && dow !== 6);
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});
