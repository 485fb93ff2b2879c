import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RuntimeError } from '../../../src/errors.js';
import { importCloudWatch, type CloudWatchImportOptions } from '../../../src/traffic/cloudwatch/import.js';
import { MSG } from '../../../src/traffic/messages.js';
import { startFaultServer, type FaultMode, type FaultServer } from '../../helpers/fault-server.js';
import { servesim } from '../../helpers/cli.js';

/*
 * The CloudWatch import against endpoints that misbehave (issue 17 items 2 and 5): one that
 * never answers, one that dribbles a byte a second, one that resets the connection and one that
 * pages forever. Each stops with one RuntimeError naming the endpoint and what was fetched, and
 * writes nothing. Short --timeout/--deadline values keep every case to a few seconds; vitest's
 * test timeout is the bound that fails a hang.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-cw-faults-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const MODEL = 'arn:aws:bedrock:us-east-1:123456789012:imported-model/abc123';
const NOW = Date.UTC(2026, 10, 16, 0, 0, 0) / 1000;
const START = NOW - 86400; // one day of minutes: 1,440 bins
/** 1,440 bins × the 6 Bedrock metrics (Invocations, tokens in/out, throttles, copies, latency). */
const EXPECTED = 1440 * 6;

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

let n = 0;
async function importFrom(mode: FaultMode, over: Partial<CloudWatchImportOptions> = {}) {
  server = await startFaultServer('cloudwatch', mode);
  const output = join(TMP, `t${n++}`, 'trace.csv');
  const opts: CloudWatchImportOptions = {
    target: { kind: 'bedrock', modelId: MODEL },
    start: START,
    end: NOW,
    now: NOW,
    output,
    region: 'us-east-1',
    clientConfig: { endpoint: server.url, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 's' } },
    retryDelayMs: () => 1,
    maxAttempts: 2,
    timeoutMs: 300,
    deadlineMs: 5000,
    ...over,
  };
  let error: unknown;
  try {
    await importCloudWatch(opts);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(RuntimeError);
  // Nothing written: no trace, no hidden temporary file beside it.
  expect(existsSync(output)).toBe(false);
  if (existsSync(join(output, '..'))) expect(readdirSync(join(output, '..'))).toEqual([]);
  return { message: (error as Error).message, url: server.url, requests: server.requests };
}

const got0 = { pages: 0, received: 0, expected: EXPECTED };

describe('CloudWatch endpoints that misbehave', () => {
  it('never answers: each attempt times out, retried once, then one line', async () => {
    const r = await importFrom('hang');
    expect(r.message).toBe(MSG.cutoff(r.url, { kind: 'timeout', ms: 300 }, 2, got0));
    expect(r.requests).toBe(2);
  });

  it('dribbles a byte a second: the timeout covers the body too', async () => {
    const r = await importFrom('dribble', { maxAttempts: 1 });
    expect(r.message).toBe(MSG.cutoff(r.url, { kind: 'timeout', ms: 300 }, 1, got0));
  });

  it('resets the connection: retried, then a network error naming the endpoint', async () => {
    const r = await importFrom('reset', { maxAttempts: 3 });
    expect(r.message).toBe(MSG.unreachable(r.url, 'ECONNRESET'));
    expect(r.requests).toBe(3);
  });

  it('pages forever: stops at the page cap without asking for one more', async () => {
    const r = await importFrom('pages', { maxPages: 25 });
    expect(r.message).toBe(MSG.pageCap(r.url, 25, 0, EXPECTED));
    expect(r.requests).toBe(25);
  });

  it('never answers with a long timeout: the deadline stops it', async () => {
    const r = await importFrom('hang', { timeoutMs: 60_000, deadlineMs: 400 });
    expect(r.message).toBe(MSG.cutoff(r.url, { kind: 'deadline', ms: 400 }, 1, got0));
  });
});

/** The CLI's environment for a loopback CloudWatch: static credentials, a region, no profile. */
const awsEnv = (url: string, extra: Record<string, string> = {}) => ({
  AWS_ENDPOINT_URL_CLOUDWATCH: url,
  AWS_ACCESS_KEY_ID: 'AKIDTEST',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_REGION: 'us-east-1',
  AWS_PROFILE: '',
  // The SDK's Node-version warning is another item of issue 17 (wt-limits); not this test's.
  NODE_NO_WARNINGS: '1',
  ...extra,
});

describe('servesim trace import cloudwatch / replay --model-id against a hanging endpoint', () => {
  it('--timeout and AWS_MAX_ATTEMPTS bound the import: exit 1, one line, no file', async () => {
    server = await startFaultServer('cloudwatch', 'hang');
    const out = join(TMP, 'cli', 'trace.csv');
    const r = await servesim(
      ['trace', 'import', 'cloudwatch', '--model-id', MODEL, '--last', '1d', '-o', out, '--timeout', '500ms'],
      awsEnv(server.url, { AWS_MAX_ATTEMPTS: '2' }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^servesim: CloudWatch at ${server.url} gave no complete answer within 500ms \\(--timeout\\), 2 attempt\\(s\\); fetched 0 page\\(s\\), 0 of \\d+ datapoints so far, nothing written\\. Check the network, or raise --timeout\\n$`,
      ),
    );
    expect(server.requests).toBe(2);
    expect(existsSync(join(TMP, 'cli'))).toBe(false);
  }, 30_000);

  it('replay: --deadline bounds the fetch; no report folder, no trace', async () => {
    server = await startFaultServer('cloudwatch', 'hang');
    const out = join(TMP, 'replay-out');
    const r = await servesim(
      ['replay', '--model-id', MODEL, '--last', '1d', '--out', out, '--deadline', '1s'],
      awsEnv(server.url, { AWS_MAX_ATTEMPTS: '5' }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`CloudWatch at ${server.url}: the --deadline of 1s passed; fetched 0 page(s)`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(TMP).filter((f) => f.startsWith('.replay-out'))).toEqual([]);
  }, 30_000);

  it('a bad --timeout is exit 2 naming the flag, before any request', async () => {
    server = await startFaultServer('cloudwatch', 'hang');
    const r = await servesim(
      [
        'trace',
        'import',
        'cloudwatch',
        '--model-id',
        MODEL,
        '--last',
        '1d',
        '-o',
        join(TMP, 'x.csv'),
        '--timeout',
        'soon',
      ],
      awsEnv(server.url),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'servesim: --timeout: --timeout must be a duration such as 90s, 5m, 2h or 14d, got "soon"\n',
    );
    expect(server.requests).toBe(0);
  }, 30_000);
});
