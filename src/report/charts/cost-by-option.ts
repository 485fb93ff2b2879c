import { textWidth } from '../font-metrics.js';
import type { ChartBuilder } from './chart.js';
import { round, spanText, usdLabel } from './labels.js';
import { base, INK, inkOn, LABEL_SIZE, optionColor, optionColors, optionKeys, WIDTH } from './style.js';

/** Opacity of staff-time segments: visibly not part of the AWS bill. */
const STAFF_OPACITY = 0.3;

/** A cost line's name without its bracketed details: "Model storage (2 CMUs, …)" → "Model storage". */
export function lineKind(item: string): string {
  return item.replace(/\s*\(.*\)\s*$/, '') || item;
}

/**
 * Total cost per option over the simulated span: one bar per option in its colour, cut into its
 * cost lines (alternating shades, white gaps), each named inside the bar as far as the name fits
 * (else its first word and "…", else nothing).
 * The AWS bill comes first; staff time nobody bills (`billedBy: staff`) follows it, pale
 * (STAFF_OPACITY) and named "staff: …", and the label at the bar's end gives the AWS bill beside
 * the total. Discounts (negative lines, on the AWS bill) are drawn faint, back from the end of the
 * AWS lines. The scale is fixed (at least 1.2 × the largest total, wide enough for every end
 * label) so the spec itself knows which labels fit.
 */
export const costByOption: ChartBuilder = (out) => {
  const keys = optionKeys(out);
  const colors = optionColors(keys);
  const feasible = out.result.options.filter((o) => o.cost !== null);
  if (feasible.length === 0) return null;
  const plotWidth = WIDTH - 200;
  const endLabel = (c: NonNullable<(typeof feasible)[number]['cost']>) =>
    c.staff !== 0 ? `${usdLabel(c.total)} (${usdLabel(c.aws)} AWS)` : usdLabel(c.total);
  // Each bar's end label must fit right of it: end × px + dx + label ≤ plotWidth.
  const domainMax = Math.max(
    1e-9,
    ...feasible.map((o) => {
      const end = positiveSum(o.cost!.lines.map((l) => l.amount));
      const room = plotWidth - textWidth(endLabel(o.cost!), LABEL_SIZE) - 8;
      return Math.max(end * 1.2, room > 0 ? (end * plotWidth) / room : end * 2);
    }),
  );
  const px = plotWidth / domainMax;
  const segments: Record<string, string | number>[] = [];
  const totals: Record<string, string | number>[] = [];
  for (const o of out.result.options) {
    if (o.cost === null) {
      totals.push({ option: o.key, at: 0, label: 'not feasible' });
      continue;
    }
    const aws = o.cost.lines.filter((l) => l.billedBy !== 'staff');
    const staff = o.cost.lines.filter((l) => l.billedBy === 'staff');
    let x = 0;
    let shade = 0;
    const draw = (l: (typeof aws)[number], staffLine: boolean) => {
      const opacity = staffLine ? STAFF_OPACITY : shade++ % 2 === 0 ? 1 : 0.72;
      const kind = lineKind(l.item);
      const short = kind.includes(' ') ? `${kind.split(' ')[0]}…` : kind;
      const names = staffLine ? [`staff: ${kind}`, 'staff', ''] : [kind, short, ''];
      const label = names.find((t) => t === '' || textWidth(t, LABEL_SIZE) + 12 <= l.amount * px)!;
      segments.push({
        option: o.key,
        item: l.item,
        from: round(x, 4),
        to: round(x + l.amount, 4),
        mid: round(x + l.amount / 2, 4),
        opacity,
        label,
        ink: inkOn(colors.get(o.key)!, opacity),
      });
      x += l.amount;
    };
    for (const l of aws) if (l.amount > 0) draw(l, false);
    const awsEnd = x;
    for (const l of aws) {
      if (l.amount >= 0) continue;
      segments.push({
        option: o.key,
        item: l.item,
        from: round(x + l.amount, 4),
        to: round(x, 4),
        mid: round(x + l.amount / 2, 4),
        opacity: 0.25,
        label: '',
        ink: INK,
      });
      x += l.amount;
    }
    x = awsEnd;
    for (const l of staff) if (l.amount > 0) draw(l, true);
    totals.push({ option: o.key, at: round(x, 4), label: endLabel(o.cost) });
  }
  const days = out.result.trace.durationSeconds / 86400;
  const y = { field: 'option', type: 'nominal' as const, sort: keys, title: null, axis: { labelLimit: 200 } };
  const x = {
    field: 'from',
    type: 'quantitative' as const,
    title: 'USD',
    scale: { domain: [0, round(domainMax, 4)], nice: false },
    axis: { format: '$,.0f', tickCount: 8 },
  };
  return {
    name: 'cost-by-option',
    title: 'Cost per option',
    spec: {
      ...base('Cost per option', [
        `Total over the simulated ${spanText(days)}, USD. Segments are the cost lines, named as far as the name fits;`,
        'the AWS bill first, then pale staff time AWS does not bill (in brackets: the AWS bill).',
        'Every line is in the comparison table and costs.csv.',
      ]),
      width: plotWidth,
      height: { step: 34 },
      layer: [
        {
          data: { values: segments },
          mark: { type: 'bar', stroke: 'white', strokeWidth: 1.5 },
          encoding: {
            y,
            x,
            x2: { field: 'to' },
            color: optionColor(out, { legend: null }),
            opacity: { field: 'opacity', type: 'quantitative', scale: null },
            detail: { field: 'item' },
          },
        },
        {
          data: { values: segments },
          mark: { type: 'text', align: 'center', baseline: 'middle', fontSize: LABEL_SIZE },
          encoding: {
            y,
            x: { ...x, field: 'mid' },
            text: { field: 'label' },
            color: { field: 'ink', type: 'nominal', scale: null },
          },
        },
        {
          data: { values: totals },
          mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: LABEL_SIZE },
          encoding: { y, x: { ...x, field: 'at' }, text: { field: 'label' } },
        },
      ],
    },
  };
};

function positiveSum(xs: number[]): number {
  return xs.reduce((s, v) => (v > 0 ? s + v : s), 0);
}
