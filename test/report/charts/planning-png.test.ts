import { Resvg } from '@resvg/resvg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Chart } from '../../../src/report/charts/chart.js';
import { forecastBandsChart } from '../../../src/report/charts/forecast-bands.js';
import { heartbeatChart } from '../../../src/report/charts/heartbeat.js';
import { volumeCrossoverChart } from '../../../src/report/charts/volume-crossover.js';
import { measureText, shippedFontWidths, textWidth } from '../../../src/report/font-metrics.js';
import {
  fontFiles,
  PNG_ZOOM,
  renderCharts,
  svgToPng,
  type RenderedChart,
} from '../../../src/report/render.js';
import { darkPixels, decodePng, type Image } from '../png.js';
import { forecastFixture, heartbeatFixture, volumeFixture } from './planning-fixtures.js';

/*
 * The new charts' PNGs really carry their text (as render.test.ts checks the run's charts): dark
 * pixels where the title and the labels are, none when the same SVG is drawn without any font.
 */

let rendered: RenderedChart[];

beforeAll(async () => {
  const charts: Chart[] = [
    heartbeatChart([heartbeatFixture()])!,
    volumeCrossoverChart(volumeFixture())!,
    forecastBandsChart(forecastFixture())!,
  ];
  rendered = await renderCharts(charts);
});

const bare = (svg: string): Image =>
  decodePng(
    new Resvg(svg, {
      background: 'white',
      fitTo: { mode: 'zoom', value: PNG_ZOOM },
      font: { loadSystemFonts: false },
    })
      .render()
      .asPng(),
  );

/** The pixel box (PNG pixels) of a `<text>` element whose content is `text`, from the SVG's transforms. */
function textBox(
  svg: string,
  text: string,
  width: number,
  fontSize: number,
): [number, number, number, number] {
  const i = svg.indexOf(`>${text}</text>`);
  expect(i, `"${text}" in the SVG`).toBeGreaterThan(0);
  // vega writes each text as <text text-anchor=… transform="translate(x,y)" …>: the last translate before it,
  // plus every enclosing group's translate. Summed from the groups opened and not yet closed.
  let x = 0;
  let y = 0;
  const stack: [number, number][] = [];
  for (const m of svg.slice(0, i).matchAll(/<g\b([^>]*)>|<\/g>/g)) {
    if (m[0].endsWith('/>')) continue;
    if (m[0] === '</g>') {
      const [dx, dy] = stack.pop() ?? [0, 0];
      x -= dx;
      y -= dy;
    } else {
      const t = /transform="translate\(([-\d.]+),([-\d.]+)\)"/.exec(m[1]!);
      const d: [number, number] = t ? [Number(t[1]), Number(t[2])] : [0, 0];
      stack.push(d);
      x += d[0];
      y += d[1];
    }
  }
  const own = /transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*$/.exec(
    svg.slice(svg.lastIndexOf('<text', i), i),
  );
  const anchor = /text-anchor="(\w+)"/.exec(svg.slice(svg.lastIndexOf('<text', i), i))?.[1] ?? 'start';
  const tx = x + Number(own?.[1] ?? 0);
  const ty = y + Number(own?.[2] ?? 0);
  const x0 = anchor === 'end' ? tx - width : anchor === 'middle' ? tx - width / 2 : tx;
  const px = (v: number) => Math.round(v * PNG_ZOOM);
  return [px(x0), px(ty - fontSize), px(x0 + width), px(ty + 3)];
}

describe('PNG text of the planning charts', () => {
  it('renders every new chart without a warning', () => {
    expect(rendered.map((c) => c.name)).toEqual(['heartbeat', 'volume-crossover', 'forecast-bands']);
    for (const c of rendered) expect(c.warnings, c.name).toEqual([]);
  });

  it('draws the title in the shipped font: dark pixels in the title band, none without fonts', () => {
    const title = [24, 20, 300, 56] as const;
    for (const c of rendered) {
      expect(darkPixels(decodePng(c.png), ...title), `${c.name} title`).toBeGreaterThan(500);
      expect(darkPixels(bare(c.svg), ...title), `${c.name} title without fonts`).toBe(0);
    }
  });

  it('draws the labels that carry the answer where the SVG puts them', () => {
    const cases: [string, string, number][] = [
      ['heartbeat', '★ 09:00-17:00, every 5m (+$5.00)', 10],
      ['volume-crossover', 'cmi → box at 316/day', 10],
      ['forecast-bands', '3 months: $3,300 ($2,640–$4,290)', 10],
    ];
    for (const [name, text, size] of cases) {
      const c = rendered.find((r) => r.name === name)!;
      const box = textBox(c.svg, text, textWidth(text, size), size);
      expect(darkPixels(decodePng(c.png), ...box, 128), `${name}: "${text}"`).toBeGreaterThan(40);
      expect(darkPixels(bare(c.svg), ...box, 128), `${name}: "${text}" without fonts`).toBe(0);
    }
  });
});

describe('text widths measured from the shipped font', () => {
  it('reads the advance widths of DejaVu Sans: digits 1303/2048 em, bold wider', () => {
    const f = shippedFontWidths();
    // DejaVu Sans: 2048 units per em; every digit advances 1303 units (a tabular figure set).
    expect(f.regular.unitsPerEm).toBe(2048);
    for (const d of '0123456789') expect(f.regular.advances[d.charCodeAt(0)]).toBe(1303);
    expect(f.bold.advances['0'.charCodeAt(0)]).toBeGreaterThan(1303);
    // "100" at 10 px: 3 × 1303 / 2048 × 10 = 19.09 → 20 (rounded up).
    expect(textWidth('100', 10)).toBe(20);
    expect(textWidth('', 11)).toBe(0);
    expect(measureText(f, 'Cost', 15, 'bold')).toBeGreaterThan(measureText(f, 'Cost', 15));
  });

  it('matches what resvg draws: the ink of a label ends within 4 px inside its measured width, never past it', async () => {
    for (const [text, size] of [
      ['sagemaker-realtime', 11],
      ['$1,234.50 (AWS)', 11],
      ['Cost per option — ★ chosen', 15],
    ] as const) {
      const w = textWidth(text, size);
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w + 40}" height="40"><text x="20" y="28" font-family="DejaVu Sans" font-size="${size}">${text}</text></svg>`;
      const img = decodePng(await svgToPng(svg));
      // Rightmost column with ink, in SVG pixels from the text's start.
      let right = 0;
      for (let x = 0; x < img.width; x++) if (darkPixels(img, x, 0, x + 1, img.height, 160) > 0) right = x;
      const inkEnd = right / PNG_ZOOM - 20;
      expect(inkEnd, text).toBeLessThanOrEqual(w + 0.5);
      // Short of it by the last glyph's right side bearing and the rounding up (< 1 px).
      expect(inkEnd, text).toBeGreaterThanOrEqual(w - 4);
    }
    expect(fontFiles()[0]).toMatch(/DejaVuSans\.ttf$/);
  });
});
