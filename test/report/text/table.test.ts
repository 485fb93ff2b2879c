import { describe, expect, it } from 'vitest';
import { table } from '../../../src/report/text/table.js';

describe('table', () => {
  it('aligns columns two spaces apart, indented two, right-aligning the columns asked', () => {
    // Widths: col 1 = max(4, 1, 11) = 11, col 2 = max(4, 6, 2) = 6.
    const out = table(
      ['name', 'cost'],
      [
        ['x', '$12.00'],
        ['09:00-17:00', '$1'],
      ],
      [false, true],
    );
    expect(out).toBe(
      ['  name           cost', '  x            $12.00', '  09:00-17:00      $1', ''].join('\n'),
    );
  });

  it('trims trailing spaces but keeps the indent of an empty row', () => {
    expect(table(['a', 'b'], [['', '']], [false, false])).toBe('  a  b\n  \n');
  });
});
