import { InputError } from '../../errors.js';
import { sample, type Dist } from '../../sim/dist.js';
import { Rng } from '../../sim/rng.js';
import { MSG } from '../messages.js';
import { MAX_REQUEST_TOKENS, RequestClass, type ArrivalStream } from '../types.js';
import { clampTokens } from '../tokens.js';
import {
  BINNED_COLUMNS,
  MODEL_COLUMN,
  parseHeader,
  REQUEST_COLUMNS,
  type TraceClassName,
  type TraceHeader,
} from './format.js';
import { LineReader } from './lines.js';
import { ModelIndex } from './model-index.js';

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
 * A `model` column (several models in one file) is read only when the file has it: a source then
 * either keeps one model's rows (`model`) or, for a requests trace, hands out every row with its
 * model's index. A binned trace's models' bins overlap in time, so a binned source keeps one.
 */

/** An opened trace file: header, column indices and the reader positioned at the first row. */
export interface OpenTrace {
  header: TraceHeader & { startEpochSeconds: number };
  columns: string[];
  reader: LineReader;
  /** Column index by name (−1 if absent). */
  col: (name: string) => number;
  /** The `model` column's names, or null for a single-model trace (no column). */
  models: ModelIndex | null;
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
  let models: ModelIndex | null = null;
  if (columns.includes(MODEL_COLUMN)) {
    models = new ModelIndex(header.models);
    // The header's list, else the names as readers meet them (the same growing array).
    header.models = models.names;
  } else if (header.models !== undefined)
    throw new InputError(MSG.traceColumns(header.kind, [...expected, MODEL_COLUMN], columns), `${path}:2`);
  return { header, columns, reader, col: (name) => columns.indexOf(name), models };
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
  /** Only this model's rows (the file's `model` column); an error if the file has no such model. */
  model?: string;
  /**
   * Without `model`: refuse a file holding several models (a scenario's traffic is one model's).
   * Always so for binned traces, whose models' bins overlap in time. Default false.
   */
  oneModel?: boolean;
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
  /** The pending request's model: an index into `header.models` (0 when the file has no column). */
  model = 0;
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
  // The model column: its index, the names, the one model kept, whether a row of it was seen.
  private readonly iModel: number;
  private readonly models: ModelIndex | null;
  private readonly pick: string | undefined;
  private readonly oneModel: boolean;
  private picked = false;
  /** The previous row's t_s of any model (rows of every model are sorted together). */
  private prevRowT = -Infinity;
  private readonly whereFn = (): string => this.where();
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
    this.models = o.models;
    this.iModel = o.models === null ? -1 : o.col(MODEL_COLUMN);
    this.pick = opts.model;
    this.oneModel = opts.oneModel === true || this.binned;
    const listed = o.models?.complete ? o.models.names : null;
    if (this.pick !== undefined && (o.models === null || (listed !== null && !listed.includes(this.pick))))
      throw new InputError(MSG.noSuchModel(this.pick, listed ?? []), path);
    if (this.pick === undefined && this.oneModel && listed !== null && listed.length > 1)
      throw new InputError(MSG.severalModels(listed, MSG.pickModel(this.binned)), path);
  }

  /**
   * Whether to keep a row of model `raw` (validated); sets `model`. Without a pick, a second
   * model is an error when the source keeps one.
   */
  private keep(raw: string | undefined): boolean {
    const m = this.models!.of(raw, this.whereFn);
    if (this.pick !== undefined) {
      if (this.models!.names[m] !== this.pick) return false;
      this.picked = true;
    } else if (m !== 0 && this.oneModel)
      throw new InputError(MSG.severalModels(this.models!.names, MSG.pickModel(this.binned)), this.where());
    this.model = m;
    return true;
  }

  /** At the end of the file: a picked model no row named (the header listed no models) is an error. */
  private end(): number {
    if (this.pick !== undefined && !this.picked && !this.models!.complete)
      throw new InputError(MSG.noSuchModel(this.pick, this.models!.names), this.path);
    return Infinity;
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
      if (line === undefined) return this.end();
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
      if (this.iModel >= 0 && !this.keep(f[this.iModel])) continue;
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
      if (line === undefined) return this.end();
      if (line === '' || line.charCodeAt(0) === 35) continue;
      const f = line.split(',');
      const ts = num(f[this.iT], 't_s', 'seconds ≥ 0', this.where());
      // Sorted across every model's rows; bins of one model must not overlap.
      if (ts < this.prevRowT) throw new InputError(MSG.unsorted(ts, this.prevRowT), this.where());
      this.prevRowT = ts;
      if (this.iModel >= 0 && !this.keep(f[this.iModel])) continue;
      if (ts < this.prevT + this.period)
        throw new InputError(MSG.overlappingBins(ts, this.prevT, this.period), this.where());
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
  /** The request's model, an index into `header.models` (0 when the file has no model column). */
  model = 0;
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
    this.model = s.model;
    s.advance();
    return true;
  }
}
