import { statSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { MSG } from '../messages.js';
import { isoSeconds, type TraceClassName, type TraceKind } from '../trace/format.js';
import { MAX_REQUEST_TOKENS, RequestClass } from '../types.js';
import { BinSink } from './bin-sink.js';
import { resolveColumns, type ColumnRole } from './columns.js';
import { RequestSink } from './request-sink.js';
import { DEFAULT_RELATIVE_START, TimestampParser, type TimeFormat } from './timestamps.js';

/*
 * What the CSV and JSONL importers share once a line is split into fields: the options, the
 * summary, and the row handling that ties the pieces of this folder together (columns.ts: which
 * column is which; timestamps.ts: reading times; request-sink.ts / bin-sink.ts: the trace file).
 *
 *   rows (CSV/JSONL) ─► pick columns (names or aliases; other columns are never stored)
 *        ─► timestamp → Unix seconds, tokens → whole numbers (errors name the row)
 *        ─► RequestSink: a bounded reorder buffer ─► TraceWriter (atomic)
 *        └► BinSink: bins summed per period ─► TraceWriter (atomic)
 */

export interface ImportOptions {
  /** The trace file to write. */
  output: string;
  /** `auto` (default): binned when a request-count column is present. */
  kind?: TraceKind | 'auto';
  /** Column names by role; unnamed roles are found by their aliases. */
  columns?: Partial<Record<ColumnRole, string>>;
  timeFormat?: TimeFormat;
  /** IANA zone for ISO timestamps without an offset. Default UTC. */
  timezone?: string;
  /** Trace t = 0 as Unix seconds; required meaning for relative timestamps (default 2026-01-05T00:00Z). */
  start?: number;
  /** Binned: bin length in seconds. Default 60. */
  periodSeconds?: number;
  /** Class of every request (when there is no class column); binned: the header's class. */
  cls?: TraceClassName;
  /** Seconds a request row may be out of order and still be sorted. Default 300. */
  reorderWindow?: number;
  /** Recorded in the header's `source=`. Default `<format>:<file name>`. */
  source?: string;
  /** Accept a gap of more than `MAX_GAP_DAYS` between consecutive rows (`--allow-gaps`). */
  allowGaps?: boolean;
}

/**
 * The longest gap between consecutive rows an import accepts without `--allow-gaps`: a month of
 * silence in a log is far more often a typo'd date (3026 for 2026) than real, and a typo'd year
 * turns a day of rows into a 365,000-day trace (issue 17).
 */
export const MAX_GAP_DAYS = 31;

export interface ImportSummary {
  output: string;
  kind: TraceKind;
  /** Data rows read. */
  rows: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  start: string;
  durationSeconds: number;
  periodSeconds: number | null;
  timeFormat: Exclude<TimeFormat, 'auto'>;
  /** Which column served which role. */
  columns: Partial<Record<ColumnRole, string>>;
  /** Names (never contents) of the columns that were not read. */
  ignoredColumns: string[];
  /** Rows that arrived out of order and were sorted by the reorder buffer. */
  reordered: number;
  /** Rows whose timestamp equals the previous row's (kept as separate requests / summed per bin). */
  duplicateTimestamps: number;
  /** Most rows held by the reorder buffer at once (memory is bounded by this). */
  peakBuffered: number;
}

function text(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : typeof v === 'string' ? v : String(v);
}

export function wholeCount(text: string | undefined, column: string, where: string): number {
  const v = text === undefined || text === '' ? NaN : +text;
  if (v >= 0 && Number.isInteger(v)) return v;
  throw new InputError(MSG.badCount(column, text ?? ''), where);
}

export function nonNegative(text: string | undefined, column: string, where: string): number {
  const v = text === undefined || text === '' ? 0 : +text;
  if (v >= 0 && v < Infinity) return v;
  throw new InputError(MSG.badNumber(column, text ?? ''), where);
}

export function classOf(text: string | undefined, where: string): number {
  const c = (text ?? '').trim().toLowerCase();
  if (c === 'interactive' || c === '') return RequestClass.interactive;
  if (c === 'batch') return RequestClass.batch;
  throw new InputError(MSG.badClass(text ?? ''), where);
}

/** Row handling shared by the CSV and JSONL importers, after the columns are known. */
export class RowImporter {
  readonly kind: TraceKind;
  readonly names: Partial<Record<ColumnRole, string>>;
  readonly ignored: string[];
  private readonly index: Record<ColumnRole, number>;
  private readonly times: TimestampParser;
  private readonly requests: RequestSink | undefined;
  private readonly bins: BinSink | undefined;
  private readonly fixedCls: number;
  /** The latest row time so far (rows may be a little out of order). */
  private latest = -Infinity;

  constructor(
    found: readonly string[],
    private readonly opts: ImportOptions,
    private readonly file: string,
  ) {
    const r = resolveColumns(found, opts.columns ?? {}, opts.kind ?? 'auto', file);
    this.kind = r.kind;
    this.index = r.index;
    this.names = r.names;
    const used = new Set(Object.values(r.index).filter((i) => i >= 0));
    this.ignored = found.filter((_, i) => !used.has(i));
    const relativeStart = opts.start ?? DEFAULT_RELATIVE_START;
    this.times = new TimestampParser(opts.timeFormat ?? 'auto', opts.timezone ?? 'UTC', relativeStart);
    this.fixedCls = RequestClass[opts.cls ?? 'interactive'];
    if (r.kind === 'requests') {
      this.requests = new RequestSink(opts.output, {
        ...(opts.start !== undefined ? { start: opts.start } : {}),
        ...(opts.reorderWindow !== undefined ? { reorderWindow: opts.reorderWindow } : {}),
      });
    } else {
      this.bins = new BinSink(opts.output, opts.periodSeconds ?? 60, opts.start, {
        throttles: r.index.throttles >= 0,
        modelCopies: r.index.modelCopies >= 0,
      });
    }
  }

  /** One data row: `f[i]` is field i as text (or a number, from JSON); `line` is its line in the file. */
  row(f: ArrayLike<unknown>, line: number): void {
    const ix = this.index;
    const raw = f[ix.time];
    const t = this.times.parse(
      typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : String(raw),
    );
    if (t !== t)
      throw new InputError(
        MSG.badTimestamp(String(raw ?? ''), this.times.format ?? 'a timestamp'),
        this.at(line),
      );
    if (t > this.latest) {
      if (this.latest !== -Infinity && t - this.latest > MAX_GAP_DAYS * 86_400 && !this.opts.allowGaps)
        throw new InputError(
          MSG.gap((t - this.latest) / 86_400, isoSeconds(this.latest), isoSeconds(t), MAX_GAP_DAYS),
          this.at(line),
        );
      this.latest = t;
    }
    const inTok = +(f[ix.input] as string);
    if (!(inTok >= 0 && Number.isInteger(inTok)) || f[ix.input] === '' || f[ix.input] === null)
      throw new InputError(MSG.badTokens(this.names.input!, String(f[ix.input] ?? '')), this.at(line));
    const outTok = +(f[ix.output] as string);
    if (!(outTok >= 0 && Number.isInteger(outTok)) || f[ix.output] === '' || f[ix.output] === null)
      throw new InputError(MSG.badTokens(this.names.output!, String(f[ix.output] ?? '')), this.at(line));
    if (inTok > MAX_REQUEST_TOKENS || outTok > MAX_REQUEST_TOKENS) this.tooMany(inTok, outTok, f, line);
    if (this.requests) {
      const cls =
        ix.class >= 0 && this.opts.cls === undefined
          ? classOf(text(f[ix.class]), this.at(line))
          : this.fixedCls;
      this.requests.add(t, inTok, outTok, cls, line, this.file);
    } else {
      this.bins!.add(
        t,
        wholeCount(text(f[ix.requests]), this.names.requests!, this.at(line)),
        inTok,
        outTok,
        ix.throttles >= 0 ? nonNegative(text(f[ix.throttles]), this.names.throttles!, this.at(line)) : 0,
        ix.modelCopies >= 0
          ? nonNegative(text(f[ix.modelCopies]), this.names.modelCopies!, this.at(line))
          : 0,
        this.at(line),
      );
    }
  }

  /** A request row (binned: a row's mean per request) over `MAX_REQUEST_TOKENS` is refused. */
  private tooMany(inTok: number, outTok: number, f: ArrayLike<unknown>, line: number): void {
    const n = this.bins ? Math.max(1, +(f[this.index.requests] as string) || 1) : 1;
    for (const [v, column] of [
      [inTok, this.names.input!],
      [outTok, this.names.output!],
    ] as const)
      if (v / n > MAX_REQUEST_TOKENS)
        throw new InputError(MSG.tooManyTokens(column, v / n, MAX_REQUEST_TOKENS), this.at(line));
  }

  private at(line: number): string {
    return `${this.file}:${line}`;
  }

  finish(source: string): ImportSummary {
    const base = {
      output: this.opts.output,
      kind: this.kind,
      timeFormat: this.times.format ?? 'iso',
      columns: this.names,
      ignoredColumns: this.ignored,
    };
    if (this.requests) {
      const r = this.requests.finish(source, this.file);
      const s = this.requests.stats;
      return {
        ...base,
        rows: s.rows,
        requests: s.rows,
        inputTokens: s.inputTokens,
        outputTokens: s.outputTokens,
        start: isoSeconds(r.start),
        durationSeconds: r.durationSeconds,
        periodSeconds: null,
        reordered: s.reordered,
        duplicateTimestamps: s.duplicates,
        peakBuffered: s.peak,
      };
    }
    const r = this.bins!.finish(source, this.opts.cls, this.file);
    return {
      ...base,
      rows: this.bins!.stats.rows,
      requests: r.requests,
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      start: isoSeconds(r.start),
      durationSeconds: r.durationSeconds,
      periodSeconds: this.opts.periodSeconds ?? 60,
      reordered: 0,
      duplicateTimestamps: this.bins!.stats.duplicates,
      peakBuffered: 0,
    };
  }

  abort(): void {
    this.requests?.abort();
  }
}

/** A clear error for a missing, unreadable or empty input file before any stream opens. */
export function checkReadable(file: string, what: string): void {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new InputError(MSG.cannotRead(what, 'EISDIR'), file);
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(code === 'ENOENT' ? MSG.noSuchFile(what) : MSG.cannotRead(what, code), file);
  }
  if (size === 0)
    throw new InputError(
      MSG.emptyFile(
        what,
        what === 'JSONL'
          ? '{"timestamp", "input_tokens", "output_tokens"}'
          : 'timestamp,input_tokens,output_tokens',
      ),
      file,
    );
}
