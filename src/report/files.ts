import { stringify } from 'csv-stringify/sync';
import type { RunOutput } from '../compare/run.js';
import { ReportFolder } from './folder.js';

/**
 * The data files of a run's report (design §9); report.ts adds the charts and report.html.
 * Everything is rendered in memory first, then the folder is written whole (folder.ts), so a
 * failed or interrupted run leaves no partial report.
 */
export function renderRunFiles(out: RunOutput): Map<string, string> {
  const files = new Map<string, string>();
  files.set('results.json', JSON.stringify(out.result, null, 2) + '\n');
  files.set('costs.csv', costsCsv(out));
  files.set('timeline.csv', timelineCsv(out));
  return files;
}

/**
 * Writes a report folder whole or not at all (folder.ts): `dir` as a path, or the ReportFolder a
 * command opened (and checked) before its work. `owner` names the command whose files these are:
 * its previous files in the folder are replaced, other files kept.
 */
export function writeFilesAtomically(
  dir: string | ReportFolder,
  files: ReadonlyMap<string, string | Uint8Array>,
  owner = 'report',
): void {
  (typeof dir === 'string' ? new ReportFolder(dir) : dir).commit(files, owner);
}

/** CSV text (RFC 4180 quoting, `\n` line ends) through csv-stringify, the companion of csv-parse. */
export function csvText(rows: readonly (readonly (string | number)[])[]): string {
  return stringify(rows as (string | number)[][], { record_delimiter: 'unix' });
}

/** Long format for finance: one row per cost line; `billed_by` is `aws` (on the AWS bill) or `staff`. */
export function costsCsv(out: Pick<RunOutput, 'result'>): string {
  const rows: (string | number)[][] = [
    ['option', 'item', 'quantity', 'unit', 'unit_price', 'amount', 'billed_by'],
  ];
  for (const o of out.result.options)
    for (const l of o.cost?.lines ?? [])
      rows.push([o.key, l.item, l.quantity, l.unit, l.unitPrice, l.amount, l.billedBy]);
  return csvText(rows);
}

/** One row per minute and option: arrivals, requests in the system, ready replicas, cost so far. */
export function timelineCsv(out: RunOutput): string {
  // A month is 43,200 rows per option. Rows are numbers (written as csv-stringify writes them,
  // `String(n)`) after the option key, quoted once by csv-stringify; each row goes straight into
  // a byte buffer, so no row outlives its line (holding them all to join took ~100 MB of heap).
  const text = new TextChunks();
  text.put(csvText([['minute', 'option', 'arrivals', 'in_flight', 'replicas', 'cost_so_far']]));
  for (const run of out.runs) {
    if (run.record === null || run.bill === null) continue;
    const s = run.record.series;
    const cost = run.bill.costSoFar(s.minutes);
    const key = csvText([[run.key]]).slice(0, -1);
    for (let m = 0; m < s.minutes; m++)
      text.put(`${m},${key},${s.arrivals[m]!},${s.inFlight[m]!},${s.ready[m]!},${+cost[m]!.toFixed(6)}\n`);
  }
  return text.toString();
}

/** UTF-8 text appended into 1 MiB buffers, read back once as one flat string. */
class TextChunks {
  private readonly full: Buffer[] = [];
  private buf = Buffer.allocUnsafe(1 << 20);
  private pos = 0;

  put(s: string): void {
    if (this.pos + 3 * s.length > this.buf.length) {
      this.full.push(this.buf.subarray(0, this.pos));
      this.buf = Buffer.allocUnsafe(Math.max(1 << 20, 3 * s.length));
      this.pos = 0;
    }
    this.pos += this.buf.write(s, this.pos);
  }

  toString(): string {
    return Buffer.concat([...this.full, this.buf.subarray(0, this.pos)]).toString('utf8');
  }
}
