import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { replayCommand } from '../../../src/commands/replay.js';
import { cloudWatchTargets, traceImportCloudWatch } from '../../../src/commands/trace/import-cloudwatch.js';
import { InputError } from '../../../src/errors.js';
import { importCloudWatch, type CloudWatchImportOptions } from '../../../src/traffic/cloudwatch/import.js';
import { MSG } from '../../../src/traffic/messages.js';
import { readBinnedSeries } from '../../../src/traffic/trace/binned.js';
import { TraceFileStream } from '../../../src/traffic/trace/read.js';
import { captureIo, jsonFlags } from '../../helpers/cli.js';
import {
  bedrockSource,
  startFakeCloudWatch,
  type BedrockBin,
  type FakeCloudWatch,
  type MetricSource,
} from './cloudwatch-server.js';

/*
 * Several models in one CloudWatch import (issue 21 item 4), through the real CloudWatchClient
 * against the loopback server (cloudwatch-server.ts): both models' queries share the paginated
 * GetMetricData calls, more than 500 queries split into calls of 500, and the trace gets a
 * `model` column with each bin's rows in the order the models were given. Expected rows and
 * totals are worked out from the source functions below.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-cw-multi-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const A = 'arn:aws:bedrock:us-east-1:123456789012:imported-model/notes';
const B = 'arn:aws:bedrock:us-east-1:123456789012:imported-model/triage';
const NOW = Date.UTC(2026, 10, 16, 0, 0, 0) / 1000;
const START = NOW - 7200; // 2 hours of minutes = 120 bins

/** Model A: 2 requests every third minute. */
function binA(i: number): BedrockBin | null {
  if (i % 3 !== 0) return null;
  return {
    Invocations: 2,
    InputTokenCount: 500,
    OutputTokenCount: 120,
    InvocationThrottles: 0,
    ModelCopy: 1,
    InvocationLatency: 800,
  };
}

/** Model B: i requests in minutes 10–19, nothing else. */
function binB(i: number): BedrockBin | null {
  if (i < 10 || i >= 20) return null;
  return {
    Invocations: i,
    InputTokenCount: i * 100,
    OutputTokenCount: i * 10,
    InvocationThrottles: 1,
    ModelCopy: 2,
    InvocationLatency: 1500,
  };
}

const both: MetricSource = (stat) =>
  bedrockSource(A, START, 60, 120, binA)(stat) ?? bedrockSource(B, START, 60, 120, binB)(stat);

let cw: FakeCloudWatch;
beforeAll(async () => {
  cw = await startFakeCloudWatch(both);
});
afterAll(() => cw.close());
afterEach(() => {
  cw.calls.length = 0;
  cw.faults.length = 0;
});

let n = 0;
const client = (url: string) => ({
  endpoint: url,
  credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
});
function opts(over: Partial<CloudWatchImportOptions> = {}): CloudWatchImportOptions {
  return {
    models: [
      { name: 'notes', target: { kind: 'bedrock', modelId: A } },
      { name: 'triage', target: { kind: 'bedrock', modelId: B } },
    ],
    start: START,
    end: NOW,
    now: NOW,
    output: join(TMP, `t${n++}`, 'trace.csv'),
    region: 'us-east-1',
    clientConfig: client(cw.url),
    retryDelayMs: () => 1,
    ...over,
  };
}

describe('a multi-model CloudWatch import on the wire', () => {
  it('fetches both models in the same paginated calls, retries a throttle, and writes one trace with a model column', async () => {
    cw.faults.push('throttle');
    const o = opts({ pageSize: 50 });
    const s = await importCloudWatch(o);
    // Datapoints: A has 40 busy minutes × 6 metrics = 240, B 10 × 6 = 60: 300 → 6 pages of 50,
    // plus the throttled first attempt.
    expect(cw.calls).toHaveLength(7);
    expect(s.pages).toBe(6);
    for (const c of cw.calls) {
      const ids = c.body.MetricDataQueries.map((q) => q.Id);
      expect(ids).toEqual([
        'm0_inv',
        'm0_tin',
        'm0_tout',
        'm0_thr',
        'm0_cop',
        'm0_lat',
        'm1_inv',
        'm1_tin',
        'm1_tout',
        'm1_thr',
        'm1_cop',
        'm1_lat',
      ]);
      expect(c.body.MetricDataQueries[6]!.MetricStat.Metric.Dimensions).toEqual([
        { Name: 'ModelId', Value: B },
      ]);
    }
    // The throttled call and its retry ask for the first page; then pages 2–6 by NextToken.
    expect(cw.calls.map((c) => c.body.NextToken)).toEqual([
      undefined,
      undefined,
      '50',
      '100',
      '150',
      '200',
      '250',
    ]);

    // A: 40 minutes × 2; B: 10 + 11 + … + 19 = 145.
    expect(s.requests).toBe(80 + 145);
    expect(s.models!.map((m) => [m.name, m.requests, m.inputTokens, m.outputTokens, m.throttles])).toEqual([
      ['notes', 80, 40 * 500, 40 * 120, 0],
      ['triage', 145, 14_500, 1_450, 10],
    ]);
    expect(s.missingDatapoints.Invocations).toBe(80 + 110);

    const text = readFileSync(o.output, 'utf8').split('\n');
    expect(text[0]).toBe(
      `# servesim-trace v1 start=2026-11-15T22:00:00Z kind=binned period_s=60 duration_s=7200 models=notes,triage source=${encodeURIComponent(
        `cloudwatch:AWS/Bedrock:notes=ModelId=${A};triage=ModelId=${B}:us-east-1`,
      )}`,
    );
    expect(text[1]).toBe('t_s,requests,input_tokens,output_tokens,throttles,model_copies,latency_ms,model');
    expect(text.length).toBe(2 + 240 + 1); // every bin of each model, and the final newline
    // Minute 0: A busy, B idle (zero-filled). Minute 10: B busy, A idle (10 mod 3 ≠ 0). Minute 12: both.
    expect(text.slice(2, 4)).toEqual(['0,2,500,120,0,1,800,notes', '0,0,0,0,0,0,0,triage']);
    expect(text.slice(22, 24)).toEqual(['600,0,0,0,0,0,0,notes', '600,10,1000,100,1,2,1500,triage']);
    expect(text.slice(26, 28)).toEqual(['720,2,500,120,0,1,800,notes', '720,12,1200,120,1,2,1500,triage']);

    // Each model expands to exactly its own requests and tokens.
    for (const [name, requests, tokens] of [
      ['notes', 80, 20_000],
      ['triage', 145, 14_500],
    ] as const) {
      const st = new TraceFileStream(o.output, { seed: 2, index: 0, model: name });
      let k = 0;
      let tin = 0;
      while (st.next()) {
        k++;
        tin += st.inputTokens;
      }
      expect([k, tin]).toEqual([requests, tokens]);
    }
    const triage = readBinnedSeries(o.output, 'triage');
    expect([...triage.modelCopies!].slice(9, 21)).toEqual([0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0]);
  });

  it('splits more than 500 queries into calls of 500', async () => {
    // 251 SageMaker endpoints × 2 metrics = 502 queries: one call of 500, one of 2.
    const names = Array.from({ length: 251 }, (_, k) => `ep-${k}`);
    const sm = await startFakeCloudWatch((stat) => {
      if (stat.Metric.Namespace !== 'AWS/SageMaker' || stat.Metric.MetricName !== 'Invocations')
        return undefined;
      const ep = stat.Metric.Dimensions!.find((d) => d.Name === 'EndpointName')!.Value;
      const k = Number(ep.slice(3));
      return new Map([[START + 60 * (k % 120), 1 + (k % 5)]]);
    });
    try {
      const s = await importCloudWatch(
        opts({
          models: names.map((e) => ({
            name: e,
            target: { kind: 'sagemaker', endpoint: e, variant: 'AllTraffic' },
          })),
          clientConfig: client(sm.url),
        }),
      );
      expect(sm.calls.map((c) => c.body.MetricDataQueries.length)).toEqual([500, 2]);
      expect(sm.calls[1]!.body.MetricDataQueries.map((q) => q.Id)).toEqual(['m250_inv', 'm250_lat']);
      // Σ over k < 251 of 1 + (k mod 5): 50 full cycles of 1..5 (750) and k = 250 → 1.
      expect(s.requests).toBe(751);
      expect(s.models).toHaveLength(251);
      expect(s.models![250]).toMatchObject({ name: 'ep-250', requests: 1 });
    } finally {
      await sm.close();
    }
  });

  it('with one model writes exactly the single-model trace (no model column)', async () => {
    const single = opts({ models: undefined, target: { kind: 'bedrock', modelId: B } });
    const listed = opts({ models: [{ name: 'triage', target: { kind: 'bedrock', modelId: B } }] });
    await importCloudWatch(single);
    await importCloudWatch(listed);
    const text = readFileSync(single.output, 'utf8');
    expect(readFileSync(listed.output, 'utf8')).toBe(text);
    expect(text.split('\n')[1]).toBe(
      't_s,requests,input_tokens,output_tokens,throttles,model_copies,latency_ms',
    );
    expect(text.split('\n')[0]).not.toContain('models=');
    expect(cw.calls[0]!.body.MetricDataQueries.map((q) => q.Id)).toEqual([
      'inv',
      'tin',
      'tout',
      'thr',
      'cop',
      'lat',
    ]);
  });

  it('refuses a model with no data, naming it, and writes nothing', async () => {
    const o = opts({
      models: [
        { name: 'notes', target: { kind: 'bedrock', modelId: A } },
        { name: 'typo', target: { kind: 'bedrock', modelId: `${A}x` } },
      ],
    });
    await expect(importCloudWatch(o)).rejects.toThrow(`${A}x`);
    expect(() => readFileSync(o.output)).toThrow();
  });
});

describe('the CloudWatch flags for several models', () => {
  it('name each model: --model-id by its last path segment, --model NAME=ID, --endpoint [NAME=]E[/V]', () => {
    expect(cloudWatchTargets({ modelId: [A, B] }).map((t) => t.name)).toEqual(['notes', 'triage']);
    expect(cloudWatchTargets({ modelId: A, model: `tri=${B}` }).map((t) => [t.name, t.target])).toEqual([
      ['notes', { kind: 'bedrock', modelId: A }],
      ['tri', { kind: 'bedrock', modelId: B }],
    ]);
    expect(cloudWatchTargets({ endpoint: ['notes', 'notes/blue', 'x=other/green'] })).toEqual([
      { name: 'notes', target: { kind: 'sagemaker', endpoint: 'notes', variant: 'AllTraffic' } },
      { name: 'notes.blue', target: { kind: 'sagemaker', endpoint: 'notes', variant: 'blue' } },
      { name: 'x', target: { kind: 'sagemaker', endpoint: 'other', variant: 'green' } },
    ]);
    expect(() => cloudWatchTargets({ modelId: A, endpoint: 'notes' })).toThrow(InputError);
    expect(() => cloudWatchTargets({ model: 'no-equals-sign' })).toThrow(InputError);
  });

  it('refuse two models with one name, before any request', async () => {
    const io = captureIo();
    const e = await traceImportCloudWatch(
      { modelId: [A, `arn:aws:bedrock:us-west-2:123456789012:imported-model/notes`], last: '1h' },
      join(TMP, 'dup.csv'),
      jsonFlags(TMP),
      io,
      { now: NOW, clientConfig: client(cw.url) },
    ).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toContain(MSG.duplicateTargetName('notes'));
    expect(cw.calls).toHaveLength(0);
  });

  it('import two --model-id into one trace via the command', async () => {
    const io = captureIo();
    const out = join(TMP, 'cmd', 'trace.csv');
    const s = await traceImportCloudWatch({ modelId: [A, B], last: '2h' }, out, jsonFlags(TMP), io, {
      now: NOW,
      clientConfig: client(cw.url),
      region: 'us-east-1',
      retryDelayMs: () => 1,
    });
    expect(JSON.parse(io.stdout).models.map((m: { name: string }) => m.name)).toEqual(['notes', 'triage']);
    expect(s.requests).toBe(225);
    expect(readBinnedSeries(out).models).toEqual(['notes', 'triage']);
  });
});

describe('replay of a multi-model trace', () => {
  const scenario = join(TMP, 'scenario.yaml');
  writeFileSync(
    scenario,
    `name: notes
region: us-east-1
seed: 3
traffic:
  components: [{ type: poisson, rate: 1/m }]
options:
  - id: fixed-fleet
    replicas: 1
    slotsPerReplica: 8
    hourlyPrice: 1.2
`,
  );

  it('exits 2 without --trace-model, saying how to pick one, before CloudWatch is asked', async () => {
    const e = await replayCommand(
      { modelId: [A, B], last: '2h', scenario },
      jsonFlags(join(TMP, 'r0')),
      captureIo(),
      { now: NOW, clientConfig: client(cw.url) },
    ).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toContain(MSG.replayOneModel(['notes', 'triage']));
    expect(cw.calls).toHaveLength(0);
  });

  it('imports every model and replays the one --trace-model names', async () => {
    const io = captureIo();
    const out = join(TMP, 'r-import');
    await replayCommand({ modelId: [A, B], last: '2h', scenario, traceModel: 'notes' }, jsonFlags(out), io, {
      now: NOW,
      clientConfig: client(cw.url),
      region: 'us-east-1',
      retryDelayMs: () => 1,
    });
    expect(JSON.parse(io.stdout).options[0].requests.arrived).toBe(80);
    expect(readBinnedSeries(join(out, 'trace.csv')).models).toEqual(['notes', 'triage']);
  });

  it('replays one model’s rows with --trace-model, and refuses a name the trace lacks', async () => {
    const trace = join(TMP, 'replay-trace.csv');
    await importCloudWatch(opts({ output: trace }));
    const io = captureIo();
    await replayCommand({ trace, scenario, traceModel: 'triage' }, jsonFlags(join(TMP, 'r1')), io);
    const r = JSON.parse(io.stdout);
    expect(r.options[0].requests.arrived).toBe(145);
    const missing = await replayCommand(
      { trace, scenario, traceModel: 'nope' },
      jsonFlags(join(TMP, 'r2')),
      captureIo(),
    ).catch((x: unknown) => x);
    expect(missing).toBeInstanceOf(InputError);
    expect((missing as InputError).message).toContain(MSG.noSuchModel('nope', ['notes', 'triage']));
    const whole = await replayCommand({ trace, scenario }, jsonFlags(join(TMP, 'r3')), captureIo()).catch(
      (x: unknown) => x,
    );
    expect((whole as InputError).message).toContain(MSG.replayOneModel(['notes', 'triage']));
  });
});
