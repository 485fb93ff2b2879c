import type { ServiceModel } from '../../src/sim/fleet.js';
import type { Rng } from '../../src/sim/rng.js';
import type { ArrivalStream } from '../../src/traffic/types.js';

/*
 * Test doubles around the simulator: an arrival stream over arrays the test owns, and a service
 * model wrapper that records, for every request, when it started (read from the simulation's
 * clock), how long it was given and the occupancy the engine passed. Requests are identified by
 * their `inputTokens`, which the stream sets to a unique id; i.i.d. service models ignore tokens,
 * so tagging them does not change any service time.
 */

/** Arrival stream over a time array; request k carries id `idBase + k` in `inputTokens`. */
export class ArrayStream implements ArrivalStream {
  t = 0;
  inputTokens = 0;
  outputTokens = 1;
  cls = 0;
  private k = -1;

  constructor(
    private readonly times: ArrayLike<number>,
    private readonly idBase = 0,
    private readonly classes?: ArrayLike<number>,
  ) {}

  next(): boolean {
    const k = ++this.k;
    if (k >= this.times.length) return false;
    this.t = this.times[k]!;
    this.inputTokens = this.idBase + k;
    this.cls = this.classes === undefined ? 0 : this.classes[k]!;
    return true;
  }
}

/** `n` Poisson arrival times of rate `lambda` (cumulative sums of Exp(1/λ) gaps). */
export function poissonTimes(lambda: number, n: number, rng: Rng): Float64Array {
  const out = new Float64Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += rng.exponential(1 / lambda);
    out[i] = t;
  }
  return out;
}

/** Anything with the simulation clock (a `Simulation`). */
export interface Clock {
  readonly now: number;
}

/**
 * Wraps a service model and records each start in typed arrays indexed by start order: `order`
 * holds request ids, `start`/`service`/`occupancy` the matching values; `count` starts so far.
 * Throws if the clock ever runs backwards between two starts.
 */
export class RecordingService implements ServiceModel {
  clock: Clock | null = null;
  count = 0;
  order: Float64Array;
  start: Float64Array;
  service: Float64Array;
  occupancy: Int32Array;
  private last = -Infinity;

  constructor(
    private readonly inner: ServiceModel,
    capacity = 1024,
  ) {
    this.order = new Float64Array(capacity);
    this.start = new Float64Array(capacity);
    this.service = new Float64Array(capacity);
    this.occupancy = new Int32Array(capacity);
  }

  time(inputTokens: number, outputTokens: number, occupancy: number, cls = 0, replica = 0): number {
    const now = this.clock!.now;
    if (now < this.last) throw new Error(`clock went back: start at ${now} after one at ${this.last}`);
    this.last = now;
    const s = this.inner.time(inputTokens, outputTokens, occupancy, cls, replica);
    const k = this.count++;
    if (k === this.order.length) this.grow();
    this.order[k] = inputTokens;
    this.start[k] = now;
    this.service[k] = s;
    this.occupancy[k] = occupancy;
    return s;
  }

  private grow(): void {
    const n = this.order.length * 2;
    const f = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.order = f(this.order);
    this.start = f(this.start);
    this.service = f(this.service);
    const occ = new Int32Array(n);
    occ.set(this.occupancy);
    this.occupancy = occ;
  }
}

/** Mean and standard error of the mean of `x` by `b` contiguous, equal batches (the tail is dropped). */
export function batchMeans(x: ArrayLike<number>, b: number): { mean: number; se: number } {
  const m = Math.floor(x.length / b);
  const means: number[] = [];
  for (let j = 0; j < b; j++) {
    let s = 0;
    for (let k = j * m; k < (j + 1) * m; k++) s += x[k]!;
    means.push(s / m);
  }
  const mean = means.reduce((a, v) => a + v, 0) / b;
  const variance = means.reduce((a, v) => a + (v - mean) ** 2, 0) / (b - 1);
  return { mean, se: Math.sqrt(variance / b) };
}
