import { countedHits, type HeartbeatBreakeven } from '../../compare/result.js';
import { signedUsd, usd } from '../text/format.js';
import type { Chart, ChartBuilder } from './chart.js';
import { round, wrap } from './labels.js';
import { alongLine, placeLabels, type LabelRequest, type Obstacle } from './place-labels.js';
import { base, FLIP_RED, INK, NOTE_SIZE, optionColors, TRAFFIC_GREY, WIDTH } from './style.js';

/*
 * The heartbeat break-even (docs/breakeven.md) as a picture, per option that scales to zero:
 *
 *   variants ─► (counted cold starts avoided, added cost) vs `never` ─► scatter, labels placed
 *            ─► break-even line (cost per avoided cold start below which no heartbeat pays)
 *   best and whole-hour schedules ─► the hours of the day kept warm (where keeping warm pays)
 *
 * The same chart from `servesim run` (the report's `heartbeat`) and `servesim breakeven heartbeat`.
 */

const PLOT_W = WIDTH - 120;
const PLOT_H = 230;
/** A five-pointed star (vega shape path, unit size): the schedule chosen. */
const STAR =
  'M0,-1L0.29,-0.4L0.95,-0.31L0.48,0.15L0.59,0.81L0,0.5L-0.59,0.81L-0.48,0.15L-0.95,-0.31L-0.29,-0.4Z';

/** The heartbeat chart of a break-even analysis; null when no option scales to zero. */
export function heartbeatChart(heartbeat: readonly HeartbeatBreakeven[]): Chart | null {
  const panels = heartbeat.filter((h) => h.variants.some((v) => v.schedule === 'never'));
  if (panels.length === 0) return null;
  const colors = optionColors(panels.map((h) => h.option));
  const classes = [...new Set(panels.flatMap((h) => h.classes))].join(' and ');
  return {
    name: 'heartbeat',
    title: 'When a warm heartbeat pays',
    spec: {
      ...base('When a warm heartbeat pays', [
        ...wrap(
          `Each point is a heartbeat schedule simulated over the whole trace: what it adds to the bill (USD) against the ${classes} cold starts it avoids, both compared with no heartbeat. The dashed line is the break-even: a schedule below the line of a cold start's worth pays. ★ marks the schedule chosen; the bars below show the hours of the day it keeps warm (the scenario's local time).`,
          100,
        ),
      ]),
      spacing: 18,
      resolve: { scale: { color: 'independent' } },
      vconcat: [...panels.map((h) => scatter(h, colors.get(h.option)!)), hours(panels, colors)],
    } as Chart['spec'],
  };
}

/** The report's `heartbeat` chart (a run's own break-even analysis). */
export const heartbeatOfRun: ChartBuilder = (out) =>
  out.result.breakeven ? heartbeatChart(out.result.breakeven.heartbeat) : null;

/** `$0.25 per avoided cold start`, `−$0.52 per avoided cold start` (a true minus sign). */
function perColdStart(x: number): string {
  return `${x < 0 ? '−' : ''}${usd(Math.abs(x))} per avoided cold start`;
}

/** One option's schedules: added cost against counted cold starts avoided. */
function scatter(h: HeartbeatBreakeven, color: string) {
  const never = h.variants.find((v) => v.schedule === 'never')!;
  // Points at the same place (e.g. `always` at every interval) share one label.
  const groups = new Map<string, { avoided: number; added: number; names: string[]; chosen: boolean }>();
  for (const v of h.variants) {
    const avoided = countedHits(never, h.classes) - countedHits(v, h.classes);
    const added = round(v.cost - never.cost, 2);
    const key = `${avoided}:${added}`;
    const g = groups.get(key) ?? { avoided, added, names: [], chosen: false };
    g.names.push(v.schedule);
    g.chosen ||= v.schedule === h.bestSchedule.schedule;
    groups.set(key, g);
  }
  const pts = [...groups.values()];
  const maxX = Math.max(1, ...pts.map((p) => p.avoided));
  const ys = pts.map((p) => p.added);
  const span = Math.max(1e-9, Math.max(0, ...ys) - Math.min(0, ...ys));
  const x1 = maxX * 1.08;
  const y0 = Math.min(0, ...ys) - span * 0.08;
  const y1 = Math.max(0, ...ys) + span * 0.1;
  const px = (x: number) => (x / x1) * PLOT_W;
  const py = (y: number) => PLOT_H - ((y - y0) / (y1 - y0)) * PLOT_H;
  const v = h.breakEvenColdStartValue;
  const value = typeof h.verdict?.coldStartValue === 'number' ? h.verdict.coldStartValue : null;
  const lines: Record<string, string | number>[] = [];
  if (v !== null) lines.push(...ray(v, x1, y0, y1, `break-even ${perColdStart(v)}`, 'break-even'));
  if (value !== null)
    lines.push(...ray(value, x1, y0, y1, `a cold start's worth: ${perColdStart(value)}`, 'worth'));
  // Labels keep clear of the points, the zero line, the dashed lines and each other: first the
  // lines' own (near their far end), then the chosen schedule's, then the others'. A label pushed
  // away from its point gets a thin leader line back to it.
  const obstacles: Obstacle[] = [
    ...pts.map((p) => ({ x: px(p.avoided), y: py(p.added), r: p.chosen ? 10 : 5 })),
    ...alongLine(0, py(0), PLOT_W, py(0), 1),
  ];
  const requests: (LabelRequest & { ink: string; r: number })[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const [a, b] = [lines[i]!, lines[i + 1]!];
    const [ax, ay, bx, by] = [px(+a.x!), py(+a.y!), px(+b.x!), py(+b.y!)];
    obstacles.push(...alongLine(ax, ay, bx, by));
    const at = { x: ax + (bx - ax) * 0.8, y: ay + (by - ay) * 0.8 };
    const ink = a.line === 'break-even' ? FLIP_RED : '#555555';
    requests.push({ ...at, text: String(a.label), fontSize: NOTE_SIZE, ink, r: -1 });
  }
  const order = [...pts].sort((a, b) => Number(b.chosen) - Number(a.chosen));
  for (const p of order)
    requests.push({
      x: px(p.avoided),
      y: py(p.added),
      text: `${p.chosen ? '★ ' : ''}${p.names.join(' · ')} (${signedUsd(p.added)})`,
      fontSize: NOTE_SIZE,
      ink: INK,
      r: p.chosen ? 10 : 5,
    });
  const placed = placeLabels(requests, PLOT_W, PLOT_H, obstacles);
  // Pixels back into data units (the domains are fixed): vega-lite offsets only banded scales.
  const dataX = (x: number) => round((x / PLOT_W) * x1, 4);
  const dataY = (y: number) => round(y0 + ((PLOT_H - y) / PLOT_H) * (y1 - y0), 4);
  const labels = requests.map((r, i) => ({
    label: r.text,
    ink: r.ink,
    align: placed[i]!.align,
    lx: dataX(r.x + placed[i]!.dx),
    ly: dataY(r.y + placed[i]!.dy),
  }));
  // Leaders from a point's edge to its label (lines' labels sit by their line: none).
  const leaders = requests.flatMap((r, i) => {
    const d = placed[i]!;
    if (r.r < 0 || Math.abs(d.dy) <= NOTE_SIZE / 2 + 8) return [];
    const lx = r.x + d.dx + (d.align === 'left' ? -2 : d.align === 'right' ? 2 : 0);
    const ly = r.y + d.dy + (d.dy > 0 ? -NOTE_SIZE / 2 : NOTE_SIZE / 2);
    const len = Math.hypot(lx - r.x, ly - r.y);
    const sx = r.x + ((lx - r.x) * r.r) / len;
    const sy = r.y + ((ly - r.y) * r.r) / len;
    return [{ x: dataX(sx), y: dataY(sy), x2: dataX(lx), y2: dataY(ly) }];
  });
  const rows = pts.map((p) => ({ avoided: p.avoided, added: p.added, chosen: p.chosen }));
  const x = {
    field: 'avoided',
    type: 'quantitative' as const,
    title: `${h.classes.join(' + ')} cold starts avoided (of ${countedHits(never, h.classes)})`,
    scale: { domain: [0, round(x1, 4)], nice: false },
    axis: { tickMinStep: 1, format: 'd' },
  };
  const y = {
    field: 'added',
    type: 'quantitative' as const,
    title: 'added cost, USD',
    scale: { domain: [round(y0, 4), round(y1, 4)], nice: false },
    axis: { format: '$,.2~f' },
  };
  const text = (align: 'left' | 'right' | 'center') => ({
    data: { values: labels.filter((r) => r.align === align) },
    mark: { type: 'text' as const, align, baseline: 'middle' as const, fontSize: NOTE_SIZE },
    encoding: {
      x: { ...x, field: 'lx' },
      y: { ...y, field: 'ly' },
      text: { field: 'label' },
      color: { field: 'ink', type: 'nominal' as const, scale: null },
    },
  });
  const dashed = (kind: string, stroke: string) => {
    const mine = lines.filter((l) => l.line === kind);
    return mine.length === 0
      ? []
      : [
          {
            data: { values: mine },
            mark: { type: 'line' as const, strokeDash: [5, 3], strokeWidth: 1.5, color: stroke },
            encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' } },
          },
        ];
  };
  const dots = (chosen: boolean) => ({
    data: { values: rows.filter((r) => r.chosen === chosen) },
    mark: {
      type: 'point' as const,
      filled: true,
      opacity: 1,
      color,
      shape: chosen ? STAR : 'circle',
      size: chosen ? 280 : 55,
      ...(chosen ? { stroke: INK, strokeWidth: 0.8 } : {}),
    },
    encoding: { x, y },
  });
  return {
    title: { text: `${h.option}: best ${h.bestSchedule.schedule}`, fontSize: 12, anchor: 'start' as const },
    width: PLOT_W,
    height: PLOT_H,
    layer: [
      {
        data: { values: [{ at: 0 }] },
        mark: { type: 'rule' as const, color: TRAFFIC_GREY, strokeWidth: 1 },
        encoding: { y: { ...y, field: 'at' } },
      },
      ...dashed('break-even', FLIP_RED),
      ...dashed('worth', TRAFFIC_GREY),
      ...(leaders.length > 0
        ? [
            {
              data: { values: leaders },
              mark: { type: 'rule' as const, color: TRAFFIC_GREY, strokeWidth: 0.8 },
              encoding: {
                x: { ...x, field: 'x' },
                y: { ...y, field: 'y' },
                x2: { field: 'x2' },
                y2: { field: 'y2' },
              },
            },
          ]
        : []),
      dots(false),
      dots(true),
      text('left'),
      text('right'),
      text('center'),
    ],
  };
}

/**
 * The line y = slope × x through the origin, clipped to the plot (the y domain), as two points;
 * `end: 1` marks the far one, where its label goes.
 */
function ray(slope: number, x1: number, y0: number, y1: number, label: string, line: string) {
  let xEnd = x1;
  const yAt = slope * xEnd;
  if (yAt > y1) xEnd = y1 / slope;
  else if (yAt < y0) xEnd = y0 / slope;
  return [
    { line, x: 0, y: 0, end: 0, label },
    { line, x: round(xEnd, 4), y: round(slope * xEnd, 4), end: 1, label },
  ];
}

/** "09:00-17:30" → [9, 17.5] in hours; a range past midnight is split in two. */
export function rangeHours(range: string): [number, number][] {
  const m = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(range);
  if (!m) return [];
  const from = Number(m[1]) + Number(m[2]) / 60;
  const to = Number(m[3]) + Number(m[4]) / 60;
  return to > from
    ? [[from, to]]
    : ([
        [from, 24],
        [0, to],
      ].filter(([a, b]) => b! > a!) as [number, number][]);
}

/** The hours of the day each option's chosen schedule (and the best in whole hours) keeps warm. */
function hours(panels: readonly HeartbeatBreakeven[], colors: Map<string, string>) {
  const rows: Record<string, string | number>[] = [];
  const notes: Record<string, string | number>[] = [];
  const order: string[] = [];
  for (const h of panels) {
    for (const [which, s] of [
      ['chosen', h.bestSchedule],
      ['whole hours', h.wholeHourSchedule],
    ] as const) {
      const row = `${h.option}: ${which}`;
      order.push(row);
      const hb = s.heartbeat;
      if (hb === null) {
        notes.push({ row, at: 0, label: 'no heartbeat: none pays' });
        continue;
      }
      for (const r of hb.during)
        for (const [from, to] of rangeHours(r))
          rows.push({
            row,
            option: h.option,
            from: round(from, 4),
            to: round(to, 4),
            opacity: which === 'chosen' ? 1 : 0.4,
          });
      notes.push({ row, at: 24, label: `${hb.days === 'weekdays' ? 'weekdays, ' : ''}every ${hb.every}` });
    }
  }
  const y = { field: 'row', type: 'nominal' as const, sort: order, title: null, axis: { labelLimit: 220 } };
  const x = {
    field: 'from',
    type: 'quantitative' as const,
    title: 'hour of the day kept warm (scenario’s local time)',
    scale: { domain: [0, 24], nice: false },
    axis: {
      values: [0, 3, 6, 9, 12, 15, 18, 21, 24],
      labelExpr: "(datum.value < 10 ? '0' : '') + datum.value + ':00'",
    },
  };
  return {
    width: PLOT_W,
    height: { step: 22 },
    layer: [
      {
        data: { values: rows },
        mark: { type: 'bar' as const, height: { band: 0.7 } },
        encoding: {
          y,
          x,
          x2: { field: 'to' },
          color: {
            field: 'option',
            type: 'nominal' as const,
            scale: { domain: [...colors.keys()], range: [...colors.values()] },
            legend: null,
          },
          opacity: { field: 'opacity', type: 'quantitative' as const, scale: null },
        },
      },
      {
        data: { values: notes },
        mark: {
          type: 'text' as const,
          align: 'left' as const,
          baseline: 'middle' as const,
          dx: 6,
          fontSize: NOTE_SIZE,
        },
        encoding: { y, x: { ...x, field: 'at' }, text: { field: 'label' } },
      },
    ],
  };
}
