import { describe, expect, it } from 'vitest';
import { utcOffset, zonedTime } from '../../src/report/local-time.js';

// Offsets from the IANA rules: New York is UTC−5 in winter (EST) and UTC−4 from the second Sunday
// of March (EDT); Berlin UTC+1 in winter; Kolkata UTC+5:30 all year; Kathmandu UTC+5:45.
describe('zonedTime', () => {
  it('reads a UTC instant in the zone, with the abbreviation and the offset', () => {
    expect(zonedTime('2026-01-05T05:00:00Z', 'America/New_York')).toBe('2026-01-05 00:00 EST (UTC−05:00)');
    expect(zonedTime('2026-07-01T12:00:00Z', 'America/New_York')).toBe('2026-07-01 08:00 EDT (UTC−04:00)');
  });

  it('shows only the offset where the zone has no abbreviation of its own', () => {
    expect(zonedTime('2026-01-05T05:00:00Z', 'Europe/Berlin')).toBe('2026-01-05 06:00 (UTC+01:00)');
    expect(zonedTime('2026-01-04T20:00:00Z', 'Asia/Kolkata')).toBe('2026-01-05 01:30 (UTC+05:30)');
    expect(zonedTime('2026-01-05T05:00:00Z', 'UTC')).toBe('2026-01-05 05:00 (UTC+00:00)');
  });

  it('moves the date across midnight and shows both sides of a DST change', () => {
    // 2026-03-08 07:00 UTC is 03:00 EDT, one hour after the change at 02:00 EST.
    expect(zonedTime('2026-03-08T06:59:00Z', 'America/New_York')).toBe('2026-03-08 01:59 EST (UTC−05:00)');
    expect(zonedTime('2026-03-08T07:00:00Z', 'America/New_York')).toBe('2026-03-08 03:00 EDT (UTC−04:00)');
  });
});

describe('utcOffset', () => {
  it('writes a true minus sign and minutes', () => {
    expect(utcOffset(new Date('2026-01-05T00:00:00Z'), 'Asia/Kathmandu')).toBe('UTC+05:45');
    expect(utcOffset(new Date('2026-01-05T00:00:00Z'), 'America/St_Johns')).toBe('UTC−03:30');
  });
});
