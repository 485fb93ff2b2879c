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
 * the file and line.
 */
export function readTrace(path: string, seed = 0): TraceFileStream {
  return new TraceFileStream(path, { seed, index: 0 });
}

/** Writes every request of `stream` to a requests trace at `path`, atomically; returns the row count. */
export function writeTrace(path: string, header: TraceHeader, stream: ArrivalStream): number {
  return writeRequestTrace(path, header, stream);
}
