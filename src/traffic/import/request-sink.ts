import { InputError } from '../../errors.js';
import { MSG } from '../messages.js';
import { isoSeconds, REQUEST_COLUMNS, type TraceHeader } from '../trace/format.js';
import { TraceWriter } from '../trace/write.js';

/*
 * The requests side of an import: one row per request into a requests trace.
 *
 * Out-of-order rows: request rows pass through a reorder buffer that holds rows until the
 * newest timestamp seen is more than `reorderWindow` seconds past them, so rows that are out of
 * order by less than the window are sorted; a row older than rows already written is rejected
 * (the message says to sort the file or widen the window). Sorted input keeps the buffer to the
 * rows of one window, so memory stays flat in the file's length. Duplicate timestamps are kept:
 * they are separate requests, in file order.
 */

/**
 * Request rows → a requests trace, through the bounded reorder buffer described above. The
 * trace starts at `start` or, by default, at the earliest written row floored to the minute; its
 * duration runs to the end of the minute of the last request.
 */
/** Most rows the reorder buffer holds (25 bytes each: 100 MB), whatever `--reorder-window` says. */
export const MAX_BUFFERED_ROWS = 4_000_000;

export class RequestSink {
  private readonly writer: TraceWriter;
  private readonly window: number;
  private cap = 4096;
  private bt = new Float64Array(this.cap);
  private bi = new Float64Array(this.cap);
  private bo = new Float64Array(this.cap);
  private bc = new Uint8Array(this.cap);
  private head = 0;
  private tail = 0;
  private maxSeen = -Infinity;
  private lastWritten = -Infinity;
  private lastAdded = NaN;
  private startAt: number | undefined;
  readonly stats = { rows: 0, inputTokens: 0, outputTokens: 0, reordered: 0, duplicates: 0, peak: 0 };

  constructor(
    output: string,
    private readonly opts: { start?: number; reorderWindow?: number; maxBuffered?: number },
  ) {
    this.window = opts.reorderWindow ?? 300;
    this.writer = new TraceWriter(output, REQUEST_COLUMNS);
    this.startAt = opts.start;
  }

  add(t: number, inputTokens: number, outputTokens: number, cls: number, line: number, file: string): void {
    const s = this.stats;
    s.rows++;
    s.inputTokens += inputTokens;
    s.outputTokens += outputTokens;
    if (t === this.lastAdded) s.duplicates++;
    this.lastAdded = t;
    if (this.opts.start !== undefined && t < this.opts.start)
      throw new InputError(MSG.beforeStart(isoSeconds(t), isoSeconds(this.opts.start)), `${file}:${line}`);
    if (t < this.lastWritten)
      throw new InputError(
        MSG.outOfOrder(isoSeconds(t), this.lastWritten - t, this.window),
        `${file}:${line}`,
      );
    if (this.tail === this.cap) this.makeRoom();
    let i = this.tail;
    if (this.tail > this.head && t < this.bt[this.tail - 1]!) {
      // Out of order within the window: insert after the last row with time ≤ t (stable).
      s.reordered++;
      let lo = this.head;
      let hi = this.tail;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.bt[mid]! <= t) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
      this.bt.copyWithin(i + 1, i, this.tail);
      this.bi.copyWithin(i + 1, i, this.tail);
      this.bo.copyWithin(i + 1, i, this.tail);
      this.bc.copyWithin(i + 1, i, this.tail);
    }
    this.bt[i] = t;
    this.bi[i] = inputTokens;
    this.bo[i] = outputTokens;
    this.bc[i] = cls;
    this.tail++;
    if (this.tail - this.head > s.peak) s.peak = this.tail - this.head;
    if (t > this.maxSeen) this.maxSeen = t;
    const due = this.maxSeen - this.window;
    while (this.head < this.tail && this.bt[this.head]! < due) this.emit();
    // Issue 17: a wide window over a dense log would hold the whole file; stop at a bound instead.
    const most = this.opts.maxBuffered ?? MAX_BUFFERED_ROWS;
    if (this.tail - this.head > most)
      throw new InputError(MSG.bufferFull(most, this.window), `${file}:${line}`);
  }

  private emit(): void {
    const h = this.head++;
    const t = this.bt[h]!;
    this.startAt ??= Math.floor(t / 60) * 60;
    this.lastWritten = t;
    this.writer.request(t - this.startAt, this.bi[h]!, this.bo[h]!, this.bc[h]!);
  }

  /** Compacts the buffer, or doubles it when more than half is in use. */
  private makeRoom(): void {
    const used = this.tail - this.head;
    if (used * 2 <= this.cap) {
      this.bt.copyWithin(0, this.head, this.tail);
      this.bi.copyWithin(0, this.head, this.tail);
      this.bo.copyWithin(0, this.head, this.tail);
      this.bc.copyWithin(0, this.head, this.tail);
    } else {
      this.cap *= 2;
      const grow = <T extends Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(this.cap);
        b.set(a.subarray(this.head, this.tail));
        return b;
      };
      this.bt = grow(this.bt, (n) => new Float64Array(n));
      this.bi = grow(this.bi, (n) => new Float64Array(n));
      this.bo = grow(this.bo, (n) => new Float64Array(n));
      this.bc = grow(this.bc, (n) => new Uint8Array(n));
    }
    this.tail = used;
    this.head = 0;
  }

  /** Writes what is buffered and commits the file; returns t = 0 and the duration. */
  finish(source: string, where: string): { start: number; durationSeconds: number } {
    if (this.stats.rows === 0) throw new InputError(MSG.noRows('input'), where);
    while (this.head < this.tail) this.emit();
    const start = this.startAt!;
    const durationSeconds = (Math.floor((this.lastWritten - start) / 60) + 1) * 60;
    const header: TraceHeader = { start: isoSeconds(start), kind: 'requests', durationSeconds, source };
    this.writer.commit(header);
    return { start, durationSeconds };
  }

  abort(): void {
    this.writer.abort();
  }
}
