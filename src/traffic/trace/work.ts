import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { MSG } from '../messages.js';
import { MAX_LINE_BYTES } from './lines.js';
import { MODEL_COLUMN } from './format.js';
import { num, openTrace, whole } from './read.js';

/*
 * How much work a trace file holds, found before any simulation (issue 17 item 1): its requests
 * and the time of its last row, without expanding a binned row into requests.
 * - requests traces: one request per row, so the rows are counted as newline bytes (no parsing:
 *   a few hundred MB/s) and the last row's t_s is read from the file's tail;
 * - binned traces: the rows are read and `requests` summed, stopping once the sum passes `stopAbove`
 *   (the caller's limit): a row of 1e12 requests costs one line, not 1e12 draws.
 * With `model` (a multi-model trace), only that model's rows count, and a requests trace is then
 * read row by row (its model column is needed).
 */

export interface TraceWork {
  /** Requests in the file (requests traces: rows, an upper bound when it holds comment lines). */
  requests: number;
  /** Seconds from the trace's t = 0 to the end of its last row (binned: the last bin's end). */
  lastSeconds: number;
  /** The header's duration_s, if any. */
  durationSeconds: number | undefined;
}

const CHUNK = 1 << 20;

/** The requests and span of a trace file (of `model`'s rows); stops summing once requests pass `stopAbove`. */
export function traceWork(path: string, stopAbove = Infinity, model?: string): TraceWork {
  const { header, reader, col, models } = openTrace(path);
  const durationSeconds = header.durationSeconds;
  const iModel = model !== undefined && models !== null ? col(MODEL_COLUMN) : -1;
  if (header.kind === 'binned' || iModel >= 0) {
    const period = header.periodSeconds ?? 0;
    const binned = header.kind === 'binned';
    let requests = 0;
    let last = 0;
    for (let line = reader.next(); line !== undefined; line = reader.next()) {
      if (line === '' || line.charCodeAt(0) === 35) continue;
      const f = line.split(',');
      const at = `${path}:${reader.lineNo}`;
      if (iModel >= 0 && models!.names[models!.of(f[iModel], () => at)] !== model) continue;
      last = num(f[col('t_s')], 't_s', 'seconds ≥ 0', at) + period;
      requests += binned ? whole(f[col('requests')], 'requests', at) : 1;
      if (requests > stopAbove) break;
    }
    return { requests, lastSeconds: last, durationSeconds };
  }
  const { lines, tail } = countLines(path);
  const t = Number(tail.split(',')[col('t_s')]);
  // The header and column lines are not requests.
  return { requests: Math.max(0, lines - 2), lastSeconds: t >= 0 ? t : 0, durationSeconds };
}

/** Lines of a file (a last line without `\n` counts) and its last non-empty line. */
function countLines(path: string): { lines: number; tail: string } {
  const buf = Buffer.allocUnsafe(CHUNK);
  let lines = 0;
  let pos = 0;
  let sinceNewline = 0;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new InputError(MSG.cannotRead('trace', (e as NodeJS.ErrnoException).code ?? 'error'), path);
  }
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) break;
      pos += n;
      let from = 0;
      for (let nl = buf.indexOf(10, 0); nl >= 0 && nl < n; nl = buf.indexOf(10, from)) {
        lines++;
        sinceNewline = 0;
        from = nl + 1;
      }
      sinceNewline += n - from;
      if (sinceNewline > MAX_LINE_BYTES)
        throw new InputError(MSG.lineTooLong(lines + 1, MAX_LINE_BYTES), `${path}:${lines + 1}`);
    }
    if (sinceNewline > 0) lines++;
    return { lines, tail: lastLine(fd, pos) };
  } finally {
    closeSync(fd);
  }
}

/** The last non-empty line of the file's final 64 KiB (rows are far shorter). */
function lastLine(fd: number, size: number): string {
  const want = Math.min(size, 1 << 16);
  const buf = Buffer.allocUnsafe(want);
  const n = readSync(fd, buf, 0, want, size - want);
  const lines = buf.subarray(0, n).toString('utf8').split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.trim() !== '') return lines[i]!;
  return '';
}
