import { readFileSync } from 'node:fs';

/**
 * Typed errors. Library code throws these; only the CLI prints them and picks the exit code
 * (design §7): 2 for bad input or usage, 1 for anything else.
 */

/** Bad input: a scenario, trace, flag or price file the user can fix. Exit code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly exitCode = 2;
  constructor(
    message: string,
    /** Where: `file:line:col` or a field path, if known. */
    readonly where?: string,
  ) {
    super(where ? `${where}: ${message}` : message);
  }
}

/** Anything outside the user's input: AWS access denied, network, an internal invariant. Exit 1. */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  readonly exitCode = 1;
}

/** A text file's contents; a missing or unreadable file is bad input naming the file (`what`: "scenario"). */
export function readInputFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT' ? `no such ${what} file` : `cannot read ${what} file (${code ?? 'error'})`,
      path,
    );
  }
}
