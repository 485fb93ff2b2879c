import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A loopback CloudWatch that speaks what @aws-sdk/client-cloudwatch ≥ 3.949 sends and expects
 * (toolchain.md §3): AWS JSON 1.0 POSTs to `/` with `x-amz-target:
 * GraniteServiceVersion20100801.GetMetricData`, epoch-second numeric Timestamps in responses,
 * NextToken pagination bounded by MaxDatapoints (default 100,800 like the real service), errors
 * as `__type` bodies with the `x-amzn-query-error` header. A form-urlencoded (awsQuery) request
 * is refused loudly so an accidental client downgrade shows up.
 */

export type Fault = 'throttle' | 'server-error' | 'denied' | 'invalid';

export interface RecordedCall {
  target: string | undefined;
  contentType: string | undefined;
  authorization: string | undefined;
  body: GetMetricDataBody;
}

interface Query {
  Id: string;
  MetricStat: {
    Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] };
    Period: number;
    Stat: string;
  };
  ReturnData?: boolean;
}

export interface GetMetricDataBody {
  MetricDataQueries: Query[];
  StartTime: number;
  EndTime: number;
  ScanBy?: 'TimestampAscending' | 'TimestampDescending';
  NextToken?: string;
  MaxDatapoints?: number;
}

/** Datapoints of one metric, by bin-start epoch second; undefined = the metric has no data. */
export type MetricSource = (q: Query['MetricStat']) => Map<number, number> | undefined;

export interface FakeCloudWatch {
  url: string;
  calls: RecordedCall[];
  /** Faults to answer the next calls with, in order (consumed). */
  faults: Fault[];
  /** Query ids still marked PartialData on the last page. */
  partialAtEnd: Set<string>;
  close(): Promise<void>;
}

export async function startFakeCloudWatch(source: MetricSource): Promise<FakeCloudWatch> {
  const calls: RecordedCall[] = [];
  const faults: Fault[] = [];
  const partialAtEnd = new Set<string>();
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => handle(req, res, raw));
  });

  function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const contentType = req.headers['content-type'];
    const target = req.headers['x-amz-target'] as string | undefined;
    if (contentType?.includes('x-www-form-urlencoded'))
      return error(res, 400, 'InvalidAction', 'fake CloudWatch: got awsQuery (form) — expected AWS JSON 1.0');
    if (target !== 'GraniteServiceVersion20100801.GetMetricData')
      return error(res, 400, 'UnknownOperationException', `unknown target ${String(target)}`);
    const body = JSON.parse(raw) as GetMetricDataBody;
    calls.push({ target, contentType, authorization: req.headers.authorization, body });
    const fault = faults.shift();
    if (fault === 'throttle')
      return error(res, 400, 'ThrottlingException', 'Rate exceeded', 'Throttling;Sender');
    if (fault === 'server-error')
      return error(
        res,
        500,
        'InternalServiceFault',
        'Internal service error',
        'InternalServiceError;Receiver',
      );
    if (fault === 'denied')
      return error(
        res,
        403,
        'AccessDeniedException',
        'User: arn:aws:iam::123456789012:user/ops is not authorized to perform: cloudwatch:GetMetricData because no identity-based policy allows the cloudwatch:GetMetricData action',
        'AccessDenied;Sender',
      );
    if (fault === 'invalid')
      return error(
        res,
        400,
        'InvalidParameterValueException',
        'The parameter StartTime is invalid',
        'InvalidParameterValue;Sender',
      );
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify(page(body)));
  }

  function page(body: GetMetricDataBody) {
    const asc = body.ScanBy === 'TimestampAscending';
    const series = body.MetricDataQueries.map((q) => {
      const data = source(q.MetricStat);
      const pts: [number, number][] = [];
      if (data)
        for (const [t, v] of data)
          if (t >= body.StartTime && t < body.EndTime && t % q.MetricStat.Period === 0) pts.push([t, v]);
      pts.sort((a, b) => (asc ? a[0] - b[0] : b[0] - a[0]));
      return { q, pts };
    });
    const total = series.reduce((n, s) => n + s.pts.length, 0);
    const size = body.MaxDatapoints ?? 100_800;
    const from = body.NextToken === undefined ? 0 : Number(body.NextToken);
    const to = Math.min(total, from + size);
    let offset = 0;
    const results = series.map(({ q, pts }) => {
      const a = Math.max(from - offset, 0);
      const b = Math.min(to - offset, pts.length);
      const mine = b > a ? pts.slice(a, b) : [];
      const more = to - offset < pts.length;
      offset += pts.length;
      const last = to >= total;
      return {
        Id: q.Id,
        Label: q.MetricStat.Metric.MetricName,
        StatusCode: more || (last && partialAtEnd.has(q.Id)) ? 'PartialData' : 'Complete',
        Timestamps: mine.map((p) => p[0]),
        Values: mine.map((p) => p[1]),
      };
    });
    return { MetricDataResults: results, Messages: [], ...(to < total ? { NextToken: String(to) } : {}) };
  }

  function error(
    res: ServerResponse,
    status: number,
    type: string,
    message: string,
    queryError?: string,
  ): void {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      ...(queryError ? { 'x-amzn-query-error': queryError } : {}),
    });
    res.end(JSON.stringify({ __type: `com.amazonaws.cloudwatch#${type}`, message }));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    faults,
    partialAtEnd,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Per-bin values of a Bedrock model; a metric left undefined in a bin has no datapoint there. */
export interface BedrockBin {
  Invocations?: number;
  InputTokenCount?: number;
  OutputTokenCount?: number;
  InvocationThrottles?: number;
  ModelCopy?: number;
  InvocationLatency?: number;
}

/**
 * A MetricSource for one Bedrock model id: `bin(i)` gives bin i's datapoints (from `start`, every
 * `period` seconds, `bins` of them), or null for a bin with no datapoints at all.
 */
export function bedrockSource(
  modelId: string,
  start: number,
  period: number,
  bins: number,
  bin: (i: number) => BedrockBin | null,
): MetricSource {
  const byMetric = new Map<string, Map<number, number>>();
  for (let i = 0; i < bins; i++) {
    const b = bin(i);
    if (b === null) continue;
    for (const [k, v] of Object.entries(b)) {
      if (v === undefined) continue;
      let m = byMetric.get(k);
      if (!m) byMetric.set(k, (m = new Map()));
      m.set(start + i * period, v);
    }
  }
  return (stat) => {
    if (stat.Metric.Namespace !== 'AWS/Bedrock') return undefined;
    if (stat.Period !== period) return undefined;
    const dim = stat.Metric.Dimensions?.find((d) => d.Name === 'ModelId');
    if (dim?.Value !== modelId) return undefined;
    return byMetric.get(stat.Metric.MetricName);
  };
}
