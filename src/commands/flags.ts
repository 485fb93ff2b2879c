import type { Argv, Options } from 'yargs';
import { echo, InputError } from '../errors.js';

/*
 * The output and override flags, declared once and given to each command that uses them (design
 * §11: each command lists and accepts only its own flags — `schema --region mars-1` is a usage
 * error, not silently ignored). `--debug`, `--help` and `--version` stay global (src/cli.ts).
 */

export const FLAGS = {
  json: { type: 'boolean', describe: "The command's result as JSON on stdout, nothing else" },
  out: { type: 'string', describe: 'Report directory (default reports/<scenario-slug>/)' },
  seed: {
    type: 'string',
    describe: 'Random seed (overrides the scenario)',
    coerce: (v: unknown) => {
      if (Array.isArray(v)) throw new InputError('--seed given more than once; give it once');
      if (!/^\d+$/.test(String(v)) || !Number.isSafeInteger(Number(v)))
        throw new InputError(
          String(v) === ''
            ? '--seed needs a value, a non-negative integer such as --seed 7'
            : `--seed must be a non-negative integer, got ${echo(String(v))}`,
        );
      return Number(v);
    },
  },
  region: { type: 'string', describe: 'AWS region (overrides the scenario)' },
  quiet: { type: 'boolean', describe: 'No progress or warnings; with --details, no assumptions' },
  color: { type: 'boolean', default: true, describe: 'Colour (also NO_COLOR)' },
  format: {
    type: 'string',
    coerce: (v: unknown) => {
      if (Array.isArray(v)) throw new InputError('--format given more than once; give it once');
      if (!['table', 'json', 'csv', 'html'].includes(String(v)))
        throw new InputError(`--format must be table, json, csv or html, got ${echo(String(v))}`);
      return String(v);
    },
    describe:
      'stdout: table (default), json (= --json), csv (costs.csv), html (report.html); the folder is written either way',
  },
  details: {
    type: 'boolean',
    describe:
      'Everything: cost lines, claim reasons, side-by-side table, charts, heartbeat table, assumptions',
  },
} as const satisfies Record<string, Options>;

export type FlagName = keyof typeof FLAGS;

/** What a command that simulates a scenario and writes a report folder takes. */
export const REPORT_FLAGS: readonly FlagName[] = ['json', 'out', 'seed', 'region', 'quiet'];
/** …and, when it prints the comparison (run, replay, merge), colour and --details. */
export const COMPARISON_FLAGS: readonly FlagName[] = [...REPORT_FLAGS, 'color', 'details'];

/** `y` with the flags `names` declared. */
export function withFlags<T>(y: Argv<T>, names: readonly FlagName[]): Argv<T> {
  let out = y;
  for (const n of names) out = out.option(n, FLAGS[n] as Options) as Argv<T>;
  return out;
}
