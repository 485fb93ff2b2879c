import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { InputError, readInputFile } from '../errors.js';
import { diffResults, DiffableResult } from '../report/diff.js';
import { diffText } from '../report/text/diff.js';
import { describeValue, pathText, valueAt } from '../schema-issues.js';
import { globalFlags, processIo, type GlobalFlags, type Io } from './context.js';
import { withFlags } from './flags.js';

/*
 * `servesim diff <base> <new>` (issue 20 item 2): two saved results (results.json, or the report
 * folders holding them) compared option by option and cost line by cost line; `--json` prints the
 * diff as JSON. Reads nothing else and simulates nothing; exit 0 whatever changed.
 */

/** Adds `diff <base> <new>` to the CLI. */
export function registerDiffCommand(y: Argv): Argv {
  return y.command(
    'diff <base> <new>',
    'What changed between two results (results.json or report folders): cost line by cost line, latency, cold starts',
    (b) =>
      withFlags(b, ['json'])
        .positional('base', { type: 'string', describe: 'The earlier results.json (or its report folder)' })
        .positional('new', { type: 'string', describe: 'The later results.json (or its report folder)' }),
    (argv) => diffCommand(String(argv.base), String(argv.new), globalFlags(argv), processIo),
  );
}

export function diffCommand(basePath: string, newPath: string, flags: GlobalFlags, io: Io): void {
  const base = readResult(basePath);
  const next = readResult(newPath);
  const d = diffResults(base.result, next.result, { base: base.file, new: next.file });
  io.out(flags.json ? JSON.stringify(d, null, 2) + '\n' : diffText(d));
}

/** A saved result, checked for what diff reads; a folder means its results.json. */
function readResult(path: string): { file: string; result: DiffableResult } {
  let file = path;
  try {
    if (statSync(path).isDirectory()) file = join(path, 'results.json');
  } catch {
    // Not there: readInputFile says so.
  }
  const text = readInputFile(file, 'results');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(
      `not JSON (${(e as Error).message}); give the results.json a run or replay wrote`,
      file,
    );
  }
  const kind = (raw as { kind?: unknown } | null)?.kind;
  if (typeof kind === 'string' && kind !== 'run' && kind !== 'replay')
    throw new InputError(
      `a ${kind} result; diff compares the results of run or replay (their options and cost lines)`,
      file,
    );
  const parsed = DiffableResult.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = pathText(issue.path);
    const got = describeValue(valueAt(raw, issue.path), 'json');
    throw new InputError(
      `${at === '' ? 'the file' : at}: ${issue.message} (got ${got.length > 80 ? `${got.slice(0, 79)}…` : got}); give the results.json a run or replay wrote`,
      file,
    );
  }
  return { file, result: parsed.data };
}
