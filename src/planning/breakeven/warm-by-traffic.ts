import type { Heartbeat } from '../../models/heartbeat.js';
import { WARM_BY_TRAFFIC_SHARE } from '../../compare/result.js';
import type { TrafficShape, VariantOutcome } from '../sweep/sweep.js';
import { labelOf, rangesOf } from './schedules.js';

/** An hour-of-day schedule: bit h = keep warm in local hour h. */
export interface Plan {
  mask: number;
  days: 'all' | 'weekdays';
}

/** Doublings of the volume the warm-by-traffic sweep tries at most (2^20 × the traffic). */
const MAX_DOUBLINGS = 20;

/**
 * From which daily volume does traffic keep the copy warm by itself? The traffic is scaled ×2, ×4 …
 * (at most to `maxVolume`); at each volume the option runs without a heartbeat and with one over
 * the traffic's own local hours, until that heartbeat's added cost falls under
 * `WARM_BY_TRAFFIC_SHARE` of the bill without it. The answer is interpolated linearly in
 * log(volume) between the last two volumes run.
 */
export async function warmByTraffic(
  one: (hb: Heartbeat | undefined, scale: number) => Promise<VariantOutcome>,
  shape: TrafficShape,
  /** User requests per day of the traffic `one` simulates at scale 1. */
  perDay: number,
  every: number,
  tokens: { inputTokens: number; outputTokens: number },
  maxVolume: number,
): Promise<{ schedule: string; requestsPerDay: number | null }> {
  const hb = heartbeatOf({ mask: shape.hourMask, days: 'all' }, every, tokens);
  const schedule = labelOf(hb);
  if (hb === undefined || !shape.scalable) return { schedule, requestsPerDay: null };
  let prev: { x: number; share: number } | undefined;
  for (let scale = 1; scale <= 2 ** MAX_DOUBLINGS; scale *= 2) {
    const volume = perDay * scale;
    if (scale > 1 && volume > maxVolume * (1 + 1e-9)) break;
    const [off, on] = await Promise.all([one(undefined, scale), one(hb, scale)]);
    const share = off.cost! > 0 ? (on.cost! - off.cost!) / off.cost! : on.cost! > 0 ? Infinity : 0;
    const x = Math.log(volume);
    if (share <= WARM_BY_TRAFFIC_SHARE) {
      if (prev === undefined) return { schedule, requestsPerDay: volume };
      const f = Number.isFinite(prev.share) ? (prev.share - WARM_BY_TRAFFIC_SHARE) / (prev.share - share) : 1;
      return { schedule, requestsPerDay: Math.exp(prev.x + (x - prev.x) * f) };
    }
    prev = { x, share };
  }
  return { schedule, requestsPerDay: null };
}

export function heartbeatOf(
  p: Plan,
  every: number,
  tokens: { inputTokens: number; outputTokens: number },
): Heartbeat | undefined {
  if (p.mask === 0) return undefined;
  return { every, during: rangesOf(p.mask), days: p.days, ...tokens };
}
