import type { ChartBuilder } from './chart.js';
import { round } from './labels.js';
import { base, MAX_POINTS, optionColor, WIDTH } from './style.js';
import { timeAxis, timeX } from './time-axis.js';

/**
 * Cost accrued so far, per option, over the span (the meters' own per-minute view). Only the
 * points where the slope changes are kept: the drawn line is the same, the file much smaller.
 */
export const cumulativeCost: ChartBuilder = (out) => {
  const t = timeAxis(out);
  const rows: { option: string; t: number; usd: number }[] = [];
  for (const run of out.runs) {
    if (run.record === null || run.bill === null) continue;
    const minutes = run.record.series.minutes;
    const step = Math.max(1, Math.ceil(minutes / MAX_POINTS));
    const cost = run.bill.costSoFar(minutes);
    // Points (end of minute m, cost[m]), sampled every `step` minutes, starting at (0, 0).
    const pts: [number, number][] = [[0, 0]];
    for (let m = step - 1; m < minutes; m += step) pts.push([(m + 1) * 60, round(cost[m]!, 6)]);
    if (minutes % step !== 0) pts.push([minutes * 60, round(cost[minutes - 1]!, 6)]);
    pts.forEach(([s, usd], i) => {
      const prev = pts[i - 1];
      const next = pts[i + 1];
      if (prev && next) {
        const slopeIn = (usd - prev[1]) / (s - prev[0]);
        const slopeOut = (next[1] - usd) / (next[0] - s);
        if (Math.abs(slopeIn - slopeOut) <= 1e-9 * Math.max(1, Math.abs(slopeIn))) return;
      }
      rows.push({ option: run.key, t: t.x(s), usd });
    });
  }
  if (rows.length === 0) return null;
  const shown = [...new Set(rows.map((r) => r.option))];
  return {
    name: 'cumulative-cost',
    title: 'Cumulative cost',
    spec: {
      ...base('Cumulative cost', 'Cost accrued by the end of each minute, every cost line included; USD.'),
      description: t.description,
      width: WIDTH - 190,
      height: 240,
      data: { values: rows },
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x: timeX(t),
        y: { field: 'usd', type: 'quantitative', title: 'USD so far', axis: { format: '$,.0f' } },
        // The scale keeps every option's colour; the legend lists the options drawn.
        color: optionColor(out, { title: 'option', legend: { orient: 'right', values: shown } }),
      },
    },
  };
};
