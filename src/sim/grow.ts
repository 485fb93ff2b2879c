/** Typed arrays that double when they run out (the engine's per-replica and per-request state). */

export class GrowI32 {
  a: Int32Array;
  constructor(n: number) {
    this.a = new Int32Array(n);
  }
  ensure(n: number): void {
    if (n <= this.a.length) return;
    const b = new Int32Array(Math.max(n, this.a.length * 2));
    b.set(this.a);
    this.a = b;
  }
}

export class GrowF64 {
  a: Float64Array;
  constructor(n: number) {
    this.a = new Float64Array(n);
  }
  ensure(n: number): void {
    if (n <= this.a.length) return;
    const b = new Float64Array(Math.max(n, this.a.length * 2));
    b.set(this.a);
    this.a = b;
  }
}
