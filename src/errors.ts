import { readFileSync } from 'node:fs';

/**
 * Typed errors. Library code throws these; only the CLI prints them and picks the exit code
 * (design §7): 2 for bad input or usage, 1 for anything else.
 */

/** Longest value an error message echoes (issue 17): a 200 MB field must not come back whole. */
export const ECHO_MAX = 80;

/**
 * A value quoted for an error message (`"5%"`, `-1`), cut to `ECHO_MAX` characters:
 * `"aaaa…" (200,000,000 characters)`.
 */
export function echo(v: unknown): string {
  const text = typeof v === 'string' ? v : String(v);
  const quoted = typeof v === 'string' ? JSON.stringify(v) : text;
  if (quoted.length <= ECHO_MAX) return quoted;
  const head = JSON.stringify(text.slice(0, ECHO_MAX - 10)).slice(0, -1);
  return `${head}…"${typeof v === 'string' ? ` (${text.length.toLocaleString('en-US')} characters)` : ''}`;
}

/** Text echoed as is (a header value), cut to `ECHO_MAX` characters. */
export function cut(text: string): string {
  return text.length <= ECHO_MAX ? text : `${text.slice(0, ECHO_MAX - 1)}…`;
}

/** A list of names for a message (columns found), cut to `ECHO_MAX` characters. */
export function echoList(names: readonly string[], separator = ', '): string {
  const text = names.join(separator);
  return text.length <= ECHO_MAX ? text : `${text.slice(0, ECHO_MAX - 1)}… (${names.length} in all)`;
}

/** Longest message an `InputError` carries: a net under `echo`, for a value echoed raw. */
const MESSAGE_MAX = 600;

/** Bad input: a scenario, trace, flag or price file the user can fix. Exit code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly exitCode = 2;
  constructor(
    message: string,
    /** Where: `file:line:col` or a field path, if known. */
    readonly where?: string,
  ) {
    super(capped(where ? `${where}: ${message}` : message));
  }
}

/** The message with its middle cut when it is longer than `MESSAGE_MAX` (start and end say the most). */
function capped(message: string): string {
  if (message.length <= MESSAGE_MAX) return message;
  const cut = message.length - MESSAGE_MAX + 40;
  return `${message.slice(0, 360)}… (${cut.toLocaleString('en-US')} characters cut) …${message.slice(360 + cut)}`;
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
