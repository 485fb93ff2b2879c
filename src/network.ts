import { Readable } from 'node:stream';

/*
 * Bounded AWS calls (issue 17 item 2; docs/design.md §11): every request has a timeout that
 * covers the whole exchange — connecting, the headers and every byte of the body, so a server
 * that dribbles a byte a second is cut off like one that never answers — and the command's
 * network work has a deadline; a paginated call stops at a page cap. Retries stay the SDK's:
 * AWS_MAX_ATTEMPTS / AWS_RETRY_MODE (or max_attempts / retry_mode in the AWS config file),
 * default 3 attempts, standard mode. A timed-out attempt is retried like any transient failure;
 * the deadline is not.
 */

/** `--timeout` default: one request, all of it. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** `--deadline` default: all the requests of a command, retries and pages included. */
export const DEFAULT_DEADLINE_MS = 600_000;
/**
 * Pages of one paginated call before servesim stops (a NextToken that never ends). A CloudWatch
 * import needs 1–2 pages (100,800 datapoints each); the largest Price List query a few dozen
 * (100 products each): 200 is far above both and stops a looping endpoint in seconds.
 */
export const MAX_PAGES = 200;

/** How long servesim waits for AWS. */
export interface NetworkBounds {
  /** Per request (attempt), milliseconds. Default `DEFAULT_TIMEOUT_MS`. */
  timeoutMs?: number;
  /** For the command's network work, milliseconds. Default `DEFAULT_DEADLINE_MS`. */
  deadlineMs?: number;
  /** Pages per paginated call. Default `MAX_PAGES`. */
  maxPages?: number;
}

/** Why a bounded call stopped: a request timed out (after its retries) or the deadline passed. */
export type Cutoff = { kind: 'timeout'; ms: number } | { kind: 'deadline'; ms: number };

/** The error a timed-out attempt fails with: named TimeoutError, so the SDK retries it. */
class AttemptTimeout extends Error {
  override readonly name = 'TimeoutError';
  readonly cutoff: Cutoff;
  constructor(ms: number) {
    super(`no complete answer within ${durationText(ms)}`);
    this.cutoff = { kind: 'timeout', ms };
  }
}

/** The error the deadline aborts with: not retried. */
class DeadlinePassed extends Error {
  override readonly name = 'DeadlineExceeded';
  readonly cutoff: Cutoff;
  constructor(ms: number) {
    super(`the deadline of ${durationText(ms)} passed`);
    this.cutoff = { kind: 'deadline', ms };
  }
}

/** The cutoff behind an SDK error, if a timeout or the deadline caused it. */
export function cutoffOf(e: unknown, deadline: Deadline): Cutoff | undefined {
  if (deadline.signal.aborted) return { kind: 'deadline', ms: deadline.ms };
  for (let x = e as { cutoff?: Cutoff; cause?: unknown } | undefined, i = 0; x && i < 5; i++) {
    if (x.cutoff !== undefined) return x.cutoff;
    x = x.cause as typeof x;
  }
  return undefined;
}

/** The deadline of a command's network work: an AbortSignal for the SDK, cleared by `done()`. */
export class Deadline {
  readonly signal: AbortSignal;
  private readonly timer: NodeJS.Timeout;
  constructor(readonly ms: number) {
    const ac = new AbortController();
    this.signal = ac.signal;
    this.timer = setTimeout(() => ac.abort(new DeadlinePassed(ms)), ms);
  }
  done(): void {
    clearTimeout(this.timer);
  }
}

/** What the SDK's request handler looks like here: `handle` and the response it resolves to. */
interface HttpHandlerLike {
  handle(
    request: unknown,
    options?: { abortSignal?: AbortSignal; requestTimeout?: number },
  ): Promise<{ response: { body?: unknown } }>;
}

/**
 * Bounds every request of an SDK client: wraps its request handler (`client.config.requestHandler`,
 * before the first call) so one attempt — connection, headers and the whole body — ends within
 * `timeoutMs`. The body is read here, inside the bound, and handed on as bytes.
 */
export function boundRequests(handler: HttpHandlerLike, timeoutMs: number): void {
  const inner = handler.handle.bind(handler);
  handler.handle = async (request, options = {}) => {
    const ac = new AbortController();
    const outer = options.abortSignal;
    const fromOuter = () => ac.abort(outer?.reason);
    if (outer?.aborted) fromOuter();
    outer?.addEventListener('abort', fromOuter, { once: true });
    const timer = setTimeout(() => ac.abort(new AttemptTimeout(timeoutMs)), timeoutMs);
    try {
      const out = await abortable(inner(request, { ...options, abortSignal: ac.signal }), ac.signal);
      const body = out.response.body;
      if (body instanceof Readable) out.response.body = await readAll(body, ac.signal);
      return out;
    } catch (e) {
      throw ac.signal.aborted ? ac.signal.reason : e;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', fromOuter);
    }
  };
}

/** `p`, or a rejection with the signal's reason as soon as it aborts. */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Every byte of `body`; an abort destroys the stream. */
async function readAll(body: Readable, signal: AbortSignal): Promise<Uint8Array> {
  const onAbort = () => body.destroy(signal.reason as Error);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    return Buffer.concat(chunks);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** 30000 → "30s", 250 → "250ms", 600000 → "10m": how the flags are written. */
export function durationText(ms: number): string {
  if (ms % 60_000 === 0 && ms >= 60_000) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
