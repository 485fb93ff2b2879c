import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

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
