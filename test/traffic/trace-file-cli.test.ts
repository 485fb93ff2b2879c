import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import yargs from 'yargs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../src/errors.js';
import { registerReplayCommand } from '../../src/commands/replay.js';
import { registerTraceCommand } from '../../src/commands/trace/index.js';

/*
 * The `trace` and `replay` commands through yargs, registered the way src/cli.ts registers
 * commands (global flags on the root, strict parsing), so flag names and wiring are checked.
 */

const FIX = resolve(import.meta.dirname, '../fixtures/traces');
const TMP = mkdtempSync(join(tmpdir(), 'servesim-trace-cli-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

let stdout = '';
let stderr = '';
afterEach(() => vi.restoreAllMocks());

async function cli(...args: string[]): Promise<void> {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((t) => ((stdout += String(t)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((t) => ((stderr += String(t)), true));
  const root = yargs(args)
    .option('json', { type: 'boolean' })
    .option('out', { type: 'string' })
    .option('seed', { type: 'number' })
    .option('region', { type: 'string' })
    .option('quiet', { type: 'boolean' });
  await registerReplayCommand(registerTraceCommand(root))
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new InputError(msg);
    })
    .parseAsync();
}

describe('trace and replay commands', () => {
  it('trace import csv → trace show → replay --trace', async () => {
    const t = join(TMP, 'azure.trace.csv');
    await cli('trace', 'import', 'csv', join(FIX, 'azure-style.csv'), '-o', t, '--timezone', 'UTC');
    expect(stdout).toContain('Wrote a requests trace of 4 requests');
    expect(stdout).toContain('time=TIMESTAMP');
    await cli('trace', 'show', t, '--json');
    expect(JSON.parse(stdout)).toMatchObject({ kind: 'requests', requests: 4, inputTokens: 1740 });
    await cli('trace', 'show', t);
    expect(stdout).toContain('Requests by hour of day (UTC):');
    expect(stdout).toContain('  18 ████████████████████████████████████████ 4');
    await cli('replay', '--trace', t, '--json', '--quiet', '--out', join(TMP, 'rep'), '--seed', '2');
    const r = JSON.parse(stdout);
    expect(r.seed).toBe(2);
    expect(r.trace.requests).toBe(4);
    expect(readFileSync(join(TMP, 'rep', 'results.json'), 'utf8')).toBe(stdout);
    expect(stderr).toBe(''); // --json --quiet: the result on stdout, nothing else anywhere
  });

  it('trace import jsonl with flags in kebab case', async () => {
    const t = join(TMP, 'mc.trace.csv');
    await cli(
      'trace',
      'import',
      'jsonl',
      join(FIX, 'mooncake-style.jsonl'),
      '-o',
      t,
      '--time-format',
      'relative-ms',
      '--start',
      '2026-11-02T08:00:00Z',
      '--json',
    );
    expect(JSON.parse(stdout)).toMatchObject({
      requests: 4,
      start: '2026-11-02T08:00:00Z',
      timeFormat: 'relative-ms',
    });
  });

  it('trace generate writes the scenario’s traffic', async () => {
    const t = join(TMP, 'gen.trace.csv');
    await cli('trace', 'generate', '-o', t, '--seed', '5', '--json');
    expect(JSON.parse(stdout)).toMatchObject({ requests: 30200, seed: 5, durationSeconds: 86400 });
    expect(readFileSync(t, 'utf8').split('\n')[0]).toBe(
      '# servesim-trace v1 start=2026-01-05T05:00:00Z kind=requests duration_s=86400 source=scenario%3Amedical-notes%3Aseed%3D5',
    );
  });

  it('bad input is an InputError naming the flag', async () => {
    await expect(
      cli('trace', 'import', 'csv', join(FIX, 'binned.csv'), '-o', join(TMP, 'x.csv'), '--kind', 'maybe'),
    ).rejects.toThrow('--kind: --kind must be auto, requests or binned, got "maybe"');
    await expect(
      cli('trace', 'import', 'cloudwatch', '-o', join(TMP, 'x.csv'), '--last', '1d'),
    ).rejects.toThrow('--model-id');
    await expect(
      cli('trace', 'import', 'cloudwatch', '--model-id', 'm', '-o', join(TMP, 'x.csv'), '--last', 'soon'),
    ).rejects.toThrow('--last must be a duration');
    await expect(cli('replay', '--trace', join(TMP, 'none.csv'))).rejects.toThrow('no such trace file');
    await expect(cli('trace', 'import', 'csv', join(FIX, 'binned.csv'))).rejects.toThrow(
      /Missing required argument: output/,
    );
  });
});
