import type { Change, OptionDiff, ResultDiff, Side } from '../diff.js';
import { seconds, usd } from './format.js';

/*
 * `servesim diff` as text: a header naming both sides, then per option its cost lines (matched by
 * lineId), total, 30-day month, interactive latency and cold-start hits, base → new and the
 * change. Unchanged options take one line. Fits 80 columns.
 */

const NAME = 38;
const NUM = 11;
const CHANGE = 18;
const WIDTH = 80;

export function diffText(d: ResultDiff): string {
  const out: string[] = [...sideText('base', d.base), ...sideText('new', d.new), ''];
  const n = d.options.length;
  out.push(
    d.changed === 0
      ? `No option changed (${n} compared).`
      : `${d.changed} of ${n} option${n === 1 ? '' : 's'} changed.`,
  );
  const same: string[] = [];
  const neither: string[] = [];
  for (const o of d.options) {
    if (o.status === 'both' && !o.feasible.base && !o.feasible.new) neither.push(o.key);
    else if (o.status === 'both' && unchanged(o)) same.push(`${o.key} (${usd(o.total.new)})`);
    else out.push('', ...optionText(o));
  }
  if (same.length > 0) out.push('', ...wrap(`Unchanged: ${same.join(', ')}.`));
  if (neither.length > 0) out.push('', ...wrap(`Not feasible on either side: ${neither.join(', ')}.`));
  return out.join('\n') + '\n';
}

function sideText(label: string, s: Side): string[] {
  const days = Number.isInteger(s.days) ? s.days : +s.days.toFixed(2);
  const seed = s.seed === null ? '' : `, seed\u00a0${s.seed}`;
  return [
    `${label.padEnd(6)}${s.file}`,
    ...wrap(
      `${s.scenario}: ${s.kind}, ${days} day${days === 1 ? '' : 's'} from ${s.start}, ${s.requests.toLocaleString('en-US')}\u00a0requests${seed}`,
      '      ',
    ),
  ];
}

/** Words wrapped at WIDTH columns, continuation lines indented like the first. */
function wrap(text: string, indent = ''): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(' ')) {
    if (line.length > indent.length && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent;
    }
    line += (line.length > indent.length ? ' ' : '') + word;
  }
  return [...lines, line].map((l) => l.replaceAll('\u00a0', ' '));
}

function optionText(o: OptionDiff): string[] {
  if (o.status === 'added')
    return [`${o.key}  added${o.total.new === null ? ' (not feasible)' : `: ${usd(o.total.new)}`}`];
  if (o.status === 'removed')
    return [
      `${o.key}  removed${o.total.base === null ? ' (was not feasible)' : ` (was ${usd(o.total.base)})`}`,
    ];
  const { base, new: now } = o.feasible;
  if (base !== now)
    return [
      `${o.key}  ${base ? 'feasible' : 'not feasible'} → ${now ? 'feasible' : 'not feasible'}` +
        (now ? `: ${usd(o.total.new)}` : ''),
      ...o.reasons.flatMap((r) => wrap(r, '  ')),
    ];
  const rows: string[] = [row(o.key, 'base', 'new', 'change')];
  for (const l of o.lines) {
    const item = l.status === 'both' ? l.item : `${l.item} (${l.status})`;
    rows.push(row(`  ${item}`, usd(l.amount.base), usd(l.amount.new), signedUsd(l.amount)));
    if (l.unitPrice)
      rows.push(
        `      unit price ${usd4(l.unitPrice.base)} → ${usd4(l.unitPrice.new)} per ${singular(l.unit)}`,
      );
  }
  rows.push(row('  total', usd(o.total.base), usd(o.total.new), signedUsd(o.total, true)));
  if (o.staff.base !== 0 || o.staff.new !== 0) {
    rows.push(row('    AWS bill', usd(o.aws.base), usd(o.aws.new), signedUsd(o.aws)));
    rows.push(row('    staff time', usd(o.staff.base), usd(o.staff.new), signedUsd(o.staff)));
  }
  if (o.monthly.base !== null || o.monthly.new !== null)
    rows.push(row('  30-day month', usd(o.monthly.base), usd(o.monthly.new), signedUsd(o.monthly, true)));
  const cls = o.latency.classes === 'interactive' ? 'interactive' : 'all requests';
  for (const p of ['p50', 'p95', 'p99'] as const) {
    const c = o.latency[p];
    if (c.base === null && c.new === null) continue;
    rows.push(row(`  ${cls} ${p}`, seconds(c.base), seconds(c.new), signedSeconds(c)));
  }
  const h = o.coldStartHits;
  rows.push(row(`  ${cls} cold-start hits`, num(h.base), num(h.new), signedNum(h)));
  return rows;
}

function unchanged(o: OptionDiff): boolean {
  const same = (c: Change) => c.change === 0 || (c.base === null && c.new === null);
  return (
    o.lines.every((l) => l.status === 'both' && same(l.amount)) &&
    [o.total, o.monthly, o.coldStartHits, o.latency.p50, o.latency.p95, o.latency.p99].every(same)
  );
}

function row(name: string, a: string, b: string, c: string): string {
  return `${clip(name, NAME).padEnd(NAME)}${a.padStart(NUM)}${b.padStart(NUM)}${c.padStart(CHANGE)}`.trimEnd();
}

function clip(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
}

const MINUS = '−';

function signedUsd(c: Change, pct = false): string {
  if (c.change === null) return '—';
  if (c.change === 0) return '0';
  const s = `${c.change > 0 ? '+' : MINUS}${usd(Math.abs(c.change))}`;
  if (!pct || c.base === null || c.base === 0) return s;
  const p = (100 * c.change) / Math.abs(c.base);
  return `${s} (${p > 0 ? '+' : MINUS}${Math.abs(p) < 10 ? Math.abs(p).toFixed(1) : Math.abs(p).toFixed(0)} %)`;
}

function signedSeconds(c: Change): string {
  if (c.change === null) return '—';
  if (c.change === 0) return '0';
  return `${c.change > 0 ? '+' : MINUS}${seconds(Math.abs(c.change))}`;
}

function signedNum(c: Change): string {
  if (c.change === null) return '—';
  if (c.change === 0) return '0';
  return `${c.change > 0 ? '+' : MINUS}${num(Math.abs(c.change))}`;
}

function num(x: number | null): string {
  return x === null ? '—' : x.toLocaleString('en-US');
}

/** A unit price to four significant digits at least ($0.0785, $1.515). */
function usd4(x: number | null): string {
  return x === null ? '—' : `$${+x.toPrecision(4)}`;
}

function singular(unit: string): string {
  return unit.replace(/s$/, '');
}
