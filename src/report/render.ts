import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ResvgRenderOptions } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';
import type { Chart } from './charts.js';
import { textWidth } from './text-width.js';

export { textWidth };

/*
 * vega-lite spec ─► vega spec ─► vega View (renderer "none") ─► SVG string ─► resvg ─► PNG.
 * No canvas and no browser. vega, vega-lite and resvg are loaded on first use (≈ 0.3 s), so
 * commands that draw nothing — and `servesim --help` — never pay for them.
 *
 * Deterministic bytes: vega numbers clip paths from a module-wide counter, reset before every
 * chart; text widths come from `textWidth` (no canvas to measure with); the PNG's fonts are the
 * DejaVu files shipped as an npm dependency, never the machine's.
 */

export interface RenderedChart extends Chart {
  svg: string;
  png: Buffer;
  /** Warnings vega-lite or vega logged while compiling or rendering (none expected). */
  warnings: string[];
}

/** PNG pixels per SVG pixel: sharp enough for slides and documents. */
export const PNG_ZOOM = 2;

const require = createRequire(import.meta.url);

/** The DejaVu Sans files from the `dejavu-fonts-ttf` package (regular and bold: titles are bold). */
export function fontFiles(): string[] {
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));
}

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');
let libs: Promise<[Vega, VegaLite]> | null = null;

function load(): Promise<[Vega, VegaLite]> {
  libs ??= loadVega().then(([vega, vl]) => {
    // Without a canvas vega estimates 0.8 em per character, far wider than DejaVu Sans. The hook
    // is public (vega-scenegraph exports it) but absent from vega's typings.
    const metrics = (vega as unknown as { textMetrics: TextMetrics }).textMetrics;
    metrics.width = (item, text) => textWidth(textOf(item, text), item.fontSize ?? 11, item.fontWeight);
    return [vega, vl];
  });
  return libs;
}

/**
 * vega and vega-lite from the single-file builds both packages ship (`vega.min.js`,
 * `vega-lite.min.js`: the same code as their ES modules, bundled). Why not `import('vega')`: its
 * ES build is ~150 modules, and under `tsx` (npm start) every module goes through tsx's loader
 * hooks — 1.5–2 s instead of 0.3 s. The files are UMD; evaluated with a CommonJS-shaped
 * `module`/`require`, vega-lite's only dependency is the vega just loaded. Falls back to the ES
 * modules if a future release drops the bundles.
 */
async function loadVega(): Promise<[Vega, VegaLite]> {
  const vegaFile = join(dirname(require.resolve('vega')), 'vega.min.js');
  const vlFile = join(dirname(require.resolve('vega-lite')), 'vega-lite.min.js');
  if (!existsSync(vegaFile) || !existsSync(vlFile)) return Promise.all([import('vega'), import('vega-lite')]);
  const vega = umd(vegaFile, {}) as Vega;
  return [vega, umd(vlFile, { vega }) as VegaLite];
}

function umd(file: string, deps: Record<string, unknown>): unknown {
  const module = { exports: {} as Record<string, unknown> };
  const requireDep = (id: string): unknown => {
    if (!(id in deps)) throw new Error(`${file} requires ${id}, which servesim does not provide`);
    return deps[id];
  };
  // Evaluates a bundle from node_modules, as `require` would; nothing user-supplied.
  new Function('exports', 'module', 'require', readFileSync(file, 'utf8'))(
    module.exports,
    module,
    requireDep,
  );
  return module.exports;
}

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}
interface TextMetrics {
  width: (item: TextItem, text?: unknown) => number;
}

/** The text vega measures: the given line or the item's text, trimmed (as vega's own estimate). */
function textOf(item: TextItem, text: unknown): string {
  return String(text ?? item.text ?? '').trim();
}

/** The SVG of a vega-lite spec, and any warnings logged on the way. */
export async function renderSvg(spec: TopLevelSpec): Promise<{ svg: string; warnings: string[] }> {
  const [vega, vl] = await load();
  const warnings: string[] = [];
  const logger = new CollectingLogger(warnings);
  const compiled = vl.compile(spec, { logger }).spec;
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger });
  try {
    return { svg: await view.toSVG(), warnings };
  } finally {
    view.finalize();
  }
}

/** resvg's options: white background, `PNG_ZOOM`, text in the shipped DejaVu Sans only. */
function pngOptions(): ResvgRenderOptions {
  return {
    background: 'white',
    fitTo: { mode: 'zoom', value: PNG_ZOOM },
    font: { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: 'DejaVu Sans' },
  };
}

/** PNG of an SVG, on this thread (one-off use and tests; `renderCharts` uses a worker). */
export async function svgToPng(svg: string): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  return new Resvg(svg, pngOptions()).render().asPng();
}

/*
 * resvg's render, and above all its PNG encoding (`asPng`, synchronous even after
 * `renderAsync`), would take the main thread about as long as vega takes to draw the SVGs. So
 * the PNGs are made on a worker thread while the main thread draws the next SVG. The worker is
 * plain CommonJS passed as a string: it needs no TypeScript loader (tsx, vitest, or the built
 * dist all run it the same) and loads nothing but resvg.
 */
const PNG_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { Resvg } = require(workerData.resvg);
parentPort.on('message', (m) => {
  try {
    parentPort.postMessage({ id: m.id, png: new Resvg(m.svg, workerData.options).render().asPng() });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String((e && e.message) || e) });
  }
});
`;

class PngWorker {
  private readonly worker = new Worker(PNG_WORKER, {
    eval: true,
    workerData: { resvg: require.resolve('@resvg/resvg-js'), options: pngOptions() },
  });
  private readonly pending = new Map<
    number,
    { resolve: (png: Buffer) => void; reject: (e: Error) => void }
  >();
  private next = 0;

  constructor() {
    this.worker.on('message', (m: { id: number; png?: Uint8Array; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.png) p?.resolve(Buffer.from(m.png.buffer, m.png.byteOffset, m.png.byteLength));
      else p?.reject(new Error(`PNG rendering failed: ${m.error}`));
    });
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', (code) => this.failAll(new Error(`PNG worker exited with code ${code}`)));
  }

  png(svg: string): Promise<Buffer> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, svg });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

/**
 * Every chart as SVG and PNG. SVGs render one after another on this thread (vega's id counter is
 * global); each PNG is made on the worker as soon as its SVG exists.
 */
export async function renderCharts(
  charts: readonly Chart[],
  onRendered?: (name: string) => void,
): Promise<RenderedChart[]> {
  if (charts.length === 0) return [];
  const worker = new PngWorker();
  try {
    const pending: Promise<RenderedChart>[] = [];
    for (const chart of charts) {
      const { svg, warnings } = await renderSvg(chart.spec);
      pending.push(
        worker.png(svg).then((png) => {
          onRendered?.(chart.name);
          return { ...chart, svg, png, warnings };
        }),
      );
    }
    return await Promise.all(pending);
  } finally {
    await worker.close();
  }
}

type Logger = NonNullable<NonNullable<ConstructorParameters<typeof import('vega').View>[1]>['logger']>;

/** A vega logger (vega-lite takes the same interface) that keeps warnings and errors as text. */
class CollectingLogger implements Logger {
  private lvl = 2; // vega.Warn
  constructor(private readonly into: string[]) {}
  level(l?: number): number | Logger {
    if (l === undefined) return this.lvl;
    this.lvl = l;
    return this;
  }
  error(...args: unknown[]): this {
    this.into.push(args.map(String).join(' '));
    return this;
  }
  warn(...args: unknown[]): this {
    this.into.push(args.map(String).join(' '));
    return this;
  }
  info(): this {
    return this;
  }
  debug(): this {
    return this;
  }
}
