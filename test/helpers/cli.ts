import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { GlobalFlags, Io } from '../../src/commands/context.js';

/** What a `servesim` child process left: its exit code and both streams. */
export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The repository root, where `src/cli.ts` is. */
export const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Runs `servesim …args` from the sources as a user would (a child process, NO_COLOR), with extra
 * environment variables on top of this process's.
 */
export function servesim(args: readonly string[], env: Record<string, string> = {}): Promise<CliOutcome> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** An `Io` that keeps what a command printed, for commands run in-process. */
export function captureIo(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
}

/** Global flags of a quiet, colourless `--json` run writing to `out`, with overrides. */
export const jsonFlags = (out: string, over: Partial<GlobalFlags> = {}): GlobalFlags => ({
  json: true,
  quiet: true,
  color: false,
  debug: false,
  out,
  ...over,
});

/**
 * The CLI as a shard test runs it: no array-job index in its environment (the machine's own, if
 * any, must not pick a shard), unless the test gives one in `env`.
 */
export function shardCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliOutcome> {
  return servesim(args, { AWS_BATCH_JOB_ARRAY_INDEX: '', JOB_COMPLETION_INDEX: '', ...env });
}
