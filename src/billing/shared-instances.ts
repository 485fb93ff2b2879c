import { compensatedSum } from '../stats.js';
import type { InstanceLife } from './instance-time.js';

/*
 * Instances shared by several models' copies (SageMaker inference components): a pure meter from
 * the copies' lives to the instances that host them, billed per instance-second, and a rule that
 * splits the shared bill among the models.
 *
 *   copies (per model: requestedAt → removedAt, reservation) ─► sweep in time order
 *        ends before starts at equal times ─► first fit on the instances up, in launch order
 *        no fit ─► a new instance, launched when the copy is asked for
 *        an instance left with no copy ─► released at once (never below `minInstances`)
 *   ─► instance lives ─► instance-seconds ─► split by reserved share-seconds
 */

/** What one copy reserves on an instance (SageMaker's ComputeResourceRequirements). */
export interface Reservation {
  /** Accelerator devices (GPUs) per copy. */
  accelerators: number;
  /** Host memory per copy, GiB. */
  memoryGiB: number;
}

/** The instance the copies are packed onto: its accelerators and host memory. */
export interface InstanceShape {
  accelerators: number;
  memoryGiB: number;
}

/** A copy's life, seconds from the trace start (a simulated replica's life satisfies it). */
export interface CopyLife {
  requestedAt: number;
  removedAt: number;
}

/** One model's copies on the shared endpoint (one inference component). */
export interface ComponentCopies {
  model: string;
  reservation: Reservation;
  copies: readonly CopyLife[];
}

export interface PackLimits {
  /** Instances kept from t = 0 to `end` even when empty. */
  minInstances: number;
  /** Instances beyond it are still launched (and billed) but counted in `overMax`. */
  maxInstances: number;
  /** End of the run: instances still up are billed to here. */
  end: number;
}

/** Whether a reservation fits an empty instance, and if not, why. */
export function fitsInstance(r: Reservation, shape: InstanceShape): string | null {
  if (r.accelerators > shape.accelerators)
    return `a copy reserves ${r.accelerators} accelerators but the instance has ${shape.accelerators}`;
  if (r.memoryGiB > shape.memoryGiB)
    return `a copy reserves ${r.memoryGiB} GiB of memory but the instance has ${shape.memoryGiB} GiB`;
  return null;
}

interface Slot {
  launchedAt: number;
  removedAt: number;
  freeAcc: number;
  freeMem: number;
  copies: number;
}

/**
 * The packing state: instances up, in launch order, and what each has free. Used by the billing
 * sweep (`packCopies`) and live by the simulation's copy policy, so both place copies alike.
 */
export class InstancePacker {
  private readonly slots: Slot[] = [];
  /** Indexes of instances up, in launch order. */
  private readonly up: number[] = [];
  /** Copy key → instance index. */
  private readonly where = new Map<number, number>();
  overMax = 0;

  constructor(
    private readonly shape: InstanceShape,
    private readonly minInstances: number,
    private readonly maxInstances: number,
  ) {
    for (let i = 0; i < minInstances; i++) this.launch(0);
  }

  /** Instances up now. */
  get count(): number {
    return this.up.length;
  }

  /** The instance a copy would take now: an index, `'launch'` (a new one) or `'full'` (at the max). */
  fit(r: Reservation): number | 'launch' | 'full' {
    for (const i of this.up) {
      const s = this.slots[i]!;
      if (s.freeAcc >= r.accelerators && s.freeMem >= r.memoryGiB) return i;
    }
    return this.up.length < this.maxInstances ? 'launch' : 'full';
  }

  /**
   * Places copy `key` at `t`: first fit, else a new instance (past the max only with `force`,
   * counted in `overMax`). Returns the instance's index (launch order) and whether it was
   * launched for this copy; null when the copy could not be placed (full, not forced).
   */
  place(key: number, r: Reservation, t: number, force = false): { at: number; launched: boolean } | null {
    const fit = this.fit(r);
    if (fit === 'full' && !force) return null;
    if (fit === 'full') this.overMax++;
    const at = typeof fit === 'number' ? fit : this.launch(t);
    const s = this.slots[at]!;
    s.freeAcc -= r.accelerators;
    s.freeMem -= r.memoryGiB;
    s.copies++;
    this.where.set(key, at);
    return { at, launched: typeof fit !== 'number' };
  }

  /** Copy `key` goes at `t`; its instance is released at once if it hosts no other copy. */
  release(key: number, r: Reservation, t: number): void {
    const at = this.where.get(key);
    if (at === undefined) return;
    this.where.delete(key);
    const s = this.slots[at]!;
    s.freeAcc += r.accelerators;
    s.freeMem += r.memoryGiB;
    s.copies--;
    if (s.copies === 0 && this.up.length > this.minInstances) {
      s.removedAt = t;
      this.up.splice(this.up.indexOf(at), 1);
    }
  }

  /** Every instance's life, in launch order; those still up end at `end`. */
  lives(end: number): InstanceLife[] {
    return this.slots.map((s) => ({
      requestedAt: s.launchedAt,
      removedAt: Number.isNaN(s.removedAt) ? Math.max(end, s.launchedAt) : s.removedAt,
    }));
  }

  private launch(t: number): number {
    this.slots.push({
      launchedAt: t,
      removedAt: NaN,
      freeAcc: this.shape.accelerators,
      freeMem: this.shape.memoryGiB,
      copies: 0,
    });
    this.up.push(this.slots.length - 1);
    return this.slots.length - 1;
  }
}

/** The shared instances: their lives, the instance-seconds they bill, the peak count. */
export interface Packing {
  instances: InstanceLife[];
  instanceSeconds: number;
  peakInstances: number;
  /** Copies that found the endpoint at `maxInstances` and were placed on an instance beyond it. */
  overMax: number;
  /** Per component, in input order: Σ copy-seconds × its dominant share of an instance. */
  reservedShareSeconds: number[];
}

/**
 * Packs every component's copies onto shared instances (see the pipeline above) and meters them.
 * O(E log E + E × I) for E copy events and I instances up at a time.
 *
 * Worked: instances of 4 GPUs; model A's copy 0–3,600 s and model B's copy 600–3,000 s, one GPU
 * each → one instance, launched at 0 and released at 3,600 s: 3,600 instance-seconds.
 */
export function packCopies(
  components: readonly ComponentCopies[],
  shape: InstanceShape,
  limits: PackLimits,
): Packing {
  const packer = new InstancePacker(shape, limits.minInstances, limits.maxInstances);
  // Events: [time, 0 = end | 1 = start, component, copy index]; ends first at equal times.
  const events: [number, number, number, number][] = [];
  components.forEach((c, ci) =>
    c.copies.forEach((l, k) => {
      if (l.removedAt <= l.requestedAt) return;
      events.push([l.requestedAt, 1, ci, k], [l.removedAt, 0, ci, k]);
    }),
  );
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3]);
  const base = components.map((_, ci) => components.slice(0, ci).reduce((n, c) => n + c.copies.length, 0));
  let peak = packer.count;
  for (const [t, kind, ci, k] of events) {
    const c = components[ci]!;
    if (kind === 0) packer.release(base[ci]! + k, c.reservation, t);
    else {
      packer.place(base[ci]! + k, c.reservation, t, true);
      peak = Math.max(peak, packer.count);
    }
  }
  const instances = packer.lives(limits.end);
  return {
    instances,
    instanceSeconds: compensatedSum(instances.map((l) => l.removedAt - l.requestedAt)),
    peakInstances: peak,
    overMax: packer.overMax,
    reservedShareSeconds: components.map((c) => {
      const share = dominantShare(c.reservation, shape);
      return compensatedSum(c.copies.map((l) => Math.max(0, l.removedAt - l.requestedAt) * share));
    }),
  };
}

/** A reservation's dominant share of an instance: the larger of its accelerator and memory shares. */
export function dominantShare(r: Reservation, shape: InstanceShape): number {
  return Math.max(r.accelerators / shape.accelerators, r.memoryGiB / shape.memoryGiB);
}

/**
 * Splits a shared amount among components by reserved share-seconds: component i gets
 * amount × wᵢ / Σ w. With nothing reserved (only `minInstances` idle) the split is equal.
 * The parts add up to the amount (the last takes the remainder).
 *
 * Worked: $10 over weights 3,600 and 1,200 → $7.50 and $2.50.
 */
export function splitByReservation(amount: number, weights: readonly number[]): number[] {
  const n = weights.length;
  if (n === 0) return [];
  const total = compensatedSum(weights);
  const parts = weights.map((w) => (total > 0 ? (amount * w) / total : amount / n));
  parts[n - 1] = amount - compensatedSum(parts.slice(0, n - 1));
  return parts;
}
