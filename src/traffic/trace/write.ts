import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../../errors.js';
import { onInterrupt } from '../../interrupt.js';
import { makeDirs } from '../../out-path.js';
import { MSG } from '../messages.js';
import { RequestClass, type ArrivalStream } from '../types.js';
import { formatHeader, MODEL_COLUMN, REQUEST_COLUMNS, type TraceHeader } from './format.js';
import { ChunkReader } from './lines.js';

/*
 * Writing trace files. Writing goes to a temporary file in the same folder, renamed over the
 * target on `commit()`, so a failed import never leaves a half-written trace.
 */

let tmpCounter = 0;
const OUT_CHUNK = 1 << 20;
const CLASS_BYTES = [Buffer.from('interactive'), Buffer.from('batch')] as const;

/**
 * Writes a trace file atomically: rows go to a temporary file beside the target, renamed over it
 * on `commit()`; `abort()` removes the temporary file. When the header is only known at the end
 * (an import learns the duration from its last row), pass it to `commit()` instead: the rows are
 * then written to a body file first and joined behind the header on commit.
 *
 * Rows are encoded straight into a 1 MiB byte buffer (digits written by hand: `String(float)`
 * costs more than parsing the row did). Request times are written to the microsecond.
 */
export class TraceWriter {
  private readonly tmp: string;
  private readonly bodyTmp: string | undefined;
  private fd: number;
  private readonly buf = Buffer.allocUnsafe(OUT_CHUNK);
  private pos = 0;
  private closed = false;
  /** Unregisters the removal of the temporary files on SIGINT/SIGTERM (src/interrupt.ts). */
  private readonly forget: () => void;
  rows = 0;

  constructor(
    readonly path: string,
    private readonly columns: readonly string[],
    header?: TraceHeader,
  ) {
    const dir = dirname(path);
    const stem = `.${basename(path)}.${process.pid}.${tmpCounter++}`;
    this.tmp = join(dir, `${stem}.tmp`);
    this.bodyTmp = header === undefined ? join(dir, `${stem}.body.tmp`) : undefined;
    this.forget = onInterrupt(() => this.removeTemps());
    try {
      makeDirs(dir);
      this.fd = openSync(this.bodyTmp ?? this.tmp, 'w');
    } catch (e) {
      this.forget();
      throw writeError(e, path);
    }
    if (header !== undefined) this.text(`${formatHeader(header)}\n${columns.join(',')}\n`);
  }

  /** Appends one row (already formatted, without the newline). */
  line(row: string): void {
    this.text(row);
    this.byte(10);
    this.rows++;
  }

  /** Appends a request row: t to the microsecond, whole token counts, the class name[, the model]. */
  request(t: number, inputTokens: number, outputTokens: number, cls: number, model?: Buffer): void {
    if (this.pos > OUT_CHUNK - 256) this.flush();
    this.micros(t);
    this.byte(44);
    this.int(inputTokens);
    this.byte(44);
    this.int(outputTokens);
    this.byte(44);
    const name = CLASS_BYTES[cls === RequestClass.batch ? 1 : 0];
    name.copy(this.buf, this.pos);
    this.pos += name.length;
    if (model !== undefined) {
      // A model name is at most 80 bytes: the 256 bytes kept free above leave room for the row.
      this.byte(44);
      model.copy(this.buf, this.pos);
      this.pos += model.length;
    }
    this.byte(10);
    this.rows++;
  }

  private byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  private text(s: string): void {
    if (this.pos + s.length * 3 + 1 > OUT_CHUNK) this.flush();
    if (s.length * 3 > OUT_CHUNK) {
      this.writeOut(Buffer.from(s));
      return;
    }
    this.pos += this.buf.write(s, this.pos);
  }

  /** A whole number ≥ 0 (larger than 2^53 falls back to String). */
  private int(n: number): void {
    if (!(n >= 0 && n <= Number.MAX_SAFE_INTEGER && Number.isInteger(n))) {
      this.pos += this.buf.write(String(n), this.pos, 'latin1');
      return;
    }
    const b = this.buf;
    const start = this.pos;
    do {
      const q = Math.floor(n / 10);
      b[this.pos++] = 48 + n - q * 10;
      n = q;
    } while (n > 0);
    // Digits came out least significant first.
    for (let i = start, j = this.pos - 1; i < j; i++, j--) {
      const c = b[i]!;
      b[i] = b[j]!;
      b[j] = c;
    }
  }

  /** Seconds ≥ 0 rounded to the microsecond, trailing zeros dropped: 12.5, 0.000125, 60. */
  private micros(t: number): void {
    const us = Math.round(t * 1e6);
    const whole = Math.floor(us / 1e6);
    let frac = us - whole * 1e6;
    this.int(whole);
    if (frac === 0) return;
    let digits = 6;
    while (frac % 10 === 0) {
      frac /= 10;
      digits--;
    }
    this.byte(46);
    const b = this.buf;
    for (let i = this.pos + digits - 1; i >= this.pos; i--) {
      const q = Math.floor(frac / 10);
      b[i] = 48 + frac - q * 10;
      frac = q;
    }
    this.pos += digits;
  }

  private flush(): void {
    if (this.pos === 0) return;
    const n = this.pos;
    this.pos = 0;
    this.writeOut(this.buf.subarray(0, n));
  }

  private writeOut(bytes: Buffer): void {
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    } catch (e) {
      throw writeError(e, this.path);
    }
  }

  commit(header?: TraceHeader): void {
    try {
      this.flush();
      if (this.bodyTmp !== undefined) {
        if (header === undefined) throw new Error('internal: TraceWriter.commit needs the header');
        closeSync(this.fd);
        this.fd = openSync(this.tmp, 'w');
        this.writeOut(Buffer.from(`${formatHeader(header)}\n${this.columns.join(',')}\n`));
        const r = new ChunkReader(this.bodyTmp);
        for (let chunk = r.read(); chunk !== undefined; chunk = r.read()) this.writeOut(chunk);
        rmSync(this.bodyTmp, { force: true });
      }
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.closed = true;
      renameSync(this.tmp, this.path);
      this.forget();
    } catch (e) {
      this.abort();
      throw e instanceof InputError || (e as Error).message?.startsWith('internal')
        ? e
        : writeError(e, this.path);
    }
  }

  abort(): void {
    if (!this.closed) {
      this.closed = true;
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
    }
    this.removeTemps();
    this.forget();
  }

  private removeTemps(): void {
    rmSync(this.tmp, { force: true });
    if (this.bodyTmp !== undefined) rmSync(this.bodyTmp, { force: true });
  }
}

function writeError(e: unknown, path: string): Error {
  if (e instanceof InputError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  return code ? new InputError(MSG.cannotWrite(code), path) : (e as Error);
}

/**
 * Writes a requests trace from a stream (e.g. a scenario's synthetic traffic), atomically. With
 * `header.models`, rows get a `model` column (the name at `stream.model`) and the header is
 * written last, so names a reading stream met along the way are listed too.
 */
export function writeRequestTrace(
  path: string,
  header: TraceHeader,
  stream: ArrivalStream & { model?: number },
): number {
  const models = header.models;
  if (models === undefined || models.length === 0) {
    const w = new TraceWriter(path, REQUEST_COLUMNS, { ...header, models: undefined });
    try {
      while (stream.next()) w.request(stream.t, stream.inputTokens, stream.outputTokens, stream.cls);
      w.commit();
    } catch (e) {
      w.abort();
      throw e;
    }
    return w.rows;
  }
  const w = new TraceWriter(path, [...REQUEST_COLUMNS, MODEL_COLUMN]);
  const names: Buffer[] = [];
  try {
    while (stream.next()) {
      const m = stream.model ?? 0;
      const name = models[m];
      if (name === undefined) throw new Error(`internal: stream.model ${m} is not in header.models`);
      w.request(
        stream.t,
        stream.inputTokens,
        stream.outputTokens,
        stream.cls,
        (names[m] ??= Buffer.from(name)),
      );
    }
    w.commit({ ...header, models: [...models] });
  } catch (e) {
    w.abort();
    throw e;
  }
  return w.rows;
}
