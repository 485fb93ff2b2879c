import { scenarioFromObject, type LoadedScenario } from '../../src/scenario/load.js';

/*
 * Hand-countable scenarios for the break-even tests. Every request takes exactly 1 s, every cold
 * start (evicted or not) exactly 30 s, so windows and cold starts can be counted on paper.
 */

/** A Custom Model Import copy with fixed times: 2 CMUs at AWS's example rate, $0.785 a window. */
export const cmiFixed = {
  id: 'bedrock-cmi',
  key: 'cmi',
  cmuVersion: 'pricing-example',
  coldStart: '30s',
  evictedColdStart: '30s',
  serviceTime: '1s',
};

/** One window: 2 CMUs × $0.0785 per CMU-minute × 5 minutes (AWS's pricing page example). */
export const WINDOW = 2 * 0.0785 * 5;

/**
 * One interactive user request every 20 minutes for 8 hours: 09:00, 09:20, …, 16:40 (24 requests)
 * on Monday 2026-01-05, UTC, one day.
 */
export function everyTwentyMinutes(extra: Record<string, unknown> = {}): LoadedScenario {
  return scenarioFromObject({
    name: 'hand-heartbeat',
    seed: 1,
    traffic: {
      start: '2026-01-05T00:00',
      days: 1,
      components: [{ type: 'batch', at: '09:00', count: 24, over: '8h', class: 'interactive' }],
    },
    options: [cmiFixed],
    ...extra,
  });
}

/**
 * Requests evenly spaced over the day (100 a day before scaling: one every 864 s) through the
 * CMI copy above and one always-on replica at $1.515 an hour (an ml.g5.2xlarge's price).
 */
export function evenDay(volume: Record<string, unknown>): LoadedScenario {
  return scenarioFromObject({
    name: 'hand-crossover',
    seed: 1,
    traffic: {
      start: '2026-01-05T00:00',
      days: 1,
      components: [{ type: 'batch', at: '00:00', count: 100, over: '24h', class: 'interactive' }],
    },
    options: [
      cmiFixed,
      { id: 'fixed-fleet', key: 'box', replicas: 1, serviceTime: '1s', hourlyPrice: 1.515 },
    ],
    breakeven: { volume },
  });
}
