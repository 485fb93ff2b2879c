import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import type { SavedRun } from './rerender-read.js';
import type { SeriesView } from './terminal.js';

/*
 * A saved run's per-minute series, read back from its timeline.csv for `servesim report
 * --details` (the terminal's traffic-vs-copies sparklines): the file holds, per simulated option
 * in the run's order, one row a minute from 0 — its arrivals and ready copies are what the
 * sparklines draw.
 */

const HEADER = ['minute', 'option', 'arrivals', 'in_flight', 'replicas', 'cost_so_far'];

/** The run's series view: each option's rows of timeline.csv (null when it has none: not simulated). */
export function savedSeries(saved: SavedRun): SeriesView {
  const path = saved.kept.get('timeline.csv')!;
  let rows: string[][];
  try {
    rows = parse(readFileSync(path, 'utf8'), { relax_column_count: false }) as string[][];
  } catch (e) {
    throw new InputError(`not a CSV timeline (${(e as Error).message})`, path);
  }
  if (rows[0]?.join(',') !== HEADER.join(','))
    throw new InputError(`the header must be ${HEADER.join(',')}`, path);
  const series = new Map<string, { arrivals: number[]; ready: number[] }>();
  for (let i = 1; i < rows.length; i++) {
    const [minute, key, arrivals, , replicas] = rows[i]!;
    let s = series.get(key!);
    if (s === undefined) series.set(key!, (s = { arrivals: [], ready: [] }));
    const count = (v: string | undefined) => (/^\d+$/.test(v ?? '') ? Number(v) : NaN);
    if (count(minute) !== s.arrivals.length || Number.isNaN(count(arrivals) + count(replicas)))
      throw new InputError(
        `expected minute ${s.arrivals.length} of ${key} with whole-number arrivals and replicas`,
        `${path}:${i + 1}`,
      );
    s.arrivals.push(count(arrivals));
    s.ready.push(count(replicas));
  }
  const runs = saved.result.options.map((o) => {
    const s = series.get(o.key);
    return {
      key: o.key,
      record:
        s === undefined
          ? null
          : {
              series: {
                minutes: s.arrivals.length,
                arrivals: Int32Array.from(s.arrivals),
                ready: Int32Array.from(s.ready),
              },
            },
    };
  });
  return { result: saved.result, runs, scenario: { timezone: saved.meta.page.timezone } };
}
