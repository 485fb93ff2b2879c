import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/compare/run.js';
import { analyzeBreakeven } from '../../../src/planning/breakeven/breakeven.js';
import { runTask, variantOutcome } from '../../../src/planning/sweep/sweep.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';
import { holdTrace } from '../../../src/traffic/held.js';

// Issue 16's fast paths must give exactly what the slow paths gave: a trace generated once and read
// from columns = the stream regenerated per simulation; the run's own simulation reused as the
// heartbeat's `never` = simulating it again. Property tests over random traces and schedules.

const hhmm = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const window = fc
  .tuple(fc.integer({ min: 0, max: 23 * 60 }), fc.integer({ min: 15, max: 240 }))
  .map(([from, len]) => ({ from: hhmm(from), to: hhmm(Math.min(24 * 60, from + len)) }));

const component = fc.oneof(
  fc.record({
    type: fc.constant('poisson'),
    rate: fc.double({ min: 0.002, max: 0.2, noNaN: true }),
    w: window,
    days: fc.constantFrom('all', 'weekdays'),
  }),
  fc.record({ type: fc.constant('trickle'), count: fc.integer({ min: 1, max: 60 }), w: window }),
  fc.record({ type: fc.constant('batch'), count: fc.integer({ min: 1, max: 300 }), w: window }),
);

const scenarioArb = fc.record({
  seed: fc.integer({ min: 0, max: 1e6 }),
  start: fc.constantFrom('2026-01-05T00:00', '2026-01-09T06:30', '2026-03-07T00:00'),
  days: fc.integer({ min: 1, max: 2 }),
  components: fc.array(component, { minLength: 1, maxLength: 3 }),
  heartbeat: fc.record({
    every: fc.constantFrom('1m', '2m', '5m'),
    w: window,
    days: fc.constantFrom('all', 'weekdays'),
  }),
});

type Arb = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function scenarioOf(a: Arb) {
  return scenarioFromObject({
    name: 'fast-path',
    seed: a.seed,
    timezone: 'Europe/Berlin',
    traffic: {
      start: a.start,
      days: a.days,
      components: a.components.map((c) =>
        c.type === 'poisson'
          ? {
              type: 'poisson',
              rate: c.rate,
              from: c.w.from,
              to: c.w.to,
              days: c.days,
              inputTokens: { dist: 'lognormal', median: 250, p90: 320 },
            }
          : c.type === 'trickle'
            ? { type: 'trickle', count: c.count, from: c.w.from, to: c.w.to, class: 'interactive' }
            : { type: 'batch', count: c.count, at: c.w.from, over: '10m' },
      ),
    },
    options: [
      { id: 'bedrock-cmi', key: 'cmi' },
      {
        id: 'bedrock-cmi',
        key: 'cmi-hb',
        heartbeat: {
          every: a.heartbeat.every,
          during: [`${a.heartbeat.w.from}-${a.heartbeat.w.to}`],
          days: a.heartbeat.days,
        },
      },
      { id: 'sagemaker-realtime', instanceType: 'ml.g5.2xlarge', maxInstances: 3 },
    ],
  });
}

describe('fast paths equal full re-simulation', () => {
  it('a trace held as columns simulates exactly as the regenerated stream', () => {
    fc.assert(
      fc.property(scenarioArb, (a) => {
        const loaded = scenarioOf(a);
        const s = loaded.scenario;
        const held = holdTrace(s, loaded.baseDir);
        expect(held.columns).not.toBeNull();
        const task = { scale: 1, options: s.options, hits: true, series: true };
        const fromColumns = runTask({ scenario: s, baseDir: loaded.baseDir, trace: held.columns }, task);
        const regenerated = runTask({ scenario: s, baseDir: loaded.baseDir }, task);
        expect(fromColumns).toEqual(regenerated);
      }),
      { numRuns: 25, seed: 16 },
    );
  });

  it("the run's own simulation as the heartbeat's `never` gives the same break-even as simulating it again", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (a) => {
        const loaded = scenarioOf(a);
        const out = runScenario(loaded);
        const baseline = new Map(
          out.runs.map((run, i) => [
            run.key,
            variantOutcome(
              { result: out.result.options[i]!, run, assumed: run.assumed ?? [] },
              { hits: true },
            ),
          ]),
        );
        const what = { heartbeat: true, volume: false };
        const reused = await analyzeBreakeven(loaded, what, { workers: 1, baseline });
        const again = await analyzeBreakeven(loaded, what, { workers: 1 });
        expect(reused).toEqual(again);
      }),
      { numRuns: 4, seed: 16 },
    );
  }, 120_000);
});
