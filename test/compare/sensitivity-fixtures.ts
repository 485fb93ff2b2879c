import { scenarioFromObject, type LoadedScenario } from '../../src/scenario/load.js';

/*
 * A burst countable by hand: 40 interactive requests at 09:00 (spread over 1 s), each served in
 * exactly 500 s, through
 *
 * - `cmi`: Custom Model Import with fixed 30 s cold (and evicted) starts and copy loads, a copy
 *   added every 10 s while queued requests exceed the slots of copies still loading, at most 10
 *   copies, $0.785 a window (AWS's example rate, the default version; left unset, so the CMU rate
 *   version is an uncertain input). `slotsPerCopy` is left at its default (8, band
 *   4–16), so it is an uncertain input. Queue = 40 − ready·s and loading = live − ready, so
 *   "queue > loading·s" ⟺ 40 > live·s: copies are added until live·s ≥ 40, i.e.
 *   n = ⌈40 / s⌉ copies. Each copy takes its requests the moment it is ready and serves them all
 *   at once for 500 s; by then no invocation has arrived for > 300 s, so it is removed as it goes
 *   idle: active 500 s → ⌈500/300⌉ = 2 windows (`active` rule), 1 window (`invoked`: every request
 *   starts in the first). CMI = 2n·W + storage.
 *     s = 4 → 10 copies, s = 6 → 7, s = 7 → 6 (⌈5.7⌉), s = 8 → 5, s = 16 → 3 (⌈2.5⌉).
 * - `box`: one always-on replica with 64 slots at $0.425/h: 24 h × 0.425 = $10.20 whatever happens.
 *
 * With storage st (2 CMUs × $/CMU-month × 24/730 ≈ $0.13): CMI at 7 copies = 10.99 + st > 10.20 >
 * 9.42 + st = CMI at 6 copies. So CMI is cheapest for s ≥ 7 and the box for s ≤ 6: the choice
 * flips below 7 (an integer, found exactly), and not at the high end.
 */
export function burst(): LoadedScenario {
  return scenarioFromObject({
    name: 'sensitivity-burst',
    seed: 5,
    traffic: {
      start: '2026-01-05T00:00',
      days: 1,
      components: [{ type: 'batch', at: '09:00', count: 40, over: '1s', class: 'interactive' }],
    },
    options: [
      {
        id: 'bedrock-cmi',
        key: 'cmi',
        coldStart: '30s',
        evictedColdStart: '30s',
        copyLoadTime: '30s',
        scaleOutAfter: '10s',
        maxCopies: 10,
        serviceTime: '500s',
      },
      {
        id: 'fixed-fleet',
        key: 'box',
        replicas: 1,
        slotsPerReplica: 64,
        serviceTime: '500s',
        hourlyPrice: 0.425,
      },
    ],
  });
}

/** The box's cost: 24 h × $0.425. */
export const BOX = 24 * 0.425;
