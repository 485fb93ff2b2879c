import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { InputError } from '../../errors.js';
import { checkOutFile } from '../../out-path.js';
import type { NetworkBounds } from '../../network.js';
import { networkBounds, networkFlags } from '../network-flags.js';
import { count } from '../../report/text/format.js';
import { Progress } from '../progress.js';
import type { CloudWatchImportOptions, CloudWatchImportSummary } from '../../traffic/cloudwatch/import.js';
import type { CloudWatchTarget, NamedTarget } from '../../traffic/cloudwatch/metrics.js';
import { globalFlags, processIo, type GlobalFlags, type Io } from '../context.js';
import { withFlags } from '../flags.js';
import { durationFlag, numberFlag, several, single } from './flags.js';

/*
 * `servesim trace import cloudwatch (--model-id ID | --endpoint E) (--last 14d | --start S
 * [--end E]) -o T`, and the CloudWatch flags `replay` shares. AWS access, credentials and network
 * → RuntimeError (exit 1). Several models at once (issue 21 item 4): `--model-id` repeated (each
 * named by its id's last `/` segment), `--model NAME=ID`, or `--endpoint [NAME=]E[/VARIANT]`
 * repeated (named E, or E.VARIANT) → one trace with a `model` column.
 */

export interface CloudWatchArgs {
  /** Bedrock model ids; several (repeated flag) make a multi-model trace. */
  modelId?: string | string[] | undefined;
  /** Bedrock models as NAME=ID. */
  model?: string | string[] | undefined;
  /** SageMaker endpoints as [NAME=]ENDPOINT[/VARIANT]. */
  endpoint?: string | string[] | undefined;
  variant?: string | undefined;
  last?: string | undefined;
  start?: string | undefined;
  end?: string | undefined;
  period?: string | undefined;
  profile?: string | undefined;
  timezone?: string | undefined;
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  /** --timeout / --deadline (network-flags.ts). */
  bounds?: NetworkBounds | undefined;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());

/**
 * The targets the flags name, each with the name its rows get in a multi-model trace:
 * `--model-id ID` → ID's last `/` segment (an imported model's ARN ends in its id), `--model
 * NAME=ID`, `--endpoint [NAME=]E[/VARIANT]` → NAME, else E (E.VARIANT when the variant is
 * written). Names are checked (valid, distinct) by the importer, before any request.
 */
export function cloudWatchTargets(a: CloudWatchArgs): NamedTarget[] {
  const named = (spec: string, flag: string): [string | undefined, string] => {
    const eq = spec.indexOf('=');
    if (eq < 0) return [undefined, spec];
    if (eq === 0 || eq === spec.length - 1)
      throw new InputError(
        `${flag} ${JSON.stringify(spec)}: write NAME=${flag === '--model' ? 'ID' : 'ENDPOINT[/VARIANT]'}`,
        flag,
      );
    return [spec.slice(0, eq), spec.slice(eq + 1)];
  };
  const bedrock: NamedTarget[] = [
    ...list(a.modelId).map((id) => ({ name: id.slice(id.lastIndexOf('/') + 1), target: bedrockTarget(id) })),
    ...list(a.model).map((spec) => {
      const [name, id] = named(spec, '--model');
      if (name === undefined)
        throw new InputError(
          `--model ${JSON.stringify(spec)}: write NAME=ID (or use --model-id ID)`,
          '--model',
        );
      return { name, target: bedrockTarget(id) };
    }),
  ];
  const sagemaker: NamedTarget[] = list(a.endpoint).map((spec) => {
    const [name, rest] = named(spec, '--endpoint');
    const slash = rest.indexOf('/');
    const endpoint = slash < 0 ? rest : rest.slice(0, slash);
    const variant = slash < 0 ? undefined : rest.slice(slash + 1);
    if (endpoint === '' || variant === '')
      throw new InputError(
        `--endpoint ${JSON.stringify(spec)}: write ENDPOINT or ENDPOINT/VARIANT`,
        '--endpoint',
      );
    return {
      name: name ?? (variant === undefined ? endpoint : `${endpoint}.${variant}`),
      target: { kind: 'sagemaker', endpoint, variant: variant ?? a.variant ?? 'AllTraffic' },
    };
  });
  if ((bedrock.length === 0) === (sagemaker.length === 0))
    throw new InputError(
      bedrock.length === 0
        ? 'name what to read: --model-id ID (a Bedrock imported model; its ARN) or --endpoint NAME (a SageMaker endpoint)'
        : 'give Bedrock models (--model-id, --model) or SageMaker endpoints (--endpoint), not both: import each kind into its own trace',
      '--model-id',
    );
  return bedrock.length > 0 ? bedrock : sagemaker;
}

function bedrockTarget(modelId: string): CloudWatchTarget {
  return { kind: 'bedrock', modelId };
}

/** Resolves the CloudWatch flags into importer options (window, target(s), period). */
export async function cloudWatchOptions(a: CloudWatchArgs, now: number) {
  const { resolveWindow } = await import('../../traffic/cloudwatch/window.js');
  const targets = cloudWatchTargets(a);
  const target = targets.length === 1 ? { target: targets[0]!.target } : { models: targets };
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
    ...target,
    ...window,
    now,
    ...(a.period !== undefined ? { periodSeconds: durationFlag(a.period, '--period') } : {}),
    ...(a.profile !== undefined ? { profile: a.profile } : {}),
    ...a.bounds,
    tokensPerRequest: { input: a.inputTokens ?? 250, output: a.outputTokens ?? 60 },
  };
}

/** Runs the CloudWatch import with a progress bar on a terminal; warnings go to stderr. */
export async function fetchCloudWatch(
  a: CloudWatchArgs,
  output: string,
  flags: GlobalFlags,
  io: Io,
  extra: Partial<CloudWatchImportOptions> = {},
): Promise<CloudWatchImportSummary> {
  const { importCloudWatch } = await import('../../traffic/cloudwatch/import.js');
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
  extra: Partial<CloudWatchImportOptions> = {},
): Promise<CloudWatchImportSummary> {
  checkOutFile(output, '--output');
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
          : '') +
        (s.models ? modelLines(s.models) : ''),
    );
  }
  return result;
}

/** A multi-model import's lines: one per model, in the trace's order. */
function modelLines(models: NonNullable<CloudWatchImportSummary['models']>): string {
  const width = Math.max(...models.map((m) => m.name.length));
  return (
    `  ${models.length} models in the \`model\` column (replay one with --trace-model NAME; a scenario's trace component takes \`model: NAME\`):\n` +
    models.map((m) => `    ${m.name.padEnd(width)}  ${count(m.requests)} requests  (${m.target})\n`).join('')
  );
}

export const cloudWatchFlags = (y: Argv) =>
  // --timeout, --deadline (issue 17): bounded network calls.
  networkFlags(y)
    .option('model-id', {
      type: 'string',
      describe:
        'Bedrock imported model (the ModelId dimension: its ARN); repeat for several models in one trace (each named by the id after its last "/")',
    })
    .option('model', {
      type: 'string',
      describe: 'Bedrock imported model as NAME=ID: its rows are named NAME (repeatable)',
    })
    .option('endpoint', {
      type: 'string',
      describe:
        'SageMaker endpoint (instead of --model-id) as [NAME=]ENDPOINT[/VARIANT]; repeat for several (named ENDPOINT, or ENDPOINT.VARIANT)',
    })
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
    modelId: several(argv.modelId, 'model-id'),
    model: several(argv.model, 'model'),
    endpoint: several(argv.endpoint, 'endpoint'),
    variant: single(argv.variant, 'variant'),
    last: single(argv.last, 'last'),
    start: single(argv.start, 'start'),
    end: single(argv.end, 'end'),
    period: single(argv.period, 'period'),
    profile: single(argv.profile, 'profile'),
    timezone: single(argv.timezone, 'timezone'),
    inputTokens: numberFlag(argv.inputTokens, 'input-tokens'),
    outputTokens: numberFlag(argv.outputTokens, 'output-tokens'),
    bounds: networkBounds(argv),
  };
}

/** Adds `trace import cloudwatch`. */
export function registerTraceImportCloudWatch(i: Argv): Argv {
  return i.command(
    'cloudwatch',
    'Per-period Invocations, tokens, throttles and ModelCopy of Bedrock imported models (or SageMaker endpoints); several make one trace with a model column',
    (c) =>
      withFlags(cloudWatchFlags(c), ['json', 'quiet', 'region']).option('output', {
        alias: 'o',
        type: 'string',
        demandOption: true,
        describe: 'Trace file to write',
      }),
    async (argv) => {
      await traceImportCloudWatch(cloudWatchArgs(argv), single(argv.output, 'output')!, globalFlags(argv));
    },
  );
}
