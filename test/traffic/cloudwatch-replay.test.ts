import { captureIo, jsonFlags } from '../helpers/cli.js';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayCommand } from '../../src/commands/replay.js';
import { displayWidth } from '../../src/report/text/width.js';
import { RuntimeError } from '../../src/errors.js';
import { bedrockSource, startFakeCloudWatch, type FakeCloudWatch } from './cloudwatch/cloudwatch-server.js';

/*
 * `servesim replay`: CloudWatch (loopback, real client) → trace file → every option of a
 * scenario → report, with the actual CMI bill beside the simulated one. Then offline replays of
 * the saved trace: same trace + seed ⇒ byte-identical results.json.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-replay-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const MODEL = 'arn:aws:bedrock:us-east-1:123456789012:imported-model/notes';
const NOW = Date.UTC(2026, 10, 16) / 1000;
const START = NOW - 86400;

const SCENARIO = join(TMP, 'scenario.yaml');
writeFileSync(
  SCENARIO,
  `name: notes
region: us-east-1
timezone: America/New_York
seed: 3
traffic:
  components: [{ type: poisson, rate: 1/m }]
options:
  - id: bedrock-cmi
    key: cmi
  - id: fixed-fleet
    replicas: 1
    slotsPerReplica: 8
    hourlyPrice: 1.2
claims:
  - source: a claim about the scenario's own traffic (dropped on replay)
    option: cmi
    metric: peakReplicas
    value: 1
`,
);

let cw: FakeCloudWatch;
beforeAll(async () => {
  // Two busy hours (13:00–15:00 UTC) at 20 requests a minute, one copy (two in the second hour).
  cw = await startFakeCloudWatch(
    bedrockSource(MODEL, START, 60, 1440, (i) =>
      i >= 780 && i < 900
        ? {
            Invocations: 20,
            InputTokenCount: 20 * 250 + (i % 7),
            OutputTokenCount: 20 * 60,
            InvocationThrottles: 0,
            ModelCopy: i < 840 ? 1 : 2,
            InvocationLatency: 1100,
          }
        : i >= 900 && i < 905
          ? { Invocations: 0, ModelCopy: 1 }
          : null,
    ),
  );
});
afterAll(() => cw.close());

const capture = captureIo;

const flags = jsonFlags;

const cloudWatch = () => ({
  now: NOW,
  clientConfig: { endpoint: cw.url, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } },
  retryDelayMs: () => 1,
});

describe('replay', () => {
  const first = join(TMP, 'first');

  it('imports from CloudWatch, runs every option and puts the actual CMI bill beside the simulated one', async () => {
    const io = capture();
    await replayCommand({ modelId: MODEL, last: '1d', scenario: SCENARIO }, flags(first), io, cloudWatch());
    expect(existsSync(join(first, 'trace.csv'))).toBe(true);
    const r = JSON.parse(io.stdout);
    expect(readFileSync(join(first, 'results.json'), 'utf8')).toBe(io.stdout);
    expect(r.scenario).toBe('notes replay');
    expect(r.claims).toEqual([]);
    expect(r.trace.start).toBe('2026-11-15T00:00:00Z');
    expect(r.trace.durationSeconds).toBe(86400);
    expect(r.trace.requests).toBe(2400);
    expect(r.trace.inputTokens).toBe(
      2400 * 250 + [...Array(120).keys()].reduce((s, k) => s + ((780 + k) % 7), 0),
    );
    expect(r.options.map((o: { key: string }) => o.key)).toEqual(['cmi', 'fixed-fleet']);
    expect(r.options[0].requests.arrived).toBe(2400);

    const avs = r.actualVsSimulated;
    expect(avs.trace).toContain('cloudwatch:AWS/Bedrock:ModelId=');
    expect(avs.periodSeconds).toBe(60);
    expect(avs.options.map((o: { key: string }) => o.key)).toEqual(['cmi']);
    // Observed: 60 min × 1 copy + 60 min × 2 + 5 min × 1, one stretch of 125 minutes:
    // 12 blocks at peak 1, 12 at peak 2, 1 at peak 1 → 37 copy-windows × 2 CMUs × 5 = 370 CMU-minutes.
    expect(avs.options[0].actual.copyWindows).toBe(37);
    expect(avs.options[0].actual.cmuMinutes).toBe(370);
    expect(avs.options[0].simulated.copyWindows).toBeGreaterThan(0);
    expect(avs.rule).toContain('5-minute blocks');
  });

  it('replays the saved trace offline to byte-identical results, and a new seed changes them', async () => {
    const a = capture();
    const b = capture();
    const c = capture();
    const trace = join(first, 'trace.csv');
    await replayCommand({ trace, scenario: SCENARIO }, flags(join(TMP, 'a')), a);
    await replayCommand({ trace, scenario: SCENARIO }, flags(join(TMP, 'b')), b);
    expect(a.stdout).toBe(b.stdout);
    // The same as the replay that imported it.
    expect(a.stdout).toBe(readFileSync(join(first, 'results.json'), 'utf8'));
    await replayCommand({ trace, scenario: SCENARIO }, flags(join(TMP, 'c'), { seed: 4 }), c);
    expect(c.stdout).not.toBe(a.stdout);
  });

  it('prints the comparison and the actual-vs-simulated lines', async () => {
    const io = capture();
    await replayCommand(
      { trace: join(first, 'trace.csv'), scenario: SCENARIO },
      flags(join(TMP, 'text'), { json: false }),
      io,
    );
    expect(io.stdout).toContain('notes replay — 2,400 real requests over 1.00 days');
    // Lines wrap at the terminal's width (80 when none is given): compare the words.
    const flat = io.stdout.replace(/\s+/g, ' ');
    expect(flat).toMatch(
      /cmi: actual \$29\.05 \(37 copy-windows, peak 2\) vs simulated by the same rule \$[\d.]+.*the run.s own bill \(per-copy windows, active rule, storage apart\) \$[\d.]+/,
    );
    expect(flat).toContain('Both sides billed per minute');
    // The same renderer as `run` (issue 18): no line wider than the terminal, in display columns.
    const wider = (text: string, width: number) => text.split('\n').filter((l) => displayWidth(l) > width);
    expect(wider(io.stdout, 80)).toEqual([]);
    const narrow = capture();
    await replayCommand(
      { trace: join(first, 'trace.csv'), scenario: SCENARIO },
      flags(join(TMP, 'narrow'), { json: false, width: 40, details: true }),
      narrow,
    );
    expect(wider(narrow.stdout, 40)).toEqual([]);
    expect(narrow.stdout.replace(/\s+/g, ' ')).toContain('Both sides billed per minute');
  });

  it('writes no trace and no report when CloudWatch denies access', async () => {
    cw.faults.push('denied');
    const out = join(TMP, 'denied');
    await expect(
      replayCommand({ modelId: MODEL, last: '1d', scenario: SCENARIO }, flags(out), capture(), cloudWatch()),
    ).rejects.toBeInstanceOf(RuntimeError);
    expect(existsSync(out)).toBe(false);
  });
});
