import type { ArrivalStream } from '../types.js';
import type { TraceHeader } from './format.js';
import { TraceFileStream } from './read.js';
import { writeRequestTrace } from './write.js';

/**
 * Trace files for scripts (the library API): read one as a stream of requests, write a stream as
 * one. The CLI's importers and `trace` commands use read.ts and write.ts directly.
 */

/**
 * Opens a servesim trace file as an `ArrivalStream` with its `header`. A binned trace is expanded
 * into requests with random draws seeded by `seed` (same seed, same requests); a requests trace
 * is read as is. Rows are parsed as `next()` reaches them, so a bad row throws there, naming
 * the file and line. A trace with a `model` column: `model` keeps that model's rows; without it
 * a requests trace gives every row, with `stream.model` indexing `header.models`, and a binned
 * trace must name one (its models' bins overlap in time).
 */
export function readTrace(path: string, seed = 0, model?: string): TraceFileStream {
  return new TraceFileStream(path, { seed, index: 0, ...(model !== undefined ? { model } : {}) });
}

/**
 * Writes every request of `stream` to a requests trace at `path`, atomically; returns the row
 * count. With `header.models` (several models), each row also gets its `model` column, the name
 * at `stream.model`; without it the file is the single-model format, as always.
 */
export function writeTrace(
  path: string,
  header: TraceHeader,
  stream: ArrivalStream & { model?: number },
): number {
  return writeRequestTrace(path, header, stream);
}
