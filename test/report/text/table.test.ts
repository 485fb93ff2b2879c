import { describe, expect, it } from 'vitest';
import { grid, table } from '../../../src/report/text/table.js';
import { displayWidth } from '../../../src/report/text/width.js';

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

describe('grid: within the width, in display columns (issue 18)', () => {
  const columns = [{ head: 'option' }, { head: 'total', right: true }, { head: 'p95', right: true }];
  const rows = [
    ['cmi', '$75.49', '29.15 s'],
    ['sagemaker', '$94.36', '2.49 s'],
  ];

  it('lays the columns out side by side when they fit', () => {
    // Widths 9 (sagemaker), 6 ($75.49), 7 (29.15 s); two spaces apart and two in: 2 + 9 + 2 + 6 + 2 + 7 = 28.
    expect(grid(columns, rows, { width: 28 })).toEqual([
      '  option      total      p95',
      '  cmi        $75.49  29.15 s',
      '  sagemaker  $94.36   2.49 s',
    ]);
  });

  it('stacks one block per row, `head: value` pairs, one column narrower', () => {
    // "    total: $75.49   p95: 29.15 s" would be 32 columns: each pair on its own line.
    expect(grid(columns, rows, { width: 27 })).toEqual([
      '  cmi',
      '    total: $75.49',
      '    p95: 29.15 s',
      '  sagemaker',
      '    total: $94.36',
      '    p95: 2.49 s',
    ]);
    // Pairs share a line when they fit: 2 + 26 + 2 + 1 + 2 + 1 = 34 > 30 stacks; "    a: 1   b: 2" is 15.
    const long = 'an-option-name-of-26-chars';
    expect(
      grid([{ head: 'option' }, { head: 'a' }, { head: 'b' }], [[long, '1', '2']], { width: 30 }),
    ).toEqual([`  ${long}`, '    a: 1   b: 2']);
  });

  it('counts a wide character as two columns and a combining mark as none', () => {
    // '東京' is 4 columns (2 characters); 'é' as e + U+0301 is 1 column (2 characters).
    const out = grid(
      [{ head: 'name' }, { head: 'n', right: true }],
      [
        ['東京', '1'],
        ['e\u0301', '22'],
      ],
      { width: 80 },
    );
    expect(out).toEqual(['  name   n', '  東京   1', '  e\u0301     22']);
    for (const l of out) expect(displayWidth(l)).toBe(10);
  });

  it('wraps a flex (prose) column inside its cell when only it is too wide', () => {
    const out = grid(
      [{ head: 'name' }, { head: 'source', flex: true }],
      [['cmi', 'a source that is much too long for one line of this table']],
      { width: 34 },
    );
    // 2 + 4 (name) + 2 leaves 26 columns for the source.
    expect(out).toEqual([
      '  name  source',
      '  cmi   a source that is much too',
      '        long for one line of this',
      '        table',
    ]);
    for (const l of out) expect(displayWidth(l)).toBeLessThanOrEqual(34);
  });

  it('splits many columns into panels that repeat the first, before stacking', () => {
    const head = ['month', 'a', 'b', 'c'];
    const out = table(
      head,
      [['2026-01', '$1,000.00', '$2,000.00', '$3,000.00']],
      [false, true, true, true],
      33,
      1,
    );
    // 2 + 7 + 2 + 9 + 2 + 9 = 31 fits two of the three money columns.
    expect(out).toBe(
      [
        '  month            a          b',
        '  2026-01  $1,000.00  $2,000.00',
        '  ',
        '  month            c',
        '  2026-01  $3,000.00',
        '',
      ].join('\n'),
    );
  });

  it('never prints a line wider than the width, whatever the cells', () => {
    const cells = [
      'x',
      'a-very-long-unbreakable-cell-value-of-fifty-columns!!',
      '🚀🚀 rocket',
      '日本語のテキスト',
    ];
    for (const width of [12, 20, 33, 47])
      for (const l of grid(
        cells.map((head) => ({ head })),
        [cells, [...cells].reverse()],
        { width },
      ))
        expect(displayWidth(l), `${width}: ${l}`).toBeLessThanOrEqual(width);
  });
});
