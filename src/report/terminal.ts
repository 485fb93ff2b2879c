import { DateTime } from 'luxon';
import pc from 'picocolors';
import type { RunResult } from '../compare/result.js';
import { usd } from './text/format.js';

/*
 * Compact unicode charts for the terminal: traffic against ready copies per option (one
 * sparkline each, same time columns), and a bar of total cost per option. Colours follow the
 * option order like the SVG charts' palette, approximated by the 8 terminal colours; without
 * colour they are plain text.
 */

const LEVELS = '▁▂▃▄▅▆▇█';
const BLOCKS = ' ▏▎▍▌▋▊▉█';
/** Terminal colours in the order of charts/style.ts's PALETTE (blue, orange, green, red, purple, teal, ...). */
const TERM_COLORS = [
  'blue',
  'yellow',
  'green',
  'red',
  'magenta',
  'cyan',
  'yellow',
  'gray',
  'red',
  'gray',
] as const;

/**
 * What the terminal charts draw from: the result, each option's per-minute arrivals and ready
 * copies (null: not simulated) and the time zone. A run's `RunOutput` is one; `servesim report`
 * builds one from a saved timeline.csv.
 */
export interface SeriesView {
  result: RunResult;
  runs: readonly {
    key: string;
    record: { series: { minutes: number; arrivals: Int32Array; ready: Int32Array } } | null;
  }[];
  scenario: { timezone: string };
}

export interface TerminalChartOptions {
  color: boolean;
  /** Columns of the sparklines and bars (default 60). */
  width?: number;
  /** The terminal width: sparklines and bars narrow so that no line is wider (display columns). */
  lineWidth?: number;
}

/**
 * A sparkline of `values`: blank for exactly 0 (so "scaled to zero" shows as a gap), otherwise
 * one of 8 block heights, ⌈8·v/max⌉. Example: [0, 1, 4] with max 4 → " ▂█".
 */
export function sparkline(values: ArrayLike<number>, max: number): string {
  let s = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    s += v <= 0 || max <= 0 ? ' ' : LEVELS[Math.min(7, Math.max(0, Math.ceil((v / max) * 8) - 1))];
  }
  return s;
}

/** A horizontal bar of `value / max` of `width` columns, in eighths of a column. */
export function bar(value: number, max: number, width: number): string {
  if (max <= 0 || value <= 0) return '';
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + (eighths % 8 === 0 ? '' : BLOCKS[eighths % 8]);
}

const STAFF_SHADE = '░';

/**
 * The staff-time part of a bar that starts where the AWS part (`bar(aws, …)`) ends: whole
 * columns of ░ from the AWS part's last (partly filled) column to `total`'s.
 * Example: aws 2, total 6, max 6, width 6 → "░░░░" (columns 3–6).
 */
export function staffBar(aws: number, total: number, max: number, width: number): string {
  if (max <= 0 || total <= aws) return '';
  const from = [...bar(aws, max, width)].length;
  const to = Math.max(from + 1, Math.round((total / max) * width));
  return STAFF_SHADE.repeat(to - from);
}

/**
 * Column buckets of a per-minute series: `sum` gives arrivals per column, `max` peak copies.
 */
function columns(series: Int32Array, minutes: number, width: number, how: 'sum' | 'max'): number[] {
  const out: number[] = [];
  for (let c = 0; c < width; c++) {
    const m0 = Math.floor((c * minutes) / width);
    const m1 = Math.max(m0 + 1, Math.floor(((c + 1) * minutes) / width));
    let acc = 0;
    for (let m = m0; m < m1 && m < minutes; m++)
      acc = how === 'sum' ? acc + series[m]! : Math.max(acc, series[m]!);
    out.push(acc);
  }
  return out;
}

export function terminalCharts(out: SeriesView, opts: TerminalChartOptions): string {
  const c = pc.createColors(opts.color);
  const r = out.result;
  const room = opts.lineWidth ?? Infinity;
  const keys = r.options.map((o) => o.key);
  const pad = Math.max(8, ...keys.map((k) => k.length)) + 2;
  const colorOf = (key: string) => {
    const name = TERM_COLORS[keys.indexOf(key) % TERM_COLORS.length]!;
    return (s: string) => c[name](s);
  };
  const lines: string[] = [];

  const runs = out.runs.filter((x) => x.record !== null);
  const first = runs[0]?.record;
  if (first) {
    const minutes = first.series.minutes;
    // Room for the name, two borders and " peak 16,000 per column" (the widest label).
    const peakLabel = ` peak ${Math.max(0, ...columns(first.series.arrivals, minutes, 1, 'sum')).toLocaleString('en-US')} per column`;
    const width = Math.max(8, Math.min(opts.width ?? 60, room - pad - 2 - peakLabel.length));
    const w = Math.min(width, minutes);
    const arrivals = columns(first.series.arrivals, minutes, w, 'sum');
    const peakArr = Math.max(0, ...arrivals);
    const perCol = minutes / w;
    lines.push(
      c.bold('Traffic vs ready copies') +
        c.dim(
          ` (1 column = ${perCol >= 90 ? `${+(perCol / 60).toFixed(1)} h` : `${+perCol.toFixed(1)} min`}; blank = none)`,
        ),
    );
    lines.push(
      `${'arrivals'.padEnd(pad)}│${c.dim(sparkline(arrivals, peakArr))}│ peak ${peakArr.toLocaleString('en-US')} per column`,
    );
    for (const run of runs) {
      if (r.options[keys.indexOf(run.key)]?.capacity === null) {
        lines.push(`${run.key.padEnd(pad)} ${c.dim('per token: no replicas of its own')}`);
        continue;
      }
      const s = run.record!.series;
      const ready = columns(s.ready, s.minutes, w, 'max');
      const peak = Math.max(0, ...ready);
      lines.push(`${run.key.padEnd(pad)}│${colorOf(run.key)(sparkline(ready, peak))}│ peak ${peak} copies`);
    }
    lines.push(`${' '.repeat(pad)} ${timeTicks(out, w)}`);
  }

  const costs = r.options.map((o) => o.cost?.total ?? null);
  const maxCost = Math.max(0, ...costs.map((x) => x ?? 0));
  if (costs.some((x) => x !== null)) {
    // The AWS bill solid, staff time shaded after it (design §11: the two apart).
    const anyStaff = r.options.some((o) => (o.cost?.staff ?? 0) > 0);
    lines.push('');
    lines.push(
      c.bold('Total cost') + (anyStaff ? c.dim(` (${'█'} AWS bill, ${STAFF_SHADE} staff time)`) : ''),
    );
    const labelOf = (cost: NonNullable<(typeof r.options)[number]['cost']>) =>
      cost.staff > 0 ? `${usd(cost.total)} (${usd(cost.aws)} AWS)` : usd(cost.total);
    const labelWidth = Math.max(0, ...r.options.map((o) => (o.cost ? labelOf(o.cost).length : 0)));
    r.options.forEach((o) => {
      const cost = o.cost;
      if (cost === null) {
        lines.push(`${o.key.padEnd(pad)}${c.dim('not feasible')}`);
        return;
      }
      const barWidth = Math.max(4, Math.min((opts.width ?? 60) - 12, room - pad - 1 - labelWidth));
      const solid = cost.staff > 0 ? bar(cost.aws, maxCost, barWidth) : bar(cost.total, maxCost, barWidth);
      const shade = cost.staff > 0 ? staffBar(cost.aws, cost.total, maxCost, barWidth) : '';
      const label = labelOf(cost);
      lines.push(`${o.key.padEnd(pad)}${colorOf(o.key)(solid)}${c.dim(shade)} ${label}`.trimEnd());
    });
  }
  return lines.join('\n');
}

/** Local times (scenario timezone) under the sparkline's first, middle and last column. */
function timeTicks(out: SeriesView, w: number): string {
  const start = DateTime.fromISO(out.result.trace.start, { zone: out.scenario.timezone });
  const span = out.result.trace.durationSeconds;
  const fmt = span <= 1.5 * 86400 ? 'HH:mm' : 'MM-dd';
  const at = (frac: number) => start.plus({ seconds: span * frac }).toFormat(fmt);
  const left = at(0);
  const mid = at(0.5);
  const right = at(1);
  const line = Array.from({ length: w }, () => ' ');
  const put = (pos: number, text: string) => {
    for (let i = 0; i < text.length && pos + i < line.length; i++) if (pos + i >= 0) line[pos + i] = text[i]!;
  };
  put(0, left);
  put(Math.round(w / 2 - mid.length / 2), mid);
  put(w - right.length, right);
  return line.join('').trimEnd();
}
