import { displayWidth, pad, wrap } from './width.js';

/*
 * Terminal tables that never outgrow the terminal (issue 18). Columns sit two spaces apart; when
 * they do not fit in `width` display columns, a prose column marked `flex` wraps inside its cell,
 * and if that is not enough the table stacks: one block per row, its first cell as a title and the
 * other cells as `head: value` pairs flowed onto lines. Numbers are never wrapped or cut.
 */

export interface GridColumn {
  /** The column head; `\n` splits it over lines (wide layout) and becomes a space when stacked. */
  head: string;
  /** Right-align (numbers). */
  right?: boolean;
  /** Prose that may wrap inside its cell when the table is too wide (at most one column). */
  flex?: boolean;
}

/** A row of cells, or a line of text between rows (e.g. "per-token baselines:"). */
export type GridRow = string[] | { group: string };

export interface GridOptions {
  /** Display columns available (the terminal width). */
  width: number;
  /** Spaces before every line (default 2). */
  indent?: number;
  /** Spaces before a group line (default: `indent`). */
  groupIndent?: number;
  /** A rule under the head (default none). */
  rule?: boolean;
  /** Styles the head (e.g. bold), applied after measuring. */
  style?: (head: string) => string;
  /**
   * Too wide, split the columns into panels one under the other, each repeating the first `panels`
   * columns (a month, a volume), before stacking: for tables of numbers with many columns.
   */
  panels?: number;
}

/** A flex column narrower than this stacks the table instead: a few words a line is unreadable. */
const MIN_FLEX = 24;
const GAP = '  ';

/** Whether the columns fit side by side in `width` columns (indented `indent`), none wrapped. */
export function fitsSideBySide(
  columns: readonly GridColumn[],
  rows: readonly GridRow[],
  width: number,
  indent = 2,
): boolean {
  const natural = columns.map((c, i) =>
    Math.max(
      ...c.head.split('\n').map(displayWidth),
      ...rows.map((r) => (Array.isArray(r) ? displayWidth(r[i] ?? '') : 0)),
    ),
  );
  return indent + natural.reduce((a, b) => a + b, 0) + GAP.length * (natural.length - 1) <= width;
}

/** The table as lines, each within `opts.width` display columns (see the file comment). */
export function grid(columns: readonly GridColumn[], rows: readonly GridRow[], opts: GridOptions): string[] {
  const indent = ' '.repeat(opts.indent ?? 2);
  const groupIndent = ' '.repeat(opts.groupIndent ?? opts.indent ?? 2);
  const room = opts.width - indent.length;
  const heads = columns.map((c) => c.head.split('\n'));
  const natural = columns.map((_, i) =>
    Math.max(
      ...heads[i]!.map(displayWidth),
      ...rows.map((r) => (Array.isArray(r) ? displayWidth(r[i] ?? '') : 0)),
    ),
  );
  const total = (ws: number[]) => ws.reduce((a, b) => a + b, 0) + GAP.length * (ws.length - 1);
  let widths = natural;
  if (total(natural) > room) {
    const f = columns.findIndex((c) => c.flex);
    const fixed = total(natural) - (f < 0 ? 0 : natural[f]!);
    const flexRoom = room - fixed;
    if (f < 0 || flexRoom < Math.max(MIN_FLEX, ...heads[f]!.map(displayWidth))) {
      const split = opts.panels ? panels(natural, opts.panels, room) : undefined;
      if (split === undefined) return stacked(columns, rows, indent, groupIndent, opts.width);
      const pick = <T>(xs: readonly T[], p: number[]) => p.map((i) => xs[i]!);
      return split.flatMap((p, k) => [
        ...(k > 0 ? [''] : []),
        ...grid(
          pick(columns, p),
          rows.map((r) => (Array.isArray(r) ? pick(r, p) : r)),
          { ...opts, panels: undefined },
        ),
      ]);
    }
    widths = natural.map((w, i) => (i === f ? flexRoom : w));
  }
  const style = opts.style ?? ((h: string) => h);
  const lines: string[] = [];
  const depth = Math.max(...heads.map((h) => h.length));
  for (let l = 0; l < depth; l++)
    lines.push(
      line(
        indent,
        heads.map((h) => h[l - (depth - h.length)] ?? ''),
        widths,
        columns,
        style,
      ),
    );
  if (opts.rule) lines.push(indent + '─'.repeat(total(widths)));
  for (const r of rows) {
    if (!Array.isArray(r)) {
      lines.push(...wrap(r.group, opts.width, groupIndent + '  ', groupIndent));
      continue;
    }
    const cells = columns.map((c, i) => (c.flex ? wrap(r[i] ?? '', widths[i]!) : [r[i] ?? '']));
    const height = Math.max(...cells.map((c) => c.length));
    for (let l = 0; l < height; l++)
      lines.push(
        line(
          indent,
          cells.map((c) => c[l] ?? ''),
          widths,
          columns,
        ),
      );
  }
  return lines;
}

/**
 * The column indices of each panel: the first `keep` columns, then as many of the others as fit
 * in `room`; undefined when a panel could not hold even one of them.
 */
function panels(widths: number[], keep: number, room: number): number[][] | undefined {
  const head = widths.slice(0, keep).reduce((a, b) => a + b + GAP.length, 0);
  const out: number[][] = [];
  let cur: number[] = [];
  let used = head;
  for (let i = keep; i < widths.length; i++) {
    if (head + widths[i]! > room) return undefined;
    if (used + widths[i]! > room) {
      out.push(cur);
      cur = [];
      used = head;
    }
    cur.push(i);
    used += widths[i]! + GAP.length;
  }
  if (cur.length > 0) out.push(cur);
  return out.map((p) => [...Array(keep).keys(), ...p]);
}

function line(
  indent: string,
  cells: string[],
  widths: number[],
  columns: readonly GridColumn[],
  style = (s: string) => s,
): string {
  return (
    indent +
    cells
      .map((c, i) => {
        const padded = pad(c, widths[i]!, columns[i]!.right);
        return c === '' ? padded : padded.replace(c, style(c));
      })
      .join(GAP)
  ).trimEnd();
}

/** One block per row: the first cell as its title, then `head: value` pairs flowed within `width`. */
function stacked(
  columns: readonly GridColumn[],
  rows: readonly GridRow[],
  indent: string,
  groupIndent: string,
  width: number,
): string[] {
  const lines: string[] = [];
  const inner = indent + '  ';
  for (const r of rows) {
    if (!Array.isArray(r)) {
      lines.push(...wrap(r.group, width, groupIndent + '  ', groupIndent));
      continue;
    }
    lines.push(...wrap(r[0] ?? '', width, inner, indent));
    let cur = '';
    const flush = () => {
      if (cur !== '') lines.push(cur);
      cur = '';
    };
    columns.slice(1).forEach((c, j) => {
      const value = r[j + 1] ?? '';
      if (value === '') return;
      const pair = `${c.head.replace(/\s*\n\s*/g, ' ')}: ${value}`;
      const joined = cur === '' ? inner + pair : `${cur}   ${pair}`;
      if (displayWidth(joined) <= width) {
        cur = joined;
        return;
      }
      flush();
      if (displayWidth(inner + pair) <= width) cur = inner + pair;
      else lines.push(...wrap(pair, width, inner + '  ', inner));
    });
    flush();
  }
  return lines;
}

/**
 * A plain aligned text table, two spaces indented, no borders (`right[i]`: right-align column i),
 * within `width` display columns (stacked when it does not fit). Trailing spaces are trimmed from
 * each line. table(['a', 'n'], [['x', '10']], [false, true]) → '  a   n\n  x  10\n'.
 */
export function table(
  header: string[],
  rows: string[][],
  right: boolean[],
  width = Infinity,
  panels?: number,
  /** A prose column that may wrap inside its cell (see `GridColumn.flex`). */
  flex?: number,
): string {
  const columns = header.map((head, i) => ({ head, right: right[i] ?? false, flex: i === flex }));
  return (
    grid(columns, rows, { width, ...(panels ? { panels } : {}) })
      .map((l) => (l === '' ? '  ' : l))
      .join('\n') + '\n'
  );
}
