import { alongLine, placeLabels, type Obstacle } from './place-labels.js';
import { INK, NOTE_SIZE } from './style.js';

/*
 * The layers both crossover charts draw (volume-crossover, model-count-crossover): a dotted rule
 * per crossover, each option's cost as a line with points (baselines dashed), and the crossover
 * labels, placed left, right or centred of their rule (place-labels.ts decides which).
 */

type Align = 'left' | 'right' | 'center';

/** A crossover as drawn: its x (`at`), its label and where the label goes (`lx`, `ly` in data units). */
export interface CrossoverMark {
  at: number;
  label: string;
  align: Align;
  lx: number;
  ly: number;
}

/** The plot in pixels, and the map between pixels and data both ways. */
export interface PlotFrame {
  width: number;
  height: number;
  px: (x: number) => number;
  py: (y: number) => number;
  dataX: (px: number) => number;
  dataY: (py: number) => number;
}

/**
 * The crossovers as drawn: each label placed near the top of the plot, clear of the options' cost
 * lines (`rows` by `option`, at `xOf`, `usd`) and of each other; `at` as the chart wants it.
 */
export function crossoverMarks<R extends { option: string; usd: number }>(
  crossings: readonly { x: number; at: number; text: string }[],
  rows: readonly R[],
  order: readonly string[],
  xOf: (r: R) => number,
  f: PlotFrame,
): CrossoverMark[] {
  const obstacles: Obstacle[] = [];
  for (const k of order) {
    const mine = rows.filter((r) => r.option === k);
    for (let i = 1; i < mine.length; i++)
      obstacles.push(
        ...alongLine(
          f.px(xOf(mine[i - 1]!)),
          f.py(mine[i - 1]!.usd),
          f.px(xOf(mine[i]!)),
          f.py(mine[i]!.usd),
        ),
      );
  }
  const placed = placeLabels(
    crossings.map((c) => ({ x: f.px(c.x), y: 10, text: c.text, fontSize: NOTE_SIZE })),
    f.width,
    f.height,
    obstacles,
  );
  return crossings.map((c, i) => ({
    at: c.at,
    label: c.text,
    align: placed[i]!.align,
    lx: f.dataX(f.px(c.x) + placed[i]!.dx),
    ly: f.dataY(10 + placed[i]!.dy),
  }));
}

export function crossoverLayers<X extends object, Y extends object, C extends object>(
  cross: readonly CrossoverMark[],
  rows: readonly object[],
  enc: { x: X; y: Y; color: C },
) {
  const { x, y, color } = enc;
  const text = (align: Align) => ({
    data: { values: cross.filter((c) => c.align === align) },
    mark: { type: 'text' as const, align, baseline: 'middle' as const, fontSize: NOTE_SIZE, color: INK },
    encoding: { x: { ...x, field: 'lx' }, y: { ...y, field: 'ly' }, text: { field: 'label' } },
  });
  return [
    ...(cross.length > 0
      ? [
          {
            data: { values: cross },
            mark: { type: 'rule' as const, color: INK, strokeWidth: 1, strokeDash: [2, 2] },
            encoding: { x: { ...x, field: 'at' } },
          },
        ]
      : []),
    {
      data: { values: rows },
      mark: { type: 'line' as const, strokeWidth: 2, point: { size: 16, filled: true } },
      encoding: {
        x,
        y,
        color,
        strokeDash: {
          field: 'baseline',
          type: 'nominal' as const,
          scale: {
            domain: [false, true],
            range: [
              [1, 0],
              [5, 3],
            ],
          },
          legend: null,
        },
      },
    },
    text('left'),
    text('right'),
    text('center'),
  ];
}
