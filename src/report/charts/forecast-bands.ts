import type { ForecastResult } from '../../planning/forecast/result.js';
import type { Chart } from './chart.js';
import { round, wrap } from './labels.js';
import { base, optionColors, WIDTH } from './style.js';

/*
 * The monthly forecast (docs/forecast.md) as small multiples, one panel per forecast option on a
 * shared USD axis: the P10–P90 band of each month's cost (shaded) and its P50 (line and points).
 * Each panel names its option (baselines marked) and gives the horizon's total, P50 (P10–P90).
 */

/** The `forecast-bands` chart of a forecast; null when no option was forecast. */
export function forecastBandsChart(f: ForecastResult): Chart | null {
  const shown = f.options.filter((o) => f.months.some((m) => m.option === o.option));
  if (shown.length === 0) return null;
  const order = [...shown.filter((o) => !o.baseline), ...shown.filter((o) => o.baseline)];
  const colors = optionColors(order.map((o) => o.option));
  const panel = new Map(order.map((o) => [o.option, `${o.option}${o.baseline ? ' (baseline)' : ''}`]));
  const totals = new Map(
    order.map((o) => {
      const t = f.totals.find((x) => x.option === o.option);
      const whole = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;
      return [
        o.option,
        t ? `${f.settings.months} months: ${whole(t.p50)} (${whole(t.p10)}–${whole(t.p90)})` : '',
      ];
    }),
  );
  const first = f.months[0]?.month;
  const rows = f.months.map((m) => ({
    panel: panel.get(m.option)!,
    option: m.option,
    // First day of the month at 00:00 UTC, drawn on a UTC scale: never the machine's zone.
    t: Date.parse(`${m.month}-01T00:00:00Z`),
    p10: round(m.p10, 2),
    p50: round(m.p50, 2),
    p90: round(m.p90, 2),
    total: m.month === first ? totals.get(m.option)! : '',
  }));
  const cheapest = new Map(f.cheapest.map((c) => [c.month, c.option]));
  const cheapestText = [...new Set(f.cheapest.map((c) => c.option).filter((o): o is string => o !== null))];
  const x = {
    field: 't',
    type: 'temporal' as const,
    title: 'month',
    scale: { type: 'utc' as const },
    axis: {
      format: '%b %y',
      labelOverlap: true,
      tickCount: { interval: 'month' as const, step: Math.max(1, Math.ceil(f.settings.months / 6)) },
    },
  };
  // Headroom above the highest P90 for each panel's total.
  const top = Math.max(1, ...f.months.map((m) => m.p90)) * 1.18;
  const y = {
    field: 'p50',
    type: 'quantitative' as const,
    title: 'USD per month',
    scale: { domain: [0, round(top, 0)] },
    axis: { format: '$,.0f', tickCount: 4 },
  };
  const color = {
    field: 'option',
    type: 'nominal' as const,
    scale: { domain: [...colors.keys()], range: [...colors.values()] },
    legend: null,
  };
  return {
    name: 'forecast-bands',
    title: 'Monthly cost forecast',
    spec: {
      ...base('Monthly cost forecast: P10–P90 band and P50 per option', [
        ...wrap(
          `USD per calendar month from ${f.settings.start}, ${f.settings.runs} Monte Carlo runs over seeds and uncertain inputs${f.settings.growth !== 0 ? `, volume growing ${round(f.settings.growth * 100, 2)}% a month` : ''}. Band: P10–P90 of the month's cost (nearest rank over the runs); line: P50. Panels share the USD axis. Cheapest at P50: ${cheapestText.join(', ') || 'none ranked'}${cheapest.size > 0 && cheapestText.length > 1 ? ' (by month)' : ''}.`,
          100,
        ),
      ]),
      data: { values: rows },
      facet: {
        field: 'panel',
        type: 'nominal',
        sort: order.map((o) => panel.get(o.option)!),
        title: null,
        header: {
          labelAngle: 0,
          labelAlign: 'left',
          labelAnchor: 'start',
          labelFontSize: 11,
          labelLimit: 300,
        },
      },
      columns: 2,
      spacing: { row: 14, column: 24 },
      spec: {
        width: (WIDTH - 120) / 2,
        height: 110,
        layer: [
          {
            mark: { type: 'area', opacity: 0.25 },
            encoding: { x, y: { ...y, field: 'p10' }, y2: { field: 'p90' }, color },
          },
          {
            mark: { type: 'line', strokeWidth: 2, point: { size: 14, filled: true } },
            encoding: { x, y, color },
          },
          // The horizon's total, P50 (P10–P90), at the panel's top left.
          {
            transform: [{ filter: "datum.total !== ''" }],
            mark: { type: 'text', align: 'left', baseline: 'top', fontSize: 10, dx: 4, dy: 2 },
            encoding: { x: { value: 0 }, y: { value: 0 }, text: { field: 'total' } },
          },
        ],
      },
    } as Chart['spec'],
  };
}
