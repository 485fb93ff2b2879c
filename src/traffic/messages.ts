import { durationText, type Cutoff } from '../network.js';
import { cut, echo, echoList } from '../errors.js';

/**
 * User-facing messages of the trace files and importers, in one place so wording stays consistent
 * and tests assert through these functions instead of repeating strings. Each message says what
 * is wrong and how to fix it; the `where` (file, row, flag) is added by `InputError`.
 */
export const MSG = {
  noSuchFile: (what: string) => `no such ${what} file`,
  cannotRead: (what: string, code: string) => `cannot read the ${what} file (${code})`,
  cannotWrite: (code: string) =>
    `cannot write the trace file (${code}); check that the folder exists and is writable`,
  emptyFile: (what: string, expected: string) =>
    `the ${what} file is empty: it needs a header row naming its columns (${expected}) and at least one data row`,
  lineTooLong: (line: number, max: number) =>
    `line ${line} is longer than ${max / (1 << 20)} MiB: a row is a few dozen characters, so this is not a row (a binary file, a device, or a field holding a whole document?)`,
  gap: (days: number, prevIso: string, iso: string, maxDays: number) =>
    `this row (${iso}) comes ${days.toFixed(1)} days after the previous one (${prevIso}), more than ${maxDays} days: a typo'd date? Fix the timestamp, or accept the gap with --allow-gaps`,
  noRows: (what: string) => `the ${what} file has a header but no data rows`,

  // Trace files (design §6).
  notATrace: () =>
    'not a servesim trace file: the first line must be `# servesim-trace v1 start=... kind=requests|binned ...` (write one with `servesim trace import` or `trace generate`)',
  badHeaderValue: (key: string, value: string, expected: string) =>
    `header ${key}=${cut(value)} is not valid: expected ${expected}`,
  missingHeaderKey: (key: string) => `the header line lacks ${key}=...`,
  traceColumns: (kind: string, expected: readonly string[], found: readonly string[]) =>
    `a ${kind} trace needs the columns ${expected.join(',')}; found: ${echoList(found, ',') || '(none)'}`,
  badTraceNumber: (column: string, value: string, expected: string) =>
    `${column} ${echo(value)} is not valid: expected ${expected}`,
  unsorted: (t: number, prev: number) =>
    `rows must be sorted by t_s: t_s=${t} comes after t_s=${prev} (sort the file by its first column)`,
  overlappingBins: (t: number, prev: number, period: number) =>
    `bins overlap: t_s=${t} starts less than period_s=${period} after the bin at t_s=${prev}`,
  tooManyTokens: (column: string, value: number, max: number) =>
    `${column} ${value.toLocaleString('en-US')} is more tokens than one request can carry (at most ${max.toLocaleString('en-US')}); check the column`,
  badClass: (value: string) => `class ${echo(value)} is not valid: expected interactive or batch`,
  badModelName: (value: string) =>
    `model ${echo(value)} is not a model name: 1–80 characters of letters, digits, ".", "_" and "-", starting with a letter or digit`,
  modelNotListed: (value: string, listed: readonly string[]) =>
    `model ${echo(value)} is not among the header's models=${cut(listed.join(','))}; add it there or fix the row`,
  noSuchModel: (value: string, found: readonly string[]) =>
    found.length === 0
      ? `the trace has no model column, so it holds one model and no rows of ${echo(value)}; drop the model selection`
      : `the trace has no rows of model ${echo(value)}; its models: ${echoList(found, ', ')}`,
  pickModel: (binned: boolean) =>
    `name one with \`model: NAME\` on the trace component (or --trace-model NAME on replay)${binned ? '; a binned trace is read one model at a time' : ''}`,
  replayOneModel: (found: readonly string[]) =>
    `replay runs one model's traffic at a time (a portfolio replay is not built yet), and this trace holds ${found.length} models (${echoList(found, ', ')}): name one with --trace-model NAME`,
  severalModels: (found: readonly string[], how: string) =>
    `the trace holds several models (${echoList(found, ', ')}), whose traffic is not one stream: ${how}`,

  // Importers.
  missingColumn: (role: string, aliases: readonly string[], found: readonly string[], flag: string) =>
    `no ${role} column: expected one of ${aliases.join(', ')}; columns found: ${echoList(found) || '(none)'}. Name it with ${flag}`,
  unknownColumn: (name: string, found: readonly string[], flag: string) =>
    `${flag} ${echo(name)} is not a column of the file; columns found: ${echoList(found) || '(none)'}`,
  badTokens: (column: string, value: string) =>
    `${column} ${echo(value)} is not a token count: expected a whole number ≥ 0`,
  badCount: (column: string, value: string) =>
    `${column} ${echo(value)} is not a count: expected a whole number ≥ 0`,
  badNumber: (column: string, value: string) => `${column} ${echo(value)} is not a number ≥ 0`,
  badTimestamp: (value: string, format: string) =>
    `timestamp ${echo(value)} cannot be read as ${format}; use ISO-8601 (2026-11-02T09:00:00Z), epoch seconds or milliseconds, or set --time-format`,
  beforeStart: (iso: string, start: string) =>
    `the row's time ${iso} is before the trace start ${start} (--start); move --start earlier`,
  outOfOrder: (iso: string, behind: number, window: number) =>
    `rows are out of order beyond the reorder window: this row (${iso}) is ${behind.toFixed(3)} s earlier than rows already written (window ${window} s). Sort the file by time first (e.g. \`sort -t, -k1,1\`) or widen --reorder-window`,
  bufferFull: (rows: number, window: number) =>
    `the reorder buffer would hold more than ${rows.toLocaleString('en-US')} rows: --reorder-window ${window} s keeps every row of that span in memory; narrow --reorder-window, or sort the file by time first (e.g. \`sort -t, -k1,1\`)`,
  tooManyBinnedRows: (rows: number) =>
    `a binned import holds its rows until every bin is known, at most ${rows.toLocaleString('en-US')}; split the file, or import one row per request (--kind requests)`,
  tooManyBins: (bins: number, period: number, max: number) =>
    `the binned trace would have ${bins.toLocaleString('en-US')} bins of ${period} s (${((bins * period) / 86_400).toFixed(0)} days), more than ${max.toLocaleString('en-US')}; use a longer --period, or check the timestamps for a typo'd date`,
  notAnObject: () => 'each line must be one JSON object such as {"timestamp": ..., "input_length": ..., ...}',
  badJson: (why: string) => `not valid JSON (${why})`,
  csvSyntax: (why: string) => `CSV syntax error: ${why}`,
  badPeriod: (value: number) => `period ${value} s is not valid: use a whole number of seconds ≥ 1`,

  // CloudWatch.
  windowTooOld: (days: number) =>
    `the window starts ${days.toFixed(1)} days ago, but CloudWatch keeps metrics for 455 days (15 months) at most; choose a later --start or a shorter --last`,
  windowEmpty: () => 'the window is empty: --end must be after --start (by at least one period)',
  windowFuture: () => 'the window starts in the future: choose a --start in the past',
  periodTooFine: (asked: number, finest: number, days: number) =>
    `--period ${asked} s is finer than CloudWatch keeps for a window starting ${days.toFixed(1)} days ago (finest: ${finest} s)`,
  noData: (what: string, region: string, from: string, to: string) =>
    `CloudWatch has no Invocations for ${what} in ${region} between ${from} and ${to}; check the id (for an imported model the ModelId dimension is its ARN), the region (--region) and the window`,
  noTarget: () =>
    'name what to read: --model-id ID (a Bedrock imported model; its ARN) or --endpoint NAME (a SageMaker endpoint)',
  mixedTargets: () =>
    'one import reads Bedrock models or SageMaker endpoints, not both (their metrics differ); import each kind into its own trace',
  badTargetName: (name: string) =>
    `${echo(name)} is not a model name for the trace (1–80 letters, digits, ".", "_" or "-", starting with a letter or digit); name it: --model NAME=ID or --endpoint NAME=ENDPOINT[/VARIANT]`,
  duplicateTargetName: (name: string) =>
    `two models are named ${echo(name)}; give each its own name: --model NAME=ID or --endpoint NAME=ENDPOINT[/VARIANT]`,
  duplicateTarget: (what: string) => `${cut(what)} is named twice; read each model once`,
  noCredentials: () =>
    'no AWS credentials found: set AWS_PROFILE (or pass --profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws sso login`',
  noRegion: () => 'no AWS region: pass --region or set AWS_REGION',
  accessDenied: (detail: string) =>
    `AWS denied access (${detail}); servesim needs cloudwatch:GetMetricData — see docs/iam-policy.json`,
  badCredentials: (detail: string) =>
    `AWS rejected the credentials (${detail}); refresh them (e.g. \`aws sso login\`) or check AWS_PROFILE`,
  unreachable: (where: string, code: string) =>
    `cannot reach CloudWatch at ${where} (${code}); check the network, the region and AWS_ENDPOINT_URL_CLOUDWATCH`,
  throttled: (attempts: number) =>
    `CloudWatch kept throttling the requests (${attempts} attempts); try again in a minute or fetch a shorter window`,
  serverError: (status: number, detail: string, attempts: number) =>
    `CloudWatch failed with HTTP ${status} (${detail}) after ${attempts} attempts; try again later`,
  rejected: (detail: string) => `CloudWatch rejected the query: ${detail}`,
  cutoff: (
    where: string,
    cut: Cutoff,
    attempts: number,
    got: { pages: number; received: number; expected: number },
  ) =>
    `${cut.kind === 'timeout' ? `CloudWatch at ${where} gave no complete answer within ${durationText(cut.ms)} (--timeout), ${attempts} attempt(s)` : `CloudWatch at ${where}: the --deadline of ${durationText(cut.ms)} passed`}; fetched ${got.pages} page(s), ${got.received} of ${got.expected} datapoints so far, nothing written. Check the network, or raise ${cut.kind === 'timeout' ? '--timeout' : '--deadline'}`,
  pageCap: (where: string, pages: number, received: number, expected: number) =>
    `CloudWatch at ${where} still returned a NextToken after ${pages} pages (servesim's cap; ${received} of ${expected} datapoints fetched), nothing written; a window needs 1–2 pages: check AWS_ENDPOINT_URL_CLOUDWATCH`,
  resultStatus: (id: string, status: string) =>
    `CloudWatch returned status ${status} for metric ${id}; ${status === 'Forbidden' ? 'the credentials may not read this account' : 'try again later'}`,
} as const;
