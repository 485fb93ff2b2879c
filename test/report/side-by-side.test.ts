import { describe, expect, it } from 'vitest';
import type { OptionResult, RunResult } from '../../src/compare/result.js';
import { cheapestKey, sideBySideTable } from '../../src/report/side-by-side.js';
import { expectGolden } from './golden.js';

/** A hand-built result: the table's format is what these tests pin down, not arithmetic. */
function option(key: string, total: number | null, extra: Partial<OptionResult> = {}): OptionResult {
  const lat = {
    count: 10,
    mean: 1,
    p50: 1,
    p95: 2,
    p99: 3,
    max: 4,
    meanWait: 0,
    percentileMethod: 'exact-nearest-rank' as const,
  };
  return {
    key,
    id: key,
    label: `Option ${key}`,
    feasible: total !== null,
    baseline: false,
    reasons: total === null ? ['does not fit'] : [],
    facts: {
      baseSupport: 'Anything',
      opsSurface: 'Some',
      costShape: 'Per hour',
      versionRollback: { path: 'Config flip', timeToTrafficSeconds: 600 },
      compliance: {
        hipaaEligible: 'yes',
        privateLink: 'uncertain',
        cloudTrail: 'no',
        weightsLocation: 'S3',
        sources: ['https://example.test/source'],
      },
    },
    cost: total === null ? null : { total, aws: total, staff: 0, currency: 'USD', lines: [] },
    per1kRequests: total === null ? null : total / 10,
    per1MTokens: null,
    latency: total === null ? null : { all: lat, interactive: lat, batch: null, warm: lat, coldHit: null },
    requests: {
      arrived: 10000,
      served: total === null ? 0 : 10000,
      throttled: 0,
      failed: total === null ? 10000 : 0,
      heartbeats: 0,
      coldStartHits: 0,
      coldStartHitsByClass: { interactive: 0, batch: 0 },
      coldStartWorstLatency: { interactive: null, batch: null },
    },
    capacity: null,
    ...extra,
  };
}

function result(options: OptionResult[]): RunResult {
  return {
    kind: 'run',
    schemaVersion: 1,
    scenario: 't',
    seed: 1,
    region: 'us-east-1',
    generatedBy: { version: '0' },
    pricing: { book: 'b', bookDate: '2026-11-25', overrides: [] },
    trace: {
      start: '2026-01-05T00:00:00Z',
      durationSeconds: 86400,
      requests: 10000,
      inputTokens: 0,
      outputTokens: 0,
      byClass: {
        interactive: { requests: 10000, inputTokens: 0, outputTokens: 0 },
        batch: { requests: 0, inputTokens: 0, outputTokens: 0 },
      },
    },
    options,
    assumptions: [],
    claims: [],
  };
}

describe('cheapest option', () => {
  it('is the lowest total among options that lose no request (maxLossRate 0)', () => {
    const lossy = option('lossy', 1, {
      requests: {
        arrived: 10000,
        served: 9990,
        throttled: 10,
        failed: 0,
        heartbeats: 0,
        coldStartHits: 0,
        coldStartHitsByClass: { interactive: 0, batch: 0 },
        coldStartWorstLatency: { interactive: null, batch: null },
      },
    });
    const r = result([option('a', 30), lossy, option('b', 20), option('x', null)]);
    expect(cheapestKey(r)).toBe('b');
    // Allowing 0.1 % loss ranks the option that throttled 10 of 10,000.
    expect(cheapestKey(r, 0.001)).toBe('lossy');
  });

  it('ranks on the AWS bill alone when asked (rankBy: aws)', () => {
    // a: $30 total, all AWS; b: $20 total of which $5 AWS + $15 staff; c: $25, all AWS.
    const staffed = option('b', 20, { cost: { total: 20, aws: 5, staff: 15, currency: 'USD', lines: [] } });
    const r = result([option('a', 30), staffed, option('c', 25)]);
    expect(cheapestKey(r)).toBe('b'); // $20 < $25 < $30
    expect(cheapestKey(r, 0, 'aws')).toBe('b'); // $5 < $25 < $30
    const pricey = option('b', 26, { cost: { total: 26, aws: 24, staff: 2, currency: 'USD', lines: [] } });
    const r2 = result([option('a', 30), pricey, option('c', 25)]);
    expect(cheapestKey(r2)).toBe('c'); // total: $25 < $26
    expect(cheapestKey(r2, 0, 'aws')).toBe('b'); // AWS bill: $24 < $25
  });
});

describe('terminal tables (format)', () => {
  // SageMaker's $94.36 = $39.57 on the AWS bill + $54.79 of staff time.
  const sagemaker = option('sagemaker', 94.36, {
    cost: { total: 94.36, aws: 39.57, staff: 54.79, currency: 'USD', lines: [] },
  });
  const r = result([option('cmi', 80.98), sagemaker, option('serverless', null)]);
  it('side by side: the article’s columns with numbers', () => {
    const text = sideBySideTable(r, false);
    expect(text).toMatch(/✗ does not fit/);
    expectGolden('side-by-side/side-by-side.txt', text + '\n');
  });
});
