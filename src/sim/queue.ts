/**
 * The FIFO of requests waiting for a slot: a ring buffer of typed arrays (capacity a power of
 * two, doubled when full), so queueing allocates nothing per request. Each entry is an arrival
 * time, its tokens, its class and whether it met a cold start.
 */
export class RequestQueue {
  t = new Float64Array(1024);
  inTok = new Float64Array(1024);
  outTok = new Float64Array(1024);
  cls = new Int32Array(1024);
  cold = new Uint8Array(1024);
  head = 0;
  length = 0;
  /** When the queue last went from empty to non-empty. */
  since = NaN;

  /** Appends a request; `now` starts the `since` clock if the queue was empty. */
  push(now: number, t: number, inTok: number, outTok: number, cls: number, cold: number): void {
    if (this.length === 0) this.since = now;
    if (this.length === this.t.length) this.grow();
    const i = (this.head + this.length) & (this.t.length - 1);
    this.t[i] = t;
    this.inTok[i] = inTok;
    this.outTok[i] = outTok;
    this.cls[i] = cls;
    this.cold[i] = cold;
    this.length++;
  }

  /** Puts a request back at the head (an interrupted request keeps its place). */
  pushFront(now: number, t: number, inTok: number, outTok: number, cls: number, cold: number): void {
    if (this.length === 0) this.since = now;
    if (this.length === this.t.length) this.grow();
    const i = (this.head - 1) & (this.t.length - 1);
    this.head = i;
    this.t[i] = t;
    this.inTok[i] = inTok;
    this.outTok[i] = outTok;
    this.cls[i] = cls;
    this.cold[i] = cold;
    this.length++;
  }

  /** Removes the head and returns its slot; read its fields before the next push. */
  shift(): number {
    const h = this.head;
    this.head = (h + 1) & (this.t.length - 1);
    this.length--;
    return h;
  }

  /** Entries whose class is not `cls`. O(length). */
  countOtherThan(cls: number): number {
    let n = 0;
    for (let k = 0; k < this.length; k++) if (this.cls[(this.head + k) & (this.t.length - 1)] !== cls) n++;
    return n;
  }

  clear(): void {
    this.length = 0;
  }

  private grow(): void {
    const n = this.t.length;
    const order = <A extends Float64Array | Int32Array | Uint8Array>(src: A, dst: A): A => {
      for (let k = 0; k < n; k++) dst[k] = src[(this.head + k) & (n - 1)]!;
      return dst;
    };
    this.t = order(this.t, new Float64Array(2 * n));
    this.inTok = order(this.inTok, new Float64Array(2 * n));
    this.outTok = order(this.outTok, new Float64Array(2 * n));
    this.cls = order(this.cls, new Int32Array(2 * n));
    this.cold = order(this.cold, new Uint8Array(2 * n));
    this.head = 0;
  }
}
