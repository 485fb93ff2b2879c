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

/** Request classes as small integers for typed arrays. Heartbeats are added by options, never by traces. */
export const RequestClass = { interactive: 0, batch: 1, heartbeat: 2 } as const;
export type RequestClass = (typeof RequestClass)[keyof typeof RequestClass];
