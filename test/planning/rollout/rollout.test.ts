import { servesim, type CliOutcome } from '../../helpers/cli.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rolloutOfRun } from '../../../src/planning/rollout/rollout.js';
import { importBand, rolloutTimeline } from '../../../src/planning/rollout/plan.js';
import type { RolloutOption } from '../../../src/compare/result.js';
import { runScenario } from '../../../src/compare/run.js';
import { InputError } from '../../../src/errors.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';
import { RolloutSchema } from '../../../src/scenario/rollout-section.js';
import { cmiFixed, WINDOW } from '../../compare/fixtures.js';

/*
 * Rollouts counted by hand. Traffic: one interactive request every 20 minutes from 09:00 to 16:40
 * (24 requests), UTC, one day; each takes 1 s; every CMI load (cold or evicted) takes 30 s; a CMI
 * copy is 2 CMUs at AWS's example rate ($0.785 a window) and stores 2 CMUs at $1.95 per CMU-month
 * (month = 730 h), pro-rated.
 */

const MONTH = 730 * 3600;
const STORAGE_PER_SECOND = (2 * 1.95) / MONTH;

function scenario(options: unknown[], rollout: Record<string, unknown>) {
  return scenarioFromObject({
    name: 'hand-rollout',
    seed: 1,
    traffic: {
      start: '2026-01-05T00:00',
      days: 1,
      components: [{ type: 'batch', at: '09:00', count: 24, over: '8h', class: 'interactive' }],
    },
    options,
    rollout,
  });
}

function rollout(options: unknown[], r: Record<string, unknown>): RolloutOption[] {
  const loaded = scenario(options, r);
  return rolloutOfRun(runScenario(loaded), loaded.baseDir).options;
}

describe('two Custom Model Import versions side by side', () => {
  it('an evaluation hour on v2 costs exactly the windows v2 bills, plus its storage', () => {
    /*
     * v2 imported 10:00 → 10:10 (import fixed at 10 min). Its evaluation suite calls it every
     * 4 minutes from 10:10 to 11:06 (15 calls over the hour); no user request goes to it
     * (share 0 throughout), so v1 is the one-version run request for request.
     * v2: the 10:10 call finds no copy → 30 s load, first call 10:10:30; calls every 4 min keep it
     * (scale to zero 5 min after the last arrival, 11:06) → removed 11:11:00.
     * (11:11:00 − 10:10:30) / 300 = 3630 / 300 = 12.1 → 13 windows = 13 × $0.785 = $10.205.
     * Storage: v2 exists from 10:10 (36,600 s) to the day's end: 49,800 s × 2 × $1.95 / 730 h.
     */
    const [o] = rollout([cmiFixed], {
      at: '10h',
      importTime: { low: '10m', high: '10m' },
      evaluation: '1h',
      evaluationCalls: 15,
      stages: [{ share: 0 }],
    });
    const windows = 13;
    const storage = (86400 - 36600) * STORAGE_PER_SECOND;
    expect(o!.applicable).toBe(true);
    expect(o!.extraCost).toBeCloseTo(windows * WINDOW + storage, 9);
    expect(windows * WINDOW).toBeCloseTo(10.205, 9);
    const v2 = o!.lines.filter((l) => l.item.startsWith('v2 · CMU inference'));
    expect(v2.map((l) => l.quantity)).toEqual([windows * 2 * 5]);
    // Nothing was flipped: a rollback is to v1, which the user traffic still reaches.
    expect(o!.timeline!.retire).toBeNull();
  });

  it('a full flip of sparse traffic moves windows from v1 to v2: only the storage overlap is extra', () => {
    /*
     * v2 ready 10:10, evaluation to 11:10 (no calls), then all user traffic on v2; v1 deleted
     * 1 h later (12:10). Requests 20 min apart never share a copy (scale to zero after 5 min):
     * every request bills one window wherever it goes. v1: 09:00 … 11:00 = 7 windows; v2:
     * 11:20 … 16:40 = 17 windows; one version: 24. Inference is unchanged; storage overlaps
     * from 10:10 (v2 imported) to 12:10 (v1 deleted): 7,200 s × 2 × $1.95 / 730 h.
     */
    const base = { at: '10h', importTime: { low: '10m', high: '10m' }, evaluation: '1h' };
    const [o] = rollout([cmiFixed], { ...base, stages: [{ share: 1 }] });
    const inference = (prefix: string) =>
      o!.lines.find((l) => l.item.startsWith(`${prefix} · CMU inference`))!.quantity / 10;
    expect(inference('v1')).toBe(7);
    expect(inference('v2')).toBe(17);
    expect(o!.extraCost).toBeCloseTo(7200 * STORAGE_PER_SECOND, 9);
    /*
     * Rollback decided 30 min after the flip (11:40): v1's last call was at 11:00, its copy went
     * at 11:05, idle 40 min < the 1 h eviction → a cold start, 30 s. Decided 2 h after (13:10):
     * v1 was deleted at 12:10 → re-import (10 min) + its first load (30 s) = 630 s.
     */
    expect(o!.rollback.seconds).toBe(30);
    expect(o!.rollback.path).toMatch(/cold start/);
    const [late] = rollout([cmiFixed], { ...base, stages: [{ share: 1 }], rollbackAfter: '2h' });
    expect(late!.rollback.seconds).toBe(630);
    expect(late!.rollback.path).toMatch(/re-import/);
  });

  it('a partial share splits each request onto exactly one version', () => {
    // At share 0.5 from 11:10 the 17 later requests divide between v1 and v2; every request is
    // still one window, so the windows of both versions add up to the one-version 24.
    const [o] = rollout([cmiFixed], {
      at: '10h',
      importTime: { low: '10m', high: '10m' },
      evaluation: '1h',
      stages: [{ share: 0.5 }],
    });
    const windows = o!.lines.filter((l) => l.unit === 'CMU-minutes').reduce((s, l) => s + l.quantity / 10, 0);
    expect(windows).toBe(24);
    const v2 = o!.lines.find((l) => l.item.startsWith('v2 · CMU inference'))!.quantity / 10;
    expect(v2).toBeGreaterThan(0);
    expect(v2).toBeLessThan(17);
  });
});

describe('SageMaker blue/green', () => {
  it('costs the green instances × hours × hourly price when blue is a fixed fleet', () => {
    /*
     * Blue: 2 instances always (min = max = 2) at $1.515/h (ml.g5.2xlarge, us-east-1). At 10:00
     * the update launches a green fleet of blueGreenCapacity = 3 instances (launch 5 min → ready
     * 10:05), 1 h evaluation to 11:05, all traffic to green at 11:05, blue torn down 1 h later
     * (12:05). Blue until 12:05 plus the one fleet after it is the one-version bill; the extra is
     * green from 10:00 to 12:05: 3 × 125/60 h × $1.515 = $9.46875.
     */
    const [o] = rollout(
      [
        {
          id: 'sagemaker-realtime',
          instanceType: 'ml.g5.2xlarge',
          minInstances: 2,
          maxInstances: 2,
          blueGreenCapacity: 3,
          launchTime: '5m',
          serviceTime: '1s',
        },
      ],
      { at: '10h', evaluation: '1h' },
    );
    expect(o!.extraCost).toBeCloseTo(3 * (125 / 60) * 1.515, 9);
    expect(o!.extraCost).toBeCloseTo(9.46875, 9);
    expect(o!.timeToTraffic).toEqual({ low: 3900, value: 3900, high: 3900 });
    // Rolled back 30 min after the flip: blue still runs.
    expect(o!.rollback.seconds).toBe(0);
  });
});

describe('time to traffic and not-applicable options', () => {
  it('CMI: the import band (10–30 min, value 20) plus the evaluation and the first stage’s wait', () => {
    const [o] = rollout([cmiFixed], { at: '10h', evaluation: '1h', stages: [{ share: 1, after: '15m' }] });
    const extra = 3600 + 900;
    expect(o!.timeToTraffic).toEqual({ low: 600 + extra, value: 1200 + extra, high: 1800 + extra });
  });

  it('an importTime override sets the band; its value defaults to the middle', () => {
    const r = RolloutSchema.parse({ at: '1h', evaluation: 0, importTime: { low: '10m', high: '40m' } });
    expect(importBand(r)).toMatchObject({ low: 600, value: 1500, high: 2400 });
    const v = RolloutSchema.parse({
      at: '1h',
      evaluation: 0,
      importTime: { low: '10m', value: '12m', high: '30m' },
    });
    expect(importBand(v)).toMatchObject({ low: 600, value: 720, high: 1800 });
    expect(() =>
      RolloutSchema.parse({ at: '1h', evaluation: 0, importTime: { low: '30m', high: '10m' } }),
    ).toThrow(/high must be at least low/);
  });

  it('the timeline steps through evaluation and stages', () => {
    const r = RolloutSchema.parse({
      at: '2h',
      evaluation: '1h',
      evaluationShare: 0.05,
      stages: [
        { share: 0.1, after: '10m' },
        { share: 1, after: '20m' },
      ],
    });
    // ready 2 h + 300 s; evaluation to +1 h; stages at +10 min and +30 min after it.
    const tl = rolloutTimeline(r, 7200, 300, 86400, 'x');
    expect(tl.ready).toBe(7500);
    expect(tl.stageStarts).toEqual([11100 + 600, 11100 + 1800]);
    expect(tl.retire).toBe(12900 + 3600);
    expect(tl.schedule).toEqual({ times: [7500, 11700, 12900], shares: [0.05, 0.1, 1] });
  });

  it('per-token baselines and infeasible options say why they have no rollout', () => {
    const os = rollout(
      [
        cmiFixed,
        { id: 'bedrock-on-demand', key: 'base', model: 'llama-3.1-8b-instruct' },
        { id: 'sagemaker-serverless', memoryMB: 6144 },
      ],
      { at: '10h', evaluation: '1h' },
    );
    expect(os.map((o) => o.applicable)).toEqual([true, false, false]);
    expect(os[1]!.note).toMatch(/per-token catalog model/);
    expect(os[2]!.note).toMatch(/cannot serve this model/);
    expect(os[1]!.extraCost).toBeNull();
  });
});

describe('a rollout outside the simulated span', () => {
  it('`at` after the span is an InputError at rollout.at', () => {
    const loaded = scenario([cmiFixed], { at: '2026-01-06T10:00', evaluation: '1h' });
    expect(() => rolloutOfRun(runScenario(loaded), loaded.baseDir)).toThrow(InputError);
    expect(() => rolloutOfRun(runScenario(loaded), loaded.baseDir)).toThrow(/^rollout\.at: .*outside/);
  });

  it('a flip that ends after the span is an InputError at the last stage', () => {
    const loaded = scenario([cmiFixed], {
      at: '22h',
      evaluation: '1h',
      stages: [{ share: 0.5 }, { share: 1, after: '2h' }],
    });
    expect(() => rolloutOfRun(runScenario(loaded), loaded.baseDir)).toThrow(/^rollout\.stages\.1\.after: /);
  });

  const TMP = mkdtempSync(join(tmpdir(), 'servesim-rollout-'));
  afterAll(() => rmSync(TMP, { recursive: true, force: true }));

  it('servesim run exits 2 with the field path and prints nothing on stdout', async () => {
    const file = join(TMP, 'late.yaml');
    writeFileSync(
      file,
      [
        'name: late',
        'traffic:',
        '  components: [{type: batch, at: "09:00", count: 3, over: 1h}]',
        'options: [{id: bedrock-cmi}]',
        'rollout: {at: 2026-01-07T10:00, evaluation: 1h}',
        '',
      ].join('\n'),
    );
    const r = await cli('run', file, '--out', join(TMP, 'out'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/rollout\.at/);
    expect(r.stderr).toMatch(/outside the simulated span/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

const cli = (...args: string[]): Promise<CliOutcome> => servesim(args);
