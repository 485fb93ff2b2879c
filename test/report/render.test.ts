import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Chart } from '../../src/report/charts/chart.js';
import { chartsOf } from '../../src/report/charts/index.js';
import {
  fontFiles,
  PNG_ZOOM,
  renderCharts,
  renderSvg,
  svgToPng,
  textWidth,
  type RenderedChart,
} from '../../src/report/render.js';
import { defaultRun } from './fixtures.js';
import { darkPixels, decodePng } from './png.js';

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

let charts: Chart[];
let rendered: RenderedChart[];

beforeAll(async () => {
  charts = chartsOf(defaultRun());
  rendered = await renderCharts(charts);
});

describe('renderCharts', () => {
  it('renders every chart of the default scenario to SVG and PNG without a warning', () => {
    expect(rendered.map((c) => c.name)).toEqual(charts.map((c) => c.name));
    for (const c of rendered) {
      expect(c.warnings, c.name).toEqual([]);
      expect(c.svg.startsWith('<svg'), c.name).toBe(true);
      expect(c.svg).toContain('xmlns="http://www.w3.org/2000/svg"');
      expect(c.png.subarray(1, 4).toString('latin1')).toBe('PNG');
    }
  });

  it('writes the same bytes every time, whatever was rendered before (vega ids are reset)', async () => {
    const again = await renderCharts([...charts].reverse());
    for (const c of again) {
      const first = rendered.find((r) => r.name === c.name)!;
      expect(sha(c.svg), c.name).toBe(sha(first.svg));
      expect(sha(c.png), c.name).toBe(sha(first.png));
    }
  });

  it('draws the PNG at PNG_ZOOM × the SVG size', () => {
    for (const c of rendered) {
      const img = decodePng(c.png);
      const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(c.svg)!;
      expect([img.width, img.height]).toEqual([Number(w) * PNG_ZOOM, Number(h) * PNG_ZOOM]);
    }
  });

  it('really renders text: dark pixels where the title and the axis labels are, none without fonts', () => {
    // Title band: top left (padding 12 px, 15 px bold title), at 2×. Left band: y-axis labels
    // and title beside the plot. The same SVG rendered with no font at all has no text, and no
    // dark pixel there: the dark pixels are glyphs.
    const title = [24, 20, 300, 56] as const;
    const left = [0, 100, 110, 400] as const;
    for (const c of rendered) {
      const img = decodePng(c.png);
      const bare = decodePng(
        new Resvg(c.svg, {
          background: 'white',
          fitTo: { mode: 'zoom', value: PNG_ZOOM },
          font: { loadSystemFonts: false },
        })
          .render()
          .asPng(),
      );
      expect(darkPixels(img, ...title), `${c.name} title`).toBeGreaterThan(500);
      expect(darkPixels(bare, ...title), `${c.name} title without fonts`).toBe(0);
      expect(darkPixels(img, ...left), `${c.name} axis labels`).toBeGreaterThan(100);
      expect(darkPixels(bare, ...left), `${c.name} axis labels without fonts`).toBe(0);
    }
  });
});

describe('renderSvg', () => {
  it('gives the same SVG as vega and vega-lite loaded as ES modules (the bundles are the same code)', async () => {
    const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
    const metrics = (
      vega as unknown as {
        textMetrics: { width: (item: { fontSize?: number; fontWeight?: string }, text?: unknown) => number };
      }
    ).textMetrics;
    metrics.width = (item, text) =>
      textWidth(String(text ?? '').trim(), item.fontSize ?? 11, item.fontWeight);
    for (const c of charts) {
      vega.resetSVGDefIds();
      const view = new vega.View(vega.parse(vl.compile(c.spec).spec), { renderer: 'none' });
      const svg = await view.toSVG();
      view.finalize();
      expect(svg === (await renderSvg(c.spec)).svg, c.name).toBe(true);
    }
  });

  it('reports vega-lite warnings instead of printing them', async () => {
    const { warnings } = await renderSvg({
      data: { values: [{ a: 'x', b: 1 }] },
      mark: 'bar',
      encoding: {
        x: { field: 'a', type: 'nominal' },
        y: { field: 'b', type: 'quantitative' },
        size: { field: 'nope', type: 'nominal' },
      },
    });
    expect(warnings.length).toBeGreaterThan(0);
  });
});

describe('svgToPng', () => {
  it('uses the DejaVu files vendored in assets/fonts (TrueType files, found from the package root)', async () => {
    const root = resolve(import.meta.dirname, '../..');
    expect(fontFiles()).toEqual([
      join(root, 'assets/fonts/DejaVuSans.ttf'),
      join(root, 'assets/fonts/DejaVuSans-Bold.ttf'),
    ]);
    // A TrueType file starts with the sfnt version 0x00010000 (OpenType spec, "Organization of an OpenType Font").
    for (const f of fontFiles()) expect(readFileSync(f).subarray(0, 4)).toEqual(Buffer.from([0, 1, 0, 0]));
    // System fonts are off (pngOptions), so the dark pixels below can only come from these files.
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="2" y="15" font-size="14">Hi</text></svg>';
    const img = decodePng(await svgToPng(svg));
    expect([img.width, img.height]).toEqual([80, 40]);
    expect(darkPixels(img, 0, 0, 80, 40)).toBeGreaterThan(20);
  });
});

describe('textWidth', () => {
  it('estimates DejaVu Sans advance widths from per-class averages', () => {
    // Digits are 0.636 em in DejaVu Sans: "100" at 10 px → 19.08 → 20 (rounded up).
    expect(textWidth('100', 10)).toBe(20);
    expect(textWidth('', 11)).toBe(0);
    // Bold is wider; capitals wider than lower case; narrow letters narrower.
    expect(textWidth('Cost', 15, 'bold')).toBeGreaterThan(textWidth('Cost', 15));
    expect(textWidth('MW', 10)).toBeGreaterThan(textWidth('il', 10));
  });
});

describe('renderCharts failures', () => {
  it('rejects with the failing chart’s error and leaves no PNG promise unhandled', async () => {
    // vitest fails a run on unhandled rejections, so this also checks the PNG of `good`, whose
    // worker is closed when `broken` throws, is not left dangling.
    const good = charts[0]!;
    const broken: Chart = { name: 'broken', title: 'Broken', spec: { layer: 42 } as never };
    await expect(renderCharts([good, broken])).rejects.toThrow();
    expect(await renderCharts([])).toEqual([]);
  });
});
