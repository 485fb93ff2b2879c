import { textWidth } from '../font-metrics.js';
import type { ChartBuilder } from './chart.js';
import { round, spanText, usdLabel } from './labels.js';
import type { CostLine } from '../../billing/lines.js';
import { base, INK, inkOn, LABEL_SIZE, optionKeys, WIDTH } from './style.js';

/**
 * Colours of the cost-line kinds (the legend): muted, so the bars do not read as the option
 * colours of the other charts; staff time in greys (not on the AWS bill). Past ten kinds the
 * colours repeat (the legend and the table still name every line).
 */
const KIND_COLORS = [
  '#5b84b1',
  '#e8a05c',
  '#74a96f',
  '#d4706d',
  '#9c83bd',
  '#7dbdb6',
  '#d6bd58',
  '#a9826b',
  '#e59bb5',
  '#8d99a6',
] as const;
const STAFF_COLORS = ['#c4c4c4', '#a3a3a3', '#dedede'] as const;

/** A cost line's name without its bracketed details: "Model storage (2 CMUs, …)" → "Model storage". */
export function lineKind(item: string): string {
  return item.replace(/\s*\(.*\)\s*$/, '') || item;
}

/**
 * Total cost per option over the simulated span: one bar per option, cut into its cost lines,
 * coloured by the kind of line ("CMU inference", "Instance usage", …) with a legend, so the same
 * kind reads the same in every bar. A segment is named inside only when the whole name fits —
 * never cut short; the legend names every kind. The AWS bill comes first; staff time nobody bills
 * (`billedBy: staff`) follows it in grey, its legend entry "staff: …", and the label at the bar's
 * end gives the AWS bill beside the total. Discounts (negative lines, on the AWS bill) are drawn
 * faint, back from the end of the AWS lines. The scale is fixed (at least 1.2 × the largest total,
 * wide enough for every end label, measured in the shipped font) so the spec knows what fits.
 */
export const costByOption: ChartBuilder = (out) => {
  const keys = optionKeys(out);
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
  // Kinds in order of first appearance: AWS kinds, then staff kinds.
  const kindOf = (l: CostLine) => (l.billedBy === 'staff' ? `staff: ${lineKind(l.item)}` : lineKind(l.item));
  const lines = feasible.flatMap((o) => o.cost!.lines.filter((l) => l.amount > 0));
  const awsKinds = [...new Set(lines.filter((l) => l.billedBy !== 'staff').map(kindOf))];
  const staffKinds = [...new Set(lines.filter((l) => l.billedBy === 'staff').map(kindOf))];
  const kindColor = new Map<string, string>([
    ...awsKinds.map((k, i): [string, string] => [k, KIND_COLORS[i % KIND_COLORS.length]!]),
    ...staffKinds.map((k, i): [string, string] => [k, STAFF_COLORS[i % STAFF_COLORS.length]!]),
  ]);
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
    const draw = (l: CostLine) => {
      const kind = kindOf(l);
      const fits = textWidth(kind, LABEL_SIZE) + 12 <= l.amount * px;
      segments.push({
        option: o.key,
        item: l.item,
        kind,
        from: round(x, 4),
        to: round(x + l.amount, 4),
        mid: round(x + l.amount / 2, 4),
        opacity: 1,
        label: fits ? kind : '',
        ink: inkOn(kindColor.get(kind)!, 1),
      });
      x += l.amount;
    };
    for (const l of aws) if (l.amount > 0) draw(l);
    const awsEnd = x;
    for (const l of aws) {
      if (l.amount >= 0) continue;
      segments.push({
        option: o.key,
        item: l.item,
        kind: kindOf(l),
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
    for (const l of staff) if (l.amount > 0) draw(l);
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
        `Total over the simulated ${spanText(days)}, USD. Segments are the cost lines, coloured by kind (legend);`,
        'the AWS bill first, then staff time AWS does not bill, in grey (in brackets: the AWS bill).',
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
            color: {
              field: 'kind',
              type: 'nominal' as const,
              title: 'cost line',
              scale: { domain: [...kindColor.keys()], range: [...kindColor.values()] },
              legend: {
                orient: 'bottom' as const,
                direction: 'horizontal' as const,
                columns: 3,
                symbolType: 'square',
              },
            },
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
