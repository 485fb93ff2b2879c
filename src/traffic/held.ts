import type { Scenario } from '../scenario/schema.js';
import { ColumnStream, materialize, type TraceColumns } from './columns.js';
import { syntheticStream } from './synthetic.js';
import type { ArrivalStream } from './types.js';

/*
 * The scenario's trace, generated once per run (issue 16): simulations read its columns instead of
 * regenerating the stream (and redrawing every token count) each time.
 */

/** Above this many requests a trace is streamed (regenerated per simulation) instead of held (8–13 B each). */
export const MAX_HELD_REQUESTS = 25_000_000;

/** Where an option's user requests come from: a fresh stream per simulation, the same requests each time. */
export type UserSource = () => ArrivalStream;

/** The scenario's trace, generated once: its columns (null when too long to hold) and a source over them. */
export interface HeldTrace {
  columns: TraceColumns | null;
  users: UserSource;
}

/**
 * Generates the scenario's trace once and holds it as columns (on shared memory, so sweep workers
 * read it in place); past `maxRequests` it falls back to regenerating the stream per simulation.
 */
export function holdTrace(
  scenario: Pick<Scenario, 'traffic' | 'timezone' | 'seed'>,
  baseDir: string,
  opts: { shared?: boolean; maxRequests?: number } = {},
): HeldTrace {
  const stream = (): ArrivalStream =>
    syntheticStream(scenario.traffic, scenario.timezone, scenario.seed, baseDir);
  const columns = materialize(stream(), {
    shared: opts.shared ?? true,
    maxRequests: opts.maxRequests ?? MAX_HELD_REQUESTS,
  });
  return { columns, users: columns ? () => new ColumnStream(columns) : stream };
}
