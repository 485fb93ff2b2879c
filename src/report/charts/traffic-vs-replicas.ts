import type { ChartBuilder } from './chart.js';
import { round, wrap } from './labels.js';
import { base, MAX_POINTS, optionColor, TRAFFIC_GREY, WIDTH } from './style.js';
import { timeAxis, timeX } from './time-axis.js';

/**
 * Per option with a fleet: user arrivals per minute (grey area, left axis) against ready replicas (step line in
 * the option's colour, right axis) — the picture of scale-to-zero, cold starts and scaling lag.
 * Runs of equal minutes are merged (a step chart loses nothing); spans longer than MAX_POINTS
 * minutes are bucketed: mean arrivals per minute and peak replicas per bucket.
 */
export const trafficVsReplicas: ChartBuilder = (out) => {
  const t = timeAxis(out);
  const rows: { option: string; t: number; arrivals: number; replicas: number }[] = [];
  const keys: string[] = [];
  let bucket = 1;
  let maxReplicas = 1;
  const noFleet: string[] = [];
  for (const [i, run] of out.runs.entries()) {
    if (run.record === null) continue;
    // Per-token options have no replicas of their own (capacity null): nothing to draw here.
    if (out.result.options[i]?.capacity === null) {
      noFleet.push(run.key);
      continue;
    }
    keys.push(run.key);
    const s = run.record.series;
    bucket = Math.max(1, Math.ceil(s.minutes / MAX_POINTS));
    let prev: { arrivals: number; replicas: number } | null = null;
    for (let m0 = 0; m0 < s.minutes; m0 += bucket) {
      const m1 = Math.min(s.minutes, m0 + bucket);
      let sum = 0;
      let peak = 0;
      for (let m = m0; m < m1; m++) {
        sum += s.arrivals[m]!;
        peak = Math.max(peak, s.ready[m]!);
      }
      maxReplicas = Math.max(maxReplicas, peak);
      const arrivals = round(sum / (m1 - m0), 2);
      if (prev === null || prev.arrivals !== arrivals || prev.replicas !== peak) {
        rows.push({ option: run.key, t: t.x(m0 * 60), arrivals, replicas: peak });
        prev = { arrivals, replicas: peak };
      }
    }
    // Close the last step at the end of the span.
    if (prev !== null) rows.push({ option: run.key, t: t.x(s.minutes * 60), ...prev });
  }
  if (rows.length === 0) return null;
  const x = timeX(t);
  return {
    name: 'traffic-vs-replicas',
    title: 'Traffic vs ready replicas',
    spec: {
      ...base('Traffic vs ready replicas', [
        ...wrap(
          bucket === 1
            ? 'User arrivals per minute (grey, left axis) and ready replicas — copies — at each minute’s end (right axis).'
            : `User arrivals per minute, mean over each ${bucket}-minute bucket (grey, left axis), and ready replicas — copies — at their peak in each bucket (right axis).`,
          105,
        ),
        'Heartbeats are not arrivals. Replicas at 0 = scaled to zero: the next request waits on a cold start.',
        ...(noFleet.length > 0
          ? wrap(`Not shown, no replicas of their own (billed per token): ${noFleet.join(', ')}.`, 105)
          : []),
      ]),
      description: t.description,
      data: { values: rows },
      facet: {
        row: {
          field: 'option',
          type: 'nominal',
          sort: keys,
          title: null,
          header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top' },
        },
      },
      spacing: 14,
      spec: {
        width: WIDTH - 90,
        height: 110,
        layer: [
          {
            mark: { type: 'area', interpolate: 'step-after', color: TRAFFIC_GREY, opacity: 0.45 },
            encoding: {
              x,
              y: {
                field: 'arrivals',
                type: 'quantitative',
                title: 'arrivals / min (√ scale)',
                // A square-root scale keeps a trickle of 1/min visible beside a batch of hundreds.
                scale: { type: 'sqrt' },
                axis: { titleColor: '#666', tickCount: 4 },
              },
            },
          },
          {
            mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
            encoding: {
              x,
              y: {
                field: 'replicas',
                type: 'quantitative',
                title: 'ready replicas',
                // Headroom above the peak, so a line at the maximum is not drawn on the frame.
                scale: { domain: [0, maxReplicas + 0.4], nice: false },
                axis: { orient: 'right', tickMinStep: 1, format: 'd', grid: false },
              },
              color: optionColor(out, { legend: null }),
            },
          },
        ],
        resolve: { scale: { y: 'independent' } },
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
};
