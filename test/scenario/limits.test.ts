import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkScenarioWork,
  DEFAULT_LIMITS,
  estimateRequests,
  MAX_REPLICAS,
  volumeSweepRequests,
} from '../../src/scenario/limits.js';
import { inScenarioFile, loadScenarioFile, scenarioFromObject } from '../../src/scenario/load.js';
import { traceWork } from '../../src/traffic/trace/work.js';
import { inputError } from '../helpers/errors.js';
import { checkWork } from '../../src/commands/limit-flags.js';
import { forecastSettings } from '../../src/planning/forecast/forecast.js';
import { InputError } from '../../src/errors.js';

const TMP = mkdtempSync(join(tmpdir(), 'servesim-limits-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const scenario = (traffic: Record<string, unknown>, options: unknown[] = [{ id: 'bedrock-cmi' }]) =>
  scenarioFromObject({ name: 't', traffic, options }).scenario;

describe('estimateRequests: arithmetic on the settings, nothing generated', () => {
  it('poisson: rate × seconds of its window × days', () => {
    // 2/s over 3 whole days: 2 × 86,400 × 3 = 518,400.
    expect(
      estimateRequests(scenario({ days: 3, components: [{ type: 'poisson', rate: '2/s' }] }), TMP).requests,
    ).toBe(518_400);
    // 120/h between 09:00 and 17:00 (8 h) for 2 days: 120 × 8 × 2 = 1,920.
    const windowed = scenario({
      days: 2,
      components: [{ type: 'poisson', rate: '120/h', from: '09:00', to: '17:00' }],
    });
    expect(estimateRequests(windowed, TMP).requests).toBeCloseTo(1920, 6);
  });

  it('a per-hour profile: each hour its rate × the part of the hour inside the window', () => {
    const rate = Array.from({ length: 24 }, (_, h) => (h === 9 ? '600/h' : h === 10 ? '60/m' : 0));
    // 09:30–10:15 → 600/h × 0.5 h + 3,600/h × 0.25 h = 300 + 900 = 1,200 a day.
    const s = scenario({ days: 1, components: [{ type: 'poisson', rate, from: '09:30', to: '10:15' }] });
    expect(estimateRequests(s, TMP).requests).toBeCloseTo(1200, 6);
  });

  it('batch and trickle: count per whole day (weekdays: 5 of 7), and the largest names the field', () => {
    const s = scenario({
      days: 7,
      components: [
        { type: 'trickle', count: 10, from: '09:00', to: '10:00' },
        { type: 'batch', at: '09:00', count: 700, days: 'weekdays' },
      ],
    });
    const e = estimateRequests(s, TMP);
    // 10 × 7 + 700 × 7 × 5/7 = 70 + 3,500.
    expect(e.requests).toBeCloseTo(3570, 6);
    expect(e.field).toBe('traffic.components.1.count');
    expect(e.days).toBe(7);
  });

  it('trace files: request rows counted, binned rows summed (stopping past the limit)', () => {
    const req = join(TMP, 'req.csv');
    writeFileSync(
      req,
      '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=requests\nt_s,input_tokens,output_tokens,class\n0,1,1,\n5,1,1,\n86399.5,1,1,\n',
    );
    expect(traceWork(req)).toEqual({ requests: 3, lastSeconds: 86399.5, durationSeconds: undefined });
    const bin = join(TMP, 'bin.csv');
    writeFileSync(
      bin,
      '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned period_s=60 duration_s=600\nt_s,requests,input_tokens,output_tokens\n0,5,5,5\n60,1000000000000,1000000000000,1000000000000\n120,7,7,7\n',
    );
    // 5 + 1e12 + 7, and the last bin ends at 120 + 60.
    expect(traceWork(bin)).toEqual({ requests: 5 + 1e12 + 7, lastSeconds: 180, durationSeconds: 600 });
    // Past the stop it reads no further: the third row is not added.
    expect(traceWork(bin, 1e9).requests).toBe(5 + 1e12);
  });
});

describe('checkScenarioWork: exit 2 naming the field, the estimate and the flag', () => {
  it('refuses a rate of 1e12/s: about 8.6e16 requests in a day', () => {
    const s = scenario({ days: 1, components: [{ type: 'poisson', rate: '1000000000000/s' }] });
    const e = inputError(() => checkScenarioWork(s, TMP));
    expect(e.where).toBe('traffic.components.0.rate');
    // 1e12 × 86,400 = 8.64e16; the flag value is rounded up so that it admits the estimate.
    expect(e.message).toContain('about 8.6e16 requests');
    expect(e.message).toContain('--max-requests 8.7e16');
    expect(() => checkScenarioWork(s, TMP, { ...DEFAULT_LIMITS, maxRequests: 8.7e16 })).not.toThrow();
  });

  it('refuses a span over 3 years (days or end), and --max-days raises it', () => {
    const long = scenario({ days: 100_000, components: [{ type: 'poisson', rate: '1/h' }] });
    const e = inputError(() => checkScenarioWork(long, TMP));
    expect(e.where).toBe('traffic.days');
    expect(e.message).toContain('100,000 days');
    expect(e.message).toContain('--max-days 100000');
    const end = scenario({
      start: '2026-01-01T00:00',
      end: '2030-01-01T00:00',
      components: [{ type: 'poisson', rate: '1/h' }],
    });
    expect(inputError(() => checkScenarioWork(end, TMP)).where).toBe('traffic.end');
    // 1,096 days is within the limit: 3 × 365 + a leap day.
    const three = scenario({ days: 1096, components: [{ type: 'batch', at: '09:00', count: 1 }] });
    expect(() => checkScenarioWork(three, TMP)).not.toThrow();
    expect(() => checkScenarioWork(long, TMP, { ...DEFAULT_LIMITS, maxDays: 100_000 })).not.toThrow();
  });

  it('counts the volume sweep: log-spaced volumes × days', () => {
    const s = scenarioFromObject({
      name: 't',
      traffic: { days: 1, components: [{ type: 'batch', at: '09:00', count: 10 }] },
      options: [{ id: 'bedrock-cmi' }],
      breakeven: { volume: { from: 1, to: 1e12, points: 13 } },
    }).scenario;
    expect(() => checkScenarioWork(s, TMP)).not.toThrow();
    const e = inputError(() => checkScenarioWork(s, TMP, DEFAULT_LIMITS, { volume: true }));
    expect(e.where).toBe('breakeven.volume.to');
    expect(e.message).toContain('13 volumes');
  });

  it('volumeSweepRequests sums the log grid in closed form', () => {
    // 1, 10, 100, 1,000 per day over 2 days: 1,111 × 2.
    expect(volumeSweepRequests(1, 1000, 4, 2)).toBeCloseTo(2222, 6);
    // Against a direct sum of a grid that is not a power of ten.
    const direct = Array.from({ length: 40 }, (_, i) => 100 * Math.pow(1e4, i / 39)).reduce((a, b) => a + b);
    expect(volumeSweepRequests(100, 1e6, 40, 1)).toBeCloseTo(direct, 3);
  });

  it('points into the scenario file: file:line:col and the field path', () => {
    const file = join(TMP, 'rate.yaml');
    writeFileSync(
      file,
      'name: t\ntraffic:\n  days: 1\n  components:\n    - type: poisson\n      rate: 1e12/s\noptions:\n  - id: bedrock-cmi\n',
    );
    const loaded = loadScenarioFile(file);
    const e = inputError(() =>
      inScenarioFile(loaded, () => checkScenarioWork(loaded.scenario, loaded.baseDir)),
    );
    expect(e.message.startsWith(`${file}:6:13: traffic.components.0.rate: the traffic holds about`)).toBe(
      true,
    );
    expect(e.message).not.toContain('\n');
  });
});

describe('replicas, copies and units: at most 10,000 (a schema check, with the line)', () => {
  it.each(['maxCopies', 'slotsPerCopy'])('refuses bedrock-cmi %s above the limit', (field) => {
    const file = join(TMP, `${field}.yaml`);
    writeFileSync(
      file,
      `name: t\ntraffic:\n  components:\n    - type: batch\n      at: '09:00'\n      count: 1\noptions:\n  - id: bedrock-cmi\n    ${field}: 1000000000\n`,
    );
    const e = inputError(() => loadScenarioFile(file));
    expect(e.message).toContain(`${file}:9:`);
    expect(e.message).toContain(`options.0.${field}: ${field} 1,000,000,000 is above the limit of 10,000`);
  });

  it('accepts exactly the limit', () => {
    expect(() =>
      scenario({ components: [{ type: 'batch', at: '09:00', count: 1 }] }, [
        { id: 'bedrock-cmi', maxCopies: MAX_REPLICAS },
      ]),
    ).not.toThrow();
    expect(() =>
      scenario({ components: [{ type: 'batch', at: '09:00', count: 1 }] }, [
        { id: 'bedrock-provisioned', modelUnits: MAX_REPLICAS + 1 },
      ]),
    ).toThrow(/options\.0\.modelUnits/);
  });
});

describe('tokens: at most 10,000,000 per request', () => {
  it('refuses 1e15 tokens in the schema, naming the field', () => {
    const e = inputError(() =>
      scenario({ components: [{ type: 'poisson', rate: '1/m', outputTokens: 1e15 }] }),
    );
    expect(e.message).toContain('traffic.components.0.outputTokens');
    expect(e.message).toContain('at most 10,000,000 tokens');
  });
});

describe('forecast runs and growth', () => {
  const yaml = (forecast: string) =>
    `name: t\ntraffic:\n  components:\n    - type: batch\n      at: "09:00"\n      count: 5\noptions:\n  - id: bedrock-cmi\nforecast:\n${forecast}`;

  it('runs above 100,000 from the file point at their line; from the flag, name --runs', () => {
    const file = join(TMP, 'runs.yaml');
    writeFileSync(file, yaml('  runs: 1000000000\n'));
    const loaded = loadScenarioFile(file);
    const flags = { json: true, quiet: true, color: false, debug: false };
    const e = inputError(() => checkWork(loaded, flags, false, () => forecastSettings(loaded.scenario)));
    expect(
      e.message.startsWith(`${file}:10:9: forecast.runs: 1,000,000,000 runs is above the limit of 100,000`),
    ).toBe(true);
    expect(inputError(() => forecastSettings(loaded.scenario, { runs: 100_001 })).where).toBe('--runs');
    expect(() => forecastSettings(loaded.scenario, { runs: 100_000 })).not.toThrow();
  });

  it('growth compounding past 10^12 names --growth: 1000 % over 600 months is 11^599 ≈ 10^624', () => {
    const s = scenarioFromObject({
      name: 't',
      traffic: { components: [{ type: 'batch', at: '09:00', count: 5 }] },
      options: [{ id: 'bedrock-cmi' }],
    }).scenario;
    // 599 × log10(11) = 599 × 1.0414 = 623.8.
    const e = inputError(() => forecastSettings(s, { growth: 10, months: 600 }));
    expect(e.where).toBe('--growth');
    expect(e.message).toContain('10^624');
    // A decline to 1e-1198 (−99 % over 600 months) would underflow to a volume of 0.
    expect(inputError(() => forecastSettings(s, { growth: -0.99, months: 600 })).message).toContain(
      'divides',
    );
    // 10 % a month over 600 months is 1.1^599 ≈ 10^24.8: refused; over 120 months ≈ 10^4.9: fine.
    expect(() => forecastSettings(s, { growth: 0.1, months: 600 })).toThrow(InputError);
    expect(() => forecastSettings(s, { growth: 0.1, months: 120 })).not.toThrow();
  });
});

describe('echoed values are cut to 80 characters', () => {
  it('an 800-character unknown field and value come back as their start and length', () => {
    const file = join(TMP, 'echo.yaml');
    writeFileSync(file, `name: t\n${'k'.repeat(800)}: 1\ntraffic:\n  components: []\noptions: []\n`);
    const e = inputError(() => loadScenarioFile(file));
    expect(e.message).toContain('(800 characters)');
    expect(e.message.length).toBeLessThan(600);
    const value = join(TMP, 'echo2.yaml');
    writeFileSync(
      value,
      `name: t\ntimezone: UTC\ntraffic:\n  components:\n    - type: poisson\n      rate: ${'9'.repeat(3000)}x\noptions:\n  - id: bedrock-cmi\n`,
    );
    const v = inputError(() => loadScenarioFile(value));
    expect(v.message).toContain('(3,001 characters)');
    expect(v.message.length).toBeLessThan(600);
  });
});
