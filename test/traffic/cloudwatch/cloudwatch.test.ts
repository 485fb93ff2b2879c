import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InputError, RuntimeError } from '../../../src/errors.js';
import { importCloudWatch, type CloudWatchImportOptions } from '../../../src/traffic/cloudwatch/import.js';
import { choosePeriod, resolveWindow } from '../../../src/traffic/cloudwatch/window.js';
import { MSG } from '../../../src/traffic/messages.js';
import { readBinnedSeries } from '../../../src/traffic/trace/binned.js';
import { TraceFileStream } from '../../../src/traffic/trace/read.js';
import {
  bedrockSource,
  startFakeCloudWatch,
  type BedrockBin,
  type FakeCloudWatch,
} from './cloudwatch-server.js';

/*
 * The CloudWatch importer through the real CloudWatchClient (AWS JSON 1.0) against a loopback
 * server that speaks the wire protocol (cloudwatch-server.ts). Retry delays are 1 ms.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-cw-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const MODEL = 'arn:aws:bedrock:us-east-1:123456789012:imported-model/abc123';
const NOW = Date.UTC(2026, 10, 16, 0, 0, 0) / 1000; // 2026-11-16T00:00Z
const DAY = 86400;
const START = NOW - 2 * DAY; // 2 days of minutes = 2,880 bins

/** Bin i of the 2-day window: traffic in the working hours of each day, idle otherwise. */
function workday(i: number): BedrockBin | null {
  const minuteOfDay = i % 1440;
  if (minuteOfDay < 540 || minuteOfDay >= 1020) return null; // 09:00–17:00 only
  const n = 1 + (i % 7);
  return {
    Invocations: n,
    InputTokenCount: n * 250 + (i % 3),
    OutputTokenCount: n * 60,
    InvocationThrottles: i % 100 === 0 ? 2 : 0,
    ModelCopy: n > 5 ? 2 : 1,
    InvocationLatency: 900 + (i % 10),
  };
}

let cw: FakeCloudWatch;
beforeAll(async () => {
  cw = await startFakeCloudWatch(bedrockSource(MODEL, START, 60, 2880, workday));
});
afterAll(() => cw.close());
afterEach(() => {
  cw.calls.length = 0;
  cw.faults.length = 0;
  cw.partialAtEnd.clear();
});

let n = 0;
function opts(over: Partial<CloudWatchImportOptions> = {}): CloudWatchImportOptions {
  return {
    target: { kind: 'bedrock', modelId: MODEL },
    start: START,
    end: NOW,
    now: NOW,
    output: join(TMP, `t${n++}`, 'trace.csv'),
    region: 'us-east-1',
    clientConfig: {
      endpoint: cw.url,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    },
    retryDelayMs: () => 1,
    ...over,
  };
}

/** Expected totals, summed straight from the source function. */
function expectedTotals() {
  let inv = 0;
  let tin = 0;
  let tout = 0;
  let thr = 0;
  for (let i = 0; i < 2880; i++) {
    const b = workday(i);
    if (!b) continue;
    inv += b.Invocations!;
    tin += b.InputTokenCount!;
    tout += b.OutputTokenCount!;
    thr += b.InvocationThrottles!;
  }
  return { inv, tin, tout, thr };
}

async function rejects(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

/** Sets (or, with undefined, removes) environment variables in place; returns the undo. */
function setEnv(vars: Record<string, string | undefined>): () => void {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) delete process.env[k];
      else process.env[k] = x;
    }
  };
  apply(vars);
  return () => apply(before);
}

function noFiles(output: string): void {
  expect(existsSync(output)).toBe(false);
  const dir = join(output, '..');
  if (existsSync(dir)) expect(readdirSync(dir)).toEqual([]);
}

describe('CloudWatch import on the wire', () => {
  it('sends one batched JSON 1.0 query, pages with NextToken, zero-fills and counts missing bins', async () => {
    const o = opts({ pageSize: 5000 });
    const s = await importCloudWatch(o);
    const want = expectedTotals();
    // 2 days × 480 working minutes × 6 metrics = 5,760 datapoints → 2 pages of ≤ 5,000.
    expect(cw.calls).toHaveLength(2);
    expect(s.pages).toBe(2);
    const [first, second] = cw.calls;
    expect(first!.target).toBe('GraniteServiceVersion20100801.GetMetricData');
    expect(first!.contentType).toContain('application/x-amz-json-1.0');
    expect(first!.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/monitoring\//,
    );
    expect(first!.body.StartTime).toBe(START); // epoch seconds, a number
    expect(first!.body.EndTime).toBe(NOW);
    expect(
      first!.body.MetricDataQueries.map((q) => `${q.MetricStat.Metric.MetricName}/${q.MetricStat.Stat}`),
    ).toEqual([
      'Invocations/Sum',
      'InputTokenCount/Sum',
      'OutputTokenCount/Sum',
      'InvocationThrottles/Sum',
      'ModelCopy/Maximum',
      'InvocationLatency/Average',
    ]);
    expect(first!.body.MetricDataQueries.every((q) => q.MetricStat.Period === 60)).toBe(true);
    expect(first!.body.NextToken).toBeUndefined();
    expect(second!.body.NextToken).toBe('5000');
    expect(second!.body.MaxDatapoints).toBe(5000);

    expect(s.periodSeconds).toBe(60);
    expect(s.bins).toBe(2880);
    expect(s.requests).toBe(want.inv);
    expect(s.inputTokens).toBe(want.tin);
    expect(s.outputTokens).toBe(want.tout);
    expect(s.throttles).toBe(want.thr);
    expect(s.modelCopies).toBe(true);
    // 2 × 960 idle minutes have no datapoints in any metric.
    expect(s.missingDatapoints).toEqual({
      Invocations: 1920,
      InputTokenCount: 1920,
      OutputTokenCount: 1920,
      InvocationThrottles: 1920,
      ModelCopy: 1920,
      InvocationLatency: 1920,
    });
    expect(s.warnings).toEqual([]);

    const b = readBinnedSeries(o.output);
    expect(b.header.start).toBe('2026-11-14T00:00:00Z');
    expect(b.header.durationSeconds).toBe(2 * DAY);
    expect(b.periodSeconds).toBe(60);
    expect(b.t.length).toBe(2880);
    expect(b.requests[539]).toBe(0); // 08:59 zero-filled
    expect(b.requests[540]).toBe(workday(540)!.Invocations);
    expect(b.modelCopies![545]).toBe(2); // 545 mod 7 = 6: 7 invocations → 2 copies
    expect(b.latencyMs![541]).toBe(901);
  });

  it('expands the imported bins into exactly the imported requests and tokens', async () => {
    const o = opts();
    await importCloudWatch(o);
    const s = new TraceFileStream(o.output, { seed: 3, index: 0 });
    let count = 0;
    let tin = 0;
    let tout = 0;
    let prev = -1;
    while (s.next()) {
      expect(s.t).toBeGreaterThanOrEqual(prev);
      prev = s.t;
      count++;
      tin += s.inputTokens;
      tout += s.outputTokens;
    }
    const want = expectedTotals();
    expect([count, tin, tout]).toEqual([want.inv, want.tin, want.tout]);
  });

  it('warns when results stay PartialData after the last page', async () => {
    cw.partialAtEnd.add('lat');
    const s = await importCloudWatch(opts());
    expect(s.partialData).toEqual(['lat']);
    expect(s.warnings.join('\n')).toContain('PartialData');
  });

  it('retries a ThrottlingException and succeeds', async () => {
    cw.faults.push('throttle', 'throttle');
    const s = await importCloudWatch(opts());
    expect(cw.calls).toHaveLength(3);
    expect(s.requests).toBe(expectedTotals().inv);
  });

  it('reports a 500 that persists with one RuntimeError, and writes nothing', async () => {
    cw.faults.push('server-error', 'server-error', 'server-error');
    const o = opts({ maxAttempts: 3 });
    const e = await rejects(importCloudWatch(o));
    expect(e).toBeInstanceOf(RuntimeError);
    expect(e.message).toBe(MSG.serverError(500, 'InternalServiceFault: Internal service error', 3));
    expect(cw.calls).toHaveLength(3);
    noFiles(o.output);
  });

  it('reports throttling that never stops', async () => {
    cw.faults.push('throttle', 'throttle');
    const e = await rejects(importCloudWatch(opts({ maxAttempts: 2 })));
    expect(e).toBeInstanceOf(RuntimeError);
    expect(e.message).toBe(MSG.throttled(2));
  });

  it('reports access denied with the permission needed (exit 1), not retried', async () => {
    cw.faults.push('denied');
    const o = opts();
    const e = await rejects(importCloudWatch(o));
    expect(e).toBeInstanceOf(RuntimeError);
    expect(e.message).toContain('cloudwatch:GetMetricData');
    expect(e.message).toContain('docs/iam-policy.json');
    expect(cw.calls).toHaveLength(1);
    noFiles(o.output);
  });

  it('reports a rejected parameter as bad input', async () => {
    cw.faults.push('invalid');
    const e = await rejects(importCloudWatch(opts()));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toContain('InvalidParameterValue');
  });

  it('says clearly when there are no credentials, before any request', async () => {
    const empty = join(TMP, 'no-such-aws-config');
    const unset = Object.fromEntries(
      Object.keys(process.env)
        .filter((k) => k.startsWith('AWS_') && k !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED')
        .map((k) => [k, undefined]),
    );
    const restore = setEnv({
      ...unset,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SHARED_CREDENTIALS_FILE: empty,
      AWS_CONFIG_FILE: empty,
    });
    try {
      const o = opts({ clientConfig: { endpoint: cw.url } });
      const e = await rejects(importCloudWatch(o));
      expect(e).toBeInstanceOf(RuntimeError);
      expect(e.message).toBe(MSG.noCredentials());
      expect(cw.calls).toHaveLength(0);
      noFiles(o.output);
    } finally {
      restore();
    }
  });

  it('reports an unreachable endpoint as a network error', async () => {
    const o = opts({ maxAttempts: 2 });
    o.clientConfig = { ...o.clientConfig, endpoint: 'http://127.0.0.1:9' };
    const e = await rejects(importCloudWatch(o));
    expect(e).toBeInstanceOf(RuntimeError);
    expect(e.message).toContain('cannot reach CloudWatch at http://127.0.0.1:9 (ECONNREFUSED)');
    noFiles(o.output);
  });

  it('honours AWS_ENDPOINT_URL_CLOUDWATCH and environment credentials', async () => {
    const restore = setEnv({
      AWS_ENDPOINT_URL_CLOUDWATCH: cw.url,
      AWS_ACCESS_KEY_ID: 'AKIDENV',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REGION: 'us-east-1',
    });
    try {
      const o = opts({ clientConfig: {} });
      delete o.region;
      const s = await importCloudWatch(o);
      expect(s.region).toBe('us-east-1');
      expect(cw.calls[0]!.authorization).toContain('Credential=AKIDENV/');
    } finally {
      restore();
    }
  });

  it('refuses a model id with no data, naming the id and region', async () => {
    const o = opts({
      target: { kind: 'bedrock', modelId: 'arn:aws:bedrock:us-east-1:123456789012:imported-model/nope' },
    });
    const e = await rejects(importCloudWatch(o));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toContain('imported-model/nope');
    expect(e.message).toContain('us-east-1');
    noFiles(o.output);
  });

  it('uses 300 s for a window 20 days back and warns about invisible idle gaps', async () => {
    const start = NOW - 20 * DAY;
    const five = await startFakeCloudWatch(
      bedrockSource(MODEL, start, 300, 20 * 288, (i) =>
        i % 288 === 100 ? { Invocations: 10, InputTokenCount: 2500, OutputTokenCount: 600 } : null,
      ),
    );
    try {
      const o = opts({
        start,
        clientConfig: { endpoint: five.url, credentials: { accessKeyId: 'A', secretAccessKey: 'B' } },
      });
      const s = await importCloudWatch(o);
      expect(s.periodSeconds).toBe(300);
      expect(five.calls[0]!.body.MetricDataQueries[0]!.MetricStat.Period).toBe(300);
      expect(s.requests).toBe(200);
      expect(s.modelCopies).toBe(false);
      expect(s.warnings.join('\n')).toContain('idle gaps shorter than that are invisible');
      expect(s.warnings.join('\n')).toContain('no ModelCopy data');
      expect(readFileSync(o.output, 'utf8').split('\n')[1]).toBe(
        't_s,requests,input_tokens,output_tokens,throttles,latency_ms',
      );
    } finally {
      await five.close();
    }
  });

  it('reads a SageMaker endpoint, with tokens from the given sizes', async () => {
    const sm = await startFakeCloudWatch((stat) =>
      stat.Metric.Namespace === 'AWS/SageMaker' && stat.Metric.MetricName === 'Invocations'
        ? new Map([
            [START + 600, 4],
            [START + 660, 1],
          ])
        : stat.Metric.MetricName === 'ModelLatency'
          ? new Map([[START + 600, 250_000]])
          : undefined,
    );
    try {
      const o = opts({
        target: { kind: 'sagemaker', endpoint: 'notes', variant: 'AllTraffic' },
        tokensPerRequest: { input: 300, output: 50 },
        clientConfig: { endpoint: sm.url, credentials: { accessKeyId: 'A', secretAccessKey: 'B' } },
      });
      const s = await importCloudWatch(o);
      const q = sm.calls[0]!.body.MetricDataQueries;
      expect(q.map((x) => x.MetricStat.Metric.MetricName)).toEqual(['Invocations', 'ModelLatency']);
      expect(q[0]!.MetricStat.Metric.Dimensions).toEqual([
        { Name: 'EndpointName', Value: 'notes' },
        { Name: 'VariantName', Value: 'AllTraffic' },
      ]);
      expect([s.requests, s.inputTokens, s.outputTokens]).toEqual([5, 1500, 250]);
      const b = readBinnedSeries(o.output);
      expect(b.latencyMs![10]).toBe(250); // 250,000 µs
      expect(b.throttles).toBeNull();
    } finally {
      await sm.close();
    }
  });
});

describe('CloudWatch window and period', () => {
  it('picks the finest period CloudWatch keeps (aws-facts §6)', () => {
    expect(choosePeriod(14 * DAY).periodSeconds).toBe(60);
    expect(choosePeriod(15 * DAY).periodSeconds).toBe(60);
    expect(choosePeriod(15 * DAY + 1).periodSeconds).toBe(300);
    expect(choosePeriod(63 * DAY).periodSeconds).toBe(300);
    expect(choosePeriod(64 * DAY).periodSeconds).toBe(3600);
    expect(choosePeriod(455 * DAY).periodSeconds).toBe(3600);
    expect(choosePeriod(2 * DAY, 300).periodSeconds).toBe(300);
  });

  it('refuses a window older than CloudWatch keeps, and a period finer than kept', () => {
    expect(() => choosePeriod(456 * DAY)).toThrow(InputError);
    expect(() => choosePeriod(456 * DAY)).toThrow(MSG.windowTooOld(456));
    expect(() => choosePeriod(20 * DAY, 60)).toThrow(MSG.periodTooFine(60, 300, 20));
  });

  it('refuses an old window before sending anything', async () => {
    const o = opts({ start: NOW - 500 * DAY });
    const e = await rejects(importCloudWatch(o));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toContain('455 days');
    expect(cw.calls).toHaveLength(0);
  });

  it('resolves --last and --start/--end', () => {
    expect(resolveWindow({ last: 14 * DAY, now: NOW })).toEqual({ start: NOW - 14 * DAY, end: NOW });
    expect(resolveWindow({ start: '2026-11-02T00:00:00Z', end: '2026-11-03', now: NOW })).toEqual({
      start: Date.UTC(2026, 10, 2) / 1000,
      end: Date.UTC(2026, 10, 3) / 1000,
    });
    expect(resolveWindow({ start: '2026-11-02T09:00', now: NOW, timezone: 'Europe/Berlin' }).start).toBe(
      Date.UTC(2026, 10, 2, 8) / 1000,
    );
    expect(() => resolveWindow({ now: NOW })).toThrow(InputError);
    expect(() => resolveWindow({ start: 'yesterday', now: NOW })).toThrow(InputError);
    expect(() => resolveWindow({ last: DAY, start: '2026-11-02', now: NOW })).toThrow(InputError);
  });

  it('refuses an empty window', async () => {
    const e = await rejects(importCloudWatch(opts({ start: NOW - 30, end: NOW })));
    expect(e).toBeInstanceOf(InputError);
  });
});
