/**
 * The event queue: a binary min-heap over parallel typed arrays, ordered by
 * (time, kind, sequence). The sequence number makes equal-time, equal-kind events pop in the
 * order they were pushed, so runs are deterministic. `pop()` writes the event to public fields
 * instead of allocating.
 */
export class EventHeap {
  private time: Float64Array;
  private kind: Int32Array;
  private seq: Float64Array;
  private payload: Int32Array;
  size = 0;
  private nextSeq = 0;

  /** Fields of the last popped event. */
  t = 0;
  k = 0;
  p = 0;

  constructor(capacity = 1024) {
    this.time = new Float64Array(capacity);
    this.kind = new Int32Array(capacity);
    this.seq = new Float64Array(capacity);
    this.payload = new Int32Array(capacity);
  }

  peekTime(): number {
    return this.size > 0 ? this.time[0]! : Infinity;
  }

  peekKind(): number {
    return this.kind[0]!;
  }

  push(t: number, kind: number, payload: number): void {
    if (this.size === this.time.length) this.grow();
    const time = this.time;
    const kinds = this.kind;
    const seqs = this.seq;
    const pay = this.payload;
    const s = this.nextSeq++;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = time[parent]!;
      if (pt < t || (pt === t && (kinds[parent]! < kind || (kinds[parent] === kind && seqs[parent]! < s))))
        break;
      time[i] = pt;
      kinds[i] = kinds[parent]!;
      seqs[i] = seqs[parent]!;
      pay[i] = pay[parent]!;
      i = parent;
    }
    time[i] = t;
    kinds[i] = kind;
    seqs[i] = s;
    pay[i] = payload;
  }

  /** Removes the minimum into `t`, `k`, `p`. Call only when size > 0. */
  pop(): void {
    const time = this.time;
    const kinds = this.kind;
    const seqs = this.seq;
    const pay = this.payload;
    this.t = time[0]!;
    this.k = kinds[0]!;
    this.p = pay[0]!;
    const n = --this.size;
    if (n === 0) return;
    const lt = time[n]!;
    const lk = kinds[n]!;
    const ls = seqs[n]!;
    const lp = pay[n]!;
    let i = 0;
    const half = n >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      const r = c + 1;
      if (
        r < n &&
        (time[r]! < time[c]! ||
          (time[r] === time[c] && (kinds[r]! < kinds[c]! || (kinds[r] === kinds[c] && seqs[r]! < seqs[c]!))))
      )
        c = r;
      const ct = time[c]!;
      if (lt < ct || (lt === ct && (lk < kinds[c]! || (lk === kinds[c] && ls < seqs[c]!)))) break;
      time[i] = ct;
      kinds[i] = kinds[c]!;
      seqs[i] = seqs[c]!;
      pay[i] = pay[c]!;
      i = c;
    }
    time[i] = lt;
    kinds[i] = lk;
    seqs[i] = ls;
    pay[i] = lp;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const time = new Float64Array(n);
    time.set(this.time);
    const kind = new Int32Array(n);
    kind.set(this.kind);
    const seq = new Float64Array(n);
    seq.set(this.seq);
    const payload = new Int32Array(n);
    payload.set(this.payload);
    this.time = time;
    this.kind = kind;
    this.seq = seq;
    this.payload = payload;
  }
}
