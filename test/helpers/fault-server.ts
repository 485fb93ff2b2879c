import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/*
 * A loopback AWS endpoint that misbehaves (issue 17 item 5): it speaks the real wire protocol of
 * CloudWatch GetMetricData (AWS JSON 1.0, as cloudwatch-server.ts) or Price List GetProducts
 * (AWS JSON 1.1, as price-list-server.ts) — checks the target header, answers with the right
 * content type — and then
 *   hang     accepts and reads the request, never answers;
 *   dribble  sends the status line and headers of a valid answer, then its body a byte a second;
 *   reset    reads the request and resets the connection (ECONNRESET);
 *   pages    answers every request at once with an empty page and a new NextToken, forever.
 */

export type FaultMode = 'hang' | 'dribble' | 'reset' | 'pages';
export type Api = 'cloudwatch' | 'pricing';

const PROTOCOL = {
  cloudwatch: {
    target: 'GraniteServiceVersion20100801.GetMetricData',
    contentType: 'application/x-amz-json-1.0',
    page: (n: number) => ({ MetricDataResults: [], Messages: [], NextToken: `page-${n + 1}` }),
  },
  pricing: {
    target: 'AWSPriceListService.GetProducts',
    contentType: 'application/x-amz-json-1.1',
    page: (n: number) => ({ FormatVersion: 'aws_v1', PriceList: [], NextToken: `page-${n + 1}` }),
  },
} as const;

export interface FaultServer {
  url: string;
  /** Requests that reached the server with the right target header. */
  requests: number;
  /** Their Authorization headers (SigV4: the access key id is in the Credential). */
  authorizations: string[];
  close(): Promise<void>;
}

export async function startFaultServer(api: Api, mode: FaultMode): Promise<FaultServer> {
  const proto = PROTOCOL[api];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const state = { requests: 0 };
  const authorizations: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      if (req.headers['x-amz-target'] !== proto.target) {
        res.writeHead(400, { 'content-type': proto.contentType });
        res.end(JSON.stringify({ __type: 'UnknownOperationException', message: 'wrong target' }));
        return;
      }
      JSON.parse(raw); // a JSON body, as the protocol has it
      const n = state.requests++;
      authorizations.push(req.headers.authorization ?? '');
      const body = JSON.stringify(proto.page(n));
      if (mode === 'hang') return;
      if (mode === 'reset') return void req.socket.resetAndDestroy();
      if (mode === 'pages') {
        res.writeHead(200, { 'content-type': proto.contentType });
        return void res.end(body);
      }
      // dribble: the headers at once (a complete Content-Length), the body a byte a second.
      res.writeHead(200, { 'content-type': proto.contentType, 'content-length': Buffer.byteLength(body) });
      res.flushHeaders();
      let i = 0;
      const tick = setInterval(() => {
        if (res.destroyed || i >= body.length) {
          clearInterval(tick);
          timers.delete(tick);
          if (!res.destroyed) res.end();
          return;
        }
        res.write(body[i++]!);
      }, 1000);
      timers.add(tick);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    authorizations,
    close: () =>
      new Promise<void>((ok) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}
