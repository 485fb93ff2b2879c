import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  prepareOption,
  scenarioPriceBook,
  simulateOption,
  summarizeTrace,
} from '../../../src/compare/run.js';
import { optionById } from '../../../src/models/registry.js';
import { runTask } from '../../../src/planning/sweep/sweep.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';
import { TraceCalendar } from '../../../src/traffic/calendar.js';
import { holdTrace } from '../../../src/traffic/held.js';

// A task with `latency: false` (the forecast's) simulates without recording latencies. Everything
// else it returns must be exactly what the timed simulation returns: costs, the AWS bill, every
// count, cold starts, the first request, the series and the cold-start hits. Property test over
// random traffic that queues, throttles and goes cold.

const hhmm = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const arb = fc.record({
  seed: fc.integer({ min: 0, max: 1e6 }),
  rate: fc.double({ min: 0.005, max: 0.5, noNaN: true }),
  batch: fc.integer({ min: 1, max: 3000 }),
  at: fc.integer({ min: 0, max: 22 * 60 }),
  from: fc.integer({ min: 0, max: 20 * 60 }),
});

function scenarioOf(a: typeof arb extends fc.Arbitrary<infer T> ? T : never) {
  return scenarioFromObject({
    name: 'untimed',
    seed: a.seed,
    timezone: 'America/New_York',
    traffic: {
      start: '2026-01-05T00:00',
      days: 1,
      components: [
        { type: 'poisson', rate: a.rate, from: hhmm(a.from), to: hhmm(a.from + 180) },
        {
          type: 'batch',
          count: a.batch,
          at: hhmm(a.at),
          over: '5m',
          inputTokens: { dist: 'lognormal', median: 250, p90: 320 },
        },
      ],
    },
    options: [
      { id: 'bedrock-cmi', key: 'cmi' },
      { id: 'bedrock-cmi', key: 'cmi-hb', heartbeat: { every: '5m', during: ['08:00-19:00'] } },
      { id: 'sagemaker-realtime', instanceType: 'ml.g5.2xlarge', maxInstances: 2 },
      { id: 'self-hosted', instanceType: 'g5.2xlarge', minNodes: 0, maxNodes: 2 },
      { id: 'bedrock-on-demand', key: 'per-token', model: 'llama-3.1-8b-instruct' },
    ],
  });
}

describe('a sweep task without latency', () => {
  it('returns exactly the timed task’s outcomes, latency aside', () => {
    fc.assert(
      fc.property(arb, (a) => {
        const loaded = scenarioOf(a);
        const ctx = { scenario: loaded.scenario, baseDir: loaded.baseDir };
        const task = {
          scale: 1.3,
          seed: a.seed + 1,
          options: loaded.scenario.options,
          series: true,
          hits: true,
        };
        const timed = runTask(ctx, task);
        const untimed = runTask(ctx, { ...task, latency: false });
        expect(timed.some((o) => o.latency !== null)).toBe(true);
        expect(untimed.every((o) => o.latency === null && o.p99Interactive === null)).toBe(true);
        expect(untimed).toEqual(timed.map((o) => ({ ...o, latency: null, p99Interactive: null })));
      }),
      { numRuns: 20, seed: 16 },
    );
  });

  it('the untimed simulation record equals the timed one but for its latencies (none recorded)', () => {
    fc.assert(
      fc.property(arb, (a) => {
        const { scenario, baseDir } = scenarioOf(a);
        const book = scenarioPriceBook(scenario, baseDir);
        const calendar = new TraceCalendar(scenario.traffic, scenario.timezone);
        const span = calendar.span;
        const held = holdTrace(scenario, baseDir);
        const trace = summarizeTrace(scenario, span.startUtcIso, span.durationSeconds, baseDir, held.columns);
        let coldHits = 0;
        for (const o of scenario.options) {
          if (!optionById(o.id)!.feasibility(scenario.model, scenario.region, o, book).ok) continue;
          // Prepared per simulation: a prepared option's policy and service hold random streams.
          const prepare = () => prepareOption(scenario, o, book, span.durationSeconds, calendar, trace);
          const timed = simulateOption(scenario, prepare(), span.durationSeconds, held.users);
          const p = prepare();
          const untimed = simulateOption(
            scenario,
            { ...p, fleet: { ...p.fleet, latency: false } },
            span.durationSeconds,
            held.users,
          );
          const { latency: lt, latencySample: _st, ...restT } = timed;
          const { latency: lu, latencySample: su, ...restU } = untimed;
          expect(restU).toEqual(restT);
          expect(lt.all?.count).toBe(timed.served);
          expect(Object.values(lu).every((g) => g === null)).toBe(true);
          expect(Object.values(su).every((x) => x.length === 0)).toBe(true);
          coldHits += timed.coldStartHits;
        }
        // The cold-start hits' worst latency (kept without latencies) was exercised.
        expect(coldHits).toBeGreaterThan(0);
      }),
      { numRuns: 20, seed: 16 },
    );
  });
});
