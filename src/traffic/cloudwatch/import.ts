import { InputError } from '../../errors.js';
import { MSG } from '../messages.js';
import { BINNED_COLUMNS, isoSeconds, type TraceHeader } from '../trace/format.js';
import { TraceWriter } from '../trace/write.js';
import { fetchMetricBins, type FetchOptions } from './fetch.js';
import { describeTarget, metricsOf, type CloudWatchTarget } from './metrics.js';
import { choosePeriod } from './window.js';

/*
 * CloudWatch → binned trace file (design §6), for `trace import cloudwatch` and `replay`.
 *
 *   window (--last / --start --end) ─► finest period CloudWatch still keeps for it (window.ts)
 *     ─► one paginated GetMetricData call with every metric query (fetch.ts)
 *     ─► datapoints placed into bins by timestamp; bins without a datapoint are zero-filled
 *        and counted ─► checks (no data at all is an error) ─► trace file, written atomically
 *
 * Only metric statistics are read (counts, token sums, copies, latency): never request content.
 */

export interface CloudWatchImportOptions extends FetchOptions {
  target: CloudWatchTarget;
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
}

/** Fetches the window's metrics and writes a binned trace file. Nothing is written on failure. */
export async function importCloudWatch(opts: CloudWatchImportOptions): Promise<CloudWatchImportSummary> {
  const now = opts.now ?? Date.now() / 1000;
  if (opts.start >= now) throw new InputError(MSG.windowFuture(), '--start');
  const { periodSeconds: p, reason } = choosePeriod(now - opts.start, opts.periodSeconds);
  // CloudWatch rounds the start down to the period; bins end at or before now.
  const start = Math.floor(opts.start / p) * p;
  const end = Math.floor(Math.min(opts.end, now) / p) * p;
  if (end - start < p) throw new InputError(MSG.windowEmpty(), '--end');
  const bins = (end - start) / p;
  const { namespace, dims, metrics } = metricsOf(opts.target);

  const fetched = await fetchMetricBins(
    { namespace, dims, metrics, start, end, periodSeconds: p, bins },
    opts,
  );
  const { values, seen, region, pages, status, messages } = fetched;

  const inv = values.get('inv')!;
  let requests = 0;
  for (let b = 0; b < bins; b++) requests += inv[b] = Math.round(inv[b]!);
  const target = describeTarget(opts.target);
  if (requests === 0)
    throw new InputError(
      MSG.noData(target, region ?? 'the default region', isoSeconds(start), isoSeconds(end)),
      '--model-id',
    );

  const missingDatapoints: Record<string, number> = {};
  for (const m of metrics) {
    const s = seen.get(m.id)!;
    let n = 0;
    for (let b = 0; b < bins; b++) if (s[b] === 0) n++;
    missingDatapoints[m.name] = n;
  }
  const warnings: string[] = [];
  if (p >= 300)
    warnings.push(
      `the period is ${p} s: idle gaps shorter than that are invisible (a bin's requests are spread over it), so scale-to-zero, cold starts and 5-minute windows are approximations`,
    );
  const partialData = [...status].filter(([, st]) => st === 'PartialData').map(([id]) => id);
  if (partialData.length > 0)
    warnings.push(
      `CloudWatch marked ${partialData.join(', ')} as PartialData after the last page; some datapoints may be missing`,
    );
  for (const m of messages) warnings.push(`CloudWatch: ${m}`);

  // Token columns: Bedrock sums, or SageMaker's requests × the given sizes.
  let tin = values.get('tin');
  let tout = values.get('tout');
  if (opts.target.kind === 'sagemaker') {
    const per = opts.tokensPerRequest ?? { input: 250, output: 60 };
    tin = inv.map((n) => n * per.input);
    tout = inv.map((n) => n * per.output);
    warnings.push(
      `SageMaker has no token metrics: every request gets ${per.input} input and ${per.output} output tokens (--input-tokens, --output-tokens)`,
    );
  } else {
    let tokenGaps = 0;
    const st = seen.get('tin')!;
    for (let b = 0; b < bins; b++) if (inv[b]! > 0 && st[b] === 0) tokenGaps++;
    if (tokenGaps > 0)
      warnings.push(
        `${tokenGaps} periods have invocations but no InputTokenCount datapoint; their tokens are zero-filled`,
      );
  }
  const copies = values.get('cop');
  const hasCopies = copies !== undefined && seen.get('cop')!.some((x) => x === 1);
  if (opts.target.kind === 'bedrock' && !hasCopies)
    warnings.push(
      'no ModelCopy data came back: the trace has no model_copies, so there is no actual-vs-simulated bill',
    );
  const thr = values.get('thr');
  const lat = values.get('lat')!;

  const columns: string[] = [...BINNED_COLUMNS];
  if (thr) columns.push('throttles');
  if (hasCopies) columns.push('model_copies');
  columns.push('latency_ms');
  const source = `cloudwatch:${namespace}:${dims.map((d) => `${d.Name}=${d.Value}`).join(',')}${region ? `:${region}` : ''}`;
  const header: TraceHeader = {
    start: isoSeconds(start),
    kind: 'binned',
    periodSeconds: p,
    durationSeconds: end - start,
    source,
  };
  const w = new TraceWriter(opts.output, columns, header);
  let inputTokens = 0;
  let outputTokens = 0;
  let throttles = 0;
  try {
    for (let b = 0; b < bins; b++) {
      const i = Math.round(tin![b]!);
      const o = Math.round(tout![b]!);
      inputTokens += i;
      outputTokens += o;
      let row = `${b * p},${inv[b]},${i},${o}`;
      if (thr) {
        const t = Math.round(thr[b]!);
        throttles += t;
        row += `,${t}`;
      }
      if (hasCopies) row += `,${copies[b]}`;
      row += `,${+lat[b]!.toFixed(3)}`;
      w.line(row);
    }
    w.commit();
  } catch (e) {
    w.abort();
    throw e;
  }
  return {
    output: opts.output,
    source,
    region,
    start: isoSeconds(start),
    end: isoSeconds(end),
    periodSeconds: p,
    periodReason: reason,
    bins,
    requests,
    inputTokens,
    outputTokens,
    throttles: thr ? throttles : null,
    modelCopies: hasCopies,
    missingDatapoints,
    pages,
    partialData,
    warnings,
  };
}
