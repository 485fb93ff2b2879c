import { echo, InputError } from '../errors.js';
import type { WorkLimits } from '../scenario/limits.js';
import { limitsOf } from './limit-flags.js';

/** What every command gets from the global flags (design §7). */
export interface GlobalFlags {
  json: boolean;
  out?: string;
  seed?: number;
  region?: string;
  quiet: boolean;
  color: boolean;
  debug: boolean;
  /** Issue 17: `--max-requests`, `--max-days` (defaults when the command has no such flags). */
  limits?: WorkLimits;
  /** `run --format`: what goes to stdout (`json` is `--json`; `csv` costs.csv; `html` report.html). */
  format?: 'table' | 'json' | 'csv' | 'html';
  /** `--details`: everything, not just the answer (run, replay, merge of a run). */
  details?: boolean;
  /** Display columns of the terminal (`terminalWidth`); 80 when not given. */
  width?: number;
}

/**
 * The terminal's width in display columns: `COLUMNS` when set to a positive whole number, else
 * the terminal's own (stdout a TTY), else 80 (pipes, files, CI logs).
 */
export function terminalWidth(env: NodeJS.ProcessEnv = process.env): number {
  const cols = Number(env.COLUMNS);
  if (/^\d+$/.test(String(env.COLUMNS ?? '').trim()) && cols > 0) return cols;
  if (process.stdout.isTTY && process.stdout.columns > 0) return process.stdout.columns;
  return 80;
}

/** Where commands write: stdout for results, stderr for progress and warnings. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** The global flags (defined in src/cli.ts) as every command reads them from its argv. */
export function globalFlags(argv: Record<string, unknown>): GlobalFlags {
  for (const flag of ['out', 'region'])
    if (argv[flag] !== undefined && (typeof argv[flag] !== 'string' || argv[flag].trim() === ''))
      throw new InputError(
        Array.isArray(argv[flag])
          ? `--${flag} given more than once; give it once`
          : `--${flag} needs a value`,
      );
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return {
    json: argv.json === true || argv.format === 'json',
    ...(argv.format === 'csv' || argv.format === 'html' ? { format: argv.format } : {}),
    ...(typeof argv.out === 'string' ? { out: argv.out } : {}),
    ...(typeof argv.seed === 'number' ? { seed: argv.seed } : {}),
    ...(typeof argv.region === 'string' ? { region: argv.region } : {}),
    quiet: argv.quiet === true,
    color: argv.color !== false && !noColor && process.stdout.isTTY === true,
    debug: argv.debug === true,
    limits: limitsOf(argv),
    details: argv.details === true,
    width: terminalWidth(),
  };
}

/**
 * A yargs `coerce` for a whole-number flag (`--workers`, `--months`): given once, digits only,
 * at least `min`; anything else is a usage error (exit 2) naming the flag.
 */
export function wholeNumberFlag(name: string, min = 1): (v: unknown) => number {
  return (v) => {
    if (Array.isArray(v)) throw new InputError(`--${name} given more than once; give it once`);
    if (!/^\d+$/.test(String(v).trim()) || Number(v) < min || !Number.isSafeInteger(Number(v)))
      throw new InputError(`--${name} must be a whole number ≥ ${min}, got ${echo(String(v))}`);
    return Number(v);
  };
}
