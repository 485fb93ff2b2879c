import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/compare/run.js';
import { scenarioFromObject } from '../../src/scenario/load.js';

/*
 * The result's `capacity` counts (design §11): `coldStarts` (starts from zero copies),
 * `evictedColdStarts` (the subset that restored an evicted model) and `scaleOutLoads` (copies
 * loaded while another was live). Counted by hand:
 *
 * One slot per copy, 100 s requests, copies added 10 s after requests queue and ready 5 s later.
 * Calls at 00:00:00, :01, :02 — the first finds the model evicted (idle before the trace is
 * assumed longer than `evictAfter`); the calls at 1 and 2 s queue from 1 s: at 11 s two wait with
 * none loading → a scale-out load; at 21 s one waits with none loading → another. Everything is
 * done by 126 s; the copies go by 302 s. A call at 02:00 (idle ≈ 2 h > 1 h: an evicted start) and
 * one at 02:10 (the copy went at 02:05; idle 10 min: a plain cold start).
 * → coldStarts 3, evictedColdStarts 2, scaleOutLoads 2.
 */
function scenario(coldStart: string) {
  const at = (time: string, count: number, over: string) => ({
    type: 'batch',
    at: time,
    count,
    over,
    class: 'interactive',
  });
  return scenarioFromObject({
    name: 'capacity-counts',
    seed: 3,
    traffic: {
      start: '2026-01-05T00:00',
      days: 1,
      components: [at('00:00', 3, '3s'), at('02:00', 1, '1s'), at('02:10', 1, '1s')],
    },
    options: [
      {
        id: 'bedrock-cmi',
        key: 'cmi',
        slotsPerCopy: 1,
        serviceTime: '100s',
        scaleOutAfter: '10s',
        copyLoadTime: '5s',
        coldStart,
        evictedColdStart: '0s',
      },
    ],
  });
}

describe('capacity counts in the run result', () => {
  it('counts cold, evicted and scale-out loads apart; 0 s starts make no cold-start hit', () => {
    const o = runScenario(scenario('0s')).result.options[0]!;
    expect(o.capacity).toMatchObject({ coldStarts: 3, evictedColdStarts: 2, scaleOutLoads: 2 });
    expect(o.requests.coldStartHits).toBe(0);
  });

  it('a 20 s plain cold start (02:10) is the only cold-start hit', () => {
    const o = runScenario(scenario('20s')).result.options[0]!;
    expect(o.capacity).toMatchObject({ coldStarts: 3, evictedColdStarts: 2, scaleOutLoads: 2 });
    expect(o.requests.coldStartHits).toBe(1);
  });
});
