import { valueText } from '../text/format.js';
import type { ChartBuilder } from './chart.js';
import { round, spanText, wrap } from './labels.js';
import { textWidth } from '../font-metrics.js';
import { base, END_COLORS, FLIP_RED, INK, NOTE_SIZE, WIDTH } from './style.js';

/** Most inputs a tornado shows (those that move the margin most; flips always among them). */
const TORNADO_ROWS = 15;

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
        value: INK,
      },
    },
  };
  const yOffset = { field: 'end', type: 'nominal' as const, sort: ['low', 'high'] };
  const domain = labelDomain(m0, rows, missing, WIDTH - 240);
  const x = {
    field: 'from',
    type: 'quantitative' as const,
    title: `USD: ${c} minus the cheapest other option`,
    // Wide enough for every value label beside its bar (measured in the shipped font), so none
    // spills over the input names or off the chart; tick labels thinned so they never touch.
    scale: { domain, nice: false, zero: false },
    axis: { format: '$,.0f', labelOverlap: 'greedy' as const, labelSeparation: 10, tickCount: 6 },
  };
  // A label goes beside its bar's end; one that would push the axis far out goes inside its bar
  // (white) when it fits there (labelDomain decides, `inside` 1).
  const label = (align: 'left' | 'right', test: string, inside: boolean) => ({
    data: { values: rows },
    transform: [{ filter: `(${test}) && datum.inside === ${inside ? 1 : 0}` }],
    mark: {
      type: 'text' as const,
      align,
      baseline: 'middle' as const,
      dx: align === 'left' ? 4 : -4,
      fontSize: NOTE_SIZE,
      ...(inside ? { color: 'white' } : {}),
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
        label('left', 'datum.to >= datum.from', false),
        label('right', 'datum.to < datum.from', false),
        label('right', 'datum.to >= datum.from', true),
        label('left', 'datum.to < datum.from', true),
        ...(missing.length > 0
          ? [
              {
                data: { values: missing },
                mark: {
                  type: 'text' as const,
                  align: 'left' as const,
                  baseline: 'middle' as const,
                  dx: 4,
                  fontSize: NOTE_SIZE,
                  color: FLIP_RED,
                },
                encoding: { y, yOffset, x: { ...x, field: 'at' }, text: { field: 'label' } },
              },
            ]
          : []),
        {
          data: { values: [{ at: round(m0, 4) }] },
          mark: { type: 'rule', color: INK, strokeWidth: 1.5 },
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

/**
 * The x domain that holds every bar and its value label, and where each label goes. A label right
 * of a bar ending at v needs v + (width + 6 px) / px ≤ hi, one left of it v − (…) / px ≥ lo, with
 * px = plot width / (hi − lo). Labels that fit beside their bar within the bars' own span (plus a
 * margin) stay outside; one that does not but fits inside its bar goes inside (`inside` set to 1
 * on the row); the rest widen the domain, a few rounds (each only widens, so a label measured at
 * the final scale fits; 0 and the base margin are always inside).
 */
export function labelDomain(
  m0: number,
  rows: Record<string, string | number>[],
  missing: readonly Record<string, string | number>[],
  plotWidth: number,
): [number, number] {
  const ends = [0, m0, ...rows.map((r) => Number(r.to))];
  let lo = Math.min(...ends);
  let hi = Math.max(...ends);
  const pad = Math.max(1e-6, (hi - lo) * 0.25);
  const [lo0, hi0] = [lo - pad, hi + pad];
  const unit0 = (hi0 - lo0) / plotWidth;
  for (const r of rows) {
    const [from, to] = [Number(r.from), Number(r.to)];
    const w = (textWidth(String(r.label), NOTE_SIZE) + 6) * unit0;
    const outsideFits = to >= from ? to + w <= hi0 : to - w >= lo0;
    r.inside = !outsideFits && w + 2 * unit0 <= Math.abs(to - from) ? 1 : 0;
  }
  lo -= (hi - lo) * 0.04 + 1e-6;
  hi += (hi - lo) * 0.04 + 1e-6;
  const widen = (lo: number, hi: number): [number, number] => {
    for (let round_ = 0; round_ < 20; round_++) {
      const unit = (hi - lo) / plotWidth;
      let [nlo, nhi] = [lo, hi];
      for (const r of rows) {
        if (r.inside === 1) continue;
        const to = Number(r.to);
        const w = (textWidth(String(r.label), NOTE_SIZE) + 6) * unit;
        if (to >= Number(r.from)) nhi = Math.max(nhi, to + w);
        else nlo = Math.min(nlo, to - w);
      }
      for (const r of missing)
        nhi = Math.max(nhi, Number(r.at) + (textWidth(String(r.label), NOTE_SIZE) + 6) * unit);
      if (nlo === lo && nhi === hi) break;
      [lo, hi] = [nlo, nhi];
    }
    return [lo, hi];
  };
  // Widening shrinks the bars: a label put inside that no longer fits goes back outside.
  let domain = widen(lo, hi);
  for (let again = true; again;) {
    again = false;
    const unit = (domain[1] - domain[0]) / plotWidth;
    for (const r of rows)
      if (
        r.inside === 1 &&
        (textWidth(String(r.label), NOTE_SIZE) + 8) * unit > Math.abs(Number(r.to) - Number(r.from))
      ) {
        r.inside = 0;
        again = true;
      }
    if (again) domain = widen(domain[0], domain[1]);
  }
  [lo, hi] = domain;
  return [round(lo, 4), round(hi, 4)];
}
