import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFilesAtomically } from '../../src/report/files.js';
import { reportFiles } from '../../src/report/report.js';
import { defaultRun } from '../report/fixtures.js';
import { analyzeSensitivity } from '../../src/planning/sensitivity/sensitivity.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { DEFAULT_SCENARIO } from '../../src/commands/run.js';
import { analyzeBreakeven } from '../../src/planning/breakeven/breakeven.js';
import { decideVerdict } from '../../src/compare/verdict.js';

/*
 * report.html in a real browser: Debian's headless Chromium (.ci/run installs it) opens the file
 * from disk, with no network, and the page must show every chart and table without a console
 * error; its first screen (1280×800) answers: the verdict, then the comparison. Screenshots (the
 * first screen, the whole page) and the A4 PDF are kept in reports/test-artifacts/ (git-ignored)
 * for a human to look at.
 * Skips where Chromium is absent, except in CI, where it must run.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', '..', 'reports', 'test-artifacts');
const present = existsSync(CHROMIUM);
if (!present && process.env.CI)
  throw new Error(`CI is set but ${CHROMIUM} is missing: .ci/run installs Debian's chromium`);

describe.skipIf(!present)('report.html in headless Chromium', () => {
  const dir = join(ARTIFACTS, 'medical-notes');
  let browser: Browser;
  let charts = 0;

  beforeAll(async () => {
    // As `npm start` writes it: with the sensitivity section and its tornado chart.
    const out = defaultRun();
    const loaded = loadScenarioFile(DEFAULT_SCENARIO);
    out.result.breakeven ??= await analyzeBreakeven(
      loaded,
      { heartbeat: true, volume: false },
      { workers: 1 },
    );
    out.result.verdict ??= decideVerdict(out.result, out.scenario.rankBy, out.scenario.maxLossRate);
    out.result.sensitivity ??= await analyzeSensitivity(
      loadScenarioFile(DEFAULT_SCENARIO),
      { baseline: out.result.options },
      { workers: 1 },
    );
    const files = await reportFiles(out, { today: out.book.date });
    charts = [...files.keys()].filter((f) => f.endsWith('.svg')).length;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFilesAtomically(dir, files);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('answers on the first screen (1280×800): the verdict first, then the comparison, cheapest ★', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
    // The first section heading is the verdict's; nothing but the title is drawn above it.
    expect(await page.locator('h2').first().textContent()).toBe('Verdict');
    const verdict = (await page.locator('section#verdict').boundingBox())!;
    const title = (await page.locator('h1').boundingBox())!;
    expect(verdict.y).toBeGreaterThanOrEqual(title.y + title.height);
    // Elements drawn wholly above the verdict, besides the title (the page's own script, as text:
    // the tests compile without the DOM's types).
    const above = await page.evaluate<number>(
      `[...document.body.querySelectorAll('*')].filter((e) => {
        const b = e.getBoundingClientRect();
        return b.height > 0 && b.bottom <= ${verdict.y} && e.tagName !== 'H1' && e.tagName !== 'HEADER';
      }).length`,
    );
    expect(above).toBe(0);
    expect(verdict.y + verdict.height).toBeLessThan(800);
    const text = (await page.locator('section#verdict').textContent()) ?? '';
    expect(text).toMatch(/is cheapest at \$[\d.]+ a day/);
    expect(text).toMatch(/interactive requests wait on a cold start/);
    // The comparison's head and its ★ row are on the first screen too.
    const cheapest = page.locator('table.comparison tr.cheapest');
    expect(await cheapest.count()).toBe(1);
    expect(await cheapest.locator('.tag.best').textContent()).toBe('★ cheapest');
    const row = (await cheapest.boundingBox())!;
    expect(row.y).toBeGreaterThan(verdict.y + verdict.height);
    expect(row.y + row.height).toBeLessThan(800);
    await page.screenshot({ path: join(ARTIFACTS, 'report-first-screen.png') });
    expect(await page.locator('section#heartbeat tr.best').count()).toBe(1);
    await page.close();
  });

  it('prints on A4 with each heading kept with what follows and each chart whole', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const style = (sel: string, prop: string) =>
      page.evaluate<string>(
        `getComputedStyle(document.querySelector(${JSON.stringify(sel)})).getPropertyValue(${JSON.stringify(prop)})`,
      );
    expect(await style('h2', 'break-after')).toBe('avoid');
    expect(await style('h3', 'break-after')).toBe('avoid');
    expect(await style('figure.chart', 'break-inside')).toBe('avoid');
    // The tornado and its heading are one unbreakable block.
    expect(await style('section#sensitivity > .keep', 'break-inside')).toBe('avoid');
    expect(await page.locator('section#sensitivity > .keep h2 + * ~ figure#chart-sensitivity').count()).toBe(
      1,
    );
    await page.pdf({ path: join(ARTIFACTS, 'report.pdf'), format: 'A4' });
    await page.close();
  });

  it('opens from disk offline and shows every chart and table, without console errors', async () => {
    const context = await browser.newContext({ offline: true, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    const url = pathToFileURL(join(dir, 'report.html')).href;
    await page.goto(url, { waitUntil: 'load' });

    expect(await page.title()).toBe('servesim: medical-notes');
    const svgs = page.locator('figure.chart > svg');
    expect(await svgs.count()).toBe(charts);
    // Full width: every chart as wide as the column it sits in.
    const column = (await page.locator('section#comparison').boundingBox())!.width;
    for (let i = 0; i < charts; i++) {
      const box = await svgs.nth(i).boundingBox();
      expect(box, `chart ${i}`).not.toBeNull();
      expect(box!.width).toBeCloseTo(column, 0);
      expect(box!.height).toBeGreaterThan(100);
      // vega drew real marks with text in them.
      expect(await svgs.nth(i).locator('text').count()).toBeGreaterThan(5);
    }
    // The heartbeat chart, once the chart set has one, sits in the heartbeat section.
    if (existsSync(join(dir, 'heartbeat.svg')))
      expect(await page.locator('section#heartbeat figure#chart-heartbeat > svg').count()).toBe(1);
    for (const cls of [
      'comparison',
      'heartbeat',
      'details',
      'side-by-side',
      'claims',
      'sensitivity',
      'assumptions',
    ]) {
      const table = page.locator(`table.${cls}`);
      expect(await table.count(), cls).toBe(1);
      expect(await table.locator('tbody tr').count(), cls).toBeGreaterThan(0);
      expect(await table.isVisible(), cls).toBe(true);
    }
    // Every option once: a ranked row, a baseline row or a line of "Not feasible, and why".
    const named = [
      ...(await page.locator('table.comparison tbody.ranked tr > th').allInnerTexts()),
      ...(await page.locator('table.comparison tbody.baselines tr:not(.group) > th').allInnerTexts()),
      ...(await page.locator('ul.infeasible > li > strong').allInnerTexts()),
    ].map((t) => t.split(/[\s\n]/)[0]);
    expect(named.sort()).toEqual(
      defaultRun()
        .result.options.map((o) => o.key)
        .sort(),
    );
    expect(await page.locator('.badge', { hasText: 'UNCERTAIN' }).count()).toBeGreaterThan(1);
    expect(errors).toEqual([]);
    // Nothing but the file itself was loaded.
    expect(requests).toEqual([url]);

    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    expect(existsSync(join(ARTIFACTS, 'report.png'))).toBe(true);
    // Print layout renders too (A4 PDF from the print CSS).
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
    await context.close();
  });
});
