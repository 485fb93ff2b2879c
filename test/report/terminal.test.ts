import { describe, expect, it } from 'vitest';
import { bar, sparkline, staffBar, terminalCharts } from '../../src/report/terminal.js';
import { usd } from '../../src/report/text/format.js';
import { defaultRun, smallRun } from './fixtures.js';

const ESC = '\u001b';

describe('sparkline', () => {
  it('leaves exact zeros blank and scales the rest to eight levels', () => {
    expect(sparkline([0, 1, 4], 4)).toBe(' ▂█');
    expect(sparkline([0, 0.01, 8], 8)).toBe(' ▁█');
    expect(sparkline([], 1)).toBe('');
    expect(sparkline([0, 0], 0)).toBe('  ');
  });
});

describe('bar', () => {
  it('draws value / max of the width in eighths of a column', () => {
    expect(bar(1, 1, 4)).toBe('████');
    expect(bar(1, 2, 3)).toBe('█▌');
    expect(bar(0, 2, 3)).toBe('');
    expect(bar(1e-9, 1, 10)).toBe('▏');
  });
});

describe('staffBar', () => {
  it('shades whole columns from the end of the AWS part to the total', () => {
    // aws 2 of max 6 over 6 columns → 2 columns solid; total 6 → columns 3–6 shaded.
    expect(staffBar(2, 6, 6, 6)).toBe('░░░░');
    // aws 1.5 of 6 over 4 columns = 1 column solid; total 3 → 2 columns: 1 shaded.
    expect(staffBar(1.5, 3, 6, 4)).toBe('░');
    expect(staffBar(3, 3, 6, 4)).toBe('');
  });
});

describe('terminalCharts', () => {
  it('shows traffic against copies and cost per option, plain without colour', () => {
    const out = defaultRun();
    const options = out.result.options;
    const simulated = options.filter((_, i) => out.runs[i]!.record !== null);
    const pad = Math.max(8, ...options.map((o) => o.key.length)) + 2;
    const text = terminalCharts(out, { color: false, width: 48 });
    expect(text).not.toContain(ESC);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Traffic vs ready copies (1 column = 30 min; blank = none)');
    expect(lines[1]).toMatch(new RegExp(`^${'arrivals'.padEnd(pad)}│.{48}│ peak [\\d,]+ per column$`));
    // One line per simulated option: a sparkline of its copies, or why it has none.
    simulated.forEach((o, i) =>
      expect(lines[2 + i]).toMatch(
        o.capacity === null
          ? new RegExp(`^${o.key.padEnd(pad)} per token: no replicas of its own$`)
          : new RegExp(`^${o.key.padEnd(pad)}│.{48}│ peak \\d+ copies$`),
      ),
    );
    // Ticks under the first, middle and last column (local time).
    const ticks = lines[2 + simulated.length]!;
    expect(ticks).toBe(`${' '.repeat(pad + 1)}00:00${' '.repeat(17)}12:00${' '.repeat(16)}00:00`);
    // Cost bars: the dearest option fills the width (48 − 12 columns), the others in proportion.
    const max = Math.max(...options.map((o) => o.cost?.total ?? 0));
    const bars = lines.slice(4 + simulated.length);
    // The default scenario has staff time (ops lines): the legend says which part is which.
    expect(bars[0]).toBe('Total cost (█ AWS bill, ░ staff time)');
    options.forEach((o, i) => {
      const line = bars[1 + i]!;
      expect(line.startsWith(o.key.padEnd(pad))).toBe(true);
      if (o.cost === null) return expect(line.slice(pad)).toBe('not feasible');
      const label = o.cost.staff > 0 ? `${usd(o.cost.total)} (${usd(o.cost.aws)} AWS)` : usd(o.cost.total);
      expect(line.endsWith(` ${label}`)).toBe(true);
      const drawn = line.slice(pad).split(' ')[0]!;
      const cols = [...drawn].length;
      expect(Math.abs(cols - (36 * o.cost.total) / max)).toBeLessThanOrEqual(1);
      // Staff time is the shaded tail: about 36 × staff / max columns of ░.
      const shaded = [...drawn].filter((ch) => ch === '░').length;
      expect(Math.abs(shaded - (36 * o.cost.staff) / max)).toBeLessThanOrEqual(1);
    });
    // Overnight CMI's copies are at zero: blank columns.
    const cmi = simulated.findIndex((o) => o.key === 'cmi');
    expect(lines[2 + cmi]!.slice(pad + 1, pad + 11)).toBe(' '.repeat(10));
  });

  it('colours each option when asked', () => {
    expect(terminalCharts(defaultRun(), { color: true })).toContain(`${ESC}[34m`); // blue: the first option
  });

  it('says an option is not feasible instead of drawing its bar', () => {
    const text = terminalCharts(smallRun(), { color: false });
    expect(text).toMatch(/^cmi {7}not feasible$/m);
    expect(text).toMatch(/^box {7}█+ \$144\.00$/m);
    // Two days: dates (month-day, local) instead of times of day.
    expect(text).toMatch(/^ {11}01-05 +01-06 +01-07$/m);
  });
});
