import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import { loadScenarioFile } from '../scenario/load.js';
import { parseDuration } from '../scenario/units.js';
import { shippedPath } from '../data.js';
import { count } from '../report/text/format.js';
import { Progress } from './progress.js';
import { syntheticStream } from '../traffic/synthetic.js';
import { summarizeTraceFile, writeRequestTrace, type TraceStats } from '../traffic/trace-file.js';
import {
  TIME_FORMATS,
  TimestampParser,
  type ColumnRole,
  type ImportOptions,
  type ImportSummary,
  type TimeFormat,
} from '../traffic/import-rows.js';
import type { CloudWatchImportSummary, CloudWatchTarget } from '../traffic/cloudwatch.js';
import { globalFlags, processIo, type GlobalFlags, type Io } from './context.js';
import { DEFAULT_SCENARIO } from './run.js';

/*
 * `servesim trace generate --scenario F -o T`, `trace show T`, and
 * `trace import csv|jsonl FILE -o T` / `trace import cloudwatch (--model-id ID | --endpoint E)
 * (--last 14d | --start S [--end E]) -o T` (design §7). Results on stdout (JSON with --json),
 * progress and warnings on stderr. Bad input → InputError (exit 2); AWS access, credentials and
 * network → RuntimeError (exit 1).
 */

// ---- generate ----------------------------------------------------------------------------------

export interface GenerateResult {
  output: string;
  requests: number;
  start: string;
  durationSeconds: number;
  seed: number;
}

/** Writes a scenario's traffic (all components, merged) as a requests trace. */
export function traceGenerate(
  scenarioPath: string | undefined,
  output: string,
  flags: GlobalFlags,
  io: Io = processIo,
): GenerateResult {
  const loaded = loadScenarioFile(scenarioPath ?? shippedPath(DEFAULT_SCENARIO));
  const s = loaded.scenario;
  const seed = flags.seed ?? s.seed;
  const stream = syntheticStream(s.traffic, s.timezone, seed, loaded.baseDir);
  const span = stream.span;
  const requests = writeRequestTrace(
    resolve(output),
    {
      start: span.startUtcIso,
      kind: 'requests',
      durationSeconds: span.durationSeconds,
      source: `scenario:${s.name}:seed=${seed}`,
    },
    stream,
  );
  const r = { output, requests, start: span.startUtcIso, durationSeconds: span.durationSeconds, seed };
  if (flags.json) io.out(JSON.stringify(r, null, 2) + '\n');
  else
    io.out(
      `Wrote ${count(requests)} requests (${span.startUtcIso}, ${days(span.durationSeconds)}, seed ${seed}) to ${output}\n`,
    );
  return r;
}

// ---- show --------------------------------------------------------------------------------------

/** Prints a trace's span, totals, per-hour profile and longest idle gaps. */
export function traceShow(
  file: string,
  timezone: string | undefined,
  flags: GlobalFlags,
  io: Io = processIo,
): TraceStats {
  const st = summarizeTraceFile(resolve(file), timezone ?? 'UTC');
  if (flags.json) {
    io.out(JSON.stringify(st, null, 2) + '\n');
    return st;
  }
  io.out(showText(file, st));
  return st;
}

export function showText(file: string, st: TraceStats): string {
  const lines: string[] = [];
  const kind = st.kind === 'binned' ? `binned trace, ${st.periodSeconds} s periods` : 'requests trace';
  lines.push(`${file} — ${kind}, from ${st.source || 'unknown source'}`);
  lines.push(`  span      ${st.start} → ${st.end} (${days(st.durationSeconds)})`);
  const peak =
    st.peakPerMinute !== null
      ? `peak ${count(st.peakPerMinute)}/min`
      : `peak ${count(st.peakPerPeriod)} per ${st.periodSeconds} s`;
  lines.push(
    `  requests  ${count(st.requests)} (interactive ${count(st.byClass.interactive.requests)}, batch ${count(st.byClass.batch.requests)}); ${peak}`,
  );
  const mean = (x: number) => (st.requests > 0 ? (x / st.requests).toFixed(1) : '—');
  lines.push(
    `  tokens    ${count(st.inputTokens)} in (mean ${mean(st.inputTokens)}), ${count(st.outputTokens)} out (mean ${mean(st.outputTokens)})`,
  );
  if (st.throttles !== null) lines.push(`  throttles ${count(st.throttles)} (observed; not replayed)`);
  if (st.modelCopies !== null)
    lines.push(
      `  copies    peak ${count(st.modelCopies.peak)}, ${count(st.modelCopies.copyMinutes)} copy-minutes (observed)`,
    );
  if (st.meanLatencyMs !== null)
    lines.push(`  latency   mean ${st.meanLatencyMs.toFixed(0)} ms (observed, per request)`);
  lines.push('', `Requests by hour of day (${st.timezone}):`);
  const max = Math.max(...st.perHour, 1);
  st.perHour.forEach((n, h) => {
    const width = Math.round((n / max) * 40);
    lines.push(
      `  ${String(h).padStart(2, '0')} ${'█'.repeat(width)}${width === 0 && n > 0 ? '▏' : ''} ${count(n)}`,
    );
  });
  if (st.longestIdleGaps.length > 0) {
    lines.push('', `Longest idle gaps${st.kind === 'binned' ? ' (to the period: at least)' : ''}:`);
    for (const g of st.longestIdleGaps)
      lines.push(`  ${st.kind === 'binned' ? '≥ ' : ''}${human(g.seconds)} from ${g.from}`);
  }
  return lines.join('\n') + '\n';
}

function days(seconds: number): string {
  if (seconds < 86400) return human(seconds);
  const d = +(seconds / 86400).toFixed(2);
  return `${d} day${d === 1 ? '' : 's'}`;
}

function human(s: number): string {
  if (s < 120) return `${+s.toFixed(1)} s`;
  if (s < 7200) return `${+(s / 60).toFixed(1)} min`;
  if (s < 2 * 86400) return `${+(s / 3600).toFixed(1)} h`;
  return `${+(s / 86400).toFixed(1)} days`;
}

// ---- import ------------------------------------------------------------------------------------

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
  const opts = importOptions(resolve(output), a);
  const summary =
    format === 'csv'
      ? await (
          await import('../traffic/import-csv.js')
        ).importCsv(resolve(file), {
          ...opts,
          ...(a.delimiter !== undefined ? { delimiter: a.delimiter } : {}),
        })
      : await (await import('../traffic/import-jsonl.js')).importJsonl(resolve(file), opts);
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
  return opts;
}

export interface CloudWatchArgs {
  modelId?: string | undefined;
  endpoint?: string | undefined;
  variant?: string | undefined;
  last?: string | undefined;
  start?: string | undefined;
  end?: string | undefined;
  period?: string | undefined;
  profile?: string | undefined;
  timezone?: string | undefined;
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
}

/** Resolves the CloudWatch flags into importer options (window, target, period). */
export async function cloudWatchOptions(a: CloudWatchArgs, now: number) {
  const { resolveWindow } = await import('../traffic/cloudwatch.js');
  if ((a.modelId === undefined) === (a.endpoint === undefined))
    throw new InputError(
      'name what to read: --model-id ID (a Bedrock imported model; its ARN) or --endpoint NAME (a SageMaker endpoint)',
      '--model-id',
    );
  const target: CloudWatchTarget =
    a.modelId !== undefined
      ? { kind: 'bedrock', modelId: a.modelId }
      : { kind: 'sagemaker', endpoint: a.endpoint!, variant: a.variant ?? 'AllTraffic' };
  const window = resolveWindow({
    ...(a.last !== undefined ? { last: durationFlag(a.last, '--last') } : {}),
    ...(a.start !== undefined ? { start: a.start } : {}),
    ...(a.end !== undefined ? { end: a.end } : {}),
    now,
    ...(a.timezone !== undefined ? { timezone: a.timezone } : {}),
  });
  for (const [flag, v] of [
    ['--input-tokens', a.inputTokens],
    ['--output-tokens', a.outputTokens],
  ] as const)
    if (v !== undefined && !(Number.isInteger(v) && v >= 1))
      throw new InputError(`${flag} must be a whole number ≥ 1`, flag);
  return {
    target,
    ...window,
    now,
    ...(a.period !== undefined ? { periodSeconds: durationFlag(a.period, '--period') } : {}),
    ...(a.profile !== undefined ? { profile: a.profile } : {}),
    tokensPerRequest: { input: a.inputTokens ?? 250, output: a.outputTokens ?? 60 },
  };
}

/** Runs the CloudWatch import with a progress bar on a terminal; warnings go to stderr. */
export async function fetchCloudWatch(
  a: CloudWatchArgs,
  output: string,
  flags: GlobalFlags,
  io: Io,
  extra: Partial<import('../traffic/cloudwatch.js').CloudWatchImportOptions> = {},
): Promise<CloudWatchImportSummary> {
  const { importCloudWatch } = await import('../traffic/cloudwatch.js');
  const base = await cloudWatchOptions(a, extra.now ?? Date.now() / 1000);
  const mode = flags.quiet || flags.json ? 'off' : io === processIo && process.stderr.isTTY ? 'bar' : 'off';
  // The total is known only from the first page; the bar starts then.
  const bar: { p: Progress | null; done: number } = { p: null, done: 0 };
  try {
    const s = await importCloudWatch({
      ...base,
      output: resolve(output),
      ...(flags.region !== undefined ? { region: flags.region } : {}),
      onProgress: (received, expected) => {
        bar.p ??= new Progress(expected, mode, (t) => io.err(t), 0);
        for (; bar.done < received; bar.done++)
          bar.p.tick(`fetching CloudWatch datapoints (${count(received)}/${count(expected)})`, false);
      },
      ...extra,
    });
    bar.p?.stop();
    if (!flags.quiet && !flags.json) for (const w of s.warnings) io.err(`warning: ${w}\n`);
    return s;
  } finally {
    bar.p?.stop();
  }
}

export async function traceImportCloudWatch(
  a: CloudWatchArgs,
  output: string,
  flags: GlobalFlags,
  io: Io = processIo,
  extra: Partial<import('../traffic/cloudwatch.js').CloudWatchImportOptions> = {},
): Promise<CloudWatchImportSummary> {
  const s = await fetchCloudWatch(a, output, flags, io, extra);
  const result = { ...s, output };
  if (flags.json) io.out(JSON.stringify(result, null, 2) + '\n');
  else {
    const missing = s.missingDatapoints.Invocations ?? 0;
    io.out(
      `Wrote a binned trace of ${count(s.requests)} requests, ${count(s.bins)} periods of ${s.periodSeconds} s (${s.start} → ${s.end}) to ${output}\n` +
        `  period: ${s.periodReason}\n` +
        `  ${count(missing)} of ${count(s.bins)} periods had no Invocations datapoint (zero-filled: idle); ${s.pages} page(s) fetched\n` +
        (s.modelCopies
          ? '  model_copies included: `servesim replay --trace` shows the actual bill beside the simulated one\n'
          : ''),
    );
  }
  return result;
}

// ---- flag helpers ------------------------------------------------------------------------------

/** A string flag given once; yargs makes repeated flags arrays and empty ones "". */
export function single(v: unknown, flag: string): string | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw new InputError(`--${flag} given more than once; give it once`);
  if (typeof v !== 'string' || v.trim() === '') throw new InputError(`--${flag} needs a value`);
  return v;
}

function durationFlag(v: string, flag: string, zeroOk = false): number {
  const s = parseDuration(v);
  if (s === undefined || (!zeroOk && s <= 0))
    throw new InputError(`${flag} must be a duration such as 90s, 5m, 2h or 14d, got "${v}"`, flag);
  return s;
}

function isoFlag(v: string, flag: string, timezone: string | undefined): number {
  const t = new TimestampParser('iso', timezone ?? 'UTC', 0).parse(v);
  if (t !== t)
    throw new InputError(
      `${flag} must be an ISO-8601 date-time such as 2026-11-02T00:00:00Z, got "${v}"`,
      flag,
    );
  return t;
}

// ---- yargs -------------------------------------------------------------------------------------

const fileImportFlags = (y: Argv) =>
  y
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
    });

export const cloudWatchFlags = (y: Argv) =>
  y
    .option('model-id', {
      type: 'string',
      describe: 'Bedrock imported model (the ModelId dimension: its ARN)',
    })
    .option('endpoint', { type: 'string', describe: 'SageMaker endpoint name (instead of --model-id)' })
    .option('variant', { type: 'string', describe: 'SageMaker production variant (default AllTraffic)' })
    .option('last', { type: 'string', describe: 'Window: the last N (e.g. 14d, 12h)' })
    .option('start', { type: 'string', describe: 'Window start (ISO-8601)' })
    .option('end', { type: 'string', describe: 'Window end (ISO-8601; default now)' })
    .option('period', {
      type: 'string',
      describe: 'Coarser period than the finest CloudWatch keeps (e.g. 5m)',
    })
    .option('profile', { type: 'string', describe: 'AWS profile (default: AWS_PROFILE / the default chain)' })
    .option('timezone', {
      type: 'string',
      describe: 'IANA zone of --start/--end without an offset (default UTC)',
    })
    .option('input-tokens', { type: 'number', describe: 'SageMaker: input tokens per request (default 250)' })
    .option('output-tokens', {
      type: 'number',
      describe: 'SageMaker: output tokens per request (default 60)',
    });

export function cloudWatchArgs(argv: Record<string, unknown>): CloudWatchArgs {
  return {
    modelId: single(argv.modelId, 'model-id'),
    endpoint: single(argv.endpoint, 'endpoint'),
    variant: single(argv.variant, 'variant'),
    last: single(argv.last, 'last'),
    start: single(argv.start, 'start'),
    end: single(argv.end, 'end'),
    period: single(argv.period, 'period'),
    profile: single(argv.profile, 'profile'),
    timezone: single(argv.timezone, 'timezone'),
    inputTokens: numberFlag(argv.inputTokens, 'input-tokens'),
    outputTokens: numberFlag(argv.outputTokens, 'output-tokens'),
  };
}

function numberFlag(v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`--${flag} needs a number`);
  return v;
}

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
  };
}

/** Adds `trace generate|show|import` to a yargs instance (src/cli.ts wires it in). */
export function registerTraceCommand(y: Argv): Argv {
  return y.command(
    'trace',
    'Trace files: generate one from a scenario, show one, import CSV/JSONL/CloudWatch',
    (t) =>
      t
        .command(
          'generate',
          "Write a scenario's traffic as a trace file (-o FILE)",
          (g) =>
            g
              .option('scenario', { type: 'string', describe: `Scenario file (default ${DEFAULT_SCENARIO})` })
              .option('output', {
                alias: 'o',
                type: 'string',
                demandOption: true,
                describe: 'Trace file to write',
              }),
          (argv) => {
            traceGenerate(
              single(argv.scenario, 'scenario'),
              single(argv.output, 'output')!,
              globalFlags(argv),
            );
          },
        )
        .command(
          'show <file>',
          'Span, totals, per-hour profile and longest idle gaps of a trace file',
          (s) =>
            s.positional('file', { type: 'string', describe: 'Trace file' }).option('timezone', {
              type: 'string',
              describe: 'IANA zone of the per-hour profile (default UTC)',
            }),
          (argv) => {
            traceShow(single(argv.file, 'file')!, single(argv.timezone, 'timezone'), globalFlags(argv));
          },
        )
        .command(
          'import',
          'Import traffic into a trace file: csv FILE | jsonl FILE | cloudwatch',
          (i) =>
            i
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
              )
              .command(
                'cloudwatch',
                'Per-period Invocations, tokens, throttles and ModelCopy of a Bedrock imported model (or a SageMaker endpoint)',
                (c) =>
                  cloudWatchFlags(c).option('output', {
                    alias: 'o',
                    type: 'string',
                    demandOption: true,
                    describe: 'Trace file to write',
                  }),
                async (argv) => {
                  await traceImportCloudWatch(
                    cloudWatchArgs(argv),
                    single(argv.output, 'output')!,
                    globalFlags(argv),
                  );
                },
              )
              .demandCommand(
                1,
                'Name a format: `servesim trace import csv FILE -o T`, `jsonl FILE -o T` or `cloudwatch ... -o T`.',
              ),
          () => undefined,
        )
        .demandCommand(1, 'Name a trace command: generate, show or import (see servesim trace --help).'),
    () => undefined,
  );
}
