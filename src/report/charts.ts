import { DateTime } from 'luxon';
import type { TopLevelSpec } from 'vega-lite';
import type { RunOutput } from '../compare/run.js';
import { valueText } from './text/format.js';
import { textWidth } from './text-width.js';

/*
 * Chart specs (design §9): pure functions from a run to vega-lite specs with their data inline, so
 * each `.vl.json` opens as is in the Vega editor. Rendering (SVG, PNG) lives in render.ts.
 *
 * Adding a chart = one `ChartBuilder` function plus one entry in `CHARTS`. A builder returns null
 * when its analysis has nothing to show (e.g. no feasible option).
 *
 * Conventions every chart follows: a title and a subtitle saying what is measured, units in axis
 * titles, one colour per option key (`optionScale`, the same in every chart), times in the
 * scenario's local time, numbers rounded here (the data of a chart, not of results.json).
 */

export interface Chart {
  /** File stem: `<name>.vl.json`, `<name>.svg`, `<name>.png`. */
  name: string;
  title: string;
  spec: TopLevelSpec;
}

export type ChartBuilder = (out: RunOutput) => Chart | null;

/** vega's "tableau10": distinct, colour-blind friendlier than the defaults of most tools. */
export const PALETTE = [
  '#4c78a8',
  '#f58518',
  '#e45756',
  '#72b7b2',
  '#54a24b',
  '#eeca3b',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
] as const;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 600;
/** DejaVu Sans is what the PNGs use; Verdana (similar widths) where a browser lacks it. */
const FONT = 'DejaVu Sans, Verdana, sans-serif';
/** Most points a time series keeps per option; longer spans are bucketed. */
const MAX_POINTS = 1440;
const TRAFFIC_GREY = '#9e9e9e';

/** Option keys in scenario order (infeasible ones included, so colours never shift). */
export function optionKeys(out: RunOutput): string[] {
  return out.result.options.map((o) => o.key);
}

/** The colour of each option key: the palette in scenario order, cycling past ten options. */
export function optionColors(keys: readonly string[]): Map<string, string> {
  return new Map(keys.map((k, i) => [k, PALETTE[i % PALETTE.length]!]));
}

function optionScale(out: RunOutput): { domain: string[]; range: string[] } {
  const keys = optionKeys(out);
  const colors = optionColors(keys);
  return { domain: keys, range: keys.map((k) => colors.get(k)!) };
}

function base(title: string, subtitle: string | string[]) {
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle, anchor: 'start' as const, fontSize: 15, subtitleFontSize: 11 },
    background: 'white',
    padding: 12,
    config: {
      font: FONT,
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal' as const },
      legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 320 },
      header: { labelFontSize: 12, labelFontWeight: 'bold' as const },
    },
  };
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
const sig = (x: number, digits: number): number => Number(x.toPrecision(digits));

// ---- time axis -----------------------------------------------------------------------------

interface TimeAxis {
  /** Seconds from trace start → epoch ms of the local wall-clock time, read as UTC. */
  x(seconds: number): number;
  /** What the time field holds, for the spec's description. */
  description: string;
  axis: { title: string; format: string; labelOverlap: boolean };
  scale: { type: 'utc' };
}

/**
 * Charts show local wall-clock time (the scenario's timezone) on a UTC scale, so rendering never
 * depends on the machine's timezone. Each instant takes the offset in force then, so a span
 * crossing a DST change keeps its labels right (09:00 stays 09:00); in the autumn the repeated
 * hour is drawn twice over the same stretch of axis.
 */
function timeAxis(out: RunOutput): TimeAxis {
  const startMs = Date.parse(out.result.trace.start);
  const zone = out.scenario.timezone;
  const local = DateTime.fromMillis(startMs, { zone });
  const end = DateTime.fromMillis(startMs + out.result.trace.durationSeconds * 1000, { zone });
  const days = out.result.trace.durationSeconds / 86400;
  const format = days <= 1.5 ? '%H:%M' : days <= 8 ? '%a %H:%M' : '%b %d';
  // Offsets change only on the quarter hour: one zone lookup per 15 minutes of the span.
  const offsets = new Map<number, number>();
  const offsetMs = (ms: number): number => {
    const q = Math.floor(ms / 900_000);
    let o = offsets.get(q);
    if (o === undefined) {
      o = DateTime.fromMillis(q * 900_000, { zone }).offset * 60_000;
      offsets.set(q, o);
    }
    return o;
  };
  const utc = (d: DateTime): string => `UTC${d.toFormat('ZZ')}`;
  return {
    x: (s) => {
      const ms = startMs + Math.round(s * 1000);
      return ms + offsetMs(ms);
    },
    description: `Field t: local wall-clock time in ${zone} (the offset in force at each instant), as epoch milliseconds on a UTC scale.`,
    axis: {
      title: `local time (${zone}, ${offsetsText(local, end, utc)})`,
      format,
      labelOverlap: true,
    },
    scale: { type: 'utc' },
  };
}

/**
 * The offsets a span sees, in order of first appearance, checked every 6 hours (DST changes are
 * months apart): one (`UTC-05:00`), or each in turn (`UTC-05:00 → UTC-04:00 → UTC-05:00`).
 */
function offsetsText(start: DateTime, end: DateTime, utc: (d: DateTime) => string): string {
  const seen: string[] = [];
  for (let t = start; t < end; t = t.plus({ hours: 6 })) {
    const o = utc(t);
    if (seen[seen.length - 1] !== o) seen.push(o);
  }
  const last = utc(end);
  if (seen[seen.length - 1] !== last) seen.push(last);
  return seen.join(' → ');
}

// ---- charts --------------------------------------------------------------------------------

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
      const room = plotWidth - textWidth(endLabel(o.cost!), 11) - 8;
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
      const label = names.find((t) => t === '' || textWidth(t, 11) + 12 <= l.amount * px)!;
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
        ink: '#1d1d1f',
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
            color: { field: 'option', type: 'nominal', scale: optionScale(out), legend: null },
            opacity: { field: 'opacity', type: 'quantitative', scale: null },
            detail: { field: 'item' },
          },
        },
        {
          data: { values: segments },
          mark: { type: 'text', align: 'center', baseline: 'middle', fontSize: 11 },
          encoding: {
            y,
            x: { ...x, field: 'mid' },
            text: { field: 'label' },
            color: { field: 'ink', type: 'nominal', scale: null },
          },
        },
        {
          data: { values: totals },
          mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 11 },
          encoding: { y, x: { ...x, field: 'at' }, text: { field: 'label' } },
        },
      ],
    },
  };
};

/** Opacity of staff-time segments: visibly not part of the AWS bill. */
const STAFF_OPACITY = 0.3;

function positiveSum(xs: number[]): number {
  return xs.reduce((s, v) => (v > 0 ? s + v : s), 0);
}

/** Dark or white text, whichever reads better on `hex` laid over white at `opacity`. */
function inkOn(hex: string, opacity: number): string {
  const ch = (i: number) => {
    const c = (parseInt(hex.slice(i, i + 2), 16) * opacity + 255 * (1 - opacity)) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const lum = 0.2126 * ch(1) + 0.7152 * ch(3) + 0.0722 * ch(5);
  // Contrast against white (1.05 / (L + 0.05)) vs against near-black (≈ (L + 0.05) / 0.05).
  return 1.05 / (lum + 0.05) >= (lum + 0.05) / 0.06 ? 'white' : '#1d1d1f';
}

/**
 * Per option with a fleet: user arrivals per minute (grey area, left axis) against ready replicas (step line in
 * the option's colour, right axis) — the picture of scale-to-zero, cold starts and scaling lag.
 * Runs of equal minutes are merged (a step chart loses nothing); spans longer than MAX_POINTS
 * minutes are bucketed: mean arrivals per minute and peak replicas per bucket.
 */
export const trafficVsReplicas: ChartBuilder = (out) => {
  const t = timeAxis(out);
  const rows: { option: string; t: number; arrivals: number; replicas: number }[] = [];
  const keys: string[] = [];
  let bucket = 1;
  let maxReplicas = 1;
  const noFleet: string[] = [];
  for (const [i, run] of out.runs.entries()) {
    if (run.record === null) continue;
    // Per-token options have no replicas of their own (capacity null): nothing to draw here.
    if (out.result.options[i]?.capacity === null) {
      noFleet.push(run.key);
      continue;
    }
    keys.push(run.key);
    const s = run.record.series;
    bucket = Math.max(1, Math.ceil(s.minutes / MAX_POINTS));
    let prev: { arrivals: number; replicas: number } | null = null;
    for (let m0 = 0; m0 < s.minutes; m0 += bucket) {
      const m1 = Math.min(s.minutes, m0 + bucket);
      let sum = 0;
      let peak = 0;
      for (let m = m0; m < m1; m++) {
        sum += s.arrivals[m]!;
        peak = Math.max(peak, s.ready[m]!);
      }
      maxReplicas = Math.max(maxReplicas, peak);
      const arrivals = round(sum / (m1 - m0), 2);
      if (prev === null || prev.arrivals !== arrivals || prev.replicas !== peak) {
        rows.push({ option: run.key, t: t.x(m0 * 60), arrivals, replicas: peak });
        prev = { arrivals, replicas: peak };
      }
    }
    // Close the last step at the end of the span.
    if (prev !== null) rows.push({ option: run.key, t: t.x(s.minutes * 60), ...prev });
  }
  if (rows.length === 0) return null;
  const x = { field: 't', type: 'temporal' as const, scale: t.scale, axis: t.axis };
  return {
    name: 'traffic-vs-replicas',
    title: 'Traffic vs ready replicas',
    spec: {
      ...base('Traffic vs ready replicas', [
        ...wrap(
          bucket === 1
            ? 'User arrivals per minute (grey, left axis) and ready replicas — copies — at each minute’s end (right axis).'
            : `User arrivals per minute, mean over each ${bucket}-minute bucket (grey, left axis), and ready replicas — copies — at their peak in each bucket (right axis).`,
          105,
        ),
        'Heartbeats are not arrivals. Replicas at 0 = scaled to zero: the next request waits on a cold start.',
        ...(noFleet.length > 0
          ? wrap(`Not shown, no replicas of their own (billed per token): ${noFleet.join(', ')}.`, 105)
          : []),
      ]),
      description: t.description,
      data: { values: rows },
      facet: {
        row: {
          field: 'option',
          type: 'nominal',
          sort: keys,
          title: null,
          header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top' },
        },
      },
      spacing: 14,
      spec: {
        width: WIDTH - 90,
        height: 110,
        layer: [
          {
            mark: { type: 'area', interpolate: 'step-after', color: TRAFFIC_GREY, opacity: 0.45 },
            encoding: {
              x,
              y: {
                field: 'arrivals',
                type: 'quantitative',
                title: 'arrivals / min (√ scale)',
                // A square-root scale keeps a trickle of 1/min visible beside a batch of hundreds.
                scale: { type: 'sqrt' },
                axis: { titleColor: '#666', tickCount: 4 },
              },
            },
          },
          {
            mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
            encoding: {
              x,
              y: {
                field: 'replicas',
                type: 'quantitative',
                title: 'ready replicas',
                // Headroom above the peak, so a line at the maximum is not drawn on the frame.
                scale: { domain: [0, maxReplicas + 0.4], nice: false },
                axis: { orient: 'right', tickMinStep: 1, format: 'd', grid: false },
              },
              color: { field: 'option', type: 'nominal', scale: optionScale(out), legend: null },
            },
          },
        ],
        resolve: { scale: { y: 'independent' } },
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
};

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
        x: { field: 't', type: 'temporal', scale: t.scale, axis: t.axis },
        y: { field: 'usd', type: 'quantitative', title: 'USD so far', axis: { format: '$,.0f' } },
        color: {
          field: 'option',
          type: 'nominal',
          scale: optionScale(out),
          title: 'option',
          // The scale keeps every option's colour; the legend lists the options drawn.
          legend: { orient: 'right', values: shown },
        },
      },
    },
  };
};

const ALL = 'all user requests';
const COLD = 'only those that waited on a cold start';

/**
 * Latency CDF per option on a log axis: the fraction of user requests answered within x seconds
 * (wait, cold start included, + service). A dashed line per option is the CDF of the requests
 * that waited on a cold start, so the cold-start tail is seen for what it is. Points closer than
 * the eye can tell apart (under 0.5 % in fraction and 2 % in latency, about a pixel) are dropped.
 */
export const latencyCdf: ChartBuilder = (out) => {
  const rows: { option: string; subset: string; latency: number; fraction: number }[] = [];
  const notes: string[] = [];
  const shown: string[] = [];
  out.runs.forEach((run, i) => {
    const o = out.result.options[i];
    if (run.record === null || o === undefined) return;
    const { all, coldHit } = run.record.latencySample;
    if (all.length > 0) shown.push(run.key);
    cdfRows(rows, run.key, ALL, all);
    cdfRows(rows, run.key, COLD, coldHit);
    const served = o.requests.served;
    const hits = o.requests.coldStartHits;
    if (hits > 0)
      notes.push(
        `${run.key} ${hits.toLocaleString('en-US')} of ${served.toLocaleString('en-US')} (${pctText(hits, served)})`,
      );
  });
  if (rows.length === 0) return null;
  const others = notes.length === 0 ? 'none' : shown.length > notes.length ? 'none for the others' : '';
  const coldNote = `User requests that waited on a cold start: ${[...notes, others].filter((x) => x).join('; ')}.`;
  return {
    name: 'latency-cdf',
    title: 'Latency CDF',
    spec: {
      ...base('Latency CDF per option', [
        'Fraction of user requests answered within x: wait (cold start included) + service; heartbeats excluded.',
        ...wrap(coldNote, 100),
      ]),
      width: WIDTH - 90,
      height: 260,
      data: { values: rows },
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
      encoding: {
        x: {
          field: 'latency',
          type: 'quantitative',
          scale: { type: 'log' },
          title: 'latency per user request (seconds, log scale)',
          axis: { format: '~g' },
        },
        y: {
          field: 'fraction',
          type: 'quantitative',
          title: 'fraction of requests ≤ x',
          scale: { domain: [0, 1] },
          axis: { format: '%' },
        },
        color: {
          field: 'option',
          type: 'nominal',
          scale: optionScale(out),
          title: 'option',
          legend: { orient: 'bottom', direction: 'vertical', values: shown },
        },
        strokeDash: {
          field: 'subset',
          type: 'nominal',
          title: 'requests',
          scale: {
            domain: [ALL, COLD],
            range: [
              [1, 0],
              [5, 3],
            ],
          },
          legend: { orient: 'bottom', direction: 'vertical' },
        },
        detail: { field: 'subset' },
      },
    },
  };
};

/** Step points of a CDF from a sorted nearest-rank sample (value i of k at fraction i/k). */
function cdfRows(
  rows: { option: string; subset: string; latency: number; fraction: number }[],
  option: string,
  subset: string,
  sample: Float64Array,
): void {
  const k = sample.length;
  if (k === 0) return;
  // Log axis: a zero latency (impossible with any service time) would be dropped by vega.
  const v = (i: number) => sig(Math.max(sample[i]!, 1e-4), 4);
  rows.push({ option, subset, latency: v(0), fraction: 0 });
  let lastX = v(0);
  let lastY = 0;
  for (let i = 0; i < k; i++) {
    const x = v(i);
    const y = round((i + 1) / k, 4);
    const last = i === k - 1;
    if (!last && Math.abs(y - lastY) < 0.005 && Math.abs(Math.log(x / lastX)) < 0.02) continue;
    rows.push({ option, subset, latency: x, fraction: y });
    lastX = x;
    lastY = y;
  }
}

/** Greedy word wrap at `width` characters (subtitles: vega does not wrap). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

function pctText(n: number, d: number): string {
  if (d === 0) return '—';
  const p = (n / d) * 100;
  return `${p === 0 ? '0' : p < 0.1 ? '<0.1' : p.toFixed(1)}%`;
}

function usdLabel(x: number): string {
  return `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function spanText(days: number): string {
  if (days === 1) return 'day';
  if (days >= 1) return `${+days.toFixed(2)} days`;
  return `${+(days * 24).toFixed(2)} hours`;
}

/** Most inputs a tornado shows (those that move the margin most; flips always among them). */
const TORNADO_ROWS = 15;
const END_COLORS = { low: '#4c78a8', high: '#f58518' } as const;
const FLIP_RED = '#b3261e';

/**
 * Tornado of the sensitivity analysis (docs/sensitivity.md): per uncertain input, the baseline-
 * cheapest option's cost minus the best alternative's, with the input at the low end and at the
 * high end of its band (two bars from the baseline margin). Negative: it stays the cheapest;
 * past 0 (dashed) the choice flips. The margin, not the option's own cost, so an input that makes
 * an alternative cheaper shows too. Sorted by the spread of the margin; inputs that flip in red.
 */
export const sensitivityTornado: ChartBuilder = (out) => {
  const s = out.result.sensitivity;
  const c = s?.baseline.cheapest ?? null;
  const m0 = s?.baseline.margin ?? null;
  if (!s || c === null || m0 === null) return null;
  const name = (x: (typeof s.inputs)[number]) => `${x.label} (${x.optionId})${x.flips ? ' — flips' : ''}`;
  const spread = (x: (typeof s.inputs)[number]) => {
    const ms = [m0, x.margin.low, x.margin.high].filter((v): v is number => v !== null);
    return Math.max(...ms) - Math.min(...ms);
  };
  const moving = s.inputs.filter((x) => x.effect !== 'none');
  const shown = [...moving]
    .sort((a, b) => Number(b.flips) - Number(a.flips) || spread(b) - spread(a))
    .slice(0, TORNADO_ROWS)
    .sort((a, b) => spread(b) - spread(a));
  if (shown.length === 0) return null;
  const rows: Record<string, string | number>[] = [];
  const missing: Record<string, string | number>[] = [];
  for (const x of shown)
    for (const end of ['low', 'high'] as const) {
      const v = x[end];
      const text = valueText(v, x.unit);
      const m = x.margin[end];
      if (m === null) missing.push({ input: name(x), end, at: round(m0, 4), label: `${text}: not ranked` });
      else rows.push({ input: name(x), end, from: round(m0, 4), to: round(m, 4), label: text });
    }
  const order = shown.map(name);
  const flipped = shown.filter((x) => x.flips).map(name);
  const y = {
    field: 'input',
    type: 'nominal' as const,
    sort: order,
    title: null,
    axis: {
      labelLimit: 340,
      labelColor: {
        condition: { test: `indexof(${JSON.stringify(flipped)}, datum.value) >= 0`, value: FLIP_RED },
        value: '#1d1d1f',
      },
    },
  };
  const yOffset = { field: 'end', type: 'nominal' as const, sort: ['low', 'high'] };
  const x = {
    field: 'from',
    type: 'quantitative' as const,
    title: `USD: ${c} minus the cheapest other option`,
  };
  const label = (align: 'left' | 'right', test: string) => ({
    data: { values: rows },
    transform: [{ filter: test }],
    mark: {
      type: 'text' as const,
      align,
      baseline: 'middle' as const,
      dx: align === 'left' ? 4 : -4,
      fontSize: 10,
    },
    encoding: { y, yOffset, x: { ...x, field: 'to' }, text: { field: 'label' } },
  });
  const others = moving.length - shown.length;
  const none = s.inputs.length - moving.length;
  return {
    name: 'sensitivity',
    title: 'What could flip the choice',
    spec: {
      ...base(`What could flip the choice: ${c}'s cost minus the best alternative's`, [
        ...wrap(
          `USD over the simulated ${spanText(out.result.trace.durationSeconds / 86400)}, each uncertain input at the low (blue) and high (orange) end of its band, the others at base, one at a time. Bars start at the margin at base (solid line, runner-up ${s.baseline.runnerUp}); past 0 (dashed) another option is cheaper.`,
          105,
        ),
        ...wrap(
          `Red: the input flips the choice. Sorted by how far the margin moves.${others > 0 ? ` ${others} smaller not shown.` : ''}${none > 0 ? ` ${none} with no effect on any cost not shown.` : ''}`,
          105,
        ),
      ]),
      width: WIDTH - 240,
      height: { step: 30 },
      layer: [
        {
          data: { values: rows },
          mark: { type: 'bar', height: { band: 0.9 } },
          encoding: {
            y,
            yOffset,
            x,
            x2: { field: 'to' },
            color: {
              field: 'end',
              type: 'nominal',
              title: 'input at',
              scale: { domain: ['low', 'high'], range: [END_COLORS.low, END_COLORS.high] },
              legend: { orient: 'bottom' },
            },
          },
        },
        label('left', 'datum.to >= datum.from'),
        label('right', 'datum.to < datum.from'),
        ...(missing.length > 0
          ? [
              {
                data: { values: missing },
                mark: {
                  type: 'text' as const,
                  align: 'left' as const,
                  baseline: 'middle' as const,
                  dx: 4,
                  fontSize: 10,
                  color: FLIP_RED,
                },
                encoding: { y, yOffset, x: { ...x, field: 'at' }, text: { field: 'label' } },
              },
            ]
          : []),
        {
          data: { values: [{ at: round(m0, 4) }] },
          mark: { type: 'rule', color: '#1d1d1f', strokeWidth: 1.5 },
          encoding: { x: { ...x, field: 'at' } },
        },
        {
          data: { values: [{ at: 0 }] },
          mark: { type: 'rule', color: FLIP_RED, strokeDash: [5, 3], strokeWidth: 1.5 },
          encoding: { x: { ...x, field: 'at' } },
        },
      ],
    },
  };
};

/** Every chart, in report order. Break-even, forecast and sensitivity charts join as they exist. */
export const CHARTS: readonly ChartBuilder[] = [
  costByOption,
  trafficVsReplicas,
  cumulativeCost,
  latencyCdf,
  sensitivityTornado,
];

export function chartsOf(out: RunOutput, builders: readonly ChartBuilder[] = CHARTS): Chart[] {
  return builders.map((b) => b(out)).filter((c): c is Chart => c !== null);
}

/**
 * A spec as the `.vl.json` file: 2-space JSON, but each inline data row on one line, so the file
 * stays readable and diffs line by line.
 */
export function specJson(spec: TopLevelSpec): string {
  const blocks: string[] = [];
  const text = JSON.stringify(
    spec,
    (key, value: unknown) => {
      if (
        key === 'values' &&
        Array.isArray(value) &&
        value.every((r) => typeof r === 'object' && r !== null)
      ) {
        blocks.push(value.map((r) => JSON.stringify(r)).join(',\n'));
        return `\u0000rows${blocks.length - 1}\u0000`;
      }
      return value;
    },
    2,
  );
  return (
    text.replace(/^( *)(.*)"\\u0000rows(\d+)\\u0000"/gm, (_m, indent: string, head: string, i: string) => {
      const rows = blocks[Number(i)]!;
      if (rows === '') return `${indent}${head}[]`;
      const inner = rows
        .split('\n')
        .map((r) => `${indent}  ${r}`)
        .join('\n');
      return `${indent}${head}[\n${inner}\n${indent}]`;
    }) + '\n'
  );
}
