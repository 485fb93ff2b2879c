import type { RunOutput } from '../../compare/run.js';

/*
 * The look every chart shares: the vega-lite schema, sizes, the font and its sizes, the colours
 * (one per option key, the same in every chart) and the title/axis/legend config (`base`).
 * A chart file says only what is its own: its data, marks and encodings.
 */

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** Overall width (px) a chart's plot and its labels share; each chart takes its plot width from it. */
export const WIDTH = 600;
/** DejaVu Sans is what the PNGs use; Verdana (similar widths) where a browser lacks it. */
export const FONT = 'DejaVu Sans, Verdana, sans-serif';
/** Text marks inside a plot: labels (measured with textWidth at this size) and the smaller notes. */
export const LABEL_SIZE = 11;
export const NOTE_SIZE = 10;
/** Most points a time series keeps per option; longer spans are bucketed. */
export const MAX_POINTS = 1440;

/**
 * Option colours: vega's "tableau10" (colour-blind friendlier than most defaults), reordered so
 * the first few — the options most charts draw — are the most distinct (every prefix of 4 keeps
 * CIEDE2000 ΔE ≥ 25), and two dark colours added for scenarios with more options. The closest pair
 * of all twelve is ΔE 18.1 (#e45756 red, #ff9da6 pink); test/report/charts/palette.test.ts checks
 * ≥ 10. Past twelve options the colours repeat.
 */
export const PALETTE = [
  '#4c78a8',
  '#f58518',
  '#54a24b',
  '#e45756',
  '#b279a2',
  '#72b7b2',
  '#eeca3b',
  '#9d755d',
  '#ff9da6',
  '#bab0ac',
  '#1d3557',
  '#6a3d9a',
] as const;
/** Near-black for text and rules. */
export const INK = '#1d1d1f';
/** Traffic drawn behind an option's own series. */
export const TRAFFIC_GREY = '#9e9e9e';
/** What flips the choice. */
export const FLIP_RED = '#b3261e';
/** The low and the high end of an input's band. */
export const END_COLORS = { low: '#4c78a8', high: '#f58518' } as const;

/** Title, background and config of every chart: spread first into each spec. */
export function base(title: string, subtitle: string | string[]) {
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

/**
 * Option keys: the feasible ones in scenario order, then the infeasible ones (included, so
 * colours never shift between charts of one report; last, so the drawn options get the palette's
 * most distinct colours).
 */
export function optionKeys(out: Pick<RunOutput, 'result'>): string[] {
  const o = out.result.options;
  return [...o.filter((x) => x.cost !== null), ...o.filter((x) => x.cost === null)].map((x) => x.key);
}

/** The colour of each option key: the palette in the keys' order, cycling past its length. */
export function optionColors(keys: readonly string[]): Map<string, string> {
  return new Map(keys.map((k, i) => [k, PALETTE[i % PALETTE.length]!]));
}

/** The colour scale of option keys, as a vega-lite scale. */
export function optionScale(out: RunOutput): { domain: string[]; range: string[] } {
  const keys = optionKeys(out);
  const colors = optionColors(keys);
  return { domain: keys, range: keys.map((k) => colors.get(k)!) };
}

/**
 * The colour encoding by option key; `rest` is the legend (null: none) and its title, e.g.
 * `{ title: 'option', legend: { orient: 'right' } }`.
 */
export function optionColor<R extends object>(out: RunOutput, rest: R) {
  return { field: 'option', type: 'nominal' as const, scale: optionScale(out), ...rest };
}

/** Dark or white text, whichever reads better on `hex` laid over white at `opacity`. */
export function inkOn(hex: string, opacity: number): string {
  const ch = (i: number) => {
    const c = (parseInt(hex.slice(i, i + 2), 16) * opacity + 255 * (1 - opacity)) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const lum = 0.2126 * ch(1) + 0.7152 * ch(3) + 0.0722 * ch(5);
  // Contrast against white (1.05 / (L + 0.05)) vs against near-black (≈ (L + 0.05) / 0.05).
  return 1.05 / (lum + 0.05) >= (lum + 0.05) / 0.06 ? 'white' : INK;
}
