import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { InputError } from '../../errors.js';
import { count } from '../../report/text/format.js';
import type { ColumnRole } from '../../traffic/import/columns.js';
import { MAX_GAP_DAYS, type ImportOptions, type ImportSummary } from '../../traffic/import/rows.js';
import { TIME_FORMATS, type TimeFormat } from '../../traffic/import/timestamps.js';
import { globalFlags, processIo, type GlobalFlags, type Io } from '../context.js';
import { withFlags } from '../flags.js';
import { durationFlag, isoFlag, single } from './flags.js';
import { days } from './text.js';
import { checkOutFile } from '../../out-path.js';

/* `servesim trace import csv|jsonl FILE -o T`: request or binned rows into a trace file. */

export interface FileImportArgs {
  kind?: string | undefined;
  timeColumn?: string | undefined;
  inputColumn?: string | undefined;
  outputColumn?: string | undefined;
  classColumn?: string | undefined;
  requestsColumn?: string | undefined;
  throttlesColumn?: string | undefined;
  copiesColumn?: string | undefined;
  timeFormat?: string | undefined;
  timezone?: string | undefined;
  start?: string | undefined;
  period?: string | undefined;
  class?: string | undefined;
  reorderWindow?: string | undefined;
  delimiter?: string | undefined;
  /** Issue 17 limits: accept a gap of more than 31 days between rows. */
  allowGaps?: boolean | undefined;
}

/** `trace import csv|jsonl FILE -o T`. */
export async function traceImportFile(
  format: 'csv' | 'jsonl',
  file: string,
  output: string,
  a: FileImportArgs,
  flags: GlobalFlags,
  io: Io = processIo,
): Promise<ImportSummary> {
  checkOutFile(output, '--output');
  const opts = importOptions(resolve(output), a);
  const summary =
    format === 'csv'
      ? await (
          await import('../../traffic/import/csv.js')
        ).importCsv(resolve(file), {
          ...opts,
          ...(a.delimiter !== undefined ? { delimiter: a.delimiter } : {}),
        })
      : await (await import('../../traffic/import/jsonl.js')).importJsonl(resolve(file), opts);
  const result = { ...summary, output };
  if (flags.json) io.out(JSON.stringify(result, null, 2) + '\n');
  else {
    const cols = Object.entries(summary.columns)
      .map(([role, name]) => `${role}=${name}`)
      .join(', ');
    io.out(
      `Wrote a ${summary.kind} trace of ${count(summary.requests)} requests (${count(summary.rows)} rows, ${summary.start}, ${days(summary.durationSeconds)}) to ${output}\n` +
        `  columns: ${cols}; timestamps read as ${summary.timeFormat}` +
        (summary.ignoredColumns.length ? `; ignored (not read): ${summary.ignoredColumns.join(', ')}` : '') +
        '\n',
    );
    if (summary.reordered > 0) io.err(`note: ${count(summary.reordered)} out-of-order rows were sorted\n`);
    if (summary.duplicateTimestamps > 0)
      io.err(
        `note: ${count(summary.duplicateTimestamps)} rows repeat the previous row's timestamp (${summary.kind === 'binned' ? 'summed into one bin' : 'kept as separate requests'})\n`,
      );
  }
  return result;
}

function importOptions(output: string, a: FileImportArgs): ImportOptions {
  const kind = a.kind ?? 'auto';
  if (kind !== 'auto' && kind !== 'requests' && kind !== 'binned')
    throw new InputError(`--kind must be auto, requests or binned, got "${kind}"`, '--kind');
  const timeFormat = (a.timeFormat ?? 'auto') as TimeFormat;
  if (!TIME_FORMATS.includes(timeFormat))
    throw new InputError(
      `--time-format must be one of ${TIME_FORMATS.join(', ')}, got "${a.timeFormat}"`,
      '--time-format',
    );
  const columns: Partial<Record<ColumnRole, string>> = {};
  const names: [ColumnRole, string | undefined][] = [
    ['time', a.timeColumn],
    ['input', a.inputColumn],
    ['output', a.outputColumn],
    ['class', a.classColumn],
    ['requests', a.requestsColumn],
    ['throttles', a.throttlesColumn],
    ['modelCopies', a.copiesColumn],
  ];
  for (const [role, name] of names) if (name !== undefined) columns[role] = name;
  const cls = a.class;
  if (cls !== undefined && cls !== 'interactive' && cls !== 'batch')
    throw new InputError(`--class must be interactive or batch, got "${cls}"`, '--class');
  const opts: ImportOptions = { output, kind, columns, timeFormat };
  if (a.timezone !== undefined) opts.timezone = a.timezone;
  if (cls !== undefined) opts.cls = cls;
  if (a.start !== undefined) opts.start = isoFlag(a.start, '--start', a.timezone);
  if (a.period !== undefined) opts.periodSeconds = durationFlag(a.period, '--period');
  if (a.reorderWindow !== undefined)
    opts.reorderWindow = durationFlag(a.reorderWindow, '--reorder-window', true);
  if (a.allowGaps === true) opts.allowGaps = true;
  return opts;
}

const fileImportFlags = (y: Argv) =>
  withFlags(y, ['json'])
    .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'Trace file to write' })
    .option('kind', {
      type: 'string',
      describe:
        'requests (one row per request) or binned (per-period counts and token sums); default: binned when a request-count column exists',
    })
    .option('time-column', {
      type: 'string',
      describe: 'Timestamp column (default: timestamp, time, t_s, ...)',
    })
    .option('input-column', {
      type: 'string',
      describe: 'Input tokens column (default: input_tokens, input_length, prompt_tokens, ...)',
    })
    .option('output-column', {
      type: 'string',
      describe: 'Output tokens column (default: output_tokens, output_length, completion_tokens, ...)',
    })
    .option('class-column', { type: 'string', describe: 'Class column (interactive|batch; default: class)' })
    .option('requests-column', {
      type: 'string',
      describe: 'Binned: request count column (default: requests, invocations, count)',
    })
    .option('throttles-column', {
      type: 'string',
      describe: 'Binned: throttled calls column (default: throttles)',
    })
    .option('copies-column', {
      type: 'string',
      describe: 'Binned: model copies column (default: model_copies)',
    })
    .option('time-format', { type: 'string', describe: `${TIME_FORMATS.join(' | ')} (default auto)` })
    .option('timezone', {
      type: 'string',
      describe: 'IANA zone of timestamps without an offset (default UTC)',
    })
    .option('start', {
      type: 'string',
      describe: 'Trace t = 0 (ISO-8601); relative timestamps count from it',
    })
    .option('period', { type: 'string', describe: 'Binned: period of the bins (default 60s)' })
    .option('class', {
      type: 'string',
      describe: 'Class of every request when there is no class column (default interactive)',
    })
    .option('reorder-window', {
      type: 'string',
      describe: 'Rows out of order by less than this are sorted (default 5m)',
    })
    // Issue 17 limits (one block).
    .option('allow-gaps', {
      type: 'boolean',
      describe: `Accept a gap of more than ${MAX_GAP_DAYS} days between consecutive rows (refused by default: a typo'd date?)`,
    });

function fileArgs(argv: Record<string, unknown>): FileImportArgs {
  const s = (k: string, flag: string) => single(argv[k], flag);
  return {
    kind: s('kind', 'kind'),
    timeColumn: s('timeColumn', 'time-column'),
    inputColumn: s('inputColumn', 'input-column'),
    outputColumn: s('outputColumn', 'output-column'),
    classColumn: s('classColumn', 'class-column'),
    requestsColumn: s('requestsColumn', 'requests-column'),
    throttlesColumn: s('throttlesColumn', 'throttles-column'),
    copiesColumn: s('copiesColumn', 'copies-column'),
    timeFormat: s('timeFormat', 'time-format'),
    timezone: s('timezone', 'timezone'),
    start: s('start', 'start'),
    period: s('period', 'period'),
    class: s('class', 'class'),
    reorderWindow: s('reorderWindow', 'reorder-window'),
    delimiter: s('delimiter', 'delimiter'),
    allowGaps: argv.allowGaps === true,
  };
}

/** Adds `trace import csv <file>` and `trace import jsonl <file>`. */
export function registerTraceImportFile(i: Argv): Argv {
  return i
    .command(
      'csv <file>',
      'Request rows (timestamp, input/output tokens[, class]) or binned rows (counts and token sums)',
      (c) =>
        fileImportFlags(c)
          .positional('file', { type: 'string', describe: 'CSV file' })
          .option('delimiter', { type: 'string', describe: 'Field delimiter (default ,)' }),
      async (argv) => {
        await traceImportFile(
          'csv',
          single(argv.file, 'file')!,
          single(argv.output, 'output')!,
          fileArgs(argv),
          globalFlags(argv),
        );
      },
    )
    .command(
      'jsonl <file>',
      'One JSON object per line, same fields as CSV (e.g. timestamp, input_length, output_length)',
      (c) => fileImportFlags(c).positional('file', { type: 'string', describe: 'JSONL file' }),
      async (argv) => {
        await traceImportFile(
          'jsonl',
          single(argv.file, 'file')!,
          single(argv.output, 'output')!,
          fileArgs(argv),
          globalFlags(argv),
        );
      },
    );
}
