import { sampler, type Dist } from './dist.js';
import type { Rng } from './rng.js';
import type { ServiceModel } from './fleet.js';

/**
 * How fast one replica serves (design §3). Service time for a request with `i` input and `o`
 * output tokens that starts while `n` requests (itself included) are in flight on the replica:
 *
 *   ttft(i) + o · tpot(n),  ttft(i) = ttftBase + ttftPerInputToken · i,
 *                           tpot(n) = tpotBase + tpotPerExtraInFlight · (n − 1)
 *
 * Linear in occupancy: decode is memory-bandwidth-bound and per-token latency grows with the
 * batch (see shared/reference/throughput-calibration.md). Fixed at start, as design §3 says.
 */
export interface PerfProfile {
  id: string;
  description: string;
  /** Concurrent requests per replica. */
  slots: number;
  ttftBase: number;
  ttftPerInputToken: number;
  tpotBase: number;
  tpotPerExtraInFlight: number;
  source: string;
  uncertain: boolean;
}

export class ProfileService implements ServiceModel {
  private readonly a: number;
  private readonly b: number;
  private readonly c: number;
  private readonly d: number;
  constructor(p: PerfProfile) {
    this.a = p.ttftBase;
    this.b = p.ttftPerInputToken;
    this.c = p.tpotBase;
    this.d = p.tpotPerExtraInFlight;
  }
  time(inputTokens: number, outputTokens: number, occupancy: number): number {
    return this.a + this.b * inputTokens + outputTokens * (this.c + this.d * (occupancy - 1));
  }
}

/** Service times drawn i.i.d. from a distribution, ignoring tokens and occupancy (queueing checks). */
export class DistService implements ServiceModel {
  private readonly draw: (rng: Rng) => number;
  constructor(
    dist: Dist,
    private readonly rng: Rng,
  ) {
    this.draw = sampler(dist);
  }
  time(): number {
    return this.draw(this.rng);
  }
}
