import type {
  CloudWatchClientConfig,
  GetMetricDataCommandInput,
  MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { InputError, RuntimeError } from '../errors.js';
import { MSG } from './messages.js';
import { TimestampParser } from './import-rows.js';
import { BINNED_COLUMNS, isoSeconds, TraceWriter, type TraceHeader } from './trace-file.js';

/*
 * CloudWatch → binned trace file (design §6), for `trace import cloudwatch` and `replay`.
 *
 *   window (--last / --start --end) ─► finest period CloudWatch still keeps for it
 *     ─► one GetMetricData call with every metric query (batched), paginated by NextToken
 *        (the paginator gets a copy of the input: it writes NextToken into what it is given)
 *     ─► datapoints placed into bins by timestamp; bins without a datapoint are zero-filled
 *        and counted ─► checks (no data at all is an error) ─► trace file, written atomically
 *
 * Only metric statistics are read (counts, token sums, copies, latency): never request content.
 * The SDK speaks AWS JSON 1.0 (client ≥ 3.949); it honours AWS_ENDPOINT_URL_CLOUDWATCH, the
 * default credential chain, AWS_PROFILE / `profile` and AWS_REGION.
 */

/** CloudWatch retention (aws-facts §6): the finest period still kept for data this old. */
export const RETENTION = [
  { periodSeconds: 60, maxAgeDays: 15 },
  { periodSeconds: 300, maxAgeDays: 63 },
  { periodSeconds: 3600, maxAgeDays: 455 },
] as const;

const DAY = 86_400;

export type CloudWatchTarget =
  { kind: 'bedrock'; modelId: string } | { kind: 'sagemaker'; endpoint: string; variant: string };

export interface CloudWatchImportOptions {
  target: CloudWatchTarget;
  /** The window, Unix seconds (see `resolveWindow`). */
  start: number;
  end: number;
  /** The trace file to write. */
  output: string;
  /** "Now" for retention (Unix seconds). Default: the clock. */
  now?: number;
  /** A coarser period than the finest kept, if wanted (seconds). */
  periodSeconds?: number;
  region?: string;
  profile?: string;
  /** SageMaker has no token metrics: tokens per request to write. Default 250 in, 60 out. */
  tokensPerRequest?: { input: number; output: number };
  /** Client settings (tests: endpoint, static credentials). */
  clientConfig?: CloudWatchClientConfig;
  /** Attempts per call (throttling, 5xx, network). Default 6. */
  maxAttempts?: number;
  /** Milliseconds before retry `attempt` (1-based). Default: exponential with full jitter. */
  retryDelayMs?: (attempt: number, throttled: boolean) => number;
  /** MaxDatapoints per page (tests force pagination with small pages). Default: CloudWatch's 100,800. */
  pageSize?: number;
  /** Called after each page with datapoints received so far and the number expected. */
  onProgress?: (received: number, expected: number) => void;
}

export interface CloudWatchImportSummary {
  output: string;
  source: string;
  region: string | null;
  start: string;
  end: string;
  periodSeconds: number;
  /** Why this period: the finest CloudWatch keeps for a window starting this long ago. */
  periodReason: string;
  bins: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  throttles: number | null;
  /** True when ModelCopy data came back (a `model_copies` column was written). */
  modelCopies: boolean;
  /** Per metric: bins with no datapoint, zero-filled. */
  missingDatapoints: Record<string, number>;
  pages: number;
  /** Results still marked PartialData after the last page. */
  partialData: string[];
  warnings: string[];
}

interface Metric {
  id: string;
  name: string;
  stat: 'Sum' | 'Maximum' | 'Average';
  /** Multiply values by this (SageMaker ModelLatency is in microseconds). */
  scale: number;
}

function metricsOf(target: CloudWatchTarget): {
  namespace: string;
  dims: { Name: string; Value: string }[];
  metrics: Metric[];
} {
  if (target.kind === 'bedrock')
    return {
      namespace: 'AWS/Bedrock',
      dims: [{ Name: 'ModelId', Value: target.modelId }],
      metrics: [
        { id: 'inv', name: 'Invocations', stat: 'Sum', scale: 1 },
        { id: 'tin', name: 'InputTokenCount', stat: 'Sum', scale: 1 },
        { id: 'tout', name: 'OutputTokenCount', stat: 'Sum', scale: 1 },
        { id: 'thr', name: 'InvocationThrottles', stat: 'Sum', scale: 1 },
        { id: 'cop', name: 'ModelCopy', stat: 'Maximum', scale: 1 },
        { id: 'lat', name: 'InvocationLatency', stat: 'Average', scale: 1 },
      ],
    };
  return {
    namespace: 'AWS/SageMaker',
    dims: [
      { Name: 'EndpointName', Value: target.endpoint },
      { Name: 'VariantName', Value: target.variant },
    ],
    metrics: [
      { id: 'inv', name: 'Invocations', stat: 'Sum', scale: 1 },
      { id: 'lat', name: 'ModelLatency', stat: 'Average', scale: 1 / 1000 },
    ],
  };
}

export function describeTarget(target: CloudWatchTarget): string {
  return target.kind === 'bedrock'
    ? `AWS/Bedrock ModelId=${target.modelId}`
    : `AWS/SageMaker EndpointName=${target.endpoint} VariantName=${target.variant}`;
}

/**
 * The finest period CloudWatch still keeps for a window starting `ageSeconds` ago: 60 s up to
 * 15 days, 300 s up to 63 days, 3600 s up to 455 days; older is an `InputError`. A coarser
 * `asked` period is honoured; a finer one is an error.
 */
export function choosePeriod(ageSeconds: number, asked?: number): { periodSeconds: number; reason: string } {
  const days = ageSeconds / DAY;
  const tier = RETENTION.find((r) => days <= r.maxAgeDays);
  if (tier === undefined) throw new InputError(MSG.windowTooOld(days), '--start');
  const reason = `finest period CloudWatch keeps for data ${days.toFixed(1)} days old (≤ ${tier.maxAgeDays} days: ${tier.periodSeconds} s)`;
  if (asked === undefined) return { periodSeconds: tier.periodSeconds, reason };
  if (!Number.isInteger(asked) || asked < 1 || asked % 60 !== 0)
    throw new InputError('--period must be a whole number of minutes (60s, 5m, 1h)', '--period');
  if (asked < tier.periodSeconds)
    throw new InputError(MSG.periodTooFine(asked, tier.periodSeconds, days), '--period');
  return { periodSeconds: asked, reason: `--period ${asked} s (${reason})` };
}

/**
 * The window in Unix seconds from `--last` (seconds before now) or `--start`/`--end` (ISO-8601;
 * without an offset, in `timezone`, default UTC; `--end` defaults to now).
 */
export function resolveWindow(o: {
  last?: number;
  start?: string;
  end?: string;
  now: number;
  timezone?: string;
}): { start: number; end: number } {
  if (o.last !== undefined && (o.start !== undefined || o.end !== undefined))
    throw new InputError('give either --last or --start/--end, not both', '--last');
  if (o.last !== undefined) {
    if (!(o.last > 0)) throw new InputError('--last must be a duration such as 14d or 12h', '--last');
    return { start: o.now - o.last, end: o.now };
  }
  if (o.start === undefined)
    throw new InputError('give the window: --last 14d, or --start (and optionally --end)', '--start');
  const p = new TimestampParser('iso', o.timezone ?? 'UTC', 0);
  const start = p.parse(o.start);
  if (start !== start)
    throw new InputError(
      `cannot read ${JSON.stringify(o.start)}: use ISO-8601 such as 2026-11-02T00:00:00Z`,
      '--start',
    );
  let end = o.now;
  if (o.end !== undefined) {
    end = p.parse(o.end);
    if (end !== end)
      throw new InputError(
        `cannot read ${JSON.stringify(o.end)}: use ISO-8601 such as 2026-11-16T00:00:00Z`,
        '--end',
      );
  }
  return { start, end };
}

/** A RetryStrategyV2: retries throttling and transient failures (5xx, network) with `delayMs`. */
function retryStrategy(
  maxAttempts: number,
  delayMs: (attempt: number, throttled: boolean) => number,
  seen: { attempts: number },
) {
  const token = (count: number, delay: number) => ({
    getRetryCount: () => count,
    getRetryDelay: () => delay,
  });
  return {
    mode: 'standard',
    acquireInitialRetryToken: async () => {
      seen.attempts = 1;
      return token(0, 0);
    },
    refreshRetryTokenForRetry: async (
      t: { getRetryCount(): number },
      info: { errorType: string; error?: unknown },
    ) => {
      const next = t.getRetryCount() + 1;
      if ((info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT') && next < maxAttempts) {
        seen.attempts = next + 1;
        return token(next, delayMs(next, info.errorType === 'THROTTLING'));
      }
      throw info.error ?? new Error('no retry');
    },
    recordSuccess: () => {},
  };
}

function defaultDelay(attempt: number, throttled: boolean): number {
  const base = throttled ? 1000 : 250;
  return Math.random() * Math.min(20_000, base * 2 ** (attempt - 1));
}

/** Fetches the window's metrics and writes a binned trace file. Nothing is written on failure. */
export async function importCloudWatch(opts: CloudWatchImportOptions): Promise<CloudWatchImportSummary> {
  const now = opts.now ?? Date.now() / 1000;
  if (opts.start >= now) throw new InputError(MSG.windowFuture(), '--start');
  const { periodSeconds: p, reason } = choosePeriod(now - opts.start, opts.periodSeconds);
  // CloudWatch rounds the start down to the period; bins end at or before now.
  const start = Math.floor(opts.start / p) * p;
  const end = Math.floor(Math.min(opts.end, now) / p) * p;
  if (end - start < p) throw new InputError(MSG.windowEmpty(), '--end');
  const bins = (end - start) / p;
  const { namespace, dims, metrics } = metricsOf(opts.target);

  const queries: MetricDataQuery[] = metrics.map((m) => ({
    Id: m.id,
    MetricStat: {
      Metric: { Namespace: namespace, MetricName: m.name, Dimensions: dims },
      Period: p,
      Stat: m.stat,
    },
    ReturnData: true,
  }));
  const input: GetMetricDataCommandInput = {
    MetricDataQueries: queries,
    StartTime: new Date(start * 1000),
    EndTime: new Date(end * 1000),
    ScanBy: 'TimestampAscending',
  };
  const values = new Map(metrics.map((m) => [m.id, new Float64Array(bins)]));
  const seen = new Map(metrics.map((m) => [m.id, new Uint8Array(bins)]));
  const scale = new Map(metrics.map((m) => [m.id, m.scale]));
  const expected = bins * metrics.length;
  const attempts = { attempts: 0 };
  let received = 0;
  let pages = 0;
  const status = new Map<string, string>();
  const messages: string[] = [];

  const sdk = await import('@aws-sdk/client-cloudwatch');
  const client = new sdk.CloudWatchClient({
    ...(opts.region !== undefined ? { region: opts.region } : {}),
    ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    retryStrategy: retryStrategy(opts.maxAttempts ?? 6, opts.retryDelayMs ?? defaultDelay, attempts),
    ...opts.clientConfig,
  });
  let region: string | null = opts.region ?? null;
  try {
    region = await client.config.region().catch(() => region);
    const pager = sdk.paginateGetMetricData(
      { client, ...(opts.pageSize !== undefined ? { pageSize: opts.pageSize } : {}) },
      { ...input },
    );
    for await (const page of pager) {
      pages++;
      for (const m of page.Messages ?? []) if (m.Code) messages.push(`${m.Code}: ${m.Value ?? ''}`);
      for (const r of page.MetricDataResults ?? []) {
        const id = r.Id ?? '';
        const v = values.get(id);
        const s = seen.get(id);
        if (v === undefined || s === undefined) continue;
        if (r.StatusCode === 'Forbidden' || r.StatusCode === 'InternalError')
          throw new RuntimeError(MSG.resultStatus(id, r.StatusCode));
        status.set(id, r.StatusCode ?? 'Complete');
        const ts = r.Timestamps ?? [];
        const vs = r.Values ?? [];
        const k = scale.get(id)!;
        for (let i = 0; i < ts.length; i++) {
          const b = Math.round((ts[i]!.getTime() / 1000 - start) / p);
          if (b < 0 || b >= bins) continue;
          if (s[b] === 0) received++;
          s[b] = 1;
          v[b] = (vs[i] ?? 0) * k;
        }
      }
      opts.onProgress?.(received, expected);
    }
  } catch (e) {
    throw awsError(e, opts, region, attempts.attempts);
  } finally {
    client.destroy();
  }

  const inv = values.get('inv')!;
  let requests = 0;
  for (let b = 0; b < bins; b++) requests += inv[b] = Math.round(inv[b]!);
  const target = describeTarget(opts.target);
  if (requests === 0)
    throw new InputError(
      MSG.noData(target, region ?? 'the default region', isoSeconds(start), isoSeconds(end)),
      '--model-id',
    );

  const missingDatapoints: Record<string, number> = {};
  for (const m of metrics) {
    const s = seen.get(m.id)!;
    let n = 0;
    for (let b = 0; b < bins; b++) if (s[b] === 0) n++;
    missingDatapoints[m.name] = n;
  }
  const warnings: string[] = [];
  if (p >= 300)
    warnings.push(
      `the period is ${p} s: idle gaps shorter than that are invisible (a bin's requests are spread over it), so scale-to-zero, cold starts and 5-minute windows are approximations`,
    );
  const partialData = [...status].filter(([, st]) => st === 'PartialData').map(([id]) => id);
  if (partialData.length > 0)
    warnings.push(
      `CloudWatch marked ${partialData.join(', ')} as PartialData after the last page; some datapoints may be missing`,
    );
  for (const m of messages) warnings.push(`CloudWatch: ${m}`);

  // Token columns: Bedrock sums, or SageMaker's requests × the given sizes.
  let tin = values.get('tin');
  let tout = values.get('tout');
  if (opts.target.kind === 'sagemaker') {
    const per = opts.tokensPerRequest ?? { input: 250, output: 60 };
    tin = inv.map((n) => n * per.input);
    tout = inv.map((n) => n * per.output);
    warnings.push(
      `SageMaker has no token metrics: every request gets ${per.input} input and ${per.output} output tokens (--input-tokens, --output-tokens)`,
    );
  } else {
    let tokenGaps = 0;
    const st = seen.get('tin')!;
    for (let b = 0; b < bins; b++) if (inv[b]! > 0 && st[b] === 0) tokenGaps++;
    if (tokenGaps > 0)
      warnings.push(
        `${tokenGaps} periods have invocations but no InputTokenCount datapoint; their tokens are zero-filled`,
      );
  }
  const copies = values.get('cop');
  const hasCopies = copies !== undefined && seen.get('cop')!.some((x) => x === 1);
  if (opts.target.kind === 'bedrock' && !hasCopies)
    warnings.push(
      'no ModelCopy data came back: the trace has no model_copies, so there is no actual-vs-simulated bill',
    );
  const thr = values.get('thr');
  const lat = values.get('lat')!;

  const columns: string[] = [...BINNED_COLUMNS];
  if (thr) columns.push('throttles');
  if (hasCopies) columns.push('model_copies');
  columns.push('latency_ms');
  const source = `cloudwatch:${namespace}:${dims.map((d) => `${d.Name}=${d.Value}`).join(',')}${region ? `:${region}` : ''}`;
  const header: TraceHeader = {
    start: isoSeconds(start),
    kind: 'binned',
    periodSeconds: p,
    durationSeconds: end - start,
    source,
  };
  const w = new TraceWriter(opts.output, columns, header);
  let inputTokens = 0;
  let outputTokens = 0;
  let throttles = 0;
  try {
    for (let b = 0; b < bins; b++) {
      const i = Math.round(tin![b]!);
      const o = Math.round(tout![b]!);
      inputTokens += i;
      outputTokens += o;
      let row = `${b * p},${inv[b]},${i},${o}`;
      if (thr) {
        const t = Math.round(thr[b]!);
        throttles += t;
        row += `,${t}`;
      }
      if (hasCopies) row += `,${copies[b]}`;
      row += `,${+lat[b]!.toFixed(3)}`;
      w.line(row);
    }
    w.commit();
  } catch (e) {
    w.abort();
    throw e;
  }
  return {
    output: opts.output,
    source,
    region,
    start: isoSeconds(start),
    end: isoSeconds(end),
    periodSeconds: p,
    periodReason: reason,
    bins,
    requests,
    inputTokens,
    outputTokens,
    throttles: thr ? throttles : null,
    modelCopies: hasCopies,
    missingDatapoints,
    pages,
    partialData,
    warnings,
  };
}

interface AwsLikeError {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
}

/** One clear error per failure: InputError for what the user can fix in the command, else RuntimeError. */
function awsError(e: unknown, opts: CloudWatchImportOptions, region: string | null, attempts: number): Error {
  if (e instanceof InputError || e instanceof RuntimeError) return e;
  const err = (e ?? {}) as AwsLikeError;
  const name = err.name ?? 'Error';
  const message = err.message ?? String(e);
  const status = err.$metadata?.httpStatusCode;
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message))
    return new RuntimeError(MSG.noCredentials());
  if (/Region is missing/i.test(message)) return new InputError(MSG.noRegion(), '--region');
  if (status === 403 || /AccessDenied|NotAuthorized|UnauthorizedOperation/.test(`${name} ${err.Code ?? ''}`))
    return new RuntimeError(MSG.accessDenied(`${name}: ${message}`));
  if (
    /ExpiredToken|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch|InvalidSignature/.test(name)
  )
    return new RuntimeError(MSG.badCredentials(`${name}: ${message}`));
  const netCode = err.code ?? (e as { cause?: { code?: string } }).cause?.code;
  if (netCode !== undefined && /^E[A-Z_]+$/.test(netCode)) {
    const where =
      (typeof opts.clientConfig?.endpoint === 'string' ? opts.clientConfig.endpoint : undefined) ??
      process.env.AWS_ENDPOINT_URL_CLOUDWATCH ??
      process.env.AWS_ENDPOINT_URL ??
      `monitoring.${region ?? '<region>'}.amazonaws.com`;
    return new RuntimeError(MSG.unreachable(where, netCode));
  }
  if (name === 'TimeoutError') return new RuntimeError(MSG.unreachable(region ?? 'CloudWatch', 'timeout'));
  if (/Throttl|LimitExceeded|TooManyRequests/.test(name) || status === 429)
    return new RuntimeError(MSG.throttled(attempts));
  if (status !== undefined && status >= 500)
    return new RuntimeError(MSG.serverError(status, `${name}: ${message}`, attempts));
  if (status !== undefined && status >= 400) return new InputError(MSG.rejected(`${name}: ${message}`));
  return new RuntimeError(`CloudWatch request failed: ${name}: ${message}`);
}
