import type { ModelCountBreakeven } from '../../planning/breakeven/models-result.js';
import type { Chart } from './chart.js';
import { crossoverLayers, crossoverMarks } from './crossover-layers.js';
import { round, wrap } from './labels.js';
import { base, optionColors, WIDTH } from './style.js';

/*
 * The model-count crossover (docs/breakeven.md "Model count") as a picture: each option's cost per
 * model over the span against the number of models (the portfolio's mix cloned), log x, and where
 * the cheapest option changes — a vertical rule per crossover, labelled "from → to at N models".
 * Shared-capacity options carry "(shared)" in the legend; baselines are dashed (as in the volume
 * chart). Cost per model, not the total, so one deployment per model reads as a near-flat line
 * and shared capacity as one that falls while its fixed part spreads over more models.
 */

const PLOT_W = WIDTH - 170;
const PLOT_H = 300;

/** The `model-count-crossover` chart of a model-count sweep; null without a priced point. */
export function modelCountCrossoverChart(r: ModelCountBreakeven): Chart | null {
  const keys = r.points[0]?.options.map((o) => o.key) ?? [];
  const order = [
    ...keys.filter((k) => !r.baselines.includes(k)),
    ...keys.filter((k) => r.baselines.includes(k)),
  ];
  const colors = optionColors(order);
  const rows: { option: string; models: number; usd: number; baseline: boolean }[] = [];
  for (const p of r.points)
    for (const o of p.options) {
      const c = r.basis === 'aws' ? o.aws : o.total;
      // Missing: the option cannot serve some model, or misses the rule for one (not ranked).
      if (c === null || !o.feasible || c <= 0) continue;
      rows.push({
        option: o.key,
        models: p.models,
        usd: round(c / p.models, 4),
        baseline: r.baselines.includes(o.key),
      });
    }
  if (rows.length === 0) return null;
  const [x0, x1] = [r.points[0]!.models, r.points.at(-1)!.models];
  const y1 = Math.max(...rows.map((x) => x.usd)) * 1.15;
  const px = (x: number) => (Math.log(x / x0) / Math.log(x1 / x0 || 2)) * PLOT_W;
  const py = (y: number) => PLOT_H - (y / y1) * PLOT_H;
  const frame = {
    width: PLOT_W,
    height: PLOT_H,
    px,
    py,
    dataX: (x: number) => round(x0 * Math.exp((x / PLOT_W) * Math.log(x1 / x0 || 2)), 4),
    dataY: (y: number) => round(((PLOT_H - y) / PLOT_H) * y1, 4),
  };
  const cross = crossoverMarks(
    r.crossovers.map((c) => ({
      x: c.atModels,
      at: c.atModels,
      text: `${c.from} → ${c.to} at ${c.atModels} models`,
    })),
    rows,
    order,
    (x) => x.models,
    frame,
  );
  const x = {
    field: 'models',
    type: 'quantitative' as const,
    title: 'models in the portfolio (its mix cloned; log scale)',
    scale: { type: 'log' as const, base: 2, domain: [x0, x1], nice: false },
    axis: { values: r.points.map((p) => p.models), format: 'd' },
  };
  const y = {
    field: 'usd',
    type: 'quantitative' as const,
    title: `USD per model over the span (${round(r.days, 2)} days${r.basis === 'aws' ? ', AWS bill' : ''})`,
    scale: { domain: [0, round(y1, 4)], nice: false },
    axis: { format: '$,~r', labelOverlap: true },
  };
  const label = (k: string) =>
    r.baselines.includes(k) ? `${k} (baseline)` : r.shared.includes(k) ? `${k} (shared)` : k;
  const color = {
    field: 'option',
    type: 'nominal' as const,
    title: 'option',
    scale: { domain: order, range: order.map((k) => colors.get(k)!) },
    legend: {
      orient: 'right' as const,
      labelExpr: `${JSON.stringify(Object.fromEntries(order.map((k) => [k, label(k)])))}[datum.value]`,
    },
  };
  return {
    name: 'model-count-crossover',
    title: 'Cost per model against the number of models',
    spec: {
      ...base('Cost per model against the number of models: where shared capacity overtakes', [
        ...wrap(
          `Each option's cost over the span divided by the number of models, with the portfolio's mix (${r.mix.join(', ')}) cloned to ${x0} … ${x1} models (${r.points.length} counts, each simulated). Vertical lines: crossovers, where the cheapest option changes (interpolated between the runs either side). (shared): the models share its capacity; the others are one deployment per model. Dashed: baselines on a catalog model, never the cheapest. Missing points: the option cannot serve some model, or loses more than maxLossRate (or misses the SLO) for one.`,
          100,
        ),
      ]),
      width: PLOT_W,
      height: PLOT_H,
      layer: crossoverLayers(cross, rows, { x, y, color }),
    },
  };
}
