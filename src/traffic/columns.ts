import { RequestClass, type ArrivalStream } from './types.js';

/*
 * A trace generated once and held as columns (issue 16 part 2): every option, variant and worker
 * thread reads the same requests instead of regenerating them (and redrawing every lognormal token
 * count) per simulation. Columns live in fixed-size chunks, so the trace grows without copying, and
 * on SharedArrayBuffers when asked, so worker threads read them in place (`postMessage` and
 * `workerData` share such arrays instead of copying). 10 M requests take about 130 MB: 8 bytes of
 * time, 2 + 2 of token counts when they fit in 16 bits (4 + 4 otherwise) and 1 of class.
 */

/** Requests per chunk: big enough that chunk switches cost nothing, small enough to waste little. */
const CHUNK = 1 << 18;

export interface TraceChunk {
  n: number;
  /** Arrival time, s from the trace start, non-decreasing across chunks. */
  t: Float64Array;
  inputTokens: Uint16Array | Uint32Array;
  outputTokens: Uint16Array | Uint32Array;
  /** `RequestClass` of each request. */
  cls: Uint8Array;
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

/** Reads a stream to its end into columns; null if it has more than `maxRequests` requests. */
export function materialize(stream: ArrivalStream, opts: MaterializeOptions = {}): TraceColumns | null {
  const max = opts.maxRequests ?? Infinity;
  const shared = opts.shared === true;
  const t = new Float64Array(CHUNK);
  const tin = new Uint32Array(CHUNK);
  const tout = new Uint32Array(CHUNK);
  const cls = new Uint8Array(CHUNK);
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
  const flush = (): void => {
    if (n === 0) return;
    const chunk: TraceChunk = {
      n,
      t: copy(t, n, Float64Array, shared),
      inputTokens: wide ? copy(tin, n, Uint32Array, shared) : copy(tin, n, Uint16Array, shared),
      outputTokens: wide ? copy(tout, n, Uint32Array, shared) : copy(tout, n, Uint16Array, shared),
      cls: copy(cls, n, Uint8Array, shared),
    };
    out.chunks.push(chunk);
    out.bytes += chunk.t.byteLength + chunk.inputTokens.byteLength * 2 + chunk.cls.byteLength;
    n = 0;
    wide = false;
  };
  const [inter, batch] = out.byClass;
  while (stream.next()) {
    if (++out.requests > max) return null;
    const i = stream.inputTokens;
    const o = stream.outputTokens;
    t[n] = stream.t;
    tin[n] = i;
    tout[n] = o;
    cls[n] = stream.cls;
    if (i > 0xffff || o > 0xffff) wide = true;
    const c = stream.cls === RequestClass.batch ? batch : inter;
    c.requests++;
    c.inputTokens += i;
    c.outputTokens += o;
    if (++n === CHUNK) flush();
  }
  flush();
  return out;
}

type ArrayCtor<A> = {
  new (length: number): A;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): A;
  BYTES_PER_ELEMENT: number;
};

/** The first `n` values of `src` in a new array of type `C`, on shared memory when asked. */
function copy<A extends { set(a: ArrayLike<number>): void }>(
  src: Float64Array | Uint32Array | Uint8Array,
  n: number,
  C: ArrayCtor<A>,
  shared: boolean,
): A {
  const a = shared ? new C(new SharedArrayBuffer(n * C.BYTES_PER_ELEMENT), 0, n) : new C(n);
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
  private ct: Float64Array = new Float64Array(0);
  private cin: Uint16Array | Uint32Array = new Uint32Array(0);
  private cout: Uint16Array | Uint32Array = new Uint32Array(0);
  private ccls: Uint8Array = new Uint8Array(0);

  constructor(private readonly cols: TraceColumns) {}

  next(): boolean {
    if (this.i === this.n && !this.load()) return false;
    const i = this.i++;
    this.t = this.ct[i]!;
    this.inputTokens = this.cin[i]!;
    this.outputTokens = this.cout[i]!;
    this.cls = this.ccls[i]!;
    return true;
  }

  private load(): boolean {
    for (;;) {
      const c = this.cols.chunks[++this.chunk];
      if (c === undefined) return false;
      if (c.n === 0) continue;
      this.ct = c.t;
      this.cin = c.inputTokens;
      this.cout = c.outputTokens;
      this.ccls = c.cls;
      this.i = 0;
      this.n = c.n;
      return true;
    }
  }
}
