/**
 * The trace as the simulator consumes it: user requests in time order, pulled one at a time so
 * memory does not grow with trace length. `next()` advances and overwrites the public fields;
 * nothing is allocated per request.
 */
export interface ArrivalStream {
  /** Moves to the next request; false when the stream is exhausted (the fields are then stale). */
  next(): boolean;
  /** Arrival time, seconds from the trace start. Non-decreasing across calls. */
  t: number;
  inputTokens: number;
  outputTokens: number;
  /** One of `RequestClass`. */
  cls: number;
}

/**
 * The most tokens one request may carry (input or output): ten million, above any model's
 * context today. Larger counts are refused by the schema and clamped when drawn from a
 * distribution's tail, so a typo (1e15) cannot make one request occupy a replica for ages.
 */
export const MAX_REQUEST_TOKENS = 10_000_000;

/** Request classes as small integers for typed arrays. Heartbeats are added by options, never by traces. */
export const RequestClass = { interactive: 0, batch: 1, heartbeat: 2 } as const;
export type RequestClass = (typeof RequestClass)[keyof typeof RequestClass];
