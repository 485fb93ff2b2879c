import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import type { HeartbeatBreakeven, OptionResult, RunResult } from '../../src/compare/result.js';
import { countedClasses } from '../../src/planning/breakeven/breakeven.js';
import { decideVerdict, opsThreshold, rankedOptions } from '../../src/compare/verdict.js';
import { captureIo, jsonFlags } from '../helpers/cli.js';

/** A feasible option with the given AWS bill and staff time (USD) and losses. */
function option(key: string, aws: number | null, staff = 0, extra: Partial<OptionResult> = {}): OptionResult {
  const cost = aws === null ? null : { total: aws + staff, aws, staff, currency: 'USD' as const, lines: [] };
  return {
    key,
    id: 'fixed-fleet',
    label: `Option ${key}`,
    feasible: aws !== null,
    baseline: false,
    reasons: [],
    facts: {} as OptionResult['facts'],
    cost,
    per1kRequests: null,
    per1MTokens: null,
    latency: null,
    requests: {
      arrived: 1000,
      served: 1000,
      throttled: 0,
      failed: 0,
      heartbeats: 0,
      coldStartHits: 0,
      coldStartHitsByClass: { interactive: 0, batch: 0 },
      coldStartWorstLatency: { interactive: null, batch: null },
    },
    capacity: null,
    ...extra,
  };
}

function result(options: OptionResult[], assumptions: RunResult['assumptions'] = []): RunResult {
  return {
    kind: 'run',
    schemaVersion: 1,
    scenario: 't',
    seed: 1,
    region: 'us-east-1',
    generatedBy: { version: '0' },
    pricing: { book: 'b', bookDate: '2026-11-01', overrides: [] },
    trace: {
      start: '2026-01-05T00:00:00Z',
      durationSeconds: 86400,
      requests: 1000,
      inputTokens: 0,
      outputTokens: 0,
      byClass: {
        interactive: { requests: 1000, inputTokens: 0, outputTokens: 0 },
        batch: { requests: 0, inputTokens: 0, outputTokens: 0 },
      },
    },
    options,
    assumptions,
    claims: [],
  };
}

const lossy = (key: string, aws: number) =>
  option(key, aws, 0, {
    requests: { ...option('x', 1).requests, throttled: 20 },
  });

describe('verdict: which option is cheapest', () => {
  it('never names a baseline, an infeasible option or one losing more than maxLossRate', () => {
    const r = result([
      option('base', 1, 0, { baseline: true }),
      option('off', null),
      lossy('lossy', 2),
      option('b', 30),
      option('a', 20, 5),
    ]);
    const v = decideVerdict(r, 'total', 0.01);
    // lossy loses 20 of 1000 = 2 % > 1 %.
    expect(v.cheapest).toBe('a');
    expect(v.runnerUp).toBe('b');
    expect(v.text).toMatch(/Not ranked: base \$1\.00/);
    // At 5 % the lossy option is ranked, and cheapest.
    expect(decideVerdict(r, 'total', 0.05).cheapest).toBe('lossy');
  });

  it('ranks on the AWS bill when asked, and says when the other basis would rank differently', () => {
    // a: $20 AWS + $15 staff = $35; b: $30 AWS, no staff time.
    const r = result([option('a', 20, 15), option('b', 30)]);
    const total = decideVerdict(r, 'total', 0);
    expect([total.cheapest, total.runnerUp]).toEqual(['b', 'a']);
    expect(total.text).toMatch(
      /On the AWS bill alone \(no staff time\) Option a would be cheapest at \$20\.00/,
    );
    const aws = decideVerdict(r, 'aws', 0);
    expect([aws.cheapest, aws.basis]).toEqual(['a', 'aws']);
    expect(aws.text).toMatch(/Counting staff time, Option b would be cheapest at \$30\.00/);
  });

  it('has no cheapest when nothing that serves the fine-tune is ranked', () => {
    const v = decideVerdict(
      result([option('base', 1, 0, { baseline: true }), option('off', null)]),
      'total',
      0,
    );
    expect(v.cheapest).toBeNull();
    expect(v.runnerUp).toBeNull();
    expect(v.text).toMatch(/No option that serves your fine-tune is feasible/);
  });

  it('orders ties as listed', () => {
    expect(rankedOptions([option('x', 10), option('y', 10)], 'total', 0).map((o) => o.key)).toEqual([
      'x',
      'y',
    ]);
  });
});

describe('verdict: the ops effort that would flip the choice', () => {
  it('is linear in FTE: 0.1 × (80.98 − 39.57) / 54.79 = 0.07558 FTE', () => {
    const cmi = option('cmi', 80.98);
    const sm = option('sm', 39.57, 54.79);
    const r = result(
      [cmi, sm],
      [
        {
          option: 'sm',
          name: 'ops',
          value: 0.1,
          unit: 'FTE',
          low: 0.05,
          high: 0.25,
          source: 'assumed',
          uncertain: true,
        },
      ],
    );
    expect(opsThreshold(r, cmi, sm, 'total')).toBeCloseTo((0.1 * (80.98 - 39.57)) / 54.79, 12);
    expect(decideVerdict(r, 'total', 0).text).toMatch(
      /becomes cheapest if its ops effort is below 0\.076 FTE/,
    );
    // Its AWS bill alone above the cheapest: no ops effort makes it cheaper.
    expect(opsThreshold(r, option('c', 30), sm, 'total')).toBeNull();
  });
});

describe('verdict on the article’s day (scenarios/medical-notes.yaml, seed 42)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'servesim-verdict-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the cheapest, and a heartbeat that removes the interactive cold starts for ≤ $5 a day', async () => {
    await runCommand(undefined, jsonFlags(dir), captureIo(), { sensitivity: false });
    const r = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResult;
    // Answer first: the verdict follows the trace summary in the file (after what kind of file it is).
    expect(Object.keys(r).slice(0, 10)).toEqual([
      'kind',
      'schemaVersion',
      'scenario',
      'seed',
      'region',
      'generatedBy',
      'pricing',
      'trace',
      'verdict',
      'options',
    ]);
    const v = r.verdict!;
    const cheapest = r.options.find((o) => o.key === v.cheapest)!;
    expect(cheapest.baseline).toBe(false);
    expect(cheapest.feasible).toBe(true);
    expect(v.runnerUp).not.toBeNull();
    expect(r.options.find((o) => o.key === v.runnerUp)!.baseline).toBe(false);
    // No baseline is cheaper than the ranked options on this day? The $1.05 per-token baseline is —
    // and is still not named.
    const baseline = r.options.find((o) => o.key === 'llama-base-per-token')!;
    expect(baseline.cost!.total).toBeLessThan(cheapest.cost!.total);

    const h = r.breakeven!.heartbeat.find((x) => x.option === 'cmi')!;
    const never = h.variants[0]!;
    const interactive = never.coldStartHitsByClass.interactive;
    expect(interactive).toBeGreaterThan(0);
    expect(never.coldStartHitsByClass.batch).toBeGreaterThan(interactive);
    // ≥ 90 % of the interactive hits avoided, for ≤ $5 a day, and no batch hit counted as avoided.
    expect(h.bestSchedule.avoided).toBeGreaterThanOrEqual(0.9 * interactive);
    expect(h.bestSchedule.avoided).toBeLessThanOrEqual(interactive);
    expect(h.bestSchedule.addedCost).toBeLessThanOrEqual(5);
    const best = h.variants.find((x) => x.schedule === h.bestSchedule.schedule)!;
    expect(best.schedule).toBe(h.bestSchedule.schedule);
    expect(h.bestSchedule.avoided).toBe(interactive - best.coldStartHitsByClass.interactive);
    // The verdict states it.
    expect(v.cheapest).toBe('cmi');
    expect(v.heartbeat!.schedule).toBe(h.bestSchedule.schedule);
    expect(v.heartbeat!.avoided).toBe(h.bestSchedule.avoided);
    expect(v.text).toContain(`${interactive} interactive requests wait on a cold start`);
    expect(v.text).toContain(`a heartbeat ${h.bestSchedule.heartbeat!.during.join(', ')}`);
  });
});

describe('verdict: the heartbeat sentence', () => {
  /** A heartbeat analysis run under `option` for entries `keys`, whose best schedule is `best`. */
  function analysis(
    keys: string[],
    classes: ('interactive' | 'batch')[],
    best: { interactive: number; batch: number },
  ): HeartbeatBreakeven {
    const v = (schedule: string, cost: number, h: { interactive: number; batch: number }) => ({
      schedule,
      cost,
      coldStartHits: h.interactive + h.batch,
      coldStartHitsByClass: h,
      p99Interactive: null,
      firstCall: null,
    });
    return {
      option: keys[0]!,
      keys,
      scaleToZeroSeconds: 300,
      method: { search: 'whole-trace' as const, searchDays: 1, note: '' },
      classes,
      gridSeconds: 60,
      variants: [v('never', 10, { interactive: 4, batch: 100 }), v('13:00-14:00, every 5m', 12, best)],
      costPerAvoidedColdStart: null,
      breakEvenColdStartValue: null,
      bestSchedule: {
        schedule: '13:00-14:00, every 5m',
        heartbeat: { every: '5m', during: ['13:00-14:00'], days: 'all' },
        basis: 'b',
        addedCost: 2,
        avoided: 4 + 100 - best.interactive - best.batch,
        costPerAvoided: null,
        daysRun: 1,
        fittedTo: 'x',
      },
      wholeHourSchedule: { schedule: '13:00-14:00, every 5m', heartbeat: null },
      uncounted: { classes: [], hitsNever: 0, hitsBest: 0, slowestLongerBy: null },
      verdict: null,
      warmByTraffic: { schedule: 'never', requestsPerDay: null },
    };
  }
  const coldOption = (key: string, aws: number, worst: number | null) =>
    option(key, aws, 0, {
      requests: {
        ...option('x', 1).requests,
        coldStartHits: 104,
        coldStartHitsByClass: { interactive: 4, batch: 100 },
        coldStartWorstLatency: { interactive: worst, batch: worst },
      },
    });

  it('finds the analysis of a group by any of its keys, and prices per interactive request', () => {
    const r = result([coldOption('cold', 20, 40), coldOption('warm', 10, 40)]);
    r.breakeven = {
      heartbeat: [analysis(['cold', 'warm'], ['interactive'], { interactive: 0, batch: 100 })],
      volume: null,
    };
    const v = decideVerdict(r, 'total', 0);
    expect(v.cheapest).toBe('warm');
    expect(v.heartbeat?.schedule).toBe('13:00-14:00, every 5m');
    // $2 for 4 interactive hits removed: $0.50 each.
    expect(v.text).toContain('4 interactive requests wait on a cold start (up to 40.00 s)');
    expect(v.text).toContain(
      'a heartbeat 13:00-14:00 every 5m removes them for +$2.00 a day (+$0.50 per interactive request)',
    );
  });

  it('does not claim interactive hits removed when the best schedule only removes batch ones', () => {
    const r = result([coldOption('cmi', 10, 40)]);
    r.breakeven = {
      heartbeat: [analysis(['cmi'], ['batch', 'interactive'], { interactive: 4, batch: 0 })],
      volume: null,
    };
    const v = decideVerdict(r, 'total', 0);
    expect(v.text).not.toContain('removes them for');
    expect(v.text).toContain('no heartbeat schedule removes them');
  });

  it('says calls fail on a cold endpoint when no cold hit was served', () => {
    const v = decideVerdict(result([coldOption('sm', 10, null)]), 'total', 0);
    expect(v.text).toContain('4 interactive requests fail on a cold endpoint');
  });
});

describe('counted classes', () => {
  it('leaves out classes a per-class value map prices at nothing', () => {
    expect(countedClasses(['batch', 'interactive'], { interactive: 0.5 })).toEqual(['interactive']);
    expect(countedClasses(['batch', 'interactive'], 0.5)).toEqual(['batch', 'interactive']);
    expect(countedClasses(['interactive'], { batch: 1 })).toEqual(['interactive']);
    expect(countedClasses(['interactive'], undefined)).toEqual(['interactive']);
  });
});
