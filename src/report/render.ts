import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ResvgRenderOptions } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';
import type { Chart } from './charts/chart.js';
import { measureText, shippedFontWidths, textWidth } from './font-metrics.js';
import { warmupSpecs } from './warmup.js';
import { shippedPath } from '../data.js';

export { textWidth };

/*
 * vega-lite spec ─► vega spec ─► vega View (renderer "none") ─► SVG ─► resvg ─► PNG
 * └──────────────── SVG worker thread ──────────────────────────┘     └ PNG worker ┘
 *
 * No canvas and no browser. Two worker threads do the drawing:
 * - the SVG worker loads vega and vega-lite (≈ 0.2 s) and warms them up on made-up versions of
 *   the report's charts (warmup.ts) as soon as it starts. `servesim run` starts it before
 *   simulating, so that cost (the first drawing of a chart costs about twice the next) overlaps
 *   the simulation instead of adding to it. Other commands (and `--help`) load nothing of vega.
 * - the PNG worker runs resvg: its render and PNG encoding (`asPng`, synchronous) run beside
 *   the next SVG.
 * Both run plain CommonJS given as a string, started without the parent's flags: under tsx
 * (npm start) a worker would otherwise boot tsx's TypeScript loader — a second or more — for
 * code that needs none; tsx, vitest and the compiled dist all run it the same way.
 *
 * Deterministic bytes: vega numbers clip paths from a module-wide counter, reset before every
 * chart, and charts are drawn one at a time; text widths are measured from the shipped font
 * (font-metrics.ts; no canvas to measure with); the PNG's fonts are the two DejaVu files vendored in assets/fonts/, never the
 * machine's.
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

/** Where the vendored fonts live, from the package root (so src/ under tsx and an installed dist/ agree). */
export const FONT_DIR = 'assets/fonts';

/** The DejaVu Sans files vendored in `FONT_DIR` (regular and bold: titles are bold). */
export function fontFiles(): string[] {
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => shippedPath(`${FONT_DIR}/${f}`));
}

/** resvg's options: white background, `PNG_ZOOM`, text in the shipped DejaVu Sans only. */
function pngOptions(): ResvgRenderOptions {
  return {
    background: 'white',
    fitTo: { mode: 'zoom', value: PNG_ZOOM },
    font: { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: 'DejaVu Sans' },
  };
}

/**
 * Where the SVG worker finds vega and vega-lite: the single-file builds both packages ship
 * (`vega.min.js`, `vega-lite.min.js`: the same code as their ES modules, bundled — one file to
 * read instead of ~150 modules), else their ES modules.
 */
function vegaFiles(): { vega: string; vegaLite: string; esm: [string, string] | null } {
  const vegaEntry = require.resolve('vega');
  const vlEntry = require.resolve('vega-lite');
  const vega = join(dirname(vegaEntry), 'vega.min.js');
  const vegaLite = join(dirname(vlEntry), 'vega-lite.min.js');
  const bundled = existsSync(vega) && existsSync(vegaLite);
  return {
    vega,
    vegaLite,
    esm: bundled ? null : [pathToFileURL(vegaEntry).href, pathToFileURL(vlEntry).href],
  };
}

/**
 * The SVG worker. Bundles are UMD files: evaluated with a CommonJS-shaped `module`/`require`,
 * vega-lite's only dependency is the vega just loaded. `measureText` is the same function as
 * font-metrics.ts (its source), given the shipped font's advance widths as `workerData.fonts`;
 * `__name` is what esbuild (tsx, vitest) wraps names in.
 * Charts are drawn strictly one after another (vega's id counter is global).
 */
const SVG_WORKER = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const __name = (f) => f;
const measureText = ${measureText.toString()};

function umd(file, deps) {
  const module = { exports: {} };
  new Function('exports', 'module', 'require', readFileSync(file, 'utf8'))(module.exports, module, (id) => {
    if (!(id in deps)) throw new Error(file + ' requires ' + id + ', which servesim does not provide');
    return deps[id];
  });
  return module.exports;
}

async function load() {
  const f = workerData.files;
  const [vega, vl] = f.esm
    ? await Promise.all([import(f.esm[0]), import(f.esm[1])])
    : (() => { const vega = umd(f.vega, {}); return [vega, umd(f.vegaLite, { vega })]; })();
  // Without a canvas vega estimates 0.8 em per character, far wider than DejaVu Sans.
  vega.textMetrics.width = (item, text) =>
    measureText(workerData.fonts, String(text ?? item.text ?? '').trim(), item.fontSize ?? 11, item.fontWeight);
  return { vega, vl };
}

async function svgOf(libs, spec) {
  const { vega, vl } = libs;
  const warnings = [];
  const keep = (...args) => { warnings.push(args.map(String).join(' ')); return logger; };
  let level = 2;
  const logger = {
    level(l) { if (l === undefined) return level; level = l; return logger; },
    error: keep, warn: keep, info: () => logger, debug: () => logger,
  };
  const compiled = vl.compile(spec, { logger }).spec;
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger });
  try {
    return { svg: await view.toSVG(), warnings };
  } finally {
    view.finalize();
  }
}

const libs = load();
// Warm-up (see warmup.ts): the first chart of a kind costs several times the next; pay it now.
let queue = libs.then(async (l) => {
  for (const spec of workerData.warmup) await svgOf(l, spec).catch(() => {});
}).catch(() => {});
parentPort.on('message', (m) => {
  queue = queue.then(async () => {
    try {
      parentPort.postMessage({ id: m.id, ...(await svgOf(await libs, m.spec)) });
    } catch (e) {
      parentPort.postMessage({ id: m.id, error: String((e && e.message) || e) });
    }
  });
});
`;

const PNG_WORKER = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { Resvg } = require(workerData.resvg);
// Warm-up, as for the SVGs: the first render pays for loading fonts and initialising resvg.
new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text y="15" font-weight="bold">0.9</text></svg>', workerData.options).render().asPng();
parentPort.on('message', (m) => {
  try {
    parentPort.postMessage({ id: m.id, png: new Resvg(m.svg, workerData.options).render().asPng() });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String((e && e.message) || e) });
  }
});
`;

interface Reply {
  id: number;
  error?: string;
}

/** A worker answering one request per message, in order; replies are matched by id. */
class Channel<Req, Res> {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: Res) => void; reject: (e: Error) => void }>();
  private next = 0;
  private failed: Error | null = null;

  constructor(code: string, workerData: unknown, what: string) {
    this.worker = new Worker(code, { eval: true, execArgv: [], workerData });
    this.worker.on('message', (m: Reply & Res) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if (m.error === undefined) p?.resolve(m);
      else p?.reject(new Error(`${what}: ${m.error}`));
    });
    this.worker.on('error', (e) => this.fail(new Error(`${what}: ${e.message}`)));
    this.worker.on('exit', (code) => this.fail(new Error(`${what}: worker exited (code ${code})`)));
    // Referenced only while a request is pending: a renderer left open (a run that failed
    // before drawing) never keeps the process alive, and a pending drawing always does.
    // (Unref after the listeners: adding a 'message' listener refs the worker's port again.)
    this.worker.unref();
  }

  request(req: Req): Promise<Res> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, ...req });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.worker.unref();
  }
}

/**
 * Draws charts on two worker threads. `start()` returns at once; vega loads and warms up in the
 * background. Close it when done (it never keeps the process alive on its own).
 */
export class ChartRenderer {
  private svgChannel: Channel<{ spec: TopLevelSpec }, { svg: string; warnings: string[] }> | null = null;
  private pngChannel: Channel<{ svg: string }, { png: Uint8Array }> | null = null;

  /**
   * @param warm draw the warm-up charts first (worth it when started ahead of the real ones)
   * @param lean one worker at a time: every SVG, then (the SVG worker gone) every PNG — about
   *   80 MB less at the peak than the two side by side, for a little more time
   */
  constructor(
    private readonly warm = false,
    private readonly lean = false,
  ) {}

  /**
   * A renderer that holds one worker at a time (see `lean`): for a report drawn after a long
   * simulation, when nothing overlaps the drawing and memory is what counts.
   */
  static lean(): ChartRenderer {
    return new ChartRenderer(false, true);
  }

  /** A renderer whose workers are already starting (vega loading, warming up on made-up charts). */
  static start(): ChartRenderer {
    const r = new ChartRenderer(true);
    r.svgs();
    r.pngs();
    return r;
  }

  private svgs() {
    this.svgChannel ??= new Channel(
      SVG_WORKER,
      { files: vegaFiles(), fonts: shippedFontWidths(), warmup: this.warm ? warmupSpecs() : [] },
      'SVG rendering failed',
    );
    return this.svgChannel;
  }

  private pngs() {
    this.pngChannel ??= new Channel(
      PNG_WORKER,
      { resvg: require.resolve('@resvg/resvg-js'), options: pngOptions() },
      'PNG rendering failed',
    );
    return this.pngChannel;
  }

  /**
   * Starts the SVG worker now (vega takes about half a second to load), so it loads while this
   * thread prepares the charts and the other files; a no-op when it is already running.
   */
  prepare(): void {
    this.svgs();
  }

  /** The SVG of a vega-lite spec, and any warnings logged on the way. */
  svg(spec: TopLevelSpec): Promise<{ svg: string; warnings: string[] }> {
    return this.svgs()
      .request({ spec })
      .then(({ svg, warnings }) => ({ svg, warnings }));
  }

  /** PNG of an SVG at `PNG_ZOOM`, white background, text in DejaVu Sans. */
  png(svg: string): Promise<Buffer> {
    return this.pngs()
      .request({ svg })
      .then(({ png }) => Buffer.from(png.buffer, png.byteOffset, png.byteLength));
  }

  /**
   * Every chart as SVG and PNG; each PNG starts as soon as its SVG exists. The promise may be
   * kept unawaited for a while (charts drawn during other work): a failure surfaces when it is
   * awaited, never as an unhandled rejection.
   */
  render(charts: readonly Chart[], onRendered?: (name: string) => void): Promise<RenderedChart[]> {
    if (this.lean) {
      const all = this.renderLean(charts, onRendered);
      all.catch(() => {});
      return all;
    }
    const done = charts.map(async (chart) => {
      const { svg, warnings } = await this.svg(chart.spec);
      const png = await this.png(svg);
      onRendered?.(chart.name);
      return { ...chart, svg, png, warnings };
    });
    for (const d of done) d.catch(() => {});
    const all = Promise.all(done);
    all.catch(() => {});
    return all;
  }

  private async renderLean(
    charts: readonly Chart[],
    onRendered?: (name: string) => void,
  ): Promise<RenderedChart[]> {
    const svgs: { svg: string; warnings: string[] }[] = [];
    for (const chart of charts) svgs.push(await this.svg(chart.spec));
    await this.svgChannel?.close();
    this.svgChannel = null;
    const out: RenderedChart[] = [];
    for (const [i, chart] of charts.entries()) {
      const { svg, warnings } = svgs[i]!;
      out.push({ ...chart, svg, png: await this.png(svg), warnings });
      onRendered?.(chart.name);
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([this.svgChannel?.close(), this.pngChannel?.close()]);
  }
}

/** Every chart as SVG and PNG, with a renderer of its own (or the one given, then closed). */
export async function renderCharts(
  charts: readonly Chart[],
  onRendered?: (name: string) => void,
  renderer?: ChartRenderer,
): Promise<RenderedChart[]> {
  const r = renderer ?? ChartRenderer.start();
  try {
    return await r.render(charts, onRendered);
  } finally {
    await r.close();
  }
}

/** One SVG (tests and one-off use). */
export async function renderSvg(spec: TopLevelSpec): Promise<{ svg: string; warnings: string[] }> {
  const r = new ChartRenderer();
  try {
    return await r.svg(spec);
  } finally {
    await r.close();
  }
}

/** One PNG (tests and one-off use). */
export async function svgToPng(svg: string): Promise<Buffer> {
  const r = new ChartRenderer();
  try {
    return await r.png(svg);
  } finally {
    await r.close();
  }
}
