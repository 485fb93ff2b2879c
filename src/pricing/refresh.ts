import type { Filter, PricingClientConfig } from '@aws-sdk/client-pricing';
import { RuntimeError } from '../errors.js';
import {
  boundRequests,
  cutoffOf,
  Deadline,
  DEFAULT_DEADLINE_MS,
  DEFAULT_TIMEOUT_MS,
  durationText,
  MAX_PAGES,
  type Cutoff,
  type NetworkBounds,
} from '../network.js';
import { parsePriceBook, type PriceBook, type PriceBookFile, type PriceEntry } from './book.js';
import { diffBooks, type BookDiff } from './diff.js';
import { mapProduct, type Skipped } from './map-products.js';
import { parsePriceListItem } from './price-list.js';
import { SERVICE_CODES, type ServiceCode } from './vocabulary.js';

/*
 * `servesim prices refresh`: the AWS Price List Query API → a new price book.
 *
 *   queries (one per service, filtered by region) ─► GetProducts pages ─► JSON.parse each item
 *   ─► schema check ─► map dimensions by unit ─► merge with the current book ─► diff
 *
 * Merge rule (issue 15 item 7: a refresh never loses an entry): entries are matched by id. An
 * entry the API returned replaces the current book's entry of that id, or is added. An entry of
 * the region the response lacks — a partial answer, a label variant, an instance type the API
 * did not list — is kept with its own price, source and date and marked `notRefreshed` (the
 * refresh's date); only `prune` removes such entries. Other regions are kept unchanged.
 */

/** The Price List Query API is served from us-east-1 whatever region's prices it returns. */
const PRICING_API_REGION = 'us-east-1';

/** Instance types asked for when the current book names none. */
const DEFAULT_EC2_TYPES = [
  'g5.xlarge',
  'g5.2xlarge',
  'g5.12xlarge',
  'g6.xlarge',
  'g6e.xlarge',
  'p4d.24xlarge',
  'p5.48xlarge',
];
const DEFAULT_SAGEMAKER_TYPES = DEFAULT_EC2_TYPES.map((t) => `ml.${t}`);

export interface PriceListQuery {
  service: ServiceCode;
  filters: Filter[];
}

const term = (Field: string, Value: string): Filter => ({ Type: 'TERM_MATCH', Field, Value });

/**
 * The GetProducts queries for one region: one per service, narrowed by `regionCode` and, for
 * the big catalogs (EC2, SageMaker), by the instance types the current book prices, so a refresh
 * takes a handful of calls. SageMaker Serverless rows are asked for separately (usage type).
 */
export function priceListQueries(region: string, current: PriceBook): PriceListQuery[] {
  const types = (service: string, fallback: string[]) => {
    const named = current.entries
      .filter((e) => e.service === service && e.labels.instanceType !== undefined)
      .map((e) => e.labels.instanceType!);
    return anyOfValues([...new Set(named.length > 0 ? named : fallback)].sort());
  };
  const inRegion = term('regionCode', region);
  return [
    { service: 'AmazonBedrock', filters: [inRegion] },
    { service: 'AmazonBedrockFoundationModels', filters: [inRegion] },
    { service: 'AmazonBedrockService', filters: [inRegion] },
    ...types('AmazonSageMaker', DEFAULT_SAGEMAKER_TYPES).map((Value): PriceListQuery => ({
      service: 'AmazonSageMaker',
      filters: [inRegion, term('component', 'Hosting'), { Type: 'ANY_OF', Field: 'instanceName', Value }],
    })),
    {
      service: 'AmazonSageMaker',
      filters: [inRegion, { Type: 'CONTAINS', Field: 'usagetype', Value: 'Serverless' }],
    },
    ...types('AmazonEC2', DEFAULT_EC2_TYPES).map((Value): PriceListQuery => ({
      service: 'AmazonEC2',
      filters: [
        inRegion,
        term('operatingSystem', 'Linux'),
        term('tenancy', 'Shared'),
        term('preInstalledSw', 'NA'),
        term('capacitystatus', 'Used'),
        { Type: 'ANY_OF', Field: 'instanceType', Value },
      ],
    })),
    { service: 'AmazonEKS', filters: [inRegion] },
  ];
}

/** A filter `Value` holds at most 1024 characters: ANY_OF lists longer than that become several. */
export function anyOfValues(values: readonly string[], limit = 1024): string[] {
  const out: string[] = [];
  let cur = '';
  for (const v of values) {
    if (cur !== '' && cur.length + 1 + v.length > limit) {
      out.push(cur);
      cur = '';
    }
    cur = cur === '' ? v : `${cur},${v}`;
  }
  if (cur !== '') out.push(cur);
  return out;
}

/** Bounded like every AWS command (src/network.ts): --timeout, --deadline, MAX_PAGES per query. */
export interface RefreshOptions extends NetworkBounds {
  /** Region whose prices to fetch. */
  region: string;
  /** The book the new one starts from and is compared with. */
  current: PriceBook;
  /** ISO date of the refresh: the new book's date and its entries' source date. */
  today: string;
  /** PricingClient settings (tests: endpoint, credentials, maxAttempts). Default: the SDK's own
   * configuration chain (AWS_ENDPOINT_URL[_PRICING], AWS_PROFILE, access keys, SSO, IMDS;
   * AWS_MAX_ATTEMPTS / AWS_RETRY_MODE for retries). */
  client?: PricingClientConfig;
  /** Called after each GetProducts page (progress). */
  onPage?: (service: string, page: number, products: number) => void;
  /** Remove the region's entries the response lacks instead of keeping them (`--prune`). */
  prune?: boolean;
}

export interface RefreshResult {
  /** The new book (validated). */
  file: PriceBookFile;
  /** Against the current book, over all entries. */
  diff: BookDiff;
  /** Entries of the region the response lacked, kept from the current book and marked `notRefreshed`. */
  kept: PriceEntry[];
  /** Entries of the region the response lacked, removed because `prune` was asked for. */
  pruned: PriceEntry[];
  /** Price dimensions not mapped, with reasons. */
  skipped: Skipped[];
  /** GetProducts calls made (pages; retries not counted). */
  calls: number;
  /** Products received. */
  products: number;
  /** Entries the API produced. */
  fetched: number;
}

export async function refreshPriceBook(opts: RefreshOptions): Promise<RefreshResult> {
  const { PricingClient, paginateGetProducts } = await import('@aws-sdk/client-pricing');
  // No maxAttempts here: the SDK then reads AWS_MAX_ATTEMPTS / AWS_RETRY_MODE (default 3, standard).
  const client = new PricingClient({ region: PRICING_API_REGION, ...opts.client });
  boundRequests(client.config.requestHandler as never, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const deadline = new Deadline(opts.deadlineMs ?? DEFAULT_DEADLINE_MS);
  const maxPages = opts.maxPages ?? MAX_PAGES;
  const fetched = new Map<string, PriceEntry>();
  const skipped: Skipped[] = [];
  let calls = 0;
  let products = 0;
  try {
    for (const q of priceListQueries(opts.region, opts.current)) {
      const input = { ServiceCode: q.service, Filters: q.filters, FormatVersion: 'aws_v1', MaxResults: 100 };
      let page = 0;
      try {
        // The paginator writes NextToken into the object it is given: pass a copy.
        const pager = paginateGetProducts(
          { client, pageSize: 100 },
          { ...input },
          { abortSignal: deadline.signal },
        );
        for await (const out of pager) {
          calls++;
          page++;
          const items = (out.PriceList ?? []) as unknown[];
          items.forEach((item, i) => {
            const p = parsePriceListItem(item, `${q.service}, page ${page}, item ${i}`);
            products++;
            const m = mapProduct(p, { service: q.service, region: opts.region, today: opts.today });
            skipped.push(...m.skipped);
            for (const e of m.entries) {
              const first = fetched.get(e.id);
              if (first === undefined) fetched.set(e.id, e);
              else if (first.price !== e.price)
                skipped.push({
                  service: q.service,
                  sku: p.product.sku,
                  unit: e.unit,
                  reason: `a second price (${e.price}) for ${e.id}; kept the first (${first.price})`,
                  unknownUnit: false,
                });
            }
          });
          opts.onPage?.(q.service, page, items.length);
          // A NextToken that never ends stops at the cap, before asking for one page more.
          if (page >= maxPages && out.NextToken)
            throw new RuntimeError(
              `${apiName(q.service, opts)} still returned a NextToken after ${maxPages} pages (servesim's cap; ${products} products fetched), nothing written; check AWS_ENDPOINT_URL_PRICING`,
            );
        }
      } catch (e) {
        const cut = cutoffOf(e, deadline);
        if (cut !== undefined && !(e instanceof RuntimeError))
          throw new RuntimeError(cutoffText(apiName(q.service, opts), cut, e, { calls, products }), {
            cause: e,
          });
        throw priceListError(e, q.service);
      }
    }
  } finally {
    deadline.done();
    client.destroy();
  }

  const apiEntries = [...fetched.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const { entries, kept, pruned } = mergeById(
    opts.current.entries,
    apiEntries,
    opts.region,
    opts.today,
    opts.prune,
  );
  const file: PriceBookFile = {
    date: opts.today,
    description:
      `servesim price book: ${opts.region} refreshed from the AWS Price List API (GetProducts: ${SERVICE_CODES.join(', ')}) on ${opts.today}. ` +
      `Other regions are kept from ${opts.current.name} with their own sources and dates; ${opts.region} entries the API did not return are ` +
      (opts.prune ? 'removed (--prune).' : 'kept with their own sources and dates, marked notRefreshed.'),
    entries,
  };
  try {
    parsePriceBook(file, 'refreshed book');
  } catch (e) {
    throw new RuntimeError(
      `the refreshed price book failed its own check (${(e as Error).message}); nothing was written`,
    );
  }
  return {
    file,
    diff: diffBooks(opts.current.entries, entries),
    kept,
    pruned,
    skipped,
    calls,
    products,
    fetched: apiEntries.length,
  };
}

/**
 * The refreshed entries: the current book in its order, each entry the API returned put in place
 * of the entry with its id, the region's entries it did not return kept and marked `notRefreshed`
 * (or, with `prune`, removed), then the API's new ids. Pure.
 * Worked: current [a, b] of the region, API [a′, c] → [a′, b (notRefreshed), c]; pruned: [a′, c].
 */
export function mergeById(
  current: readonly PriceEntry[],
  api: readonly PriceEntry[],
  region: string,
  today: string,
  prune = false,
): { entries: PriceEntry[]; kept: PriceEntry[]; pruned: PriceEntry[] } {
  const fresh = new Map(api.map((e) => [e.id, e]));
  const entries: PriceEntry[] = [];
  const kept: PriceEntry[] = [];
  const pruned: PriceEntry[] = [];
  for (const e of current) {
    const now = fresh.get(e.id);
    if (now !== undefined) {
      entries.push(now);
      fresh.delete(e.id);
    } else if (e.region !== region) entries.push(e);
    else if (prune) pruned.push(e);
    else {
      const marked = { ...e, notRefreshed: today };
      entries.push(marked);
      kept.push(marked);
    }
  }
  entries.push(...fresh.values());
  return { entries, kept, pruned };
}

/** The API and where it was asked: the endpoint given (client or environment), else AWS's. */
function apiName(service: string, opts: RefreshOptions): string {
  const endpoint =
    (typeof opts.client?.endpoint === 'string' ? opts.client.endpoint : undefined) ??
    process.env.AWS_ENDPOINT_URL_PRICING ??
    process.env.AWS_ENDPOINT_URL ??
    `https://api.pricing.${PRICING_API_REGION}.amazonaws.com`;
  return `the AWS Price List API at ${endpoint} (GetProducts ${service})`;
}

/** A timeout or the deadline, in one line: where, what was fetched, which flag to raise. */
function cutoffText(api: string, cut: Cutoff, e: unknown, got: { calls: number; products: number }): string {
  const attempts = (e as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
  const what =
    cut.kind === 'timeout'
      ? `${api} gave no complete answer within ${durationText(cut.ms)} (--timeout), ${attempts} attempt(s)`
      : `${api}: the --deadline of ${durationText(cut.ms)} passed`;
  return `${what}; fetched ${got.calls} page(s), ${got.products} products so far, nothing written. Check the network, or raise ${cut.kind === 'timeout' ? '--timeout' : '--deadline'}`;
}

/** SDK and network failures → one clear RuntimeError (exit 1), the original kept as `cause`. */
function priceListError(e: unknown, service: string): Error {
  if (e instanceof RuntimeError) return e;
  const err = e as { name?: string; message?: string; code?: string; $metadata?: { attempts?: number } };
  const name = err.name ?? 'Error';
  const message = err.message ?? String(e);
  const code = err.code ?? (e as { cause?: { code?: string } }).cause?.code;
  const api = `the AWS Price List API (GetProducts ${service})`;
  let text: string;
  if (
    name === 'AccessDeniedException' ||
    name === 'UnrecognizedClientException' ||
    name === 'InvalidSignatureException'
  )
    text = `AWS denied access to ${api}: ${message}. The credentials need the pricing:GetProducts permission`;
  else if (name === 'ThrottlingException')
    text = `${api} is throttling requests and still refused after ${err.$metadata?.attempts ?? 'several'} attempt(s); wait a minute and run \`servesim prices refresh\` again`;
  else if (name === 'CredentialsProviderError' || /credential/i.test(message))
    text = `no AWS credentials for ${api}: ${message}. Set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
  else if (
    (code !== undefined &&
      /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)$/.test(code)) ||
    name === 'TimeoutError'
  )
    text = `cannot reach ${api} (${code ?? name}): check the network, or AWS_ENDPOINT_URL_PRICING if you set it`;
  else text = `${api} failed: ${name}: ${message}`;
  return new RuntimeError(text, { cause: e });
}
