import type { ChartBuilder } from './chart.js';
import { round, wrap } from './labels.js';
import { base, INK, MAX_POINTS, NOTE_SIZE, optionColor, TRAFFIC_GREY, WIDTH } from './style.js';
import { timeAxis, timeX } from './time-axis.js';

/**
 * Traffic and the copies it wakes, as aligned panels on one time axis: user arrivals per minute
 * on top (grey; the same trace for every option), then per option with a fleet its ready
 * replicas — copies — in the option's colour, each on an axis of its own (no two quantities share
 * gridlines). Runs of equal minutes are merged (a step chart loses nothing). Spans longer than
 * MAX_POINTS minutes are bucketed: mean arrivals per minute and the time-weighted mean of ready
 * replicas per bucket (a copy up 5 minutes of an hour counts 5/60), with each bucket's peak marked
 * where it is above the mean. Each option's highest count is marked and labelled.
 */
export const trafficVsReplicas: ChartBuilder = (out) => {
  const t = timeAxis(out);
  const arrivals: { t: number; arrivals: number }[] = [];
  const rows: { option: string; t: number; replicas: number }[] = [];
  const peaks: { option: string; t: number; peak: number }[] = [];
  const top: { option: string; t: number; peak: number; label: string }[] = [];
  const keys: string[] = [];
  let bucket = 1;
  const noFleet: string[] = [];
  for (const [i, run] of out.runs.entries()) {
    if (run.record === null) continue;
    const s = run.record.series;
    bucket = Math.max(1, Math.ceil(s.minutes / MAX_POINTS));
    // User arrivals are the trace's: the same in every option's record. Drawn once.
    if (arrivals.length === 0) {
      let prev: number | null = null;
      for (let m0 = 0; m0 < s.minutes; m0 += bucket) {
        const m1 = Math.min(s.minutes, m0 + bucket);
        let sum = 0;
        for (let m = m0; m < m1; m++) sum += s.arrivals[m]!;
        const a = round(sum / (m1 - m0), 2);
        if (a !== prev) arrivals.push({ t: t.x(m0 * 60), arrivals: a });
        prev = a;
      }
      if (prev !== null) arrivals.push({ t: t.x(s.minutes * 60), arrivals: prev });
    }
    // Per-token options have no replicas of their own (capacity null): nothing to draw here.
    if (out.result.options[i]?.capacity === null) {
      noFleet.push(run.key);
      continue;
    }
    keys.push(run.key);
    let prev: number | null = null;
    let best = { peak: -1, m: 0 };
    for (let m0 = 0; m0 < s.minutes; m0 += bucket) {
      const m1 = Math.min(s.minutes, m0 + bucket);
      let sum = 0;
      let peak = 0;
      for (let m = m0; m < m1; m++) {
        sum += s.ready[m]!;
        peak = Math.max(peak, s.ready[m]!);
        if (s.ready[m]! > best.peak) best = { peak: s.ready[m]!, m };
      }
      const mean = round(sum / (m1 - m0), 2);
      if (bucket > 1 && peak > mean) peaks.push({ option: run.key, t: t.x(((m0 + m1) / 2) * 60), peak });
      if (mean !== prev) rows.push({ option: run.key, t: t.x(m0 * 60), replicas: mean });
      prev = mean;
    }
    // Close the last step at the end of the span.
    if (prev !== null) rows.push({ option: run.key, t: t.x(s.minutes * 60), replicas: prev });
    if (best.peak > 0)
      top.push({ option: run.key, t: t.x(best.m * 60), peak: best.peak, label: `peak ${best.peak}` });
  }
  if (arrivals.length === 0) return null;
  const x = timeX(t);
  const width = WIDTH - 90;
  const maxReplicas = Math.max(1, ...rows.map((r) => r.replicas), ...peaks.map((p) => p.peak));
  const y = {
    field: 'replicas',
    type: 'quantitative' as const,
    title: bucket === 1 ? 'replicas' : 'replicas (mean)',
    // Headroom above the peak, so a line at the maximum is not drawn on the frame.
    scale: { domain: [0, maxReplicas + 0.6], nice: false },
    axis: { tickMinStep: 1, tickCount: Math.min(4, maxReplicas + 1), format: bucket === 1 ? 'd' : '~r' },
  };
  return {
    name: 'traffic-vs-replicas',
    title: 'Traffic vs ready replicas',
    spec: {
      ...base('Traffic vs ready replicas', [
        ...wrap(
          bucket === 1
            ? 'Top: user arrivals per minute (heartbeats are not arrivals). Below, per option: ready replicas — copies — at each minute’s end, on one time axis.'
            : `Top: user arrivals per minute, mean over each ${bucket}-minute bucket (heartbeats are not arrivals). Below, per option: ready replicas — copies — as the time-weighted mean over each bucket; ▾ marks a bucket's peak above its mean.`,
          105,
        ),
        'Replicas at 0 = scaled to zero: the next request waits on a cold start. Each option’s highest count is labelled.',
        ...(noFleet.length > 0
          ? wrap(`Not shown, no replicas of their own (billed per token): ${noFleet.join(', ')}.`, 105)
          : []),
      ]),
      description: t.description,
      spacing: 10,
      resolve: { scale: { x: 'shared' } },
      vconcat: [
        {
          width,
          height: 90,
          data: { values: arrivals },
          mark: { type: 'area', interpolate: 'step-after', color: TRAFFIC_GREY, opacity: 0.6 },
          encoding: {
            x: { ...x, axis: { ...x.axis, title: null, labels: false, ticks: false } },
            y: {
              field: 'arrivals',
              type: 'quantitative',
              title: 'arrivals / min (√ scale)',
              // A square-root scale keeps a trickle of 1/min visible beside a batch of hundreds.
              scale: { type: 'sqrt' },
              axis: { tickCount: 4 },
            },
          },
        },
        ...(keys.length > 0
          ? [
              {
                // One table, three kinds of row: a facet gives each layer only its option's rows.
                data: {
                  values: [
                    ...rows.map((r) => ({ kind: 'mean', ...r })),
                    ...peaks.map((r) => ({ kind: 'peak', ...r })),
                    ...top.map((r) => ({ kind: 'top', ...r })),
                  ],
                },
                facet: {
                  row: {
                    field: 'option',
                    type: 'nominal' as const,
                    sort: keys,
                    title: null,
                    header: {
                      labelAngle: 0,
                      labelAlign: 'left' as const,
                      labelAnchor: 'start' as const,
                      labelOrient: 'top' as const,
                    },
                  },
                },
                spacing: 12,
                spec: {
                  width,
                  height: 64,
                  layer: [
                    {
                      transform: [{ filter: "datum.kind === 'mean'" }],
                      mark: { type: 'line' as const, interpolate: 'step-after' as const, strokeWidth: 2 },
                      encoding: { x, y, color: optionColor(out, { legend: null }) },
                    },
                    ...(peaks.length > 0
                      ? [
                          {
                            transform: [{ filter: "datum.kind === 'peak'" }],
                            mark: {
                              type: 'point' as const,
                              shape: 'triangle-down',
                              size: 18,
                              filled: true,
                              color: INK,
                            },
                            encoding: { x, y: { ...y, field: 'peak' } },
                          },
                        ]
                      : []),
                    ...(top.length > 0
                      ? [
                          {
                            transform: [{ filter: "datum.kind === 'top'" }],
                            mark: {
                              type: 'text' as const,
                              align: 'left' as const,
                              baseline: 'bottom' as const,
                              dx: 3,
                              dy: -2,
                              fontSize: NOTE_SIZE,
                              color: INK,
                            },
                            encoding: { x, y: { ...y, field: 'peak' }, text: { field: 'label' } },
                          },
                        ]
                      : []),
                  ],
                },
              },
            ]
          : []),
      ],
    } as never,
  };
};
