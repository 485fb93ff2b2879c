import { captureIo, jsonFlags } from '../../helpers/cli.js';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bestCandidate, copyMismatch, FIT_MSG, fitSlotsPerCopy } from '../../../src/planning/fit/fit.js';
import { ranges } from '../../../src/report/text/fit.js';
import { replayCommand } from '../../../src/commands/replay.js';
import { runCommand } from '../../../src/commands/run.js';
import { InputError } from '../../../src/errors.js';
import { loadScenarioFile } from '../../../src/scenario/load.js';
import type { FitCandidate } from '../../../src/compare/result.js';

/*
 * `--fit`: slotsPerCopy fitted to observed copies. The main case is worked by hand: requests
 * arrive every 6 s and each takes exactly 60 s, so (Little's law, λ·W = 60/6) 10 requests are in
 * flight once the first minute has passed, and a fleet of copies with s slots settles at
 * ceil(10/s) copies — s = 1 → 10, 2 → 5, 3 → 4, 4 → 3, 5…9 → 2, ≥ 10 → 1. CloudWatch "observed"
 * 4 copies for the two hours of traffic, so s* = 3 is the only value whose settled fleet matches.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-fit-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** A binned trace carrying only observed copies: 4 during minutes 0–119, 0 for the last hour. */
function observedTrace(name: string, copies: (minute: number) => number, columns = true): string {
  const rows = [
    '# servesim-trace v1 start=2026-01-05T00:00:00Z kind=binned period_s=60 source=hand',
    `t_s,requests,input_tokens,output_tokens${columns ? ',model_copies' : ''}`,
  ];
  for (let m = 0; m < 180; m++) rows.push(`${m * 60},0,0,0${columns ? `,${copies(m)}` : ''}`);
  writeFileSync(join(TMP, name), rows.join('\n') + '\n');
  return name;
}

/** Fixed times everywhere, so the fleet can be followed on paper. */
const CMI = `  - id: bedrock-cmi
    key: cmi
    cmuVersion: pricing-example
    serviceTime: 60s
    coldStart: 10s
    evictedColdStart: 10s
    copyLoadTime: 10s
    scaleOutAfter: 10s
    scaleInAfter: 60s
    scaleToZeroAfter: 60s
    maxCopies: 16
`;

function scenarioFile(name: string, trace: string, options = CMI): string {
  const path = join(TMP, name);
  writeFileSync(
    path,
    `name: fit ${name}
region: us-east-1
seed: 1
traffic:
  start: 2026-01-05T00:00
  end: 2026-01-05T03:00
  components:
    # 1,200 requests evenly spaced over two hours: one every 6 s.
    - { type: batch, at: '00:00', count: 1200, over: 2h, class: interactive }
    - { type: trace, file: ${trace} }
options:
${options}`,
  );
  return path;
}

const HAND = scenarioFile(
  'hand.yaml',
  observedTrace('observed.csv', (m) => (m < 120 ? 4 : 0)),
);

const capture = captureIo;

const flags = jsonFlags;

const cand = (slotsPerCopy: number, mismatchCopyMinutes: number): FitCandidate => ({
  slotsPerCopy,
  mismatchCopyMinutes,
  netCopyMinutes: 0,
  billedCmuMinuteDifference: 0,
  peakCopies: 0,
});

describe('the mismatch measure', () => {
  it('sums |simulated − observed| copy-minutes, per minute or per trace period at its peak', () => {
    // Per minute: 0 + 1 + 1 + 1 = 3; net +1 + 1 − 1 = +1.
    expect(copyMismatch([1, 2, 2, 0], [1, 1, 1, 1])).toEqual({ abs: 3, net: 1 });
    // Per 2-minute period from minute 0: {2 vs 1} × 2 + {2 vs 1} × 2 = 4.
    expect(copyMismatch([1, 2, 2, 0], [1, 1, 1, 1], 2, 0)).toEqual({ abs: 4, net: 4 });
    // Grid from minute 1: {0} 1 vs 1 → 0; {1,2} 2 vs 1 → 2; {3} 0 vs 1 → 1 (edge periods count their minutes).
    expect(copyMismatch([1, 2, 2, 0], [1, 1, 1, 1], 2, 1)).toEqual({ abs: 3, net: 1 });
    // A simulated series shorter than the observed one counts as 0 copies after its end.
    expect(copyMismatch([2], [2, 3])).toEqual({ abs: 3, net: -3 });
    expect(copyMismatch([], [])).toEqual({ abs: 0, net: 0 });
  });

  it('breaks ties toward the value the run used, then toward fewer slots', () => {
    const c = [cand(4, 10), cand(5, 10), cand(9, 10), cand(12, 30)];
    // 5 and 9 tie on mismatch; baseline 8 is 3 from 5 and 1 from 9.
    expect(bestCandidate(c, 8).slotsPerCopy).toBe(9);
    // Baseline 7: both 2 away → the smaller.
    expect(bestCandidate([...c].reverse(), 7).slotsPerCopy).toBe(5);
    // A strictly smaller mismatch wins however far from the baseline.
    expect(bestCandidate([...c, cand(40, 9)], 8).slotsPerCopy).toBe(40);
  });
});

describe('the fit section', () => {
  it('joins runs of tied values', () => {
    expect(ranges([3, 4, 5, 7, 9, 10])).toBe('3–5, 7, 9–10');
    expect(ranges([8])).toBe('8');
    expect(ranges([])).toBe('');
  });
});

describe('fitting slotsPerCopy', () => {
  it('finds s* = 3 where 10 requests are in flight and 4 copies were observed', async () => {
    const loaded = loadScenarioFile(HAND);
    const fit = await fitSlotsPerCopy(loaded.scenario, loaded.baseDir, { workers: 1 });
    expect(fit.periodSeconds).toBe(60);
    expect(fit.trace).toBe('hand');
    const o = fit.options[0]!;
    expect(o.key).toBe('cmi');
    expect(o.best).toBe(3);
    expect(o.tied).toEqual([3]);
    expect(o.baseline).toBe(8);
    expect(o.atBaseline.slotsPerCopy).toBe(8);
    expect(o.observedPeakCopies).toBe(4);
    const at = (s: number) => o.candidates.find((c) => c.slotsPerCopy === s)!;
    // The search looked on both sides of s* (bracket scan) and at the grid's ends.
    for (const s of [1, 2, 3, 4, 5, 64]) expect(at(s)).toBeDefined();
    // At s*: the fleet matches once settled. The first cold start (10 s) and three scale-outs
    // (every 10 s, 10 s to load) settle it within minutes 0–1, and the last copy goes 60 s after
    // the last arrival (minute 120–121): at most 4 minutes of ≤ 4 copies differ → ≤ 16.
    expect(o.atBest.mismatchCopyMinutes).toBeLessThanOrEqual(16);
    // Off s* the settled fleet is wrong by |ceil(10/s) − 4| copies for the 118 minutes 2–119.
    expect(at(2).mismatchCopyMinutes).toBeGreaterThanOrEqual(118 * 1);
    expect(at(4).mismatchCopyMinutes).toBeGreaterThanOrEqual(118 * 1);
    expect(at(1).mismatchCopyMinutes).toBeGreaterThanOrEqual(118 * 6);
    expect(o.atBaseline.mismatchCopyMinutes).toBeGreaterThanOrEqual(118 * 2);
    // More slots → fewer copies: net copy-minutes positive below s*, negative above.
    expect(at(2).netCopyMinutes).toBeGreaterThan(0);
    expect(at(4).netCopyMinutes).toBeLessThan(0);
    // The bill at s*: observed 4 copies for 120 minutes = 24 blocks × 4 = 96 copy-windows
    // × 2 CMUs × 5 min = 960 CMU-minutes × $0.0785 = $75.36 (AWS's example rate).
    expect(o.actualVsSimulated.actual.copyWindows).toBe(96);
    expect(o.actualVsSimulated.actual.cost).toBeCloseTo(75.36, 9);
    // Simulated at s*: 4 copies through the same stretch, ±1 block at its ends.
    expect(Math.abs(o.actualVsSimulated.simulated.copyWindows - 96)).toBeLessThanOrEqual(4);
    expect(o.atBest.billedCmuMinuteDifference).toBe(
      o.actualVsSimulated.simulated.cmuMinutes - o.actualVsSimulated.actual.cmuMinutes,
    );
  });

  it('is deterministic: same seed → same fit, with one worker or two', async () => {
    const loaded = loadScenarioFile(HAND);
    const a = await fitSlotsPerCopy(loaded.scenario, loaded.baseDir, { workers: 1 });
    const b = await fitSlotsPerCopy(loaded.scenario, loaded.baseDir, {
      workers: 2,
      workerCode: 'source',
      threadsAbove: 0,
    });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('`run --fit` adds `fit` to the result; without model_copies it is exit 2 and writes nothing', async () => {
    const io = capture();
    const out = join(TMP, 'run');
    await runCommand(HAND, flags(out), io, { fit: true });
    const r = JSON.parse(io.stdout);
    expect(r.fit.options[0].best).toBe(3);
    expect(readFileSync(join(out, 'results.json'), 'utf8')).toBe(io.stdout);

    const none = scenarioFile(
      'none.yaml',
      observedTrace('none.csv', () => 0, false),
    );
    const bad = join(TMP, 'bad');
    const e = await runCommand(none, flags(bad), capture(), { fit: true }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).exitCode).toBe(2);
    expect((e as InputError).message).toBe(`--fit: ${FIT_MSG.noCopies('scenario')}`);
    expect((e as InputError).message).toContain('trace import cloudwatch --model-id');
    expect(existsSync(bad)).toBe(false);

    const noCmi = scenarioFile(
      'nocmi.yaml',
      'observed.csv',
      '  - { id: fixed-fleet, replicas: 1, slotsPerReplica: 8, serviceTime: 60s }\n',
    );
    const e2 = await runCommand(noCmi, flags(bad), capture(), { fit: true }).catch((x: unknown) => x);
    expect((e2 as InputError).message).toBe(`--fit: ${FIT_MSG.noCmi(['fixed-fleet'])}`);
    expect(existsSync(bad)).toBe(false);
  });

  it('`replay --fit` prints the section and writes `fit`; no copies → exit 2', async () => {
    // A replayed trace brings its own requests: 10 a minute for an hour, 1 copy observed.
    const rows = [
      '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned period_s=60 duration_s=7200 source=hand',
      't_s,requests,input_tokens,output_tokens,model_copies',
    ];
    for (let m = 0; m < 60; m++) rows.push(`${m * 60},10,2500,600,1`);
    const trace = join(TMP, 'replay.csv');
    writeFileSync(trace, rows.join('\n') + '\n');
    const scenario = join(TMP, 'replay.yaml');
    writeFileSync(
      scenario,
      `name: notes\nregion: us-east-1\nseed: 3\ntraffic:\n  components: [{ type: poisson, rate: 1/m }]\noptions:\n${CMI}`,
    );
    const text = capture();
    const dir = join(TMP, 'rt');
    await replayCommand({ trace, scenario, fit: true }, flags(dir, { json: false }), text);
    const fit = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).fit;
    expect(fit.options[0].key).toBe('cmi');
    expect(text.stdout).toContain(`cmi: slotsPerCopy ${fit.options[0].best} fits best`);
    expect(text.stdout).toMatch(/At \d+: actual \$[\d.,]+ \(/);

    const bare = join(TMP, 'bare.csv');
    writeFileSync(bare, rows.map((r) => r.replace(/,model_copies$|,1$/, '')).join('\n') + '\n');
    const e = await replayCommand(
      { trace: bare, scenario, fit: true },
      flags(join(TMP, 'rbad')),
      capture(),
    ).catch((x: unknown) => x);
    expect((e as InputError).message).toBe(`--fit: ${FIT_MSG.noCopies('trace')}`);
    expect(existsSync(join(TMP, 'rbad'))).toBe(false);
    // A SageMaker endpoint has no ModelCopy: refused before anything is fetched.
    const e2 = await replayCommand(
      { endpoint: 'notes', last: '1d', scenario, fit: true },
      flags(TMP),
      capture(),
    ).catch((x: unknown) => x);
    expect((e2 as InputError).message).toBe(`--fit: ${FIT_MSG.noCopies('trace')}`);
  });

  it('the CLI takes --fit on run and replay, and exits 2 with the message when there are no copies', async () => {
    const none = scenarioFile(
      'cli.yaml',
      observedTrace('cli.csv', () => 0, false),
    );
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
        env: { ...process.env, NO_COLOR: '1' },
      }).then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const [run, replay] = await Promise.all([
      cli('run', none, '--fit', '--out', join(TMP, 'cli-run')),
      cli(
        'replay',
        '--trace',
        join(TMP, 'cli.csv'),
        '--scenario',
        none,
        '--fit',
        '--out',
        join(TMP, 'cli-rp'),
      ),
    ]);
    expect(run).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `servesim: --fit: ${FIT_MSG.noCopies('scenario')}\n`,
    });
    expect(replay).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `servesim: --fit: ${FIT_MSG.noCopies('trace')}\n`,
    });
  });
});
