import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatTimeOfDay,
  parseDuration,
  parseRate,
  parseTimeOfDay,
  parseTimeRange,
} from '../../src/scenario/units.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90],
    ['5m', 300],
    ['2h', 7200],
    ['30d', 2_592_000],
    ['1.5h', 5400],
    ['250ms', 0.25],
    ['0s', 0],
    [' 5m ', 300],
    ['5 m', 300],
  ])('%j → %d s', (text, seconds) => {
    expect(parseDuration(text)).toBeCloseTo(seconds, 9);
  });

  it('takes a plain number as seconds', () => {
    expect(parseDuration(90)).toBe(90);
    expect(parseDuration(0)).toBe(0);
    expect(parseDuration(0.5)).toBe(0.5);
  });

  it.each([
    '45 minutes',
    '5min',
    '5M',
    '2 hours',
    '300', // a bare number as text has no unit
    '-5m',
    '5m30s',
    '1.5.5s',
    'm',
    '',
    'PT5M',
  ])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses the number %d', (n) => {
    expect(parseDuration(n)).toBeUndefined();
  });

  it.each([null, undefined, true, {}, ['5m']])('refuses a non-string, non-number: %j', (v) => {
    expect(parseDuration(v)).toBeUndefined();
  });
});

describe('parseTimeOfDay', () => {
  it.each([
    ['09:00', 9 * 3600],
    ['9:00', 9 * 3600],
    ['00:00', 0],
    ['13:30', 13 * 3600 + 30 * 60],
    ['13:30:15', 13 * 3600 + 30 * 60 + 15],
    ['23:59', 23 * 3600 + 59 * 60],
    ['24:00', 86400], // end of day
  ])('%j → %d s after midnight', (text, seconds) => {
    expect(parseTimeOfDay(text)).toBe(seconds);
  });

  it.each(['25:00', '24:01', '24:00:01', '09:60', '09:00:60', '9', '0900', '9h', '9:0', '', '-01:00'])(
    'refuses %j',
    (text) => {
      expect(parseTimeOfDay(text)).toBeUndefined();
    },
  );

  it('refuses numbers (YAML 1.1 sexagesimal 09:00 would arrive as 540)', () => {
    expect(parseTimeOfDay(540)).toBeUndefined();
    expect(parseTimeOfDay(null)).toBeUndefined();
  });
});

describe('parseTimeRange', () => {
  it('reads HH:MM-HH:MM as [from, to) seconds after midnight', () => {
    expect(parseTimeRange('08:00-19:00')).toEqual({ from: 8 * 3600, to: 19 * 3600 });
    expect(parseTimeRange('00:00-24:00')).toEqual({ from: 0, to: 86400 });
    expect(parseTimeRange('08:00 - 09:30')).toEqual({ from: 8 * 3600, to: 9.5 * 3600 });
  });

  it('is undefined when the range ends before, or where, it starts', () => {
    expect(parseTimeRange('19:00-13:00')).toBeUndefined();
    expect(parseTimeRange('22:00-02:00')).toBeUndefined(); // no wrapping past midnight
    expect(parseTimeRange('09:00-09:00')).toBeUndefined();
  });

  it.each(['25:00-26:00', '08:00', '08:00-', '-19:00', '08:00-12:00-13:00', '8-19', ''])(
    'refuses %j',
    (text) => {
      expect(parseTimeRange(text)).toBeUndefined();
    },
  );

  it('refuses non-strings', () => {
    expect(parseTimeRange(480)).toBeUndefined();
    expect(parseTimeRange(['08:00', '19:00'])).toBeUndefined();
  });
});

describe('parseRate', () => {
  it.each([
    ['2/s', 2],
    ['120/m', 2],
    ['1000/h', 1000 / 3600],
    ['20000/d', 20000 / 86400],
    ['5.6/s', 5.6],
    ['0/s', 0],
    [' 3 / m ', 0.05],
    ['1e3/h', 1000 / 3600],
  ])('%j → %d per second', (text, perSecond) => {
    expect(parseRate(text)).toBeCloseTo(perSecond, 12);
  });

  it('takes a plain number as requests per second', () => {
    expect(parseRate(2)).toBe(2);
    expect(parseRate(0.25)).toBe(0.25);
    expect(parseRate(0)).toBe(0);
  });

  it.each(['2', '2/sec', '2 per second', '2/w', '-2/s', '/s', 'two/s', '2/S', ''])('refuses %j', (text) => {
    expect(parseRate(text)).toBeUndefined();
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, null, true])('refuses %j', (v) => {
    expect(parseRate(v)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('prints the largest whole unit, as a scenario would write it', () => {
    expect(formatDuration(300)).toBe('5m');
    expect(formatDuration(7200)).toBe('2h');
    expect(formatDuration(2_592_000)).toBe('30d');
    expect(formatDuration(90)).toBe('90s');
    expect(formatDuration(0.25)).toBe('0.25s');
    expect(formatDuration(5400)).toBe('90m');
  });

  it('round-trips through parseDuration', () => {
    for (const s of [1, 59, 60, 90, 300, 3600, 5400, 86400, 2_592_000])
      expect(parseDuration(formatDuration(s))).toBe(s);
  });
});

describe('formatTimeOfDay', () => {
  it('prints seconds after midnight as HH:MM, the inverse of parseTimeOfDay for whole minutes', () => {
    // 9 h = 32,400 s; 13 h 30 min = 48,600 s; the end of the day, 24 h = 86,400 s.
    expect(formatTimeOfDay(0)).toBe('00:00');
    expect(formatTimeOfDay(32_400)).toBe('09:00');
    expect(formatTimeOfDay(48_600)).toBe('13:30');
    expect(formatTimeOfDay(86_400)).toBe('24:00');
    for (const t of ['00:00', '07:05', '19:59', '24:00']) expect(formatTimeOfDay(parseTimeOfDay(t)!)).toBe(t);
  });

  it('drops seconds rather than rounding them', () => {
    expect(formatTimeOfDay(32_459)).toBe('09:00'); // 09:00:59
  });
});
