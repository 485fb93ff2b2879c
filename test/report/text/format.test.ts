import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { count, pct, quantity, seconds, sig, usd } from '../../../src/report/text/format.js';

/*
 * Quantities print with enough significant digits never to read 0 when they are not 0 (issue 18:
 * "$54.79 (0 FTE-years)", "$0.0027 (0 1M output tokens)"). The expected strings are worked by hand.
 */

describe('significant digits: a quantity that is not 0 never prints as 0', () => {
  it('the issue’s two cases', () => {
    // 0.1 FTE for one day of a 365-day year: 0.1 / 365 = 0.000273972… FTE-years → 3 digits.
    expect(quantity(0.1 / 365)).toBe('0.000274');
    // 12,100 output tokens in units of 1M tokens: 12,100 / 1,000,000 = 0.0121.
    expect(quantity(12_100 / 1e6)).toBe('0.0121');
    // …priced at $0.22 per 1M: 0.0121 × 0.22 = $0.002662 → two digits below a cent.
    expect(usd(0.0121 * 0.22)).toBe('$0.0027');
  });

  it('keeps three significant digits below 100 and every whole digit above', () => {
    expect(quantity(26.14)).toBe('26.1'); // instance-hours
    expect(quantity(7.6899)).toBe('7.69');
    expect(quantity(0.06581)).toBe('0.0658'); // CMU-months of storage
    expect(quantity(1460)).toBe('1,460');
    expect(quantity(123_456)).toBe('123,456');
    expect(quantity(0)).toBe('0');
    expect(sig(98_765.4)).toBe('98,765'); // whole digits never dropped
  });

  it('money: cents, or two significant digits below a cent', () => {
    expect(usd(94.357)).toBe('$94.36');
    expect(usd(0.012)).toBe('$0.01');
    expect(usd(0.0099)).toBe('$0.0099');
    expect(usd(0.000012345)).toBe('$0.000012'); // was "$0.0000"
    expect(usd(0)).toBe('$0.00');
  });

  it('counts, shares and times', () => {
    expect(count(1460)).toBe('1,460');
    expect(count(2.26)).toBe('2.3'); // one decimal
    expect(count(0.04)).toBe('0.04'); // was "0"
    expect(pct(0.125)).toBe('12.5%');
    expect(pct(0.00003)).toBe('0.003%'); // was "0.0%"
    expect(seconds(0.793)).toBe('793 ms');
    expect(seconds(0.00025)).toBe('0.25 ms'); // was "0 ms"
    expect(seconds(0)).toBe('0 ms');
  });

  it('for any amount that is not 0: never zero, and within half a unit of the 3rd digit', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 1e7, noNaN: true }), (x) => {
        const shown = Number(quantity(x).replace(/,/g, ''));
        expect(shown).toBeGreaterThan(0);
        // Three significant digits: a relative error of at most 0.5 / 100.
        expect(Math.abs(shown - x) / x).toBeLessThanOrEqual(0.005 + 1e-12);
        const money = Number(usd(x).replace(/[$,]/g, ''));
        expect(money).toBeGreaterThan(0);
      }),
    );
  });
});
