import { textWidth } from '../font-metrics.js';

/*
 * Label placement for scatter and line charts, decided when the spec is built (vega-lite has no
 * collision avoidance for text marks): the plot's size and scales are fixed by the chart, so each
 * label's box is known in pixels — its width measured from the shipped font — and a greedy pass
 * puts each label at the first of a few spots around its point that overlaps no label placed
 * before it, no marked point and stays inside the plot. Deterministic: same input, same spots.
 */

/** A label to place beside its anchor (pixels from the plot's top left). */
export interface LabelRequest {
  x: number;
  y: number;
  text: string;
  fontSize: number;
}

/** Where a label went: its offset from the anchor and its text alignment (vega text mark fields). */
export interface PlacedLabel {
  dx: number;
  dy: number;
  align: 'left' | 'right' | 'center';
  /** False when every spot overlapped something: the least-overlapping one was taken. */
  clear: boolean;
}

/** A rectangle in plot pixels. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const GAP = 6;

/** Spots tried in order: right, left, above, below, then the diagonals and further out. */
function spots(h: number): { dx: number; dy: number; align: PlacedLabel['align'] }[] {
  const out: { dx: number; dy: number; align: PlacedLabel['align'] }[] = [
    { dx: GAP, dy: 0, align: 'left' },
    { dx: -GAP, dy: 0, align: 'right' },
    { dx: 0, dy: -(h / 2 + GAP), align: 'center' },
    { dx: 0, dy: h / 2 + GAP, align: 'center' },
  ];
  for (const k of [1, 2, 3, 4, 5, 6, 7, 8])
    out.push(
      { dx: GAP, dy: -k * (h + 2), align: 'left' },
      { dx: GAP, dy: k * (h + 2), align: 'left' },
      { dx: -GAP, dy: -k * (h + 2), align: 'right' },
      { dx: -GAP, dy: k * (h + 2), align: 'right' },
    );
  return out;
}

export function boxOf(
  r: LabelRequest,
  w: number,
  h: number,
  s: { dx: number; dy: number; align: string },
): Box {
  const x = r.x + s.dx;
  const x0 = s.align === 'left' ? x : s.align === 'right' ? x - w : x - w / 2;
  const y = r.y + s.dy;
  return { x0, y0: y - h / 2, x1: x0 + w, y1: y + h / 2 };
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Something drawn that labels keep clear of: a point mark (`r` px around it) or a stretch of line. */
export interface Obstacle {
  x: number;
  y: number;
  r: number;
}

/** Obstacles every few pixels along the segment (x0, y0)–(x1, y1), for a line drawn there. */
export function alongLine(x0: number, y0: number, x1: number, y1: number, r = 2): Obstacle[] {
  const n = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / 6));
  return Array.from({ length: n + 1 }, (_, i) => ({
    x: x0 + ((x1 - x0) * i) / n,
    y: y0 + ((y1 - y0) * i) / n,
    r,
  }));
}

/**
 * Places `labels` (in order: the first gets the best spot) inside a `width` × `height` plot,
 * keeping clear of each other and of `obstacles` (the points labelled, lines, fixed labels).
 */
export function placeLabels(
  labels: readonly LabelRequest[],
  width: number,
  height: number,
  obstacles: readonly Obstacle[] = labels.map((l) => ({ x: l.x, y: l.y, r: 5 })),
  fixed: readonly Box[] = [],
): PlacedLabel[] {
  const taken: Box[] = [
    ...fixed,
    ...obstacles.map((p) => ({ x0: p.x - p.r, y0: p.y - p.r, x1: p.x + p.r, y1: p.y + p.r })),
  ];
  return labels.map((r) => {
    const w = textWidth(r.text, r.fontSize);
    const h = r.fontSize + 2;
    let best: { s: ReturnType<typeof spots>[number]; box: Box; cost: number } | null = null;
    for (const s of spots(h)) {
      const box = boxOf(r, w, h, s);
      const outside =
        Math.max(0, -box.x0) +
        Math.max(0, box.x1 - width) +
        Math.max(0, -box.y0) +
        Math.max(0, box.y1 - height);
      const cost = taken.reduce((sum, t) => sum + overlap(box, t), 0) + outside * h * 4;
      if (best === null || cost < best.cost) best = { s, box, cost };
      if (cost === 0) break;
    }
    taken.push(best!.box);
    return {
      dx: best!.s.dx,
      dy: Math.round(best!.s.dy * 10) / 10,
      align: best!.s.align,
      clear: best!.cost === 0,
    };
  });
}

/** The boxes `labels` take where `placed` put them (tests; fixed labels). */
export function labelBoxes(labels: readonly LabelRequest[], placed: readonly PlacedLabel[]): Box[] {
  return labels.map((r, i) => boxOf(r, textWidth(r.text, r.fontSize), r.fontSize + 2, placed[i]!));
}
