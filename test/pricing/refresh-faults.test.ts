import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RuntimeError } from '../../src/errors.js';
import { loadPriceBook } from '../../src/pricing/book.js';
import { refreshPriceBook, type RefreshOptions } from '../../src/pricing/refresh.js';
import { servesim } from '../helpers/cli.js';
import { startFaultServer, type FaultMode, type FaultServer } from '../helpers/fault-server.js';

/*
 * `prices refresh` against Price List endpoints that misbehave (issue 17 items 2 and 5): never
 * answering, dribbling, resetting, paging forever. One RuntimeError naming the endpoint, the
 * query and what was fetched; no book written. Short timeouts keep each case to a second or so.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-refresh-faults-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function refreshFrom(mode: FaultMode, over: Partial<RefreshOptions> = {}, maxAttempts = 1) {
  server = await startFaultServer('pricing', mode);
  const opts: RefreshOptions = {
    region: 'us-east-1',
    current: loadPriceBook(),
    today: '2026-11-25',
    client: {
      endpoint: server.url,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      maxAttempts,
    },
    timeoutMs: 300,
    deadlineMs: 5000,
    ...over,
  };
  let error: unknown;
  try {
    await refreshPriceBook(opts);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(RuntimeError);
  return { message: (error as Error).message, url: server.url, requests: server.requests };
}

/** The first query of a refresh is AmazonBedrock's (priceListQueries). */
const api = (url: string) => `the AWS Price List API at ${url} (GetProducts AmazonBedrock)`;

describe('Price List endpoints that misbehave', () => {
  it('never answers: one line with the endpoint, the timeout and what was fetched', async () => {
    const r = await refreshFrom('hang', {}, 2);
    expect(r.message).toBe(
      `${api(r.url)} gave no complete answer within 300ms (--timeout), 2 attempt(s); fetched 0 page(s), 0 products so far, nothing written. Check the network, or raise --timeout`,
    );
    expect(r.requests).toBe(2);
  });

  it('dribbles a byte a second: cut off by the same timeout', async () => {
    const r = await refreshFrom('dribble');
    expect(r.message).toContain(`${api(r.url)} gave no complete answer within 300ms (--timeout)`);
  });

  it('resets the connection: a network error naming the API', async () => {
    const r = await refreshFrom('reset', {}, 2);
    expect(r.message).toBe(
      'cannot reach the AWS Price List API (GetProducts AmazonBedrock) (ECONNRESET): check the network, or AWS_ENDPOINT_URL_PRICING if you set it',
    );
    expect(r.requests).toBe(2);
  });

  it('pages forever: stops at the cap of one query', async () => {
    const r = await refreshFrom('pages', { maxPages: 30 });
    expect(r.message).toBe(
      `${api(r.url)} still returned a NextToken after 30 pages (servesim's cap; 0 products fetched), nothing written; check AWS_ENDPOINT_URL_PRICING`,
    );
    expect(r.requests).toBe(30);
  });

  it('the deadline stops a long timeout', async () => {
    const r = await refreshFrom('hang', { timeoutMs: 60_000, deadlineMs: 400 });
    expect(r.message).toBe(
      `${api(r.url)}: the --deadline of 400ms passed; fetched 0 page(s), 0 products so far, nothing written. Check the network, or raise --deadline`,
    );
  });
});

describe('servesim prices refresh against a misbehaving endpoint', () => {
  const env = (url: string, extra: Record<string, string> = {}) => ({
    AWS_ENDPOINT_URL_PRICING: url,
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_PROFILE: '',
    NODE_NO_WARNINGS: '1',
    ...extra,
  });

  it('the default page cap (200) stops a NextToken that never ends: exit 1, no book', async () => {
    server = await startFaultServer('pricing', 'pages');
    const out = join(TMP, 'pages', 'book.json');
    mkdirSync(join(TMP, 'pages'));
    const r = await servesim(
      ['prices', 'refresh', '--region', 'us-east-1', '-o', out, '--quiet'],
      env(server.url),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `servesim: ${api(server.url)} still returned a NextToken after 200 pages (servesim's cap; 0 products fetched), nothing written; check AWS_ENDPOINT_URL_PRICING\n`,
    );
    expect(server.requests).toBe(200);
    expect(readdirSync(join(TMP, 'pages'))).toEqual([]);
  }, 60_000);

  it('honours AWS_MAX_ATTEMPTS and --timeout', async () => {
    server = await startFaultServer('pricing', 'hang');
    const out = join(TMP, 'book.json');
    const r = await servesim(
      ['prices', 'refresh', '--region', 'us-east-1', '-o', out, '--timeout', '400ms', '--quiet'],
      env(server.url, { AWS_MAX_ATTEMPTS: '3' }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `servesim: ${api(server.url)} gave no complete answer within 400ms (--timeout), 3 attempt(s); fetched 0 page(s), 0 products so far, nothing written. Check the network, or raise --timeout\n`,
    );
    expect(server.requests).toBe(3);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('--profile signs with that profile of the AWS files (issue 20)', async () => {
    server = await startFaultServer('pricing', 'reset');
    const creds = join(TMP, 'credentials');
    writeFileSync(creds, '[ci]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n');
    const r = await servesim(
      ['prices', 'refresh', '--region', 'us-east-1', '-o', join(TMP, 'p.json'), '--profile', 'ci', '--quiet'],
      env(server.url, {
        AWS_MAX_ATTEMPTS: '1',
        AWS_SHARED_CREDENTIALS_FILE: creds,
        AWS_CONFIG_FILE: join(TMP, 'no-config'),
      }),
    );
    expect(r.code).toBe(1);
    expect(server.authorizations).toHaveLength(1);
    expect(server.authorizations[0]).toContain('Credential=AKIDPROFILE/');
  }, 60_000);
});
