import { readBinnedSeries, type BinnedSeries } from './binned.js';
import type { TraceHeader } from './format.js';
import { openTrace, TraceFileStream } from './read.js';

/*
 * A multi-model trace (a `model` column, issue 21 item 4) taken apart per model, for a portfolio:
 * each model's rows as their own trace, held in memory. A scenario component reads one model's
 * rows without this (`model: NAME` on a `trace` component streams them); this is for code that
 * wants every model's traffic at once.
 */

/** One model's rows of a requests trace, as columns (the file's values, in time order). */
export interface ModelRequests {
  kind: 'requests';
  /** Arrival, seconds from the trace's start. */
  t: Float64Array;
  inputTokens: Uint32Array;
  outputTokens: Uint32Array;
  /** `RequestClass` of each request. */
  cls: Uint8Array;
}

/** One model's bins of a binned trace (`model` is null: every bin is this model's). */
export interface ModelBins extends BinnedSeries {
  kind: 'binned';
}

export type ModelRows = ModelRequests | ModelBins;

/** The name under which a trace without a `model` column (one unnamed model) is returned. */
export const UNNAMED_MODEL = '';

/**
 * The model names of a trace: the header's `models=` list, else (a file with a `model` column but
 * no list) a pass over the rows; `[]` for a single-model trace (no column), read from the header
 * alone. Cost: the header only, or one pass of about 1 µs per row.
 */
export function traceModels(path: string): string[] {
  const o = openTrace(path);
  if (o.models === null) return [];
  if (o.models.complete) return [...o.models.names];
  const i = o.col('model');
  for (let line = o.reader.next(); line !== undefined; line = o.reader.next()) {
    if (line === '' || line.charCodeAt(0) === 35) continue;
    const f = line.split(',');
    o.models.of(f[i], () => `${path}:${o.reader.lineNo}`);
  }
  return [...o.models.names];
}

/**
 * Splits a trace into per-model traces: model name → that model's rows, in the order of
 * `traceModels`. A trace without a `model` column comes back as one entry under `UNNAMED_MODEL`.
 * Requests traces are read once (17 bytes per request held: 10 M requests ≈ 170 MB); binned
 * traces are read once per model (bins are few). Rows are validated as every reader does (a bad
 * row throws naming file:line).
 *
 * Example: a requests trace with rows `0.5,100,20,interactive,a`, `1,80,10,batch,b`,
 * `2,90,30,interactive,a` splits into a → t [0.5, 2], b → t [1].
 */
export function splitTraceByModel(path: string): { header: TraceHeader; byModel: Map<string, ModelRows> } {
  const o = openTrace(path);
  const header = o.header;
  const byModel = new Map<string, ModelRows>();
  if (header.kind === 'binned') {
    if (o.models === null) {
      byModel.set(UNNAMED_MODEL, { kind: 'binned', ...readBinnedSeries(path) });
      return { header, byModel };
    }
    for (const name of traceModels(path))
      byModel.set(name, { kind: 'binned', ...readBinnedSeries(path, name) });
    return { header, byModel };
  }
  const s = new TraceFileStream(path, { seed: 0, index: 0 });
  const cols: Columns[] = [];
  while (s.next()) (cols[s.model] ??= new Columns()).push(s.t, s.inputTokens, s.outputTokens, s.cls);
  const names = o.models === null ? [UNNAMED_MODEL] : (s.header.models ?? []);
  names.forEach((name, m) => byModel.set(name, (cols[m] ?? new Columns()).rows()));
  return { header: s.header, byModel };
}

/** Growable request columns (doubling), trimmed on `rows()`. */
class Columns {
  private n = 0;
  private t = new Float64Array(1024);
  private tin = new Uint32Array(1024);
  private tout = new Uint32Array(1024);
  private cls = new Uint8Array(1024);

  push(t: number, tin: number, tout: number, cls: number): void {
    if (this.n === this.t.length) {
      const grow = <A extends Float64Array | Uint32Array | Uint8Array>(a: A, make: (n: number) => A): A => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.t = grow(this.t, (k) => new Float64Array(k));
      this.tin = grow(this.tin, (k) => new Uint32Array(k));
      this.tout = grow(this.tout, (k) => new Uint32Array(k));
      this.cls = grow(this.cls, (k) => new Uint8Array(k));
    }
    const i = this.n++;
    this.t[i] = t;
    this.tin[i] = tin;
    this.tout[i] = tout;
    this.cls[i] = cls;
  }

  rows(): ModelRequests {
    const n = this.n;
    return {
      kind: 'requests',
      t: this.t.slice(0, n),
      inputTokens: this.tin.slice(0, n),
      outputTokens: this.tout.slice(0, n),
      cls: this.cls.slice(0, n),
    };
  }
}
