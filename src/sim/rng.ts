/**
 * Seeded pseudo-random numbers. Every random draw in servesim goes through an `Rng` owned by one
 * run and one purpose (a traffic component, an option's service times, its cold starts), so two
 * simulations in one process never share state and the same seed gives the same bytes.
 *
 * Generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state, passes
 * PractRand to 2^40+). Streams are seeded from (seed, stream key) through a string hash and
 * splitmix32, so streams with different keys are independent for practical purposes.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal = NaN;

  constructor(seed: number, stream = '') {
    let h = hashString(`${seed >>> 0}:${Math.floor(seed / 4294967296)}:${stream}`);
    const next = (): number => {
      // splitmix32
      h = (h + 0x9e3779b9) | 0;
      let z = h;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() | 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A new independent stream derived from this one's seed material and a key. */
  static derive(seed: number, ...keys: (string | number)[]): Rng {
    return new Rng(seed, keys.join('/'));
  }

  nextUint32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.c = (r + t) | 0;
    return t >>> 0;
  }

  /** Uniform on the open interval (0, 1): never 0, so `-log(u)` is always finite. */
  next(): number {
    return (this.nextUint32() + 0.5) / 4294967296;
  }

  /** Exponential with the given mean. Not clipped: long gaps are exactly as likely as they should be. */
  exponential(mean: number): number {
    return -Math.log(this.next()) * mean;
  }

  /** Standard normal by Box–Muller; the second value of each pair is kept for the next call. */
  normal(): number {
    if (this.spareNormal === this.spareNormal) {
      const s = this.spareNormal;
      this.spareNormal = NaN;
      return s;
    }
    const u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/** FNV-1a 32-bit hash of a string, used only to turn stream keys into seed material. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
