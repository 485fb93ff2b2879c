import Table from 'cli-table3';

/** No borders: columns two spaces apart, the whole table indented two spaces. */
const PLAIN = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

/**
 * A plain aligned text table, two spaces indented, no borders (`right[i]`: right-align column i),
 * drawn by cli-table3 like the comparison tables. Trailing spaces are trimmed from each line.
 * table(['a', 'n'], [['x', '10']], [false, true]) → '  a   n\n  x  10\n'.
 */
export function table(header: string[], rows: string[][], right: boolean[]): string {
  const t = new Table({
    head: header,
    chars: PLAIN,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    colAligns: right.map((r) => (r ? 'right' : 'left')),
  });
  t.push(...rows);
  return (
    t
      .toString()
      .split('\n')
      .map((l) => `  ${l.trimEnd()}`)
      .join('\n') + '\n'
  );
}
