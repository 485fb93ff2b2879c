import type {
  CloudWatchClientConfig,
  GetMetricDataCommandInput,
  MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { InputError, RuntimeError } from '../../errors.js';
import {
  boundRequests,
  cutoffOf,
  Deadline,
  DEFAULT_DEADLINE_MS,
  DEFAULT_TIMEOUT_MS,
  MAX_PAGES,
  type NetworkBounds,
} from '../../network.js';
import { MSG } from '../messages.js';
import type { MetricSeries } from './metrics.js';

/*
 * The CloudWatch API side of an import: one GetMetricData call with every metric query
 * (batched; at most 500 queries per call, so a many-model import makes one call per 500 queries,
 * one after the other), each paginated by NextToken (the paginator gets a copy of the input: it writes NextToken
 * into what it is given), retried on throttling and transient failures, bounded in time and
 * pages (src/network.ts: --timeout per request, --deadline for all of it, MAX_PAGES), and every
 * failure turned into one clear error. Datapoints are placed into bins by timestamp as pages
 * arrive.
 *
 * The SDK speaks AWS JSON 1.0 (client ≥ 3.949); it honours AWS_ENDPOINT_URL_CLOUDWATCH, the
 * default credential chain, AWS_PROFILE / `profile` and AWS_REGION.
 */

/** How to reach CloudWatch and how hard to try. */
export interface FetchOptions extends NetworkBounds {
  region?: string;
  profile?: string;
  /** Client settings (tests: endpoint, static credentials). */
  clientConfig?: CloudWatchClientConfig;
  /** Attempts per call (throttling, 5xx, network, timeout). Default: the SDK's — AWS_MAX_ATTEMPTS,
   * else `max_attempts` of the AWS config file, else 3. */
  maxAttempts?: number;
  /** Tests: milliseconds before retry `attempt` (1-based). Default: the SDK's retry strategy
   * (AWS_RETRY_MODE, else `retry_mode`, else standard). */
  retryDelayMs?: (attempt: number, throttled: boolean) => number;
  /** MaxDatapoints per page (tests force pagination with small pages). Default: CloudWatch's 100,800. */
  pageSize?: number;
  /** Called after each page with datapoints received so far and the number expected. */
  onProgress?: (received: number, expected: number) => void;
}

/**
 * GetMetricData takes at most 500 MetricDataQuery structures per call (API reference,
 * GetMetricData, MetricDataQueries; https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html).
 */
export const MAX_QUERIES_PER_CALL = 500;

/** What to ask for: `series` over `bins` periods of `periodSeconds` from `start`. */
export interface MetricQuery {
  series: MetricSeries[];
  /** Unix seconds, on a period boundary. */
  start: number;
  end: number;
  periodSeconds: number;
  bins: number;
}

/** Per query id: a value per bin (0 where none came back) and whether a datapoint came back. */
export interface MetricBins {
  values: Map<string, Float64Array>;
  seen: Map<string, Uint8Array>;
  region: string | null;
  pages: number;
  /** Last StatusCode per query id (Complete or PartialData). */
  status: Map<string, string>;
  /** Messages CloudWatch attached to pages, as `Code: Value`. */
  messages: string[];
}

/**
 * Fetches every query's datapoints into bins: one paginated GetMetricData call per 500 queries,
 * in order. Throws one clear InputError or RuntimeError.
 */
export async function fetchMetricBins(q: MetricQuery, opts: FetchOptions): Promise<MetricBins> {
  const { series: metrics, start, end, bins } = q;
  const p = q.periodSeconds;
  const queries: MetricDataQuery[] = metrics.map((m) => ({
    Id: m.id,
    MetricStat: {
      Metric: { Namespace: m.namespace, MetricName: m.name, Dimensions: m.dims },
      Period: p,
      Stat: m.stat,
    },
    ReturnData: true,
  }));
  const inputs: GetMetricDataCommandInput[] = [];
  for (let i = 0; i < queries.length; i += MAX_QUERIES_PER_CALL)
    inputs.push({
      MetricDataQueries: queries.slice(i, i + MAX_QUERIES_PER_CALL),
      StartTime: new Date(start * 1000),
      EndTime: new Date(end * 1000),
      ScanBy: 'TimestampAscending',
    });
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
  const client: InstanceType<typeof sdk.CloudWatchClient> = new sdk.CloudWatchClient({
    ...(opts.region !== undefined ? { region: opts.region } : {}),
    ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    ...(opts.maxAttempts !== undefined ? { maxAttempts: opts.maxAttempts } : {}),
    ...(opts.retryDelayMs !== undefined
      ? {
          retryStrategy: retryStrategy(
            (): Promise<number> => client.config.maxAttempts(),
            opts.retryDelayMs,
            attempts,
          ),
        }
      : {}),
    ...opts.clientConfig,
  });
  boundRequests(client.config.requestHandler as never, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const deadline = new Deadline(opts.deadlineMs ?? DEFAULT_DEADLINE_MS);
  const maxPages = opts.maxPages ?? MAX_PAGES;
  let region: string | null = opts.region ?? null;
  try {
    region = await client.config.region().catch(() => region);
    for (const input of inputs) {
      const pager = sdk.paginateGetMetricData(
        { client, ...(opts.pageSize !== undefined ? { pageSize: opts.pageSize } : {}) },
        { ...input },
        { abortSignal: deadline.signal },
      );
      let callPages = 0;
      for await (const page of pager) {
        pages++;
        callPages++;
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
        // A NextToken that never ends stops at the cap, before asking for one page more.
        if (callPages >= maxPages && page.NextToken)
          throw new RuntimeError(MSG.pageCap(endpointOf(opts, region), maxPages, received, expected));
      }
    }
  } catch (e) {
    const cut = cutoffOf(e, deadline);
    if (cut !== undefined && !(e instanceof RuntimeError))
      throw new RuntimeError(
        MSG.cutoff(endpointOf(opts, region), cut, attemptsOf(e, attempts.attempts), {
          pages,
          received,
          expected,
        }),
      );
    throw awsError(e, opts, region, attemptsOf(e, attempts.attempts));
  } finally {
    deadline.done();
    client.destroy();
  }
  return { values, seen, region, pages, status, messages };
}

/** Attempts the SDK made (its error's `$metadata`), else what the test strategy counted. */
function attemptsOf(e: unknown, counted: number): number {
  return (e as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts ?? counted;
}

/** Where CloudWatch was asked: the endpoint given (flag or environment) or the region's. */
function endpointOf(opts: FetchOptions, region: string | null): string {
  return (
    (typeof opts.clientConfig?.endpoint === 'string' ? opts.clientConfig.endpoint : undefined) ??
    process.env.AWS_ENDPOINT_URL_CLOUDWATCH ??
    process.env.AWS_ENDPOINT_URL ??
    `monitoring.${region ?? '<region>'}.amazonaws.com`
  );
}

/** A test RetryStrategyV2: retries throttling and transient failures (5xx, network) with `delayMs`. */
function retryStrategy(
  maxAttempts: () => Promise<number>,
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
      const max = await maxAttempts();
      if ((info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT') && next < max) {
        seen.attempts = next + 1;
        return token(next, delayMs(next, info.errorType === 'THROTTLING'));
      }
      throw info.error ?? new Error('no retry');
    },
    recordSuccess: () => {},
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
function awsError(e: unknown, opts: FetchOptions, region: string | null, attempts: number): Error {
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
  if (netCode !== undefined && /^E[A-Z_]+$/.test(netCode))
    return new RuntimeError(MSG.unreachable(endpointOf(opts, region), netCode));
  if (name === 'TimeoutError') return new RuntimeError(MSG.unreachable(region ?? 'CloudWatch', 'timeout'));
  if (/Throttl|LimitExceeded|TooManyRequests/.test(name) || status === 429)
    return new RuntimeError(MSG.throttled(attempts));
  if (status !== undefined && status >= 500)
    return new RuntimeError(MSG.serverError(status, `${name}: ${message}`, attempts));
  if (status !== undefined && status >= 400) return new InputError(MSG.rejected(`${name}: ${message}`));
  return new RuntimeError(`CloudWatch request failed: ${name}: ${message}`);
}
