import { scenarioFromObject, type LoadedScenario } from '../../../src/scenario/load.js';

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

/*
 * Steady overflow, countable by hand (issue 15 item 2): one copy of one slot would do, but an
 * overflow call reaches a second copy every 4 minutes.
 *
 * `cmi`: 10 s requests, 0 s starts, a copy added 10 s after requests queue, ready 5 s later, at
 * AWS's example rate ($0.785 a window). Calls at 0, 1, 2 s: A serves 0–10 and the call of 1 s at
 * 10–20; the call of 2 s still waits at 11 s → copy B (ready 16 s, serves it 16–26). Then a call
 * every 20 s from 60 s to 3,580 s (177) and a second call at the same instant every 4 minutes
 * (240, 480, …, 3,360 s: 14), which finds A busy: B while it exists; otherwise it waits 10 s
 * for A (the scale-out timer, 10 s after it queued, comes after A's completion at that instant).
 * - `load` (default): B ready at 16 s → the window 16–316 s holds 4 (A, 16–20) + 10 (B) +
 *   13 × 10 (60 … 300 s) + 10 (overflow at 240 s) = 154 request-seconds, mean 0.51 ≤ 1 copy × 1
 *   slot → B (youngest; both idle at 316 s) goes at 316 s: ⌈300 / 300⌉ = 1 window. A goes to
 *   zero 300 s after the last call: 3,880 s, ⌈3880 / 300⌉ = 13 windows. 14 windows = $10.99.
 * - `idle` (design §4.2): B is assigned every 240 s until 3,360 s and goes at 3,660 s:
 *   ⌈3644 / 300⌉ = 13 windows, + 13 for A = 26 windows = $20.41.
 * Storage st = 2 CMUs × $1.95 × 24/730 ≈ $0.13 either way.
 * `box`: one always-on replica at $0.60/h: $14.40, between the two: the rule flips the choice.
 */
export function steadyOverflow(): LoadedScenario {
  const calls = (at: string, count: number, over: string) => ({
    type: 'batch',
    at,
    count,
    over,
    class: 'interactive',
  });
  return scenarioFromObject({
    name: 'sensitivity-overflow',
    seed: 5,
    traffic: {
      start: '2026-01-05T00:00',
      days: 1,
      components: [calls('00:00', 3, '3s'), calls('00:01', 177, '3540s'), calls('00:04', 14, '3360s')],
    },
    options: [
      {
        id: 'bedrock-cmi',
        key: 'cmi',
        cmuVersion: 'pricing-example',
        slotsPerCopy: 1,
        coldStart: '0s',
        evictedColdStart: '0s',
        copyLoadTime: '5s',
        scaleOutAfter: '10s',
        maxCopies: 4,
        serviceTime: '10s',
      },
      { id: 'fixed-fleet', key: 'box', replicas: 1, serviceTime: '10s', hourlyPrice: 0.6 },
    ],
  });
}

/** The overflow box's cost: 24 h × $0.60. */
export const OVERFLOW_BOX = 24 * 0.6;
