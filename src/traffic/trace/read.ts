import { InputError } from '../../errors.js';
import { sample, type Dist } from '../../sim/dist.js';
import { Rng } from '../../sim/rng.js';
import { MSG } from '../messages.js';
import { MAX_REQUEST_TOKENS, RequestClass, type ArrivalStream } from '../types.js';
import { clampTokens } from '../tokens.js';
import {
  BINNED_COLUMNS,
  parseHeader,
  REQUEST_COLUMNS,
  type TraceClassName,
  type TraceHeader,
} from './format.js';
import { LineReader } from './lines.js';

/*
 * Reading trace files as request streams. Reading is synchronous and streaming: 1 MiB chunks
 * through a line reader, one row in memory at a time.
 * Binned rows expand lazily into requests with the run's seeded generator:
 * - times: the bin's n requests are n uniform draws on [t_s, t_s + period_s), produced already
 *   sorted as sequential order statistics (x ← 1 − (1 − x)·U^(1/k) with k draws left), so nothing
 *   is stored or sorted;
 * - tokens: each request gets ⌊sum / n⌋ and exactly (sum mod n) of them, picked by selection
 *   sampling, get one more — the bin's sums are preserved exactly, as integers. Token lengths
 *   inside a bin are therefore even; the file does not say how they varied.
 * `throttles` are not expanded: a throttled call is usually retried and then counted in
 * `requests`, so adding them would count it twice.
 */

/** An opened trace file: header, column indices and the reader positioned at the first row. */
export interface OpenTrace {
  header: TraceHeader & { startEpochSeconds: number };
  columns: string[];
  reader: LineReader;
  /** Column index by name (−1 if absent). */
  col: (name: string) => number;
}

export function openTrace(path: string): OpenTrace {
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

export function num(field: string | undefined, column: string, expected: string, where: string): number {
  const v = field === undefined || field === '' ? NaN : +field;
  if (!(v >= 0) || v === Infinity)
    throw new InputError(MSG.badTraceNumber(column, field ?? '', expected), where);
  return v;
}

export function whole(field: string | undefined, column: string, where: string): number {
  const v = num(field, column, 'a whole number ≥ 0', where);
  if (!Number.isInteger(v))
    throw new InputError(MSG.badTraceNumber(column, field ?? '', 'a whole number ≥ 0'), where);
  return v;
}

/** A token count (a bin's sum over `n` requests): whole, ≥ 0, at most `MAX_REQUEST_TOKENS` per request. */
function tokens(field: string | undefined, column: string, n: number, where: string): number {
  const v = whole(field, column, where);
  if (v > MAX_REQUEST_TOKENS * Math.max(1, n))
    throw new InputError(MSG.tooManyTokens(column, n > 1 ? v / n : v, MAX_REQUEST_TOKENS), where);
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
    if (this.inputDist) this.inputTokens = clampTokens(sample(this.inputDist, this.tokenRng));
    if (this.outputDist) this.outputTokens = clampTokens(sample(this.outputDist, this.tokenRng));
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
        b % 1 ||
        a > MAX_REQUEST_TOKENS ||
        b > MAX_REQUEST_TOKENS
      ) {
        ts = num(ft, 't_s', 'seconds ≥ 0', this.where());
        a = tokens(fi, 'input_tokens', 1, this.where());
        b = tokens(fo, 'output_tokens', 1, this.where());
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
      const inSum = tokens(f[this.iIn], 'input_tokens', n, this.where());
      const outSum = tokens(f[this.iOut], 'output_tokens', n, this.where());
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
