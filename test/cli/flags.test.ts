import { describe, expect, it } from 'vitest';
import { servesim, type CliOutcome } from '../helpers/cli.js';

/*
 * Each command lists and accepts only the flags it uses (issue 18; design §11 CLI): a flag a command
 * would ignore is a usage error — exit 2, one line naming the command and the flag, nothing on
 * stdout — and `replay` takes the analyses `run` takes.
 */

function expectRejected(r: CliOutcome, command: string, flag: string): void {
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines, r.stderr).toEqual([
    `servesim: \`servesim ${command}\` does not take ${flag} (see servesim ${command} --help)`,
  ]);
  expect(r.code).toBe(2);
}

describe.concurrent('per-command flags', () => {
  it('schema takes no --region (it used to exit 0)', async () => {
    expectRejected(await servesim(['schema', '--region', 'mars-1']), 'schema', '--region');
  });

  it('flags that do nothing on a command are rejected there', async () => {
    const [show, prices, merge, breakeven, forecast, generate] = await Promise.all([
      servesim(['trace', 'show', 'x.csv', '--out', 'dir']),
      servesim(['prices', 'show', '--seed', '3']),
      servesim(['merge', 'a.json', '--seed', '1']),
      servesim(['breakeven', 'heartbeat', '--details']),
      servesim(['forecast', '--no-color']),
      servesim(['trace', 'generate', '-o', 't.csv', '--region', 'us-east-1']),
    ]);
    expectRejected(show, 'trace show', '--out');
    expectRejected(prices, 'prices show', '--seed');
    expectRejected(merge, 'merge', '--seed');
    expectRejected(breakeven, 'breakeven heartbeat', '--details');
    expectRejected(forecast, 'forecast', '--no-color');
    expectRejected(generate, 'trace generate', '--region');
  });

  it('help lists only the flags a command takes', async () => {
    const [schema, run, replay, prices] = await Promise.all([
      servesim(['schema', '--help']),
      servesim(['run', '--help']),
      servesim(['replay', '--help']),
      servesim(['prices', 'show', '--help']),
    ]);
    for (const f of ['--out', '--seed', '--region', '--json', '--quiet', '--details'])
      expect(schema.stdout, f).not.toContain(f);
    for (const f of [
      '--out',
      '--seed',
      '--region',
      '--json',
      '--quiet',
      '--details',
      '--no-sensitivity',
      '--slo',
      '--fit',
    ])
      expect(run.stdout, f).toContain(f);
    // replay takes what run takes.
    for (const f of ['--details', '--no-sensitivity', '--slo', '--fit'])
      expect(replay.stdout, f).toContain(f);
    expect(prices.stdout).toContain('--region');
    expect(prices.stdout).not.toContain('--seed');
    expect(prices.stdout).not.toContain('--out');
  });

  it('replay accepts --no-sensitivity and --slo, checked before any work', async () => {
    const [missing, slo] = await Promise.all([
      // Accepted: the error is about the trace file, not the flag.
      servesim(['replay', '--trace', 'no-such-trace.csv', '--no-sensitivity', '--details']),
      servesim(['replay', '--trace', 'no-such-trace.csv', '--slo', 'p95=fast']),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such trace file/);
    expect(missing.stderr).not.toMatch(/does not take/);
    expect(slo.code).toBe(2);
    expect(slo.stderr).toMatch(/--slo/);
    expect(slo.stdout).toBe('');
  });
});
