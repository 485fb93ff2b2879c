import type { ChartBuilder } from './chart.js';
import { pctText, round, sig, wrap } from './labels.js';
import { base, optionColor, WIDTH } from './style.js';

/** The request classes, each in a panel of its own (their latencies are different questions). */
const CLASSES = ['interactive', 'batch'] as const;

/**
 * Latency CDF per request class (small multiples: interactive, batch — never one curve over both,
 * where thousands of batch requests would hide a few hundred interactive ones), a line per option
 * on a shared log axis: the fraction of the class's user requests answered within x seconds (wait,
 * cold start included, + service). Each panel's title gives the class's request count; the
 * subtitle, per class, the requests that waited on a cold start. Points closer than the eye can
 * tell apart (under 0.5 % in fraction and 2 % in latency, about a pixel) are dropped.
 */
export const latencyCdf: ChartBuilder = (out) => {
  const rows: { option: string; panel: string; latency: number; fraction: number }[] = [];
  const shown: string[] = [];
  const byClass = out.result.trace.byClass;
  const panels = CLASSES.filter((c) => byClass[c].requests > 0);
  const panel = (c: (typeof CLASSES)[number]) =>
    `${c} (${byClass[c].requests.toLocaleString('en-US')} requests)`;
  const notes = new Map<string, string[]>(panels.map((c) => [c, []]));
  out.runs.forEach((run, i) => {
    const o = out.result.options[i];
    if (run.record === null || o === undefined) return;
    const sample = run.record.latencySample;
    let any = false;
    for (const c of panels) {
      if (sample[c].length > 0) any = true;
      cdfRows(rows, run.key, panel(c), sample[c]);
      const hits = o.requests.coldStartHitsByClass[c];
      if (hits > 0)
        notes
          .get(c)!
          .push(`${run.key} ${hits.toLocaleString('en-US')} (${pctText(hits, byClass[c].requests)})`);
    }
    if (any) shown.push(run.key);
  });
  if (rows.length === 0) return null;
  const coldNote = panels
    .map(
      (c) =>
        `${c}: ${notes.get(c)!.length === 0 ? 'none' : notes.get(c)!.join(', ')}${notes.get(c)!.length > 0 && notes.get(c)!.length < shown.length ? ', none for the others' : ''}`,
    )
    .join('; ');
  return {
    name: 'latency-cdf',
    title: 'Latency CDF per class',
    spec: {
      ...base('Latency CDF per request class', [
        'Fraction of each class’s user requests answered within x: wait (cold start included) + service; heartbeats excluded.',
        ...wrap(`Requests that waited on a cold start — ${coldNote}.`, 100),
      ]),
      data: { values: rows },
      facet: {
        column: {
          field: 'panel',
          type: 'nominal',
          sort: panels.map(panel),
          title: null,
          header: { labelAnchor: 'start', labelFontSize: 12 },
        },
      },
      spacing: 24,
      spec: {
        width: (WIDTH - 110) / Math.max(1, panels.length),
        height: 240,
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
        encoding: {
          x: {
            field: 'latency',
            type: 'quantitative',
            scale: { type: 'log' },
            title: 'latency per user request (seconds, log scale)',
            axis: { format: '~g', labelOverlap: 'greedy', labelSeparation: 8 },
          },
          y: {
            field: 'fraction',
            type: 'quantitative',
            title: 'fraction of the class’s requests ≤ x',
            scale: { domain: [0, 1] },
            axis: { format: '%' },
          },
          color: optionColor(out, {
            title: 'option',
            legend: { orient: 'bottom', direction: 'horizontal', columns: 3, values: shown },
          }),
        },
      },
    },
  };
};

/** Step points of a CDF from a sorted nearest-rank sample (value i of k at fraction i/k). */
function cdfRows(
  rows: { option: string; panel: string; latency: number; fraction: number }[],
  option: string,
  panel: string,
  sample: Float64Array,
): void {
  const k = sample.length;
  if (k === 0) return;
  // Log axis: a zero latency (impossible with any service time) would be dropped by vega.
  const v = (i: number) => sig(Math.max(sample[i]!, 1e-4), 4);
  rows.push({ option, panel, latency: v(0), fraction: 0 });
  let lastX = v(0);
  let lastY = 0;
  for (let i = 0; i < k; i++) {
    const x = v(i);
    const y = round((i + 1) / k, 4);
    const last = i === k - 1;
    if (!last && Math.abs(y - lastY) < 0.005 && Math.abs(Math.log(x / lastX)) < 0.02) continue;
    rows.push({ option, panel, latency: x, fraction: y });
    lastX = x;
    lastY = y;
  }
}
