import { InputError } from '../../errors.js';
import { MSG } from '../messages.js';
import { BINNED_COLUMNS, isModelName, isoSeconds, MODEL_COLUMN, type TraceHeader } from '../trace/format.js';
import { TraceWriter } from '../trace/write.js';
import { fetchMetricBins, type FetchOptions } from './fetch.js';
import { describeTarget, seriesOf, type CloudWatchTarget, type NamedTarget } from './metrics.js';
import { choosePeriod } from './window.js';

/*
 * CloudWatch → binned trace file (design §6), for `trace import cloudwatch` and `replay`.
 *
 *   window (--last / --start --end) ─► finest period CloudWatch still keeps for it (window.ts)
 *     ─► one paginated GetMetricData call with every metric query (fetch.ts; one per 500
 *        queries when many models are read at once)
 *     ─► datapoints placed into bins by timestamp; bins without a datapoint are zero-filled
 *        and counted ─► checks (no data at all is an error) ─► trace file, written atomically
 *
 * Several targets (issue 21 item 4: `models`) share the calls and write one trace with a `model`
 * column, each bin's rows in the order the models were given; one target writes exactly the
 * single-model trace (no column).
 *
 * Only metric statistics are read (counts, token sums, copies, latency): never request content.
 */

export interface CloudWatchImportOptions extends FetchOptions {
  /** What to read: one target (a single-model trace). */
  target?: CloudWatchTarget;
  /** Or several, each named (a trace with a `model` column); one entry is read like `target`. */
  models?: NamedTarget[];
  /** The window, Unix seconds (see `resolveWindow`). */
  start: number;
  end: number;
  /** The trace file to write. */
  output: string;
  /** "Now" for retention (Unix seconds). Default: the clock. */
  now?: number;
  /** A coarser period than the finest kept, if wanted (seconds). */
  periodSeconds?: number;
  /** SageMaker has no token metrics: tokens per request to write. Default 250 in, 60 out. */
  tokensPerRequest?: { input: number; output: number };
}

export interface CloudWatchImportSummary {
  output: string;
  source: string;
  region: string | null;
  start: string;
  end: string;
  periodSeconds: number;
  /** Why this period: the finest CloudWatch keeps for a window starting this long ago. */
  periodReason: string;
  bins: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  throttles: number | null;
  /** True when ModelCopy data came back (a `model_copies` column was written). */
  modelCopies: boolean;
  /** Per metric: bins with no datapoint, zero-filled. */
  missingDatapoints: Record<string, number>;
  pages: number;
  /** Results still marked PartialData after the last page. */
  partialData: string[];
  warnings: string[];
  /** A multi-model import: each model's own figures (the top-level ones are their sums). */
  models?: ModelImportSummary[];
}

/** One model of a multi-model import. */
export interface ModelImportSummary {
  name: string;
  target: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  throttles: number | null;
  modelCopies: boolean;
  missingDatapoints: Record<string, number>;
}

/** One target's bins, ready to write. */
interface ModelBins {
  name: string;
  target: CloudWatchTarget;
  inv: Float64Array;
  tin: Float64Array;
  tout: Float64Array;
  thr: Float64Array | undefined;
  copies: Float64Array | undefined;
  hasCopies: boolean;
  lat: Float64Array;
  missingDatapoints: Record<string, number>;
  requests: number;
}

/** Fetches the window's metrics and writes a binned trace file. Nothing is written on failure. */
export async function importCloudWatch(opts: CloudWatchImportOptions): Promise<CloudWatchImportSummary> {
  const targets = targetsOf(opts);
  const multi = targets.length > 1;
  const now = opts.now ?? Date.now() / 1000;
  if (opts.start >= now) throw new InputError(MSG.windowFuture(), '--start');
  const { periodSeconds: p, reason } = choosePeriod(now - opts.start, opts.periodSeconds);
  // CloudWatch rounds the start down to the period; bins end at or before now.
  const start = Math.floor(opts.start / p) * p;
  const end = Math.floor(Math.min(opts.end, now) / p) * p;
  if (end - start < p) throw new InputError(MSG.windowEmpty(), '--end');
  const bins = (end - start) / p;
  const prefixOf = (k: number) => (multi ? `m${k}_` : '');
  const series = targets.flatMap((t, k) => seriesOf(t.target, prefixOf(k)));

  const fetched = await fetchMetricBins({ series, start, end, periodSeconds: p, bins }, opts);
  const { region, pages, status, messages } = fetched;

  const warnings: string[] = [];
  // Each model's own warnings come after the import's (their order before multi-model imports).
  const modelWarnings: string[] = [];
  const models = targets.map((t, k) => modelBins(t, prefixOf(k), multi, fetched, bins, opts, modelWarnings));
  for (const m of models)
    if (m.requests === 0)
      throw new InputError(
        MSG.noData(
          describeTarget(m.target),
          region ?? 'the default region',
          isoSeconds(start),
          isoSeconds(end),
        ),
        targets.length > 1 ? flagOf(m.target) : '--model-id',
      );
  if (p >= 300)
    warnings.push(
      `the period is ${p} s: idle gaps shorter than that are invisible (a bin's requests are spread over it), so scale-to-zero, cold starts and 5-minute windows are approximations`,
    );
  // Query ids name their model in a multi-model import (m1_lat → name/lat).
  const idName = (id: string) => {
    const m = /^m(\d+)_(.*)$/.exec(id);
    return multi && m ? `${targets[+m[1]!]!.name}/${m[2]}` : id;
  };
  const partialData = [...status].filter(([, st]) => st === 'PartialData').map(([id]) => idName(id));
  if (partialData.length > 0)
    warnings.push(
      `CloudWatch marked ${partialData.join(', ')} as PartialData after the last page; some datapoints may be missing`,
    );
  for (const m of messages) warnings.push(`CloudWatch: ${m}`);
  warnings.push(...modelWarnings);

  const first = seriesOf(targets[0]!.target)[0]!;
  const hasThr = models[0]!.thr !== undefined;
  const hasCopies = models.some((m) => m.hasCopies);
  const columns: string[] = [...BINNED_COLUMNS];
  if (hasThr) columns.push('throttles');
  if (hasCopies) columns.push('model_copies');
  columns.push('latency_ms');
  if (multi) columns.push(MODEL_COLUMN);
  const where = (t: CloudWatchTarget) =>
    seriesOf(t)[0]!
      .dims.map((d) => `${d.Name}=${d.Value}`)
      .join(',');
  const what = multi
    ? targets.map((t) => `${t.name}=${where(t.target)}`).join(';')
    : where(targets[0]!.target);
  const source = `cloudwatch:${first.namespace}:${what}${region ? `:${region}` : ''}`;
  const header: TraceHeader = {
    start: isoSeconds(start),
    kind: 'binned',
    periodSeconds: p,
    durationSeconds: end - start,
    source,
    ...(multi ? { models: targets.map((t) => t.name) } : {}),
  };
  const totals = models.map(() => ({ inputTokens: 0, outputTokens: 0, throttles: 0 }));
  const w = new TraceWriter(opts.output, columns, header);
  try {
    // Rows in time order; a bin's rows in the order the models were given.
    for (let b = 0; b < bins; b++)
      for (let k = 0; k < models.length; k++) {
        const m = models[k]!;
        const sum = totals[k]!;
        const i = Math.round(m.tin[b]!);
        const o = Math.round(m.tout[b]!);
        sum.inputTokens += i;
        sum.outputTokens += o;
        let row = `${b * p},${m.inv[b]},${i},${o}`;
        if (hasThr) {
          const t = Math.round(m.thr![b]!);
          sum.throttles += t;
          row += `,${t}`;
        }
        // A model without ModelCopy data in a trace that has the column: 0 (a warning says so).
        if (hasCopies) row += `,${m.hasCopies ? m.copies![b] : 0}`;
        row += `,${+m.lat[b]!.toFixed(3)}`;
        if (multi) row += `,${m.name}`;
        w.line(row);
      }
    w.commit();
  } catch (e) {
    w.abort();
    throw e;
  }
  const add = (f: (k: number) => number) => models.reduce((a, _, k) => a + f(k), 0);
  const missingDatapoints: Record<string, number> = {};
  for (const m of models)
    for (const [name, n] of Object.entries(m.missingDatapoints))
      missingDatapoints[name] = (missingDatapoints[name] ?? 0) + n;
  return {
    output: opts.output,
    source,
    region,
    start: isoSeconds(start),
    end: isoSeconds(end),
    periodSeconds: p,
    periodReason: reason,
    bins,
    requests: add((k) => models[k]!.requests),
    inputTokens: add((k) => totals[k]!.inputTokens),
    outputTokens: add((k) => totals[k]!.outputTokens),
    throttles: hasThr ? add((k) => totals[k]!.throttles) : null,
    modelCopies: hasCopies,
    missingDatapoints,
    pages,
    partialData,
    warnings,
    ...(multi
      ? {
          models: models.map((m, k) => ({
            name: m.name,
            target: describeTarget(m.target),
            requests: m.requests,
            inputTokens: totals[k]!.inputTokens,
            outputTokens: totals[k]!.outputTokens,
            throttles: hasThr ? totals[k]!.throttles : null,
            modelCopies: m.hasCopies,
            missingDatapoints: m.missingDatapoints,
          })),
        }
      : {}),
  };
}

/**
 * The targets to read: `models` (names valid and distinct, one kind, no target twice) or the one
 * `target`. Checked before any request.
 */
function targetsOf(opts: CloudWatchImportOptions): NamedTarget[] {
  const list = opts.models ?? (opts.target !== undefined ? [{ name: '', target: opts.target }] : []);
  if (list.length === 0) throw new InputError(MSG.noTarget(), '--model-id');
  if (list.length === 1) return [{ name: '', target: list[0]!.target }];
  const names = new Set<string>();
  const ids = new Set<string>();
  for (const t of list) {
    const flag = flagOf(t.target);
    if (t.target.kind !== list[0]!.target.kind) throw new InputError(MSG.mixedTargets(), flag);
    if (!isModelName(t.name)) throw new InputError(MSG.badTargetName(t.name), flag);
    if (names.has(t.name)) throw new InputError(MSG.duplicateTargetName(t.name), flag);
    const id = describeTarget(t.target);
    if (ids.has(id)) throw new InputError(MSG.duplicateTarget(id), flag);
    names.add(t.name);
    ids.add(id);
  }
  return list;
}

function flagOf(t: CloudWatchTarget): string {
  return t.kind === 'bedrock' ? '--model-id' : '--endpoint';
}

/** One target's fetched bins: requests rounded, tokens (SageMaker: from the given sizes), gaps counted, warnings added. */
function modelBins(
  t: NamedTarget,
  prefix: string,
  multi: boolean,
  fetched: { values: Map<string, Float64Array>; seen: Map<string, Uint8Array> },
  bins: number,
  opts: CloudWatchImportOptions,
  warnings: string[],
): ModelBins {
  const { values, seen } = fetched;
  const get = (id: string) => values.get(prefix + id);
  const of = multi ? ` of ${t.name}` : '';
  const inv = get('inv')!;
  let requests = 0;
  for (let b = 0; b < bins; b++) requests += inv[b] = Math.round(inv[b]!);
  const missingDatapoints: Record<string, number> = {};
  for (const m of seriesOf(t.target)) {
    const s = seen.get(prefix + m.id)!;
    let n = 0;
    for (let b = 0; b < bins; b++) if (s[b] === 0) n++;
    missingDatapoints[m.name] = n;
  }
  // Token columns: Bedrock sums, or SageMaker's requests × the given sizes.
  let tin = get('tin');
  let tout = get('tout');
  if (t.target.kind === 'sagemaker') {
    const per = opts.tokensPerRequest ?? { input: 250, output: 60 };
    tin = inv.map((n) => n * per.input);
    tout = inv.map((n) => n * per.output);
    const w = `SageMaker has no token metrics: every request gets ${per.input} input and ${per.output} output tokens (--input-tokens, --output-tokens)`;
    if (!warnings.includes(w)) warnings.push(w);
  } else {
    let tokenGaps = 0;
    const st = seen.get(prefix + 'tin')!;
    for (let b = 0; b < bins; b++) if (inv[b]! > 0 && st[b] === 0) tokenGaps++;
    if (tokenGaps > 0)
      warnings.push(
        `${tokenGaps} periods${of} have invocations but no InputTokenCount datapoint; their tokens are zero-filled`,
      );
  }
  const copies = get('cop');
  const hasCopies = copies !== undefined && seen.get(prefix + 'cop')!.some((x) => x === 1);
  if (t.target.kind === 'bedrock' && !hasCopies)
    warnings.push(
      multi
        ? `no ModelCopy data came back for ${t.name}: its model_copies are written as 0, so its actual-vs-simulated bill is not meaningful`
        : 'no ModelCopy data came back: the trace has no model_copies, so there is no actual-vs-simulated bill',
    );
  return {
    name: t.name,
    target: t.target,
    inv,
    tin: tin!,
    tout: tout!,
    thr: get('thr'),
    copies,
    hasCopies,
    lat: get('lat')!,
    missingDatapoints,
    requests,
  };
}
