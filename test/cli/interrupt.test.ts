import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKER } from '../../src/report/folder.js';
import { ROOT, servesim, type CliOutcome } from '../helpers/cli.js';

/*
 * Interrupted commands (issue 17 items 3 and 5): SIGINT at every file operation of the report
 * writer finds either the old folder or the complete new one, and no temporary file or folder;
 * a real SIGINT during a simulation or an import leaves nothing behind. Child processes, as a
 * user runs servesim; the write-by-write interrupt comes from SERVESIM_TEST_INTERRUPT_AT=N.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-interrupt-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const SCENARIO = join(TMP, 'tiny.yaml');
writeFileSync(
  SCENARIO,
  `name: tiny interrupt
traffic:
  components:
    - { type: batch, at: '09:00', count: 3, over: 1h, class: interactive, inputTokens: 250, outputTokens: 60 }
options:
  - { id: fixed-fleet, key: box, replicas: 1, serviceTime: 1s, hourlyPrice: 1.5 }
forecast: { runs: 3, uncertainty: none }
`,
);

/** Every file of a folder (hidden ones too) with its content. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

const forecast = (out: string, env: Record<string, string> = {}): Promise<CliOutcome> =>
  servesim(['forecast', SCENARIO, '--months', '1', '--quiet', '--out', out], env);

describe('SIGINT at every file operation of the report writer', () => {
  let old: Record<string, string>;
  let fresh: Record<string, string>;
  const base = join(TMP, 'base', 'report');

  beforeAll(async () => {
    // The old folder: a forecast report, its forecast.json marked so the old and new differ, a
    // stale file of the same command (dropped by the new write) and a user's file (kept).
    expect((await forecast(base)).code).toBe(0);
    writeFileSync(join(base, 'forecast.json'), '{"old": true}\n');
    writeFileSync(join(base, 'forecast-bands.svg'), '<svg/>');
    writeFileSync(join(base, 'notes.txt'), 'my notes');
    const m = JSON.parse(readFileSync(join(base, MARKER), 'utf8')) as { files: Record<string, string> };
    m.files['forecast-bands.svg'] = 'forecast';
    writeFileSync(join(base, MARKER), JSON.stringify(m));
    old = snapshot(base);
    // The new folder, uninterrupted.
    const parent = join(TMP, 'fresh');
    cpSync(join(TMP, 'base'), parent, { recursive: true });
    expect((await forecast(join(parent, 'report'))).code).toBe(0);
    fresh = snapshot(join(parent, 'report'));
  }, 60_000);

  it('the uninterrupted write drops the stale file and keeps the user’s', () => {
    expect(Object.keys(fresh).sort()).toEqual([
      MARKER,
      'forecast-bands.png',
      'forecast-bands.svg',
      'forecast-bands.vl.json',
      'forecast.csv',
      'forecast.json',
      'notes.txt',
      'report.html',
    ]);
    expect(fresh['notes.txt']).toBe('my notes');
    expect(fresh['forecast.json']).not.toBe(old['forecast.json']);
  });

  it('finds the old folder or the complete new one, never a mix, and no temporary file', async () => {
    const seen: string[] = [];
    // Two at a time (two cores); stop at the first N past the last file operation (exit 0).
    for (let n = 1, done = false; !done && n <= 40; n += 2) {
      const outcomes = await Promise.all(
        [n, n + 1].map(async (at) => {
          const parent = join(TMP, `at-${at}`);
          cpSync(join(TMP, 'base'), parent, { recursive: true });
          const r = await forecast(join(parent, 'report'), { SERVESIM_TEST_INTERRUPT_AT: String(at) });
          return { at, r, parent };
        }),
      );
      for (const { at, r, parent } of outcomes) {
        expect(readdirSync(parent), `at ${at}: only the report folder`).toEqual(['report']);
        const now = snapshot(join(parent, 'report'));
        if (r.code === 0) {
          expect(now, `at ${at}`).toEqual(fresh);
          done = true;
          continue;
        }
        expect(r.code, `at ${at}: ${r.stderr}`).toBe(130);
        expect(r.stderr).toBe('servesim: interrupted (SIGINT); temporary files removed\n');
        const which = JSON.stringify(now) === JSON.stringify(fresh) ? 'new' : 'old';
        expect(now, `at ${at}`).toEqual(which === 'new' ? fresh : old);
        seen.push(which);
      }
    }
    // The writer has points before and after the swap: both outcomes must have been met.
    expect(seen).toContain('old');
    expect(seen).toContain('new');
    expect(seen.lastIndexOf('old')).toBeLessThan(seen.indexOf('new'));
  }, 180_000);
});

/** Starts servesim, sends `signal` once `ready(stderr)` holds, and waits for the exit. */
function interruptWhen(
  args: string[],
  ready: (stderr: string) => boolean,
  signal: NodeJS.Signals = 'SIGINT',
): Promise<CliOutcome> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const poll = setInterval(() => {
      if (ready(stderr)) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 10);
    child.on('error', fail);
    child.on('close', (code) => {
      clearInterval(poll);
      done({ code, stdout, stderr });
    });
  });
}

describe('a real signal', () => {
  it('SIGTERM during a CSV import removes the hidden body file: exit 143, no file', async () => {
    const dir = join(TMP, 'import');
    mkdirSync(dir);
    // 1.5 M request rows: seconds of work, so the signal lands while the body file grows.
    const rows: string[] = ['timestamp,input_tokens,output_tokens'];
    const t0 = Date.UTC(2026, 10, 2, 9) / 1000;
    for (let i = 0; i < 1_500_000; i++) rows.push(`${t0 + i * 0.05},${100 + (i % 50)},${20 + (i % 7)}`);
    const input = join(TMP, 'big.csv');
    writeFileSync(input, rows.join('\n') + '\n');
    const out = join(dir, 'out', 'trace.csv');
    const r = await interruptWhen(
      ['trace', 'import', 'csv', input, '-o', out, '--time-format', 'epoch-s'],
      () => existsSync(join(dir, 'out')) && readdirSync(join(dir, 'out')).some((f) => f.endsWith('.tmp')),
      'SIGTERM',
    );
    expect(r.code, r.stderr).toBe(143);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  }, 60_000);

  it('SIGINT during a run’s simulation: exit 130, no report folder, nothing beside it', async () => {
    const parent = join(TMP, 'run');
    mkdirSync(parent);
    // The first option done: the others are still simulating on worker threads.
    const r = await interruptWhen(['run', '--no-sensitivity', '--out', join(parent, 'report')], (err) =>
      err.includes('simulated '),
    );
    expect(r.code, r.stderr).toBe(130);
    expect(readdirSync(parent)).toEqual([]);
  }, 60_000);
});
