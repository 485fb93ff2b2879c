import { InputError } from '../errors.js';
import type { PageContext } from './html.js';

/*
 * report-meta.json, beside a run's results.json: what the report's page and charts were drawn
 * with that the result does not hold — the scenario's time zone and ranking, the price book's date
 * (and its staleness on the day of the run), the charts' titles and order. With it, `servesim
 * report <folder>` draws the same report.html again from the folder alone (rerender.ts).
 */

/** The file's name in a run's report folder. */
export const META_FILE = 'report-meta.json';

/** A chart of the report: its files are `<name>.vl.json` (the spec, its data inline), .svg and .png. */
export interface ChartEntry {
  name: string;
  title: string;
}

export interface ReportMeta {
  page: PageContext;
  /** The charts in report order. */
  charts: ChartEntry[];
  /** replay: the trace it replayed, as printed — a bare name when it is in the folder (trace.csv). */
  trace?: string;
}

export function metaJson(meta: ReportMeta): string {
  return JSON.stringify(meta, null, 2) + '\n';
}

const isString = (x: unknown): x is string => typeof x === 'string';
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Reads report-meta.json back; a missing or mistyped field is bad input naming `file` and the field. */
export function parseMeta(text: string, file: string): ReportMeta {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON (${(e as Error).message})`, file);
  }
  const bad = (field: string, want: string): never => {
    throw new InputError(`${field} must be ${want}; the folder is damaged: write it again`, file);
  };
  const m = (doc ?? {}) as Partial<ReportMeta>;
  const p = (m.page ?? bad('page', 'an object')) as Partial<PageContext>;
  if (!isString(p.timezone)) bad('page.timezone', 'a time zone name');
  if (p.rankBy !== 'total' && p.rankBy !== 'aws') bad('page.rankBy', '"total" or "aws"');
  if (!isNumber(p.maxLossRate)) bad('page.maxLossRate', 'a number');
  if (p.description !== null && !isString(p.description)) bad('page.description', 'a string or null');
  if (!isString(p.bookDate)) bad('page.bookDate', 'a date');
  if (p.staleBookAgeDays !== null && !isNumber(p.staleBookAgeDays))
    bad('page.staleBookAgeDays', 'a number or null');
  if (!Array.isArray(m.charts)) bad('charts', 'a list');
  for (const [i, c] of (m.charts as Partial<ChartEntry>[]).entries())
    if (!isString(c?.name) || !/^[a-z0-9-]+$/.test(c.name) || !isString(c.title))
      bad(`charts[${i}]`, 'a {name, title} with a name of a-z, 0-9 and -');
  if (m.trace !== undefined && !isString(m.trace)) bad('trace', 'a path');
  return m as ReportMeta;
}
