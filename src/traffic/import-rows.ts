import { IANAZone } from 'luxon';
import { InputError } from '../errors.js';
import { MSG } from './messages.js';
import {
  BINNED_COLUMNS,
  BINNED_OPTIONAL,
  isoSeconds,
  REQUEST_COLUMNS,
  TraceWriter,
  type TraceClassName,
  type TraceHeader,
  type TraceKind,
} from './trace-file.js';
import { RequestClass } from './types.js';

/*
 * What the CSV and JSONL importers share: which column is which, reading timestamps, and the
 * sinks that turn rows into a trace file.
 *
 *   rows (CSV/JSONL) ─► pick columns (names or aliases; other columns are never stored)
 *        ─► timestamp → Unix seconds, tokens → whole numbers (errors name the row)
 *        ─► RequestSink: a bounded reorder buffer ─► TraceWriter (atomic)
 *        └► BinSink: bins summed per period ─► TraceWriter (atomic)
 *
 * Out-of-order rows: request rows pass through a reorder buffer that holds rows until the
 * newest timestamp seen is more than `reorderWindow` seconds past them, so rows that are out of
 * order by less than the window are sorted; a row older than rows already written is rejected
 * (the message says to sort the file or widen the window). Sorted input keeps the buffer to the
 * rows of one window, so memory stays flat in the file's length. Duplicate timestamps are kept:
 * they are separate requests, in file order.
 */

/** Column roles and the names recognised for each (compared lower-case, ignoring `_`, `-`, spaces). */
export const COLUMN_ALIASES = {
  time: ['t_s', 'timestamp', 'time', 'ts', 'arrival_time', 'created_at', 'datetime', 'date', 'start_time'],
  input: [
    'input_tokens',
    'input_length',
    'prompt_tokens',
    'context_tokens',
    'request_tokens',
    'input_token_count',
    'num_input_tokens',
    'prompt_len',
  ],
  output: [
    'output_tokens',
    'output_length',
    'completion_tokens',
    'generated_tokens',
    'response_tokens',
    'output_token_count',
    'num_output_tokens',
    'response_len',
  ],
  class: ['class', 'request_class'],
  requests: ['requests', 'invocations', 'count', 'request_count', 'num_requests'],
  throttles: ['throttles', 'invocation_throttles'],
  modelCopies: ['model_copies', 'model_copy', 'modelcopy', 'copies'],
} as const;
export type ColumnRole = keyof typeof COLUMN_ALIASES;

const FLAG: Record<ColumnRole, string> = {
  time: '--time-column',
  input: '--input-column',
  output: '--output-column',
  class: '--class-column',
  requests: '--requests-column',
  throttles: '--throttles-column',
  modelCopies: '--copies-column',
};

const ROLE_NAME: Record<ColumnRole, string> = {
  time: 'timestamp',
  input: 'input-token',
  output: 'output-token',
  class: 'class',
  requests: 'request-count',
  throttles: 'throttles',
  modelCopies: 'model-copies',
};

export const TIME_FORMATS = ['auto', 'iso', 'epoch-s', 'epoch-ms', 'relative-s', 'relative-ms'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

/** Default t = 0 for relative timestamps without `--start`: the scenario default start (design §5). */
export const DEFAULT_RELATIVE_START = Date.UTC(2026, 0, 5) / 1000;

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
}

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

function normalize(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.]/g, '');
}

/** The column index of each role, from explicit names or aliases; errors list the columns found. */
export function resolveColumns(
  found: readonly string[],
  named: Partial<Record<ColumnRole, string>>,
  kind: TraceKind | 'auto',
  where: string,
): { kind: TraceKind; index: Record<ColumnRole, number>; names: Partial<Record<ColumnRole, string>> } {
  const norm = found.map(normalize);
  const index = {} as Record<ColumnRole, number>;
  const names: Partial<Record<ColumnRole, string>> = {};
  for (const role of Object.keys(COLUMN_ALIASES) as ColumnRole[]) {
    const explicit = named[role];
    let i = -1;
    if (explicit !== undefined) {
      i = found.indexOf(explicit);
      if (i < 0) i = norm.indexOf(normalize(explicit));
      if (i < 0) throw new InputError(MSG.unknownColumn(explicit, found, FLAG[role]), where);
    } else {
      for (const alias of COLUMN_ALIASES[role]) {
        i = norm.indexOf(normalize(alias));
        if (i >= 0) break;
      }
    }
    index[role] = i;
    if (i >= 0) names[role] = found[i]!;
  }
  const resolvedKind: TraceKind = kind === 'auto' ? (index.requests >= 0 ? 'binned' : 'requests') : kind;
  const required: ColumnRole[] =
    resolvedKind === 'binned' ? ['time', 'requests', 'input', 'output'] : ['time', 'input', 'output'];
  for (const role of required)
    if (index[role] < 0)
      throw new InputError(
        MSG.missingColumn(ROLE_NAME[role], COLUMN_ALIASES[role], found, FLAG[role]),
        where,
      );
  return { kind: resolvedKind, index, names };
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** Two decimal digits at i, or −1. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Timestamps → Unix seconds. Formats: ISO-8601 (`T` or a space between date and time, any
 * number of fractional digits, `Z` or `±HH:MM`; without an offset the time is local to
 * `timezone`), epoch seconds, epoch milliseconds, or seconds/milliseconds relative to `start`.
 * `auto` decides from the first value: text → ISO; a number ≥ 1e11 → epoch ms; ≥ 1e8 → epoch s;
 * smaller → relative seconds (relative milliseconds must be asked for).
 */
export class TimestampParser {
  format: Exclude<TimeFormat, 'auto'> | undefined;
  private readonly zone: IANAZone | null;
  private cacheHour = NaN;
  private cacheOffset = 0;

  constructor(
    format: TimeFormat,
    timezone: string,
    private readonly relativeStart: number,
  ) {
    this.format = format === 'auto' ? undefined : format;
    if (!IANAZone.isValidZone(timezone))
      throw new InputError(
        `unknown time zone ${JSON.stringify(timezone)}: use an IANA name such as UTC or Europe/Berlin`,
        '--timezone',
      );
    this.zone = timezone === 'UTC' ? null : IANAZone.create(timezone);
  }

  /** Unix seconds, or NaN when the text does not parse in the format. */
  parse(text: string): number {
    const f = this.format ?? this.detect(text);
    if (f === 'iso') return this.iso(text);
    const v = text.length === 0 ? NaN : +text;
    if (!Number.isFinite(v)) return NaN;
    switch (f) {
      case 'epoch-s':
        return v;
      case 'epoch-ms':
        return v / 1000;
      case 'relative-s':
        return this.relativeStart + v;
      default:
        return this.relativeStart + v / 1000;
    }
  }

  private detect(text: string): Exclude<TimeFormat, 'auto'> {
    const v = text.trim() === '' ? NaN : +text;
    this.format = Number.isFinite(v) ? (v >= 1e11 ? 'epoch-ms' : v >= 1e8 ? 'epoch-s' : 'relative-s') : 'iso';
    return this.format;
  }

  /**
   * ISO fast path: rows of one hour share `YYYY-MM-DDTHH` and the zone suffix, so the instant of
   * that hour is cached and only `:MM:SS.fff` is read by hand (no regex, no Date per row).
   */
  private iso(text: string): number {
    const key = this.hourKey;
    const n = text.length;
    if (key !== '' && n >= 16 && text.charCodeAt(13) === 58 && text.startsWith(key)) {
      const mi = digits2(text, 14);
      let i = 16;
      let sec = 0;
      let frac = 0;
      if (i < n && text.charCodeAt(i) === 58) {
        sec = digits2(text, 17);
        i = 19;
        const c = text.charCodeAt(i);
        if (i < n && (c === 46 || c === 44)) {
          let v = 0;
          let k = 0;
          for (i++; i < n; i++, k++) {
            const d = text.charCodeAt(i) - 48;
            if (d < 0 || d > 9) break;
            if (k < 9) v = v * 10 + d;
          }
          frac = v / POW10[Math.min(k, 9)]!;
        }
      }
      if (
        mi >= 0 &&
        mi <= 59 &&
        sec >= 0 &&
        sec <= 60 &&
        n - i === this.zoneKey.length &&
        text.endsWith(this.zoneKey)
      )
        return this.hourBase + mi * 60 + sec + frac;
    }
    return this.isoSlow(text);
  }

  private hourKey = '';
  private zoneKey = '';
  private hourBase = 0;

  private isoSlow(text: string): number {
    const m = ISO.exec(text.trim());
    if (!m) return NaN;
    const mo = +m[2]!;
    const d = +m[3]!;
    const h = m[4] === undefined ? 0 : +m[4];
    const mi = m[5] === undefined ? 0 : +m[5];
    const s = m[6] === undefined ? 0 : +m[6];
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return NaN;
    const frac = m[7] === undefined ? 0 : +`0.${m[7]}`;
    const localMs = Date.UTC(+m[1]!, mo - 1, d, h, mi, s);
    if (new Date(localMs).getUTCDate() !== d && h < 24) return NaN; // 2026-02-31
    const zone = m[8];
    let offsetMs: number;
    if (zone === undefined) offsetMs = this.localOffset(localMs);
    else if (zone === 'Z' || zone === 'z') offsetMs = 0;
    else {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      offsetMs = sign * (+digits.slice(0, 2) * 60 + +(digits.slice(2) || '0')) * 60_000;
    }
    const t = (localMs - offsetMs) / 1000 + frac;
    if (m[4] !== undefined && text.length >= 16 && text.charCodeAt(13) === 58) {
      this.hourKey = text.slice(0, 13);
      this.zoneKey = zone ?? '';
      this.hourBase = t - (mi * 60 + s + frac);
    }
    return t;
  }

  /** The zone's offset for a local wall-clock reading (the earlier instant when it occurs twice). */
  private localOffset(localMs: number): number {
    if (this.zone === null) return 0;
    const hour = Math.floor(localMs / 3_600_000);
    if (hour === this.cacheHour) return this.cacheOffset;
    const z = this.zone;
    const guess = z.offset(localMs) * 60_000;
    const a = z.offset(localMs - guess) * 60_000;
    const b = z.offset(localMs - a) * 60_000;
    // Repeated hour: both offsets map back onto the reading; keep the earlier instant.
    const offset = a !== b && z.offset(localMs - b) * 60_000 === b ? Math.max(a, b) : b;
    this.cacheHour = hour;
    this.cacheOffset = offset;
    return offset;
  }
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

/**
 * Request rows → a requests trace, through the bounded reorder buffer described above. The
 * trace starts at `start` or, by default, at the earliest written row floored to the minute; its
 * duration runs to the end of the minute of the last request.
 */
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
    private readonly opts: { start?: number; reorderWindow?: number },
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

/**
 * Binned rows → a binned trace. Rows are held as numbers (binned files are small) and summed per
 * bin of `period` seconds from the start: a row whose time is not on a bin boundary counts in the
 * bin containing it, and rows falling in the same bin are added up (model copies: the maximum).
 * Every bin from the first to the last is written, empty ones as zeros.
 */
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
    this.stats.rows++;
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
    const inTok = +(f[ix.input] as string);
    if (!(inTok >= 0 && Number.isInteger(inTok)) || f[ix.input] === '' || f[ix.input] === null)
      throw new InputError(MSG.badTokens(this.names.input!, String(f[ix.input] ?? '')), this.at(line));
    const outTok = +(f[ix.output] as string);
    if (!(outTok >= 0 && Number.isInteger(outTok)) || f[ix.output] === '' || f[ix.output] === null)
      throw new InputError(MSG.badTokens(this.names.output!, String(f[ix.output] ?? '')), this.at(line));
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
