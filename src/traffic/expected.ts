import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Scenario } from '../scenario/schema.js';
import { TraceCalendar } from './calendar.js';

/*
 * How many requests a scenario's traffic is expected to make, before generating it: a guess that
 * only decides whether worker threads start while the trace is generated (issue 16). Nothing a
 * result depends on.
 */

/** Bytes of a trace file sampled to guess its rows' length and requests per row. */
const SAMPLE_BYTES = 16_384;

/**
 * Poisson components: rate × open seconds per day × the span's days (a partial day pro rata).
 * Trace files: rows (file size ÷ the sampled rows' mean length) × requests per row (a binned
 * file's sampled `requests` mean, else 1). Batch and trickle components count nothing.
 */
export function expectedRequests(scenario: Pick<Scenario, 'traffic' | 'timezone'>, baseDir: string): number {
  const days = new TraceCalendar(scenario.traffic, scenario.timezone).span.durationSeconds / 86400;
  let total = 0;
  for (const c of scenario.traffic.components) {
    if (c.type === 'poisson')
      total +=
        days *
        (Array.isArray(c.rate)
          ? c.rate.reduce((s, r) => s + r * 3600, 0)
          : c.rate * ((c.to ?? 86400) - (c.from ?? 0)));
    else if (c.type === 'trace') total += traceFileRequests(resolve(baseDir, c.file));
  }
  return total;
}

/** A trace file's requests, guessed from its size and first rows; 0 when it cannot be read as text. */
export function traceFileRequests(path: string): number {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, SAMPLE_BYTES));
    const n = readSync(fd, buf, 0, buf.length, 0);
    const lines = buf.subarray(0, n).toString('utf8').split('\n');
    if (n < size) lines.pop(); // cut mid-row
    const header = lines.findIndex((l) => l.length > 0 && !l.startsWith('#'));
    if (header < 0) return 0;
    const rows = lines.slice(header + 1).filter((l) => l.trim().length > 0 && !l.startsWith('#'));
    if (rows.length === 0) return 0;
    const rowBytes = rows.reduce((s, l) => s + Buffer.byteLength(l) + 1, 0) / rows.length;
    const col = lines[header]!.split(',').indexOf('requests');
    const perRow =
      lines.some((l) => l.startsWith('#') && /\bkind=binned\b/.test(l)) && col >= 0
        ? rows.reduce((s, l) => s + (Number(l.split(',')[col]) || 0), 0) / rows.length
        : 1;
    return (size / rowBytes) * perRow;
  } catch {
    return 0;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
