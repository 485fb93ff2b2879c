import { InputError } from '../../errors.js';
import { MSG } from '../messages.js';
import {
  BINNED_COLUMNS,
  BINNED_OPTIONAL,
  isoSeconds,
  type TraceClassName,
  type TraceHeader,
} from '../trace/format.js';
import { TraceWriter } from '../trace/write.js';
import { MAX_BUFFERED_ROWS } from './request-sink.js';

/* The binned side of an import: per-period rows summed into the bins of a binned trace. */

/**
 * Binned rows → a binned trace. Rows are held as numbers (binned files are small) and summed per
 * bin of `period` seconds from the start: a row whose time is not on a bin boundary counts in the
 * bin containing it, and rows falling in the same bin are added up (model copies: the maximum).
 * Every bin from the first to the last is written, empty ones as zeros.
 */
/** Most bins a binned import writes: 2,000,000 (3.8 years of minutes; 80 MB of sums in memory). */
export const MAX_BINS = 2_000_000;

export class BinSink {
  private t: number[] = [];
  private v: number[][] = [[], [], [], [], []];
  readonly stats = { rows: 0, duplicates: 0 };
  private lastT = NaN;

  constructor(
    private readonly output: string,
    private readonly period: number,
    private readonly start: number | undefined,
    private readonly has: { throttles: boolean; modelCopies: boolean },
    private readonly maxRows = MAX_BUFFERED_ROWS,
  ) {
    if (!Number.isInteger(period) || period < 1) throw new InputError(MSG.badPeriod(period), '--period');
  }

  add(
    t: number,
    requests: number,
    inputTokens: number,
    outputTokens: number,
    throttles: number,
    copies: number,
    where: string,
  ): void {
    if (this.start !== undefined && t < this.start)
      throw new InputError(MSG.beforeStart(isoSeconds(t), isoSeconds(this.start)), where);
    // Issue 17: rows are held until the bins are known; bounded like the request sink's buffer.
    if (++this.stats.rows > this.maxRows) throw new InputError(MSG.tooManyBinnedRows(this.maxRows), where);
    if (t === this.lastT) this.stats.duplicates++;
    this.lastT = t;
    this.t.push(t);
    this.v[0]!.push(requests);
    this.v[1]!.push(inputTokens);
    this.v[2]!.push(outputTokens);
    this.v[3]!.push(throttles);
    this.v[4]!.push(copies);
  }

  finish(
    source: string,
    cls: TraceClassName | undefined,
    where: string,
  ): { start: number; durationSeconds: number; requests: number; inputTokens: number; outputTokens: number } {
    const n = this.t.length;
    if (n === 0) throw new InputError(MSG.noRows('input'), where);
    let min = Infinity;
    let max = -Infinity;
    for (const t of this.t) {
      if (t < min) min = t;
      if (t > max) max = t;
    }
    const p = this.period;
    const start = this.start ?? Math.floor(min / p) * p;
    const bins = Math.floor((max - start) / p) + 1;
    if (bins > MAX_BINS) throw new InputError(MSG.tooManyBins(bins, p, MAX_BINS), '--period');
    const sums = [0, 1, 2, 3].map(() => new Float64Array(bins));
    const copies = new Float64Array(bins);
    for (let i = 0; i < n; i++) {
      const b = Math.floor((this.t[i]! - start) / p);
      for (let k = 0; k < 4; k++) sums[k]![b]! += this.v[k]![i]!;
      copies[b] = Math.max(copies[b]!, this.v[4]![i]!);
    }
    const columns: string[] = [...BINNED_COLUMNS];
    if (this.has.throttles) columns.push(BINNED_OPTIONAL[0]);
    if (this.has.modelCopies) columns.push(BINNED_OPTIONAL[1]);
    const header: TraceHeader = {
      start: isoSeconds(start),
      kind: 'binned',
      periodSeconds: p,
      ...(cls === 'batch' ? { class: cls } : {}),
      durationSeconds: bins * p,
      source,
    };
    const w = new TraceWriter(this.output, columns, header);
    let requests = 0;
    let inputTokens = 0;
    let outputTokens = 0;
    try {
      for (let b = 0; b < bins; b++) {
        let row = `${b * p},${sums[0]![b]},${sums[1]![b]},${sums[2]![b]}`;
        if (this.has.throttles) row += `,${sums[3]![b]}`;
        if (this.has.modelCopies) row += `,${copies[b]}`;
        w.line(row);
        requests += sums[0]![b]!;
        inputTokens += sums[1]![b]!;
        outputTokens += sums[2]![b]!;
      }
      w.commit();
    } catch (e) {
      w.abort();
      throw e;
    }
    return { start, durationSeconds: bins * p, requests, inputTokens, outputTokens };
  }
}
