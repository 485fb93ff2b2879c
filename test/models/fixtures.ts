import { loadPriceBook } from '../../src/pricing/book.js';
import { TraceCalendar } from '../../src/traffic/calendar.js';
import type { ArrivalStream } from '../../src/traffic/types.js';
import type { PrepareContext } from '../../src/models/types.js';
import { ModelSpecSchema } from '../../src/models/model-spec.js';

/** A hand-written trace: arrival times (s) with fixed tokens and class. */
export function arrivals(times: number[], cls = 0, inputTokens = 250, outputTokens = 60): ArrivalStream {
  let i = -1;
  const s: ArrivalStream = {
    t: 0,
    inputTokens,
    outputTokens,
    cls,
    next() {
      i++;
      if (i >= times.length) return false;
      s.t = times[i]!;
      return true;
    },
  };
  return s;
}

/** A prepare context on the shipped price book, us-east-1, one UTC day from 2026-01-05. */
export function context(spanSeconds = 86400, overrides: Partial<PrepareContext> = {}): PrepareContext {
  return {
    model: ModelSpecSchema.parse({}),
    region: 'us-east-1',
    seed: 1,
    key: 'cmi',
    book: loadPriceBook(),
    spanSeconds,
    calendar: new TraceCalendar({ days: Math.max(1, Math.ceil(spanSeconds / 86400)) }, 'UTC'),
    meanTokens: { input: 250, output: 60 },
    ...overrides,
  };
}
