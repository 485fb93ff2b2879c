import type { VolumeBreakeven } from '../../compare/result.js';
import type { Chart } from './chart.js';
import { crossoverLayers, crossoverMarks } from './crossover-layers.js';
import { round, sig, wrap } from './labels.js';
import { base, optionColors, WIDTH } from './style.js';

/*
 * The volume break-even (docs/breakeven.md) as a picture: each option's cost per day against the
 * daily volume (the scenario's traffic shape scaled), log x, and where the cheapest option
 * changes — a vertical rule per crossover, labelled "from → to at N/day". Baselines (catalog
 * models) are dashed: priced for comparison, never the cheapest.
 */

const PLOT_W = WIDTH - 150;
const PLOT_H = 300;

/** The `volume-crossover` chart of a volume sweep; null without a priced point. */
export function volumeCrossoverChart(v: VolumeBreakeven): Chart | null {
  const keys = [...new Set(v.points.flatMap((p) => Object.keys(p.costs)))];
  const ranked = keys.filter((k) => !v.baselines.includes(k));
  const order = [...ranked, ...keys.filter((k) => v.baselines.includes(k))];
  const colors = optionColors(order);
  const rows: { option: string; perDay: number; usd: number; baseline: boolean }[] = [];
  for (const p of v.points)
    for (const k of order) {
      const c = p.costs[k];
      // A log axis cannot draw 0; such a point (nothing billed) is left out.
      if (c !== null && c !== undefined && c > 0)
        rows.push({
          option: k,
          perDay: sig(p.requestsPerDay, 4),
          usd: round(c, 4),
          baseline: v.baselines.includes(k),
        });
    }
  if (rows.length === 0) return null;
  const vols = v.points.map((p) => p.requestsPerDay);
  const [x0, x1] = [Math.min(...vols), Math.max(...vols)];
  const costs = rows.map((r) => r.usd);
  const [c0, c1] = [Math.min(...costs), Math.max(...costs)];
  const logY = c1 / c0 > 20;
  const y0 = logY ? c0 / 1.3 : 0;
  const y1 = logY ? c1 * 1.6 : c1 * 1.15;
  const px = (x: number) => (Math.log(x / x0) / Math.log(x1 / x0 || 10)) * PLOT_W;
  const py = (y: number) =>
    PLOT_H - (logY ? Math.log(y / y0) / Math.log(y1 / y0) : (y - y0) / (y1 - y0)) * PLOT_H;
  // Crossover labels near the top, clear of the lines and of each other.
  const frame = {
    width: PLOT_W,
    height: PLOT_H,
    px,
    py,
    dataX: (x: number) => sig(x0 * Math.exp((x / PLOT_W) * Math.log(x1 / x0 || 10)), 6),
    dataY: (y: number) => {
      const f = (PLOT_H - y) / PLOT_H;
      return sig(logY ? y0 * Math.exp(f * Math.log(y1 / y0)) : y0 + f * (y1 - y0), 6);
    },
  };
  const cross = crossoverMarks(
    v.crossovers.map((c) => ({
      x: c.requestsPerDay,
      at: sig(c.requestsPerDay, 4),
      text: `${c.from} → ${c.to} at ${perDayText(c.requestsPerDay)}`,
    })),
    rows,
    order,
    (r) => r.perDay,
    frame,
  );
  const x = {
    field: 'perDay',
    type: 'quantitative' as const,
    title: 'user requests per day (this traffic shape, scaled; log scale)',
    scale: { type: 'log' as const, domain: [sig(x0, 4), sig(x1, 4)], nice: false },
    axis: { format: '~s', labelOverlap: true },
  };
  const y = {
    field: 'usd',
    type: 'quantitative' as const,
    title: `USD per day${logY ? ' (log scale)' : ''}`,
    scale: logY
      ? { type: 'log' as const, domain: [sig(y0, 4), sig(y1, 4)], nice: false }
      : { domain: [0, sig(y1, 4)], nice: false },
    axis: { format: '$,~r', labelOverlap: true },
  };
  const color = {
    field: 'option',
    type: 'nominal' as const,
    title: 'option',
    scale: { domain: order, range: order.map((k) => colors.get(k)!) },
    legend: {
      orient: 'right' as const,
      labelExpr: `indexof(${JSON.stringify(v.baselines)}, datum.value) >= 0 ? datum.value + ' (baseline)' : datum.value`,
    },
  };
  return {
    name: 'volume-crossover',
    title: 'Cost against daily volume',
    spec: {
      ...base('Cost against daily volume: where the cheapest option changes', [
        ...wrap(
          `USD per day for each option with the scenario's traffic shape scaled from ${perDayText(x0)} to ${perDayText(x1)} (${v.points.length} volumes, each simulated). Vertical lines: crossovers, where the cheapest option changes (interpolated in log volume between the runs either side). Dashed: baselines on a catalog model, priced for comparison, never the cheapest. Missing points: infeasible, or losing more than maxLossRate of the requests.`,
          100,
        ),
      ]),
      width: PLOT_W,
      height: PLOT_H,
      layer: crossoverLayers(cross, rows, { x, y, color }),
    },
  };
}

/** `45/day`, `1,200/day`, `56,000/day`: three significant digits. */
function perDayText(x: number): string {
  return `${x.toLocaleString('en-US', { maximumSignificantDigits: 3 })}/day`;
}
