import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPriceBook, parsePriceBook } from '../../src/pricing/book.js';
import {
  anyOfValues,
  mergeById,
  priceListQueries,
  refreshPriceBook,
  type RefreshOptions,
} from '../../src/pricing/refresh.js';
import { RuntimeError } from '../../src/errors.js';
import { awsError, page, product, startPriceListServer, type PriceListServer } from './price-list-server.js';
import { priceListReply } from './fixtures.js';

/*
 * `prices refresh` through the real PricingClient (AWS JSON 1.1, SigV4, paginator, retries,
 * error mapping) against a loopback server that speaks the Price List wire protocol.
 */

const TODAY = '2026-11-25';
const current = loadPriceBook();

function options(url: string, maxAttempts = 1): RefreshOptions {
  return {
    region: 'us-east-1',
    current,
    today: TODAY,
    client: {
      endpoint: url,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      maxAttempts,
    },
  };
}

async function runtimeError(p: Promise<unknown>): Promise<RuntimeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as RuntimeError).exitCode).toBe(1);
    return e as RuntimeError;
  }
  throw new Error('expected a RuntimeError');
}

describe('refresh against a loopback Price List API', () => {
  let server: PriceListServer;
  let result: Awaited<ReturnType<typeof refreshPriceBook>>;
  beforeAll(async () => {
    server = await startPriceListServer((body) => priceListReply(body));
    result = await refreshPriceBook(options(server.url));
  });
  afterAll(() => server.close());

  it('speaks AWS JSON 1.1 GetProducts, signed, with the region filter on every query', () => {
    for (const r of server.requests) {
      expect(r.target).toBe('AWSPriceListService.GetProducts');
      expect(r.contentType).toBe('application/x-amz-json-1.1');
      expect(r.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/pricing\/aws4_request/,
      );
      expect(r.body.FormatVersion).toBe('aws_v1');
      expect(r.body.MaxResults).toBe(100);
      expect(r.body.Filters).toContainEqual({ Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' });
    }
  });

  it('follows NextToken across two pages, and keeps the calls few', () => {
    const bedrock = server.requests.filter((r) => r.body.ServiceCode === 'AmazonBedrock');
    expect(bedrock.map((r) => r.body.NextToken)).toEqual([undefined, 'page-2']);
    expect(bedrock[1]!.body.Filters).toEqual(bedrock[0]!.body.Filters);
    // 7 queries (SageMaker twice), Bedrock in two pages.
    expect(result.calls).toBe(8);
    expect(server.requests).toHaveLength(8);
    expect(result.products).toBe(17);
  });

  it('narrows EC2 and SageMaker to the instance types the current book prices', () => {
    const ec2 = server.requests.find((r) => r.body.ServiceCode === 'AmazonEC2')!.body.Filters!;
    const types = ec2.find((f) => f.Type === 'ANY_OF' && f.Field === 'instanceType')!.Value.split(',');
    expect(types).toContain('g5.2xlarge');
    expect(types).toContain('p5.48xlarge');
    expect(ec2).toContainEqual({ Type: 'TERM_MATCH', Field: 'operatingSystem', Value: 'Linux' });
    const sm = priceListQueries('us-east-1', current).filter((q) => q.service === 'AmazonSageMaker');
    expect(sm[0]!.filters.find((f) => f.Field === 'instanceName')!.Value).toContain('ml.g5.2xlarge');
  });

  it("splits an ANY_OF list longer than the API's 1024-character limit into several queries", () => {
    expect(anyOfValues(['a', 'b', 'c'], 3)).toEqual(['a,b', 'c']);
    expect(anyOfValues(['g5.xlarge', 'g6.xlarge'])).toEqual(['g5.xlarge,g6.xlarge']);
    expect(anyOfValues([])).toEqual([]);
  });

  it('maps units: CMU per minute by architecture, storage, per-1K and per-1M tokens, Hrs, seconds → GB-seconds', () => {
    const book = parsePriceBook(result.file, 'refreshed');
    const e = (id: string) => book.get(id);
    expect(e('bedrock-cmi.inference.us-east-1.price-list-llama')).toMatchObject({
      service: 'AmazonBedrock',
      item: 'Custom Model Import inference',
      unit: 'CMU-minutes',
      price: 0.05718,
      labels: { cmuVersion: 'price-list-llama', architecture: 'Llama' },
    });
    expect(e('bedrock-cmi.storage.us-east-1')).toMatchObject({ unit: 'CMU-months', price: 1.95 });
    // 1K-token prices become per 1M.
    expect(e('bedrock-ondemand.llama-3-1-8b-instruct-output.us-east-1')).toMatchObject({
      unit: '1M output tokens',
      price: 0.24,
      labels: { model: 'Llama 3.1 8B Instruct', endpoint: 'regional' },
    });
    expect(e('bedrock-ondemand.claude-sonnet-4-5-input.us-east-1.global')?.price).toBe(3);
    expect(e('bedrock-ondemand.claude-sonnet-4-5-input.us-east-1')?.price).toBe(3.3);
    expect(e('sagemaker-realtime.ml-g6-xlarge.us-east-1')).toMatchObject({
      price: 0.9765,
      unit: 'instance-hours',
    });
    // $0.00008 per second at 4 GB = $0.00002 per GB-second.
    expect(e('sagemaker-serverless.compute.us-east-1')).toMatchObject({ price: 0.00002, unit: 'GB-seconds' });
    expect(e('eks.control-plane.us-east-1.extended')?.price).toBe(0.6);
  });

  it('writes each refreshed entry with the API as its source, dated today', () => {
    expect(result.file.date).toBe(TODAY);
    const e = parsePriceBook(result.file, 'refreshed').get('ec2.g5-xlarge.us-east-1')!;
    expect(e.source).toBe(`AWS Price List API GetProducts AmazonEC2 ${TODAY}`);
    expect(e.effectiveDate).toBe('2026-11-01'); // the term's effective date
    expect(e.note).toMatch(/^sku EC2-G5-XL, rate EC2-G5-XL\.JRTCKXETXF\.0/);
    expect(e.uncertain).toBe(false);
  });

  it('keeps the first tier of a product with several price dimensions and reports the others', () => {
    const book = parsePriceBook(result.file, 'refreshed');
    expect(book.get('sagemaker-serverless.data-in.us-east-1')?.price).toBe(0.016);
    const tiers = result.skipped.filter((s) => s.sku === 'SM-SLS-DATA-IN');
    expect(tiers).toHaveLength(2);
    expect(tiers[0]!.reason).toContain('a higher usage tier (from 10240)');
  });

  it('skips and reports unknown units, and says why other rows were left out', () => {
    const unknown = result.skipped.filter((s) => s.unknownUnit);
    expect(unknown.map((s) => [s.service, s.sku, s.unit])).toEqual([
      ['AmazonBedrock', 'NOVA-IMG', 'Images'],
      ['AmazonEKS', 'EKS-FARGATE', 'vCPU-Hours'],
    ]);
    const reason = (sku: string) => result.skipped.find((s) => s.sku === sku)?.reason;
    expect(reason('LLAMA8-CACHE')).toContain('prompt-cache tokens');
    expect(reason('EC2-G5-XL-WIN')).toContain('operatingSystem Windows');
  });

  it('diffs against the current book: added, removed, changed', () => {
    const d = result.diff;
    expect(d.added.map((e) => e.id)).toEqual(['bedrock-cmi.inference.us-east-1.price-list-llama']);
    expect(d.changed).toEqual([
      {
        id: 'bedrock-ondemand.llama-3-1-8b-instruct-output.us-east-1',
        unit: '1M output tokens',
        was: 0.22,
        now: 0.24,
        relative: expect.closeTo(0.0909, 3) as number,
      },
      {
        id: 'sagemaker-realtime.ml-g6-xlarge.us-east-1',
        unit: 'instance-hours',
        was: 1.1267,
        now: 0.9765,
        relative: expect.closeTo(-0.1333, 3) as number,
      },
    ]);
    // A refresh never loses an entry: the API's other CMI label and the instance types it did not
    // list stay, marked not refreshed (issue 15 item 7).
    expect(d.removed).toEqual([]);
    const kept = result.kept.map((e) => e.id);
    expect(kept).toContain('bedrock-cmi.inference.us-east-1.pricing-example');
    expect(kept).toContain('ec2.p5-48xlarge.us-east-1');
    expect(result.kept.every((e) => e.region === 'us-east-1' && e.notRefreshed === TODAY)).toBe(true);
    expect(result.pruned).toEqual([]);
  });

  it('keeps other regions, and items the API returned nothing for, from the current book', () => {
    const book = parsePriceBook(result.file, 'refreshed');
    expect(book.get('bedrock-cmi.inference.us-west-2.2026-quoted')).toEqual(
      current.get('bedrock-cmi.inference.us-west-2.2026-quoted'),
    );
    expect(result.kept.map((e) => e.id)).toContain('bedrock-pt.llama-2-70b.us-east-1.1m');
    expect(book.get('bedrock-pt.llama-2-70b.us-east-1.1m')?.source).toBe(
      current.get('bedrock-pt.llama-2-70b.us-east-1.1m')?.source,
    );
  });
});

describe('a partial response (issue 15 item 7)', () => {
  // The Price List answers Bedrock's first page only; every other query comes back empty.
  const partial = (body: Parameters<typeof priceListReply>[0]) =>
    body.ServiceCode === 'AmazonBedrock' && body.NextToken === undefined
      ? priceListReply({ ...body, NextToken: undefined })
      : page([]);
  let server: PriceListServer;
  beforeAll(async () => {
    server = await startPriceListServer(partial);
  });
  afterAll(() => server.close());

  it('keeps every old entry: returned ones updated, the rest marked not refreshed', async () => {
    const r = await refreshPriceBook(options(server.url));
    const book = parsePriceBook(r.file, 'partial');
    // Every id of the current book is still there.
    for (const e of current.entries) expect(book.get(e.id), e.id).toBeDefined();
    expect(r.diff.removed).toEqual([]);
    // Both CMU rates and every SageMaker instance type: kept with their price, source and date.
    for (const id of [
      'bedrock-cmi.inference.us-east-1.pricing-example',
      'bedrock-cmi.inference.us-east-1.2026-quoted',
      'sagemaker-realtime.ml-g5-2xlarge.us-east-1',
    ]) {
      const was = current.get(id)!;
      expect(book.get(id)).toEqual({ ...was, notRefreshed: TODAY });
    }
    // Other regions: untouched, unmarked.
    expect(book.get('bedrock-cmi.inference.us-west-2.2026-quoted')).toEqual(
      current.get('bedrock-cmi.inference.us-west-2.2026-quoted'),
    );
    // Kept = the region's entries minus those the response carried.
    const returned = new Set(r.file.entries.filter((e) => e.notRefreshed === undefined).map((e) => e.id));
    const region = current.entries.filter((e) => e.region === 'us-east-1');
    expect(r.kept.map((e) => e.id).sort()).toEqual(
      region
        .filter((e) => !returned.has(e.id))
        .map((e) => e.id)
        .sort(),
    );
    expect(r.kept.length).toBeGreaterThan(12);
  });

  it('--prune removes only the region entries the response lacks', async () => {
    const r = await refreshPriceBook({ ...options(server.url), prune: true });
    const book = parsePriceBook(r.file, 'pruned');
    expect(r.kept).toEqual([]);
    expect(r.diff.removed.map((e) => e.id).sort()).toEqual(r.pruned.map((e) => e.id).sort());
    expect(r.pruned.every((e) => e.region === 'us-east-1')).toBe(true);
    expect(book.get('sagemaker-realtime.ml-g5-2xlarge.us-east-1')).toBeUndefined();
    expect(book.get('bedrock-cmi.inference.us-west-2.2026-quoted')).toBeDefined();
  });
});

describe('merging by id', () => {
  const entry = (id: string, region: string, price: number) =>
    ({
      id,
      service: 'S',
      item: 'I',
      region,
      unit: 'u',
      price,
      currency: 'USD',
      effectiveDate: '2026-01-01',
      source: 's',
      uncertain: false,
      labels: {},
    }) as const;
  it('[a, b] of the region and [x] elsewhere, API [a′, c] → [a′, b (not refreshed), x, c]', () => {
    const a = entry('a', 'r1', 1);
    const b = entry('b', 'r1', 2);
    const x = entry('x', 'r2', 3);
    const a2 = { ...a, price: 1.5 };
    const c = entry('c', 'r1', 4);
    const m = mergeById([a, b, x], [a2, c], 'r1', TODAY);
    expect(m.entries).toEqual([a2, { ...b, notRefreshed: TODAY }, x, c]);
    expect(m.kept.map((e) => e.id)).toEqual(['b']);
    expect(mergeById([a, b, x], [a2, c], 'r1', TODAY, true).entries).toEqual([a2, x, c]);
  });
});

describe('refresh errors', () => {
  it('throttling: retried by the SDK, then succeeds', async () => {
    const server = await startPriceListServer((body, i) =>
      i === 0 ? awsError('ThrottlingException', 'Rate exceeded') : page([]),
    );
    try {
      const r = await refreshPriceBook(options(server.url, 2));
      expect(server.requests[0]!.body).toEqual(server.requests[1]!.body);
      expect(r.calls).toBe(7);
      expect(server.requests).toHaveLength(8);
    } finally {
      await server.close();
    }
  });

  it('throttling that persists: a clear RuntimeError (exit 1)', async () => {
    const server = await startPriceListServer(() => awsError('ThrottlingException', 'Rate exceeded'));
    try {
      const e = await runtimeError(refreshPriceBook(options(server.url, 1)));
      expect(e.message).toBe(
        'the AWS Price List API (GetProducts AmazonBedrock) is throttling requests and still refused after 1 attempt(s); wait a minute and run `servesim prices refresh` again',
      );
    } finally {
      await server.close();
    }
  });

  it('access denied: RuntimeError (exit 1) naming the permission', async () => {
    const server = await startPriceListServer(() =>
      awsError(
        'AccessDeniedException',
        'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: pricing:GetProducts',
      ),
    );
    try {
      const e = await runtimeError(refreshPriceBook(options(server.url)));
      expect(e.message).toBe(
        'AWS denied access to the AWS Price List API (GetProducts AmazonBedrock): User: arn:aws:iam::123456789012:user/ci is not authorized to perform: pricing:GetProducts. The credentials need the pricing:GetProducts permission',
      );
      expect(server.requests).toHaveLength(1); // not retried
    } finally {
      await server.close();
    }
  });

  it('a response that is not a product: RuntimeError naming service, page, item and field', async () => {
    const server = await startPriceListServer((body) =>
      body.ServiceCode === 'AmazonBedrock'
        ? {
            body: {
              FormatVersion: 'aws_v1',
              PriceList: [JSON.stringify(product('A', 'AmazonBedrock', {}, [])), '{"product":{"sku":7}}'],
            },
          }
        : page([]),
    );
    try {
      const e = await runtimeError(refreshPriceBook(options(server.url)));
      expect(e.message).toMatch(
        /^unexpected Price List API response \(AmazonBedrock, page 1, item 1\): product\.sku: /,
      );
    } finally {
      await server.close();
    }
  });

  it('an item that is not JSON, and a non-numeric price', async () => {
    const bad = (item: string) =>
      startPriceListServer(() => ({ body: { FormatVersion: 'aws_v1', PriceList: [item] } }));
    let server = await bad('<html>');
    try {
      expect((await runtimeError(refreshPriceBook(options(server.url)))).message).toContain(
        'the item is not a JSON document',
      );
    } finally {
      await server.close();
    }
    server = await bad(
      JSON.stringify(
        product('P', 'AmazonBedrock', { regionCode: 'us-east-1' }, [{ unit: 'Hrs', usd: 'n/a' }]),
      ),
    );
    try {
      expect((await runtimeError(refreshPriceBook(options(server.url)))).message).toContain(
        'pricePerUnit.USD: expected a non-negative decimal price',
      );
    } finally {
      await server.close();
    }
  });

  it('nothing listening: RuntimeError "cannot reach"', async () => {
    const port = await new Promise<number>((ok) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => ok(p));
      });
    });
    const e = await runtimeError(refreshPriceBook(options(`http://127.0.0.1:${port}`)));
    expect(e.message).toBe(
      'cannot reach the AWS Price List API (GetProducts AmazonBedrock) (ECONNREFUSED): check the network, or AWS_ENDPOINT_URL_PRICING if you set it',
    );
  });
});
