import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A loopback AWS Price List Query API speaking the real wire protocol (toolchain.md §3): AWS JSON
 * 1.1 POSTs to "/" with `x-amz-target: AWSPriceListService.GetProducts`; replies are
 * `application/x-amz-json-1.1` with `PriceList` an array of JSON documents encoded as strings.
 * Errors are `{"__type": "...", "Message": "..."}` with a 4xx status, as AWS sends them.
 */

export interface GetProductsBody {
  ServiceCode: string;
  Filters?: { Type: string; Field: string; Value: string }[];
  FormatVersion?: string;
  NextToken?: string;
  MaxResults?: number;
}

export interface Reply {
  status?: number;
  body: unknown;
}

export interface Recorded {
  target: string | undefined;
  contentType: string | undefined;
  authorization: string | undefined;
  body: GetProductsBody;
}

export interface PriceListServer {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

/** Starts the server on a free port; `reply` gets each request body and its 0-based index. */
export async function startPriceListServer(
  reply: (body: GetProductsBody, index: number) => Reply,
): Promise<PriceListServer> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const target = req.headers['x-amz-target'] as string | undefined;
      const contentType = req.headers['content-type'];
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      if (target !== 'AWSPriceListService.GetProducts' || contentType !== 'application/x-amz-json-1.1')
        return send(400, {
          __type: 'UnknownOperationException',
          Message: `expected AWS JSON 1.1 GetProducts, got ${String(target)} (${String(contentType)})`,
        });
      const body = JSON.parse(raw) as GetProductsBody;
      requests.push({ target, contentType, authorization: req.headers.authorization, body });
      const r = reply(body, requests.length - 1);
      send(r.status ?? 200, r.body);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** A GetProducts page: products encoded as JSON strings, `NextToken` when more follow. */
export function page(products: unknown[], nextToken?: string): Reply {
  return {
    body: {
      FormatVersion: 'aws_v1',
      PriceList: products.map((p) => JSON.stringify(p)),
      ...(nextToken ? { NextToken: nextToken } : {}),
    },
  };
}

export function awsError(type: string, message: string, status = 400): Reply {
  return { status, body: { __type: type, Message: message } };
}

export interface Dim {
  unit: string;
  usd: string;
  description?: string;
  beginRange?: string;
  endRange?: string;
}

/** One Price List product in the `aws_v1` shape, with an on-demand term of `dims`. */
export function product(
  sku: string,
  serviceCode: string,
  attributes: Record<string, string>,
  dims: Dim[],
  effectiveDate = '2026-11-01T00:00:00Z',
): unknown {
  const termCode = `${sku}.JRTCKXETXF`;
  return {
    product: { sku, productFamily: 'Test Family', attributes: { servicecode: serviceCode, ...attributes } },
    serviceCode,
    terms: {
      OnDemand: {
        [termCode]: {
          offerTermCode: 'JRTCKXETXF',
          sku,
          effectiveDate,
          termAttributes: {},
          priceDimensions: Object.fromEntries(
            dims.map((d, i) => [
              `${termCode}.${i}`,
              {
                rateCode: `${termCode}.${i}`,
                unit: d.unit,
                description: d.description ?? `${d.usd} per ${d.unit}`,
                beginRange: d.beginRange ?? '0',
                endRange: d.endRange ?? 'Inf',
                appliesTo: [],
                pricePerUnit: { USD: d.usd },
              },
            ]),
          ),
        },
      },
    },
    version: '20261101000000',
    publicationDate: '2026-11-01T00:00:00Z',
  };
}
