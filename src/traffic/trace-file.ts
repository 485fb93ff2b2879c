import { closeSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { IANAZone } from 'luxon';
import { InputError } from '../errors.js';
import { sample, type Dist } from '../sim/dist.js';
import { Rng } from '../sim/rng.js';
import { MSG } from './messages.js';
import { RequestClass, type ArrivalStream } from './types.js';

/*
 * Trace files (design §6): a comment line with the header, a column line, then rows sorted by t_s.
 *
 *   # servesim-trace v1 start=2026-11-02T00:00:00Z kind=requests duration_s=86400 source=...
 *   t_s,input_tokens,output_tokens,class
 *   # servesim-trace v1 start=... kind=binned period_s=60 duration_s=1209600 source=...
 *   t_s,requests,input_tokens,output_tokens[,throttles][,model_copies][,latency_ms]
 *
 * Reading is synchronous and streaming: 1 MiB chunks through a line reader (the file is opened
 * per chunk, so an abandoned stream never holds a descriptor), one row in memory at a time.
 * Binned rows expand lazily into requests with the run's seeded generator:
 * - times: the bin's n requests are n uniform draws on [t_s, t_s + period_s), produced already
 *   sorted as sequential order statistics (x ← 1 − (1 − x)·U^(1/k) with k draws left), so nothing
 *   is stored or sorted;
 * - tokens: each request gets ⌊sum / n⌋ and exactly (sum mod n) of them, picked by selection
 *   sampling, get one more — the bin's sums are preserved exactly, as integers. Token lengths
 *   inside a bin are therefore even; the file does not say how they varied.
 * `throttles` are not expanded: a throttled call is usually retried and then counted in
 * `requests`, so adding them would count it twice.
 *
 * Writing goes to a temporary file in the same folder, renamed over the target on `commit()`, so
 * a failed import never leaves a half-written trace.
 */

export type TraceKind = 'requests' | 'binned';
export type TraceClassName = 'interactive' | 'batch';

export interface TraceHeader {
  /** t = 0 as UTC ISO-8601 (`2026-11-02T00:00:00Z`). */
  start: string;
  kind: TraceKind;
  /** Bin length in seconds (binned traces). */
  periodSeconds?: number;
  /** Class of a binned trace's requests (default interactive). */
  class?: TraceClassName;
  /** Length of the trace in seconds (optional; binned traces imply at least their last bin's end). */
  durationSeconds?: number;
  /** Where it came from, e.g. `cloudwatch:AWS/Bedrock:ModelId=...`. */
  source: string;
}

export const REQUEST_COLUMNS = ['t_s', 'input_tokens', 'output_tokens', 'class'] as const;
export const BINNED_COLUMNS = ['t_s', 'requests', 'input_tokens', 'output_tokens'] as const;
/** Optional binned columns, in the order writers put them. */
export const BINNED_OPTIONAL = ['throttles', 'model_copies', 'latency_ms'] as const;
export type BinnedOptional = (typeof BINNED_OPTIONAL)[number];

const MAGIC = '# servesim-trace v1';

/** Unix seconds → `2026-11-02T00:00:00Z` (milliseconds only when not whole). */
export function isoSeconds(epochSeconds: number): string {
  return new Date(Math.round(epochSeconds * 1000)).toISOString().replace('.000Z', 'Z');
}

export function formatHeader(h: TraceHeader): string {
  const parts = [MAGIC, `start=${h.start}`, `kind=${h.kind}`];
  if (h.periodSeconds !== undefined) parts.push(`period_s=${h.periodSeconds}`);
  if (h.class !== undefined && h.class !== 'interactive') parts.push(`class=${h.class}`);
  if (h.durationSeconds !== undefined) parts.push(`duration_s=${h.durationSeconds}`);
  parts.push(`source=${encodeURIComponent(h.source)}`);
  return parts.join(' ');
}

/** Parses the header line; unknown keys are ignored so later versions can add some. */
export function parseHeader(line: string, where: string): TraceHeader & { startEpochSeconds: number } {
  if (!line.startsWith(MAGIC)) throw new InputError(MSG.notATrace(), `${where}:1`);
  const kv = new Map<string, string>();
  for (const part of line.slice(MAGIC.length).trim().split(/\s+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) kv.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const at = `${where}:1`;
  const start = kv.get('start');
  if (start === undefined) throw new InputError(MSG.missingHeaderKey('start'), at);
  const startMs = Date.parse(start);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(start) || !Number.isFinite(startMs))
    throw new InputError(
      MSG.badHeaderValue('start', start, 'a UTC date-time such as 2026-11-02T00:00:00Z'),
      at,
    );
  const kind = kv.get('kind');
  if (kind !== 'requests' && kind !== 'binned')
    throw new InputError(
      kind === undefined
        ? MSG.missingHeaderKey('kind')
        : MSG.badHeaderValue('kind', kind, 'requests or binned'),
      at,
    );
  const h: TraceHeader & { startEpochSeconds: number } = {
    start,
    startEpochSeconds: startMs / 1000,
    kind,
    source: decodeSource(kv.get('source') ?? ''),
  };
  const period = kv.get('period_s');
  if (kind === 'binned') {
    if (period === undefined) throw new InputError(MSG.missingHeaderKey('period_s'), at);
    const p = Number(period);
    if (!Number.isInteger(p) || p < 1)
      throw new InputError(MSG.badHeaderValue('period_s', period, 'a whole number of seconds ≥ 1'), at);
    h.periodSeconds = p;
  }
  const cls = kv.get('class');
  if (cls !== undefined) {
    if (cls !== 'interactive' && cls !== 'batch')
      throw new InputError(MSG.badHeaderValue('class', cls, 'interactive or batch'), at);
    h.class = cls;
  }
  const duration = kv.get('duration_s');
  if (duration !== undefined) {
    const d = Number(duration);
    if (!(d > 0) || !Number.isFinite(d))
      throw new InputError(MSG.badHeaderValue('duration_s', duration, 'seconds > 0'), at);
    h.durationSeconds = d;
  }
  return h;
}

function decodeSource(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// ---- Reading ---------------------------------------------------------------------------------

const CHUNK = 1 << 20;

/**
 * Synchronous line reader over a file in 1 MiB chunks: strips a UTF-8 BOM and `\r` before `\n`.
 * Memory is one chunk plus one partial line, whatever the file's size.
 */
export class LineReader {
  /** 1-based number of the line `next()` returned last. */
  lineNo = 0;
  private buf = '';
  private pos = 0;
  private filePos = 0;
  private eof = false;
  private readonly decoder = new StringDecoder('utf8');
  private readonly bytes = Buffer.allocUnsafe(CHUNK);

  constructor(
    readonly path: string,
    private readonly what = 'trace',
  ) {
    this.fill();
    if (this.buf.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  next(): string | undefined {
    for (;;) {
      const nl = this.buf.indexOf('\n', this.pos);
      if (nl >= 0) {
        const end = nl > this.pos && this.buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        const line = this.buf.slice(this.pos, end);
        this.pos = nl + 1;
        this.lineNo++;
        return line;
      }
      if (this.eof) {
        if (this.pos >= this.buf.length) return undefined;
        let line = this.buf.slice(this.pos);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        this.pos = this.buf.length;
        this.lineNo++;
        return line;
      }
      this.fill();
    }
  }

  private fill(): void {
    let n: number;
    try {
      const fd = openSync(this.path, 'r');
      try {
        n = readSync(fd, this.bytes, 0, CHUNK, this.filePos);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      throw new InputError(
        code === 'ENOENT' ? MSG.noSuchFile(this.what) : MSG.cannotRead(this.what, code),
        this.path,
      );
    }
    this.filePos += n;
    const rest = this.buf.slice(this.pos);
    if (n === 0) {
      this.eof = true;
      this.buf = rest + this.decoder.end();
    } else {
      this.buf = rest + this.decoder.write(this.bytes.subarray(0, n));
    }
    this.pos = 0;
  }
}

/** An opened trace file: header, column indices and the reader positioned at the first row. */
interface OpenTrace {
  header: TraceHeader & { startEpochSeconds: number };
  columns: string[];
  reader: LineReader;
  /** Column index by name (−1 if absent). */
  col: (name: string) => number;
}

function openTrace(path: string): OpenTrace {
  const reader = new LineReader(path);
  const first = reader.next();
  if (first === undefined || first.trim() === '')
    throw new InputError(MSG.emptyFile('trace', REQUEST_COLUMNS.join(',')), path);
  const header = parseHeader(first, path);
  const columnLine = reader.next() ?? '';
  const columns = columnLine.split(',').map((c) => c.trim());
  const expected = header.kind === 'requests' ? REQUEST_COLUMNS.slice(0, 3) : BINNED_COLUMNS;
  if (!expected.every((c) => columns.includes(c)))
    throw new InputError(MSG.traceColumns(header.kind, expected, columns), `${path}:2`);
  return { header, columns, reader, col: (name) => columns.indexOf(name) };
}

/** Reads a trace file's header and column names only. */
export function readTraceHeader(path: string): {
  header: TraceHeader & { startEpochSeconds: number };
  columns: string[];
} {
  const { header, columns } = openTrace(path);
  return { header, columns };
}

function num(field: string | undefined, column: string, expected: string, where: string): number {
  const v = field === undefined || field === '' ? NaN : +field;
  if (!(v >= 0) || v === Infinity)
    throw new InputError(MSG.badTraceNumber(column, field ?? '', expected), where);
  return v;
}

function whole(field: string | undefined, column: string, where: string): number {
  const v = num(field, column, 'a whole number ≥ 0', where);
  if (!Number.isInteger(v))
    throw new InputError(MSG.badTraceNumber(column, field ?? '', 'a whole number ≥ 0'), where);
  return v;
}

export interface TraceSourceOptions {
  /** The run's seed; expansion draws from Rng.derive(seed, 'traffic', index[, 'tokens']). */
  seed: number;
  /** The component's index in the scenario (names its random streams). */
  index: number;
  /** Seconds added to every t_s (where the trace's t = 0 lands on the run's timeline). Default 0. */
  offset?: number;
  /** Requests at or after this time (run seconds) are dropped. Default: none dropped. */
  limit?: number;
  /** Every request gets this class instead of the file's. */
  cls?: TraceClassName;
  /** Token lengths drawn from these instead of the file's (rounded, at least 1). */
  inputTokens?: Dist;
  outputTokens?: Dist;
}

/**
 * One trace file as a source of requests in time order: `t` is the pending request's time
 * (Infinity once exhausted) and `advance()` moves to the next. This is the shape the synthetic
 * merge takes, so a `trace` component mixes with the others. Allocates nothing per request.
 */
export class TraceFileSource {
  t = -Infinity;
  inputTokens = 0;
  outputTokens = 0;
  cls: number = RequestClass.interactive;
  readonly header: TraceHeader & { startEpochSeconds: number };
  private readonly reader: LineReader;
  private readonly path: string;
  private readonly binned: boolean;
  private readonly offset: number;
  private readonly limit: number;
  private readonly fixedCls: number;
  private readonly iT: number;
  private readonly iIn: number;
  private readonly iOut: number;
  private readonly iCls: number;
  private readonly iReq: number;
  private readonly period: number;
  private readonly rng: Rng;
  private readonly tokenRng: Rng;
  private readonly inputDist: Dist | undefined;
  private readonly outputDist: Dist | undefined;
  private done = false;
  private prevT = -Infinity;
  // Binned expansion state: the current bin and how much of it is left.
  private binStart = 0;
  private left = 0;
  private x = 0;
  private inBase = 0;
  private inRem = 0;
  private outBase = 0;
  private outRem = 0;

  constructor(path: string, opts: TraceSourceOptions) {
    const o = openTrace(path);
    this.path = path;
    this.header = o.header;
    this.reader = o.reader;
    this.binned = o.header.kind === 'binned';
    this.offset = opts.offset ?? 0;
    this.limit = opts.limit ?? Infinity;
    this.iT = o.col('t_s');
    this.iIn = o.col('input_tokens');
    this.iOut = o.col('output_tokens');
    this.iCls = opts.cls === undefined ? o.col('class') : -1;
    this.iReq = o.col('requests');
    this.period = o.header.periodSeconds ?? 0;
    const fileCls = o.header.class ?? 'interactive';
    this.fixedCls = RequestClass[opts.cls ?? fileCls];
    this.cls = this.fixedCls;
    this.rng = Rng.derive(opts.seed, 'traffic', opts.index);
    this.tokenRng = Rng.derive(opts.seed, 'traffic', opts.index, 'tokens');
    this.inputDist = opts.inputTokens;
    this.outputDist = opts.outputTokens;
  }

  advance(): void {
    if (this.done) return;
    const t = this.binned ? this.nextBinned() : this.nextRequest();
    if (t >= this.limit || t === Infinity) {
      this.done = true;
      this.t = Infinity;
      return;
    }
    this.t = t;
    if (this.inputDist) this.inputTokens = Math.max(1, Math.round(sample(this.inputDist, this.tokenRng)));
    if (this.outputDist) this.outputTokens = Math.max(1, Math.round(sample(this.outputDist, this.tokenRng)));
  }

  private where(): string {
    return `${this.path}:${this.reader.lineNo}`;
  }

  private nextRequest(): number {
    for (;;) {
      const line = this.reader.next();
      if (line === undefined) return Infinity;
      if (line === '' || line.charCodeAt(0) === 35) continue; // blank or # comment
      const f = line.split(',');
      const ft = f[this.iT];
      const fi = f[this.iIn];
      const fo = f[this.iOut];
      let ts = +ft!;
      let a = +fi!;
      let b = +fo!;
      // Fast check; the messages (and the `where` string) are built only for a bad row.
      if (
        !(
          ts >= 0 &&
          ts < Infinity &&
          a >= 0 &&
          a < Infinity &&
          b >= 0 &&
          b < Infinity &&
          ft !== '' &&
          fi !== '' &&
          fo !== ''
        ) ||
        a % 1 ||
        b % 1
      ) {
        ts = num(ft, 't_s', 'seconds ≥ 0', this.where());
        a = whole(fi, 'input_tokens', this.where());
        b = whole(fo, 'output_tokens', this.where());
      }
      if (ts < this.prevT) throw new InputError(MSG.unsorted(ts, this.prevT), this.where());
      this.prevT = ts;
      this.inputTokens = a;
      this.outputTokens = b;
      if (this.iCls >= 0) {
        const raw = f[this.iCls];
        const c = raw === 'interactive' || raw === 'batch' ? raw : (raw?.trim() ?? '');
        if (c === 'interactive' || c === '') this.cls = RequestClass.interactive;
        else if (c === 'batch') this.cls = RequestClass.batch;
        else throw new InputError(MSG.badClass(c), this.where());
      }
      return ts + this.offset;
    }
  }

  private nextBinned(): number {
    for (;;) {
      if (this.left > 0) {
        const k = this.left--;
        this.x = 1 - (1 - this.x) * Math.pow(this.rng.next(), 1 / k);
        const t = this.binStart + this.x * this.period;
        let extra = 0;
        if (this.inRem > 0 && this.tokenRng.next() * k < this.inRem) {
          this.inRem--;
          extra = 1;
        }
        this.inputTokens = this.inBase + extra;
        extra = 0;
        if (this.outRem > 0 && this.tokenRng.next() * k < this.outRem) {
          this.outRem--;
          extra = 1;
        }
        this.outputTokens = this.outBase + extra;
        return t;
      }
      const line = this.reader.next();
      if (line === undefined) return Infinity;
      if (line === '' || line.charCodeAt(0) === 35) continue;
      const f = line.split(',');
      const ts = num(f[this.iT], 't_s', 'seconds ≥ 0', this.where());
      if (ts < this.prevT + this.period)
        throw new InputError(
          ts < this.prevT ? MSG.unsorted(ts, this.prevT) : MSG.overlappingBins(ts, this.prevT, this.period),
          this.where(),
        );
      this.prevT = ts;
      const n = whole(f[this.iReq], 'requests', this.where());
      const inSum = whole(f[this.iIn], 'input_tokens', this.where());
      const outSum = whole(f[this.iOut], 'output_tokens', this.where());
      this.binStart = ts + this.offset;
      if (this.binStart >= this.limit) return Infinity;
      if (n === 0) continue;
      this.left = n;
      this.x = 0;
      this.inBase = Math.floor(inSum / n);
      this.inRem = inSum - this.inBase * n;
      this.outBase = Math.floor(outSum / n);
      this.outRem = outSum - this.outBase * n;
    }
  }
}

/** A trace file as an `ArrivalStream` (for `trace show`, tests and benchmarks). */
export class TraceFileStream implements ArrivalStream {
  t = 0;
  inputTokens = 0;
  outputTokens = 0;
  cls: number = RequestClass.interactive;
  private readonly source: TraceFileSource;

  constructor(path: string, opts: TraceSourceOptions) {
    this.source = new TraceFileSource(path, opts);
    this.source.advance();
  }

  get header(): TraceHeader & { startEpochSeconds: number } {
    return this.source.header;
  }

  next(): boolean {
    const s = this.source;
    if (s.t === Infinity) return false;
    this.t = s.t;
    this.inputTokens = s.inputTokens;
    this.outputTokens = s.outputTokens;
    this.cls = s.cls;
    s.advance();
    return true;
  }
}

/** A binned trace held in memory (bins are few: 15 days of minutes = 21,600 rows). */
export interface BinnedSeries {
  header: TraceHeader & { startEpochSeconds: number };
  periodSeconds: number;
  t: Float64Array;
  requests: Float64Array;
  inputTokens: Float64Array;
  outputTokens: Float64Array;
  /** Present when the file has the column. */
  throttles: Float64Array | null;
  modelCopies: Float64Array | null;
  latencyMs: Float64Array | null;
}

/** Reads every bin of a binned trace file. */
export function readBinnedSeries(path: string): BinnedSeries {
  const o = openTrace(path);
  if (o.header.kind !== 'binned')
    throw new InputError(
      MSG.badHeaderValue('kind', o.header.kind, 'binned (this needs per-period bins)'),
      `${path}:1`,
    );
  const period = o.header.periodSeconds!;
  const cols = ['t_s', 'requests', 'input_tokens', 'output_tokens', ...BINNED_OPTIONAL].map((c) => o.col(c));
  const arrays: number[][] = cols.map(() => []);
  let prev = -Infinity;
  for (let line = o.reader.next(); line !== undefined; line = o.reader.next()) {
    if (line === '' || line.charCodeAt(0) === 35) continue;
    const where = `${path}:${o.reader.lineNo}`;
    const f = line.split(',');
    const ts = num(f[cols[0]!], 't_s', 'seconds ≥ 0', where);
    if (ts < prev + period)
      throw new InputError(ts < prev ? MSG.unsorted(ts, prev) : MSG.overlappingBins(ts, prev, period), where);
    prev = ts;
    arrays[0]!.push(ts);
    arrays[1]!.push(whole(f[cols[1]!], 'requests', where));
    arrays[2]!.push(whole(f[cols[2]!], 'input_tokens', where));
    arrays[3]!.push(whole(f[cols[3]!], 'output_tokens', where));
    for (let k = 4; k < cols.length; k++)
      if (cols[k]! >= 0) arrays[k]!.push(num(f[cols[k]!], BINNED_OPTIONAL[k - 4]!, 'a number ≥ 0', where));
  }
  const opt = (k: number) => (cols[k]! >= 0 ? Float64Array.from(arrays[k]!) : null);
  return {
    header: o.header,
    periodSeconds: period,
    t: Float64Array.from(arrays[0]!),
    requests: Float64Array.from(arrays[1]!),
    inputTokens: Float64Array.from(arrays[2]!),
    outputTokens: Float64Array.from(arrays[3]!),
    throttles: opt(4),
    modelCopies: opt(5),
    latencyMs: opt(6),
  };
}

/**
 * Observed copies per minute of a run's timeline from a binned trace's `model_copies` column, or
 * null when the trace has none. Minute m covers [m·60, (m+1)·60) of run time; a bin of period p
 * (the CloudWatch Maximum over p) sets every minute it overlaps to its value (the peak), so at
 * p > 60 s the observed side is an upper approximation.
 */
export function observedCopiesPerMinute(
  path: string,
  offset: number,
  minutes: number,
): { perMinute: Float64Array; periodSeconds: number } | null {
  const { header, columns } = readTraceHeader(path);
  if (header.kind !== 'binned' || !columns.includes('model_copies')) return null;
  const s = readBinnedSeries(path);
  const out = new Float64Array(minutes);
  for (let i = 0; i < s.t.length; i++) {
    const a = offset + s.t[i]!;
    const from = Math.max(0, Math.floor(a / 60));
    const to = Math.min(minutes, Math.ceil((a + s.periodSeconds) / 60 - 1e-9));
    const v = s.modelCopies![i]!;
    for (let m = from; m < to; m++) if (v > out[m]!) out[m] = v;
  }
  return { perMinute: out, periodSeconds: s.periodSeconds };
}

// ---- Writing ---------------------------------------------------------------------------------

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
    try {
      mkdirSync(dir, { recursive: true });
      this.fd = openSync(this.bodyTmp ?? this.tmp, 'w');
    } catch (e) {
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

  /** Appends a request row: t to the microsecond, whole token counts, the class name. */
  request(t: number, inputTokens: number, outputTokens: number, cls: number): void {
    if (this.pos > OUT_CHUNK - 128) this.flush();
    this.micros(t);
    this.byte(44);
    this.int(inputTokens);
    this.byte(44);
    this.int(outputTokens);
    this.byte(44);
    const name = CLASS_BYTES[cls === RequestClass.batch ? 1 : 0];
    name.copy(this.buf, this.pos);
    this.pos += name.length;
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
    rmSync(this.tmp, { force: true });
    if (this.bodyTmp !== undefined) rmSync(this.bodyTmp, { force: true });
  }
}

/** Raw chunks of a file, for copying. */
class ChunkReader {
  private pos = 0;
  private readonly bytes = Buffer.allocUnsafe(CHUNK);
  constructor(private readonly path: string) {}
  read(): Buffer | undefined {
    const fd = openSync(this.path, 'r');
    try {
      const n = readSync(fd, this.bytes, 0, CHUNK, this.pos);
      this.pos += n;
      return n === 0 ? undefined : this.bytes.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  }
}

function writeError(e: unknown, path: string): Error {
  if (e instanceof InputError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  return code ? new InputError(MSG.cannotWrite(code), path) : (e as Error);
}

/** Writes a requests trace from a stream (e.g. a scenario's synthetic traffic), atomically. */
export function writeRequestTrace(path: string, header: TraceHeader, stream: ArrivalStream): number {
  const w = new TraceWriter(path, REQUEST_COLUMNS, header);
  try {
    while (stream.next()) w.request(stream.t, stream.inputTokens, stream.outputTokens, stream.cls);
    w.commit();
  } catch (e) {
    w.abort();
    throw e;
  }
  return w.rows;
}

// ---- Summary (`trace show`) ------------------------------------------------------------------

export interface ClassTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

export interface IdleGap {
  /** When the gap starts (UTC ISO-8601). */
  from: string;
  seconds: number;
  /** Binned traces only know gaps to the bin: the gap is at least `seconds`. */
  atLeast: boolean;
}

export interface TraceStats {
  kind: TraceKind;
  source: string;
  start: string;
  end: string;
  durationSeconds: number;
  periodSeconds: number | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  byClass: { interactive: ClassTotals; batch: ClassTotals };
  /** Most requests that arrived in one minute (binned with period > 60 s: in one period). */
  peakPerMinute: number | null;
  peakPerPeriod: number | null;
  timezone: string;
  /** Requests per local hour of day 00–23, summed over the trace. */
  perHour: number[];
  /** Longest idle gaps, longest first. Requests traces: between consecutive arrivals; binned: runs of empty bins. */
  longestIdleGaps: IdleGap[];
  throttles: number | null;
  modelCopies: { peak: number; copyMinutes: number } | null;
  /** Mean observed latency weighted by requests (binned traces with latency_ms). */
  meanLatencyMs: number | null;
}

/** Keeps the k largest gaps (k is small: a linear insert). */
class TopGaps {
  readonly gaps: { start: number; seconds: number }[] = [];
  constructor(private readonly k: number) {}
  add(start: number, seconds: number): void {
    const g = this.gaps;
    if (g.length === this.k && seconds <= g[g.length - 1]!.seconds) return;
    let i = g.length;
    while (i > 0 && g[i - 1]!.seconds < seconds) i--;
    g.splice(i, 0, { start, seconds });
    if (g.length > this.k) g.pop();
  }
}

/** Local hour of day for Unix seconds, with the zone offset cached per UTC hour. */
function hourOfDay(zone: IANAZone): (epochSeconds: number) => number {
  let cachedHour = NaN;
  let cachedOffset = 0;
  return (s) => {
    const h = Math.floor(s / 3600);
    if (h !== cachedHour) {
      cachedHour = h;
      cachedOffset = zone.offset(h * 3600 * 1000) * 60;
    }
    const local = s + cachedOffset;
    return Math.floor((((local % 86400) + 86400) % 86400) / 3600);
  };
}

/**
 * One streaming pass over a trace file: span, totals, per-hour profile (in `timezone`), the
 * longest idle gaps. Requests traces never hold more than one row; binned traces are read per bin
 * (their requests are not expanded: counts and gaps come from the bins).
 */
export function summarizeTraceFile(path: string, timezone = 'UTC', topGaps = 5): TraceStats {
  if (!IANAZone.isValidZone(timezone))
    throw new InputError(
      `unknown time zone ${JSON.stringify(timezone)}: use an IANA name such as UTC or Europe/Berlin`,
      '--timezone',
    );
  const hour = hourOfDay(IANAZone.create(timezone));
  const { header } = readTraceHeader(path);
  const start = header.startEpochSeconds;
  const perHour = new Array<number>(24).fill(0);
  const by = { interactive: totals(), batch: totals() };
  const gaps = new TopGaps(topGaps);
  let peakPerMinute: number | null = 0;
  let peakPerPeriod: number | null = null;
  let end: number;
  let throttles: number | null = null;
  let modelCopies: TraceStats['modelCopies'] = null;
  let meanLatencyMs: number | null = null;

  if (header.kind === 'requests') {
    const s = new TraceFileStream(path, { seed: 0, index: 0 });
    let prev = NaN;
    let minute = -1;
    let inMinute = 0;
    while (s.next()) {
      const c = s.cls === RequestClass.batch ? by.batch : by.interactive;
      c.requests++;
      c.inputTokens += s.inputTokens;
      c.outputTokens += s.outputTokens;
      perHour[hour(start + s.t)]!++;
      if (prev === prev) gaps.add(prev, s.t - prev);
      prev = s.t;
      const m = Math.floor(s.t / 60);
      if (m !== minute) {
        minute = m;
        inMinute = 0;
      }
      if (++inMinute > peakPerMinute!) peakPerMinute = inMinute;
    }
    const last = prev === prev ? prev : 0;
    end = header.durationSeconds ?? (Math.floor(last / 60) + 1) * 60;
  } else {
    const b = readBinnedSeries(path);
    const p = b.periodSeconds;
    peakPerPeriod = 0;
    if (p > 60) peakPerMinute = null;
    let emptyFrom = NaN;
    let latencyWeighted = 0;
    let copyMinutes = 0;
    let peakCopies = 0;
    let nextT = 0;
    const cls = header.class === 'batch' ? by.batch : by.interactive;
    for (let i = 0; i < b.t.length; i++) {
      const t = b.t[i]!;
      const n = b.requests[i]!;
      // Sparse files: missing bins before this one are empty.
      if (t > nextT && emptyFrom !== emptyFrom) emptyFrom = nextT;
      nextT = t + p;
      cls.requests += n;
      cls.inputTokens += b.inputTokens[i]!;
      cls.outputTokens += b.outputTokens[i]!;
      perHour[hour(start + t)]! += n;
      if (n > peakPerPeriod) peakPerPeriod = n;
      if (n > 0) {
        if (emptyFrom === emptyFrom) gaps.add(emptyFrom, t - emptyFrom);
        emptyFrom = NaN;
      } else if (emptyFrom !== emptyFrom) emptyFrom = t;
      if (b.latencyMs) latencyWeighted += b.latencyMs[i]! * n;
      if (b.modelCopies) {
        const c = b.modelCopies[i]!;
        copyMinutes += (c * p) / 60;
        if (c > peakCopies) peakCopies = c;
      }
    }
    const lastEnd = b.t.length > 0 ? b.t[b.t.length - 1]! + p : 0;
    end = Math.max(header.durationSeconds ?? 0, lastEnd);
    if (emptyFrom === emptyFrom) gaps.add(emptyFrom, end - emptyFrom);
    else if (end > lastEnd) gaps.add(lastEnd, end - lastEnd);
    if (p <= 60) peakPerMinute = peakPerPeriod;
    if (b.throttles) throttles = b.throttles.reduce((a, v) => a + v, 0);
    if (b.modelCopies) modelCopies = { peak: peakCopies, copyMinutes };
    const total = cls.requests;
    if (b.latencyMs && total > 0) meanLatencyMs = latencyWeighted / total;
  }
  return {
    kind: header.kind,
    source: header.source,
    start: header.start,
    end: isoSeconds(start + end),
    durationSeconds: end,
    periodSeconds: header.periodSeconds ?? null,
    requests: by.interactive.requests + by.batch.requests,
    inputTokens: by.interactive.inputTokens + by.batch.inputTokens,
    outputTokens: by.interactive.outputTokens + by.batch.outputTokens,
    byClass: by,
    peakPerMinute,
    peakPerPeriod,
    timezone,
    perHour,
    longestIdleGaps: gaps.gaps.map((g) => ({
      from: isoSeconds(start + g.start),
      seconds: g.seconds,
      atLeast: header.kind === 'binned',
    })),
    throttles,
    modelCopies,
    meanLatencyMs,
  };
}

function totals(): ClassTotals {
  return { requests: 0, inputTokens: 0, outputTokens: 0 };
}
