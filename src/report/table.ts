import pc from 'picocolors';
import type { RunResult } from '../compare/result.js';
import type { Commitment } from '../billing/lines.js';
import { count, pct, quantity, seconds, usd } from './text/format.js';
import { grid, type GridRow } from './text/table.js';

type OptionRow = RunResult['options'][number];

/** One row of the comparison: a name and one cell per option; `kind` says how to emphasise it. */
export interface ComparisonRow {
  name: string;
  kind: 'feasible' | 'total' | 'line' | 'plain';
  cells: string[];
}

/**
 * The comparison (design §7 `run`), as plain text cells: one column per option. Latency
 * percentiles are user requests only (heartbeats excluded), wait + service, in the method the
 * JSON names. The terminal and HTML tables both draw from these rows.
 */
export function comparisonRows(r: RunResult): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const row = (name: string, f: (o: OptionRow) => string, kind: ComparisonRow['kind'] = 'plain') =>
    rows.push({ name, kind, cells: r.options.map(f) });
  row('feasible', (o) => (o.feasible ? 'yes' : 'no: ' + o.reasons.join('; ')), 'feasible');
  row('total cost', (o) => usd(o.cost?.total), 'total');
  // The AWS bill and the staff time apart, when some option has staff time (design §11).
  if (r.options.some((o) => (o.cost?.staff ?? 0) !== 0)) {
    row('AWS bill', (o) => usd(o.cost?.aws));
    row('staff time (not billed by AWS)', (o) => usd(o.cost?.staff));
  }
  const items = [...new Set(r.options.flatMap((o) => o.cost?.lines.map((l) => l.item) ?? []))];
  for (const item of items)
    row(
      `  ${item}`,
      (o) => {
        const l = o.cost?.lines.find((x) => x.item === item);
        return l ? `${usd(l.amount)} (${quantity(l.quantity)} ${l.unit})` : '';
      },
      'line',
    );
  // A term bought whole (issue 15 item 6): the line above is its share of the span.
  if (r.options.some((o) => o.facts.commitment))
    row('commitment (whole term)', (o) => (o.facts.commitment ? commitmentText(o.facts.commitment) : ''));
  row('$ / 1k requests', (o) => usd(o.per1kRequests));
  row('served / arrived', (o) => `${count(o.requests.served)} / ${count(o.requests.arrived)}`);
  row(
    'throttled, failed',
    (o) =>
      `${count(o.requests.throttled)}, ${count(o.requests.failed)}` +
      // Requests longer than the model's context fail for that reason alone (issue 15 item 12).
      (o.requests.contextExceeded ? ` (${count(o.requests.contextExceeded)} over the context length)` : ''),
  );
  for (const cls of ['interactive', 'batch'] as const) {
    row(`${cls} p50 / p95 / p99`, (o) => {
      const l = o.latency?.[cls];
      return l ? `${seconds(l.p50)} / ${seconds(l.p95)} / ${seconds(l.p99)}` : '—';
    });
  }
  row('cold-start hits: interactive, batch', (o) =>
    o.feasible
      ? `${count(o.requests.coldStartHitsByClass.interactive)}, ${count(o.requests.coldStartHitsByClass.batch)}`
      : '—',
  );
  row('cold starts', (o) => count(o.capacity?.coldStarts));
  row('peak replicas', (o) => count(o.capacity?.peakReplicas));
  row('billed unit-minutes', (o) => count(o.capacity?.billedUnitMinutes));
  row('utilization', (o) => pct(o.capacity?.utilization));
  row('heartbeats', (o) => count(o.requests.heartbeats));
  return rows;
}

/** `6-month term (4,380 h): $43,800.00`. */
export function commitmentText(c: Commitment): string {
  return `${c.termMonths}-month term (${count(c.termHours)} h): ${usd(c.termTotal)}`;
}

/**
 * The assumptions, grouped by option (`? ` = uncertain; band = low–high), within `width` display
 * columns: the source wraps first, then the table stacks.
 */
export function assumptionsTable(r: RunResult, color: boolean, width = Infinity): string {
  const c = color ? pc : pc.createColors(false);
  const rows: GridRow[] = [];
  let option: string | undefined;
  for (const a of r.assumptions) {
    if (a.option !== option) rows.push({ group: `${(option = a.option)}:` });
    const value = `${a.value}${a.unit ? ' ' + a.unit : ''}`;
    const band = a.low !== null || a.high !== null ? `${a.low ?? '?'}–${a.high ?? '?'}` : '';
    rows.push([a.name, a.uncertain ? c.yellow(value + ' ?') : value, band, a.source]);
  }
  const columns = [
    { head: 'assumption' },
    { head: 'value' },
    { head: 'band' },
    { head: 'source', flex: true },
  ];
  return grid(columns, rows, { width, indent: 4, groupIndent: 2 }).join('\n');
}
