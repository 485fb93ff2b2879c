import { describe, expect, it } from 'vitest';
import { analyzeBreakeven } from '../../../src/planning/breakeven/breakeven.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';
import { countedHits } from '../../../src/compare/result.js';

// On traces longer than a week the heartbeat schedules are searched on the first 7 days (issue 16);
// what is reported re-runs on the whole trace. The error of searching on a week is bounded here
// against the search on every day, on a small case: two weeks of office hours with idle nights.

const COST_TOLERANCE = 0.02;

const loaded = scenarioFromObject({
  name: 'first-week',
  seed: 9,
  traffic: {
    start: '2026-01-05T00:00',
    days: 12,
    components: [
      { type: 'poisson', rate: '0.02/s', from: '09:00', to: '12:00', days: 'weekdays', class: 'batch' },
      { type: 'trickle', count: 12, from: '13:00', to: '18:00' },
    ],
  },
  options: [{ id: 'bedrock-cmi', key: 'cmi' }],
});

describe('heartbeat schedules searched on the first week', async () => {
  const what = { heartbeat: true, volume: false };
  const week = (await analyzeBreakeven(loaded, what, { workers: 1 })).heartbeat[0]!;
  const all = (await analyzeBreakeven(loaded, what, { workers: 1, searchAboveDays: Infinity })).heartbeat[0]!;

  it('says where it searched', () => {
    expect(week.method.search).toBe('first-days');
    expect(week.method.note).toMatch(/^Schedules searched on the first 7 of 12 days/);
    expect(all.method.search).toBe('whole-trace');
  });

  it(`finds a schedule that avoids as many hits as the full search, within ${COST_TOLERANCE * 100} % of its cost`, () => {
    const never = all.variants[0]!;
    const full = all.variants.find((v) => v.schedule === all.bestSchedule.schedule)!;
    const fast = week.variants.find((v) => v.schedule === week.bestSchedule.schedule)!;
    // The case has hits to avoid, or the comparison says nothing.
    expect(countedHits(never, ['interactive'])).toBeGreaterThan(5);
    expect(week.bestSchedule.avoided).toBeGreaterThanOrEqual(all.bestSchedule.avoided);
    expect(Math.abs(fast.cost - full.cost) / full.cost).toBeLessThanOrEqual(COST_TOLERANCE);
    // The variants shown are whole-trace numbers in both: never is the same run.
    expect(week.variants[0]).toEqual(never);
  });
});
