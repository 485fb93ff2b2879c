import { InputError } from '../../errors.js';
import { MSG } from '../messages.js';

/*
 * The trace file format (design §6): a comment line with the header, a column line, then rows
 * sorted by t_s.
 *
 *   # servesim-trace v1 start=2026-11-02T00:00:00Z kind=requests duration_s=86400 source=...
 *   t_s,input_tokens,output_tokens,class
 *   # servesim-trace v1 start=... kind=binned period_s=60 duration_s=1209600 source=...
 *   t_s,requests,input_tokens,output_tokens[,throttles][,model_copies][,latency_ms]
 *
 * Either kind may end with a `model` column (issue 21 item 4: one trace holding several models'
 * traffic); its writers then list the names in the header as `models=a,b` (the order of the
 * names is the model index readers hand out). A file without the column is a single-model trace,
 * read exactly as before.
 *
 * This module owns the header line and the column names; reading rows is in read.ts and
 * binned.ts, writing them in write.ts.
 */

export type TraceKind = 'requests' | 'binned';
export type TraceClassName = 'interactive' | 'batch';

export interface TraceHeader {
  /** t = 0 as UTC ISO-8601 (`2026-11-02T00:00:00Z`). */
  start: string;
  kind: TraceKind;
  /** Bin length in seconds (binned traces). */
  periodSeconds?: number;
  /** Class of a binned trace's requests (default interactive). */
  class?: TraceClassName;
  /** Length of the trace in seconds (optional; binned traces imply at least their last bin's end). */
  durationSeconds?: number;
  /** Where it came from, e.g. `cloudwatch:AWS/Bedrock:ModelId=...`. */
  source: string;
  /**
   * The names in the file's `model` column, in index order (header `models=a,b`). Absent for a
   * single-model trace (no column); a file with the column but without the key lists the names
   * its readers meet, in order of first appearance.
   */
  models?: string[];
}

export const REQUEST_COLUMNS = ['t_s', 'input_tokens', 'output_tokens', 'class'] as const;
export const BINNED_COLUMNS = ['t_s', 'requests', 'input_tokens', 'output_tokens'] as const;
/** Optional binned columns, in the order writers put them. */
export const BINNED_OPTIONAL = ['throttles', 'model_copies', 'latency_ms'] as const;

/** The optional last column of either kind: the model a row belongs to. */
export const MODEL_COLUMN = 'model';
/** A model name's longest form, in bytes (names are ASCII): a slug, so it fits in a folder name. */
export const MODEL_NAME_MAX = 80;
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Whether `s` is a model name: 1–80 characters of letters, digits, `.`, `_` and `-`, starting with
 * a letter or digit. Safe in a CSV field, a header value, a file name and a CloudWatch-free id.
 */
export function isModelName(s: string): boolean {
  return s.length <= MODEL_NAME_MAX && MODEL_NAME.test(s);
}

const MAGIC = '# servesim-trace v1';

/** Unix seconds → `2026-11-02T00:00:00Z` (milliseconds only when not whole). */
export function isoSeconds(epochSeconds: number): string {
  return new Date(Math.round(epochSeconds * 1000)).toISOString().replace('.000Z', 'Z');
}

export function formatHeader(h: TraceHeader): string {
  const parts = [MAGIC, `start=${h.start}`, `kind=${h.kind}`];
  if (h.periodSeconds !== undefined) parts.push(`period_s=${h.periodSeconds}`);
  if (h.class !== undefined && h.class !== 'interactive') parts.push(`class=${h.class}`);
  if (h.durationSeconds !== undefined) parts.push(`duration_s=${h.durationSeconds}`);
  if (h.models !== undefined && h.models.length > 0) parts.push(`models=${h.models.join(',')}`);
  parts.push(`source=${encodeURIComponent(h.source)}`);
  return parts.join(' ');
}

/** Parses the header line; unknown keys are ignored so later versions can add some. */
export function parseHeader(line: string, where: string): TraceHeader & { startEpochSeconds: number } {
  if (!line.startsWith(MAGIC)) throw new InputError(MSG.notATrace(), `${where}:1`);
  const kv = new Map<string, string>();
  for (const part of line.slice(MAGIC.length).trim().split(/\s+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) kv.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const at = `${where}:1`;
  const start = kv.get('start');
  if (start === undefined) throw new InputError(MSG.missingHeaderKey('start'), at);
  const startMs = Date.parse(start);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(start) || !Number.isFinite(startMs))
    throw new InputError(
      MSG.badHeaderValue('start', start, 'a UTC date-time such as 2026-11-02T00:00:00Z'),
      at,
    );
  const kind = kv.get('kind');
  if (kind !== 'requests' && kind !== 'binned')
    throw new InputError(
      kind === undefined
        ? MSG.missingHeaderKey('kind')
        : MSG.badHeaderValue('kind', kind, 'requests or binned'),
      at,
    );
  const h: TraceHeader & { startEpochSeconds: number } = {
    start,
    startEpochSeconds: startMs / 1000,
    kind,
    source: decodeSource(kv.get('source') ?? ''),
  };
  const period = kv.get('period_s');
  if (kind === 'binned') {
    if (period === undefined) throw new InputError(MSG.missingHeaderKey('period_s'), at);
    const p = Number(period);
    if (!Number.isInteger(p) || p < 1)
      throw new InputError(MSG.badHeaderValue('period_s', period, 'a whole number of seconds ≥ 1'), at);
    h.periodSeconds = p;
  }
  const cls = kv.get('class');
  if (cls !== undefined) {
    if (cls !== 'interactive' && cls !== 'batch')
      throw new InputError(MSG.badHeaderValue('class', cls, 'interactive or batch'), at);
    h.class = cls;
  }
  const duration = kv.get('duration_s');
  if (duration !== undefined) {
    const d = Number(duration);
    if (!(d > 0) || !Number.isFinite(d))
      throw new InputError(MSG.badHeaderValue('duration_s', duration, 'seconds > 0'), at);
    h.durationSeconds = d;
  }
  const models = kv.get('models');
  if (models !== undefined) {
    const names = models.split(',');
    const bad = names.find((n) => !isModelName(n));
    if (bad !== undefined) throw new InputError(MSG.badModelName(bad), at);
    if (new Set(names).size !== names.length)
      throw new InputError(MSG.badHeaderValue('models', models, 'distinct model names'), at);
    h.models = names;
  }
  return h;
}

function decodeSource(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
