import { InputError } from '../../errors.js';
import { MSG } from '../messages.js';
import { BINNED_OPTIONAL, MODEL_COLUMN, type TraceHeader } from './format.js';
import { num, openTrace, readTraceHeader, whole } from './read.js';

/*
 * Binned traces read whole, as columns: for `trace show`, the actual-vs-simulated reconciliation
 * (observed model copies) and tests. Replays expand binned rows lazily instead (read.ts).
 */

/** A binned trace held in memory (bins are few: 15 days of minutes = 21,600 rows). */
export interface BinnedSeries {
  header: TraceHeader & { startEpochSeconds: number };
  periodSeconds: number;
  t: Float64Array;
  requests: Float64Array;
  inputTokens: Float64Array;
  outputTokens: Float64Array;
  /** Present when the file has the column. */
  throttles: Float64Array | null;
  modelCopies: Float64Array | null;
  latencyMs: Float64Array | null;
  /**
   * Each bin's model, an index into `models`: present only when the file has a `model` column and
   * every model was read (no `model` asked for). Bins of several models may share a `t`.
   */
  model: Uint32Array | null;
  /** The file's model names (empty without a `model` column). */
  models: string[];
}

/**
 * Reads every bin of a binned trace file, or only model `model`'s bins. Bins are sorted by `t`
 * across models; one model's bins never overlap.
 */
export function readBinnedSeries(path: string, model?: string): BinnedSeries {
  const o = openTrace(path);
  if (o.header.kind !== 'binned')
    throw new InputError(
      MSG.badHeaderValue('kind', o.header.kind, 'binned (this needs per-period bins)'),
      `${path}:1`,
    );
  const period = o.header.periodSeconds!;
  const cols = ['t_s', 'requests', 'input_tokens', 'output_tokens', ...BINNED_OPTIONAL].map((c) => o.col(c));
  const arrays: number[][] = cols.map(() => []);
  const models = o.models;
  const iModel = o.col(MODEL_COLUMN);
  if (model !== undefined && (models === null || (models.complete && models.find(model) < 0)))
    throw new InputError(MSG.noSuchModel(model, models?.names ?? []), path);
  const modelOf: number[] = [];
  // The last bin's start, of any model and per model.
  let prev = -Infinity;
  const prevOf: number[] = [];
  let picked = false;
  for (let line = o.reader.next(); line !== undefined; line = o.reader.next()) {
    if (line === '' || line.charCodeAt(0) === 35) continue;
    const where = `${path}:${o.reader.lineNo}`;
    const f = line.split(',');
    const ts = num(f[cols[0]!], 't_s', 'seconds ≥ 0', where);
    if (ts < prev) throw new InputError(MSG.unsorted(ts, prev), where);
    prev = ts;
    const m = models === null ? 0 : models.of(f[iModel], () => where);
    if (model !== undefined) {
      if (models!.names[m] !== model) continue;
      picked = true;
    }
    const before = prevOf[m] ?? -Infinity;
    if (ts < before + period) throw new InputError(MSG.overlappingBins(ts, before, period), where);
    prevOf[m] = ts;
    if (models !== null && model === undefined) modelOf.push(m);
    arrays[0]!.push(ts);
    arrays[1]!.push(whole(f[cols[1]!], 'requests', where));
    arrays[2]!.push(whole(f[cols[2]!], 'input_tokens', where));
    arrays[3]!.push(whole(f[cols[3]!], 'output_tokens', where));
    for (let k = 4; k < cols.length; k++)
      if (cols[k]! >= 0) arrays[k]!.push(num(f[cols[k]!], BINNED_OPTIONAL[k - 4]!, 'a number ≥ 0', where));
  }
  if (model !== undefined && !picked && !models!.complete)
    throw new InputError(MSG.noSuchModel(model, models!.names), path);
  const opt = (k: number) => (cols[k]! >= 0 ? Float64Array.from(arrays[k]!) : null);
  return {
    header: o.header,
    periodSeconds: period,
    t: Float64Array.from(arrays[0]!),
    requests: Float64Array.from(arrays[1]!),
    inputTokens: Float64Array.from(arrays[2]!),
    outputTokens: Float64Array.from(arrays[3]!),
    throttles: opt(4),
    modelCopies: opt(5),
    latencyMs: opt(6),
    model: models !== null && model === undefined ? Uint32Array.from(modelOf) : null,
    models: models?.names ?? [],
  };
}

/**
 * Observed copies per minute of a run's timeline from a binned trace's `model_copies` column (of
 * `model`'s bins, in a multi-model trace), or null when the trace has none. Minute m covers [m·60, (m+1)·60) of run time; a bin of period p
 * (the CloudWatch Maximum over p) sets every minute it overlaps to its value (the peak), so at
 * p > 60 s the observed side is an upper approximation.
 */
export function observedCopiesPerMinute(
  path: string,
  offset: number,
  minutes: number,
  model?: string,
): { perMinute: Float64Array; periodSeconds: number } | null {
  const { header, columns } = readTraceHeader(path);
  if (header.kind !== 'binned' || !columns.includes('model_copies')) return null;
  // Several models' copies are not one deployment's: a multi-model trace needs `model`.
  const s = readBinnedSeries(path, model);
  if (s.model !== null && s.models.length > 1)
    throw new InputError(MSG.severalModels(s.models, MSG.pickModel(true)), path);
  const out = new Float64Array(minutes);
  for (let i = 0; i < s.t.length; i++) {
    const a = offset + s.t[i]!;
    const from = Math.max(0, Math.floor(a / 60));
    const to = Math.min(minutes, Math.ceil((a + s.periodSeconds) / 60 - 1e-9));
    const v = s.modelCopies![i]!;
    for (let m = from; m < to; m++) if (v > out[m]!) out[m] = v;
  }
  return { perMinute: out, periodSeconds: s.periodSeconds };
}
