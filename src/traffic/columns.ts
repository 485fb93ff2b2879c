import { RequestClass, type ArrivalStream } from './types.js';

/*
 * A trace generated once and held as columns (issue 16 part 2): every option, variant and worker
 * thread reads the same requests instead of regenerating them (and redrawing every lognormal token
 * count) per simulation. Columns live in fixed-size chunks, so the trace grows without copying, and
 * on SharedArrayBuffers when asked, so worker threads read them in place (`postMessage` and
 * `workerData` share such arrays instead of copying). 10 M requests take about 80 MB: 4 bytes of
 * time, 2 + 2 of token counts when they fit in 16 bits (4 + 4 otherwise), and 1 of class only in
 * a chunk that mixes classes.
 *
 * Time is held exactly as integer ticks of 2^-19 s (about 1.9 µs; arrival times are on that grid,
 * see `onTickGrid`), each as the gap since the previous request: a gap of up to 8,192 s fits in
 * 32 bits; a longer one is marked FAR and its tick count read from the chunk's `far` list. Reading
 * is sequential (ColumnStream), which is all a simulation does.
 */

/** Requests per chunk: big enough that chunk switches cost nothing, small enough to waste little. */
const CHUNK = 1 << 18;

/**
 * Ticks per second of the time grid: 2^19, a power of two, so tick ↔ seconds is exact; coarse
 * enough that a time written to the microsecond (trace files) reads back onto its own tick.
 */
export const TICKS_PER_SECOND = 524288;

/**
 * Columns are cut from slabs of this size, above glibc's largest mmap threshold (32 MB): a slab
 * is always its own mapping, so a dropped trace goes back to the system instead of staying as
 * free heap in the process (measured: about 30 MB of a month's trace did, chunk by chunk). Pages
 * of a slab never written take no memory.
 */
const SLAB_BYTES = 48 * 2 ** 20;

/** Bump allocation of typed arrays from slabs (shared or not). */
class Slabs {
  private buf: ArrayBuffer | SharedArrayBuffer | null = null;
  private used = 0;

  constructor(private readonly shared: boolean) {}

  private first = SLAB_BYTES;

  /**
   * Before the first `take`: the first slab holds exactly `bytes` (a trace of one chunk, e.g. a
   * sweep's day, takes what it needs instead of a slab that counts 48 MB against the heap).
   */
  reserve(bytes: number): void {
    if (this.buf === null) this.first = bytes;
  }

  take<A>(C: ArrayCtor<A>, n: number): A {
    const bytes = n * C.BYTES_PER_ELEMENT;
    this.used = Math.ceil(this.used / 8) * 8;
    if (this.buf === null || this.used + bytes > this.buf.byteLength) {
      const size = Math.max(this.buf === null ? this.first : SLAB_BYTES, bytes);
      this.buf = this.shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size);
      this.used = 0;
    }
    const a = new C(this.buf, this.used, n);
    this.used += bytes;
    return a;
  }
}

/** A gap too long for 32 bits: the tick count is the chunk's next `far` entry. */
const FAR = 0xffffffff;

/**
 * An arrival time moved to the nearest tick (2^-19 s). Every trace source ends on this grid
 * (SyntheticStream), so a held trace replays exactly the times a regenerated one would have.
 */
export function onTickGrid(t: number): number {
  return Math.round(t * TICKS_PER_SECOND) / TICKS_PER_SECOND;
}

export interface TraceChunk {
  n: number;
  /** Ticks since the previous request (the chunk's first: since the previous chunk's last, or 0), or FAR. */
  dt: Uint32Array;
  /** Absolute tick counts of the FAR entries, in order. */
  far: Float64Array;
  inputTokens: Uint16Array | Uint32Array;
  outputTokens: Uint16Array | Uint32Array;
  /** `RequestClass` of each request, or one number when every request of the chunk has it. */
  cls: Uint8Array | number;
}

/** Totals of one user class. */
export interface ColumnTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

/** A materialized trace: plain data (typed arrays and numbers), safe to send to a worker thread. */
export interface TraceColumns {
  chunks: TraceChunk[];
  requests: number;
  /** Per user class (interactive, batch), summed while the trace was built. */
  byClass: [ColumnTotals, ColumnTotals];
  /** Bytes the columns take. */
  bytes: number;
}

export interface MaterializeOptions {
  /** Back the columns with SharedArrayBuffers (to share with worker threads). Default false. */
  shared?: boolean;
  /** Give up (return null) past this many requests: the caller streams instead. Default: no limit. */
  maxRequests?: number;
}

/** Per-thread scratch columns of one chunk, reused by every `materialize` (it runs to its end synchronously). */
let scratch: { dt: Uint32Array; tin: Uint32Array; tout: Uint32Array; cls: Uint8Array } | undefined;

/** Reads a stream to its end into columns; null if it has more than `maxRequests` requests. */
export function materialize(stream: ArrivalStream, opts: MaterializeOptions = {}): TraceColumns | null {
  const max = opts.maxRequests ?? Infinity;
  const slabs = new Slabs(opts.shared === true);
  const { dt, tin, tout, cls } = (scratch ??= {
    dt: new Uint32Array(CHUNK),
    tin: new Uint32Array(CHUNK),
    tout: new Uint32Array(CHUNK),
    cls: new Uint8Array(CHUNK),
  });
  const far: number[] = [];
  const out: TraceColumns = {
    chunks: [],
    requests: 0,
    byClass: [
      { requests: 0, inputTokens: 0, outputTokens: 0 },
      { requests: 0, inputTokens: 0, outputTokens: 0 },
    ],
    bytes: 0,
  };
  let n = 0;
  let wide = false;
  let mixed = false;
  let ticks = 0;
  const flush = (last: boolean): void => {
    if (n === 0) return;
    if (last && out.chunks.length === 0) {
      // The whole trace is this chunk: its arrays (each aligned to 8 bytes) in one exact slab.
      const w = wide ? 4 : 2;
      const a8 = (b: number): number => Math.ceil(b / 8) * 8;
      slabs.reserve(a8(4 * n) + a8(8 * far.length) + 2 * a8(w * n) + (mixed ? a8(n) : 0));
    }
    const chunk: TraceChunk = {
      n,
      dt: copy(dt, n, Uint32Array, slabs),
      far: copy(Float64Array.from(far), far.length, Float64Array, slabs),
      inputTokens: wide ? copy(tin, n, Uint32Array, slabs) : copy(tin, n, Uint16Array, slabs),
      outputTokens: wide ? copy(tout, n, Uint32Array, slabs) : copy(tout, n, Uint16Array, slabs),
      cls: mixed ? copy(cls, n, Uint8Array, slabs) : cls[0]!,
    };
    out.chunks.push(chunk);
    out.bytes +=
      chunk.dt.byteLength +
      chunk.far.byteLength +
      chunk.inputTokens.byteLength * 2 +
      (typeof chunk.cls === 'number' ? 0 : chunk.cls.byteLength);
    n = 0;
    far.length = 0;
    wide = false;
    mixed = false;
  };
  const [inter, batch] = out.byClass;
  while (stream.next()) {
    if (++out.requests > max) return null;
    const i = stream.inputTokens;
    const o = stream.outputTokens;
    const k = Math.round(stream.t * TICKS_PER_SECOND);
    const gap = k - ticks;
    if (gap >= 0 && gap < FAR) dt[n] = gap;
    else {
      dt[n] = FAR;
      far.push(k);
    }
    ticks = k;
    tin[n] = i;
    tout[n] = o;
    cls[n] = stream.cls;
    if (i > 0xffff || o > 0xffff) wide = true;
    if (stream.cls !== cls[0]) mixed = true;
    const c = stream.cls === RequestClass.batch ? batch : inter;
    c.requests++;
    c.inputTokens += i;
    c.outputTokens += o;
    if (++n === CHUNK) flush(false);
  }
  flush(true);
  return out;
}

type ArrayCtor<A> = {
  new (length: number): A;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): A;
  BYTES_PER_ELEMENT: number;
};

/** The first `n` values of `src` in a new array of type `C`, cut from `slabs`. */
function copy<A extends { set(a: ArrayLike<number>): void }>(
  src: Float64Array | Uint32Array | Uint8Array,
  n: number,
  C: ArrayCtor<A>,
  slabs: Slabs,
): A {
  const a = slabs.take(C, n);
  a.set(src.subarray(0, n));
  return a;
}

/** Replays columns as an `ArrivalStream` (a new one per simulation; the columns are shared). */
export class ColumnStream implements ArrivalStream {
  t = 0;
  inputTokens = 0;
  outputTokens = 0;
  cls: number = RequestClass.interactive;
  private chunk = -1;
  private i = 0;
  private n = 0;
  /** Tick count of the current request (an integer below 2^53: exact in a double). */
  private ticks = 0;
  private farAt = 0;
  private cdt: Uint32Array = new Uint32Array(0);
  private cfar: Float64Array = new Float64Array(0);
  private cin: Uint16Array | Uint32Array = new Uint32Array(0);
  private cout: Uint16Array | Uint32Array = new Uint32Array(0);
  private ccls: Uint8Array | null = null;

  constructor(private readonly cols: TraceColumns) {}

  next(): boolean {
    if (this.i === this.n && !this.load()) return false;
    const i = this.i++;
    const d = this.cdt[i]!;
    this.ticks = d === FAR ? this.cfar[this.farAt++]! : this.ticks + d;
    this.t = this.ticks / TICKS_PER_SECOND;
    this.inputTokens = this.cin[i]!;
    this.outputTokens = this.cout[i]!;
    if (this.ccls !== null) this.cls = this.ccls[i]!;
    return true;
  }

  private load(): boolean {
    for (;;) {
      const c = this.cols.chunks[++this.chunk];
      if (c === undefined) return false;
      if (c.n === 0) continue;
      this.cdt = c.dt;
      this.cfar = c.far;
      this.farAt = 0;
      this.cin = c.inputTokens;
      this.cout = c.outputTokens;
      if (typeof c.cls === 'number') {
        this.ccls = null;
        this.cls = c.cls;
      } else this.ccls = c.cls;
      this.i = 0;
      this.n = c.n;
      return true;
    }
  }
}
