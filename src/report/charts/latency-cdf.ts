import type { ChartBuilder } from './chart.js';
import { pctText, round, sig, wrap } from './labels.js';
import { base, optionColor, WIDTH } from './style.js';

const ALL = 'all user requests';
const COLD = 'only those that waited on a cold start';

/**
 * Latency CDF per option on a log axis: the fraction of user requests answered within x seconds
 * (wait, cold start included, + service). A dashed line per option is the CDF of the requests
 * that waited on a cold start, so the cold-start tail is seen for what it is. Points closer than
 * the eye can tell apart (under 0.5 % in fraction and 2 % in latency, about a pixel) are dropped.
 */
export const latencyCdf: ChartBuilder = (out) => {
  const rows: { option: string; subset: string; latency: number; fraction: number }[] = [];
  const notes: string[] = [];
  const shown: string[] = [];
  out.runs.forEach((run, i) => {
    const o = out.result.options[i];
    if (run.record === null || o === undefined) return;
    const { all, coldHit } = run.record.latencySample;
    if (all.length > 0) shown.push(run.key);
    cdfRows(rows, run.key, ALL, all);
    cdfRows(rows, run.key, COLD, coldHit);
    const served = o.requests.served;
    const hits = o.requests.coldStartHits;
    if (hits > 0)
      notes.push(
        `${run.key} ${hits.toLocaleString('en-US')} of ${served.toLocaleString('en-US')} (${pctText(hits, served)})`,
      );
  });
  if (rows.length === 0) return null;
  const others = notes.length === 0 ? 'none' : shown.length > notes.length ? 'none for the others' : '';
  const coldNote = `User requests that waited on a cold start: ${[...notes, others].filter((x) => x).join('; ')}.`;
  return {
    name: 'latency-cdf',
    title: 'Latency CDF',
    spec: {
      ...base('Latency CDF per option', [
        'Fraction of user requests answered within x: wait (cold start included) + service; heartbeats excluded.',
        ...wrap(coldNote, 100),
      ]),
      width: WIDTH - 90,
      height: 260,
      data: { values: rows },
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
      encoding: {
        x: {
          field: 'latency',
          type: 'quantitative',
          scale: { type: 'log' },
          title: 'latency per user request (seconds, log scale)',
          axis: { format: '~g' },
        },
        y: {
          field: 'fraction',
          type: 'quantitative',
          title: 'fraction of requests ≤ x',
          scale: { domain: [0, 1] },
          axis: { format: '%' },
        },
        color: optionColor(out, {
          title: 'option',
          legend: { orient: 'bottom', direction: 'vertical', values: shown },
        }),
        strokeDash: {
          field: 'subset',
          type: 'nominal',
          title: 'requests',
          scale: {
            domain: [ALL, COLD],
            range: [
              [1, 0],
              [5, 3],
            ],
          },
          legend: { orient: 'bottom', direction: 'vertical' },
        },
        detail: { field: 'subset' },
      },
    },
  };
};

/** Step points of a CDF from a sorted nearest-rank sample (value i of k at fraction i/k). */
function cdfRows(
  rows: { option: string; subset: string; latency: number; fraction: number }[],
  option: string,
  subset: string,
  sample: Float64Array,
): void {
  const k = sample.length;
  if (k === 0) return;
  // Log axis: a zero latency (impossible with any service time) would be dropped by vega.
  const v = (i: number) => sig(Math.max(sample[i]!, 1e-4), 4);
  rows.push({ option, subset, latency: v(0), fraction: 0 });
  let lastX = v(0);
  let lastY = 0;
  for (let i = 0; i < k; i++) {
    const x = v(i);
    const y = round((i + 1) / k, 4);
    const last = i === k - 1;
    if (!last && Math.abs(y - lastY) < 0.005 && Math.abs(Math.log(x / lastX)) < 0.02) continue;
    rows.push({ option, subset, latency: x, fraction: y });
    lastX = x;
    lastY = y;
  }
}
