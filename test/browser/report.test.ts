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
 * error. A screenshot is kept in reports/test-artifacts/ (git-ignored) for a human to look at.
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

  it('opens with the verdict, above the fold, and has the heartbeat section', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
    // The first section heading is the verdict's, and the verdict is on the first screen.
    expect(await page.locator('h2').first().textContent()).toBe('Verdict');
    const verdict = page.locator('section#verdict');
    const box = (await verdict.boundingBox())!;
    expect(box.y + box.height).toBeLessThan(900);
    const text = (await verdict.textContent()) ?? '';
    expect(text).toMatch(/is cheapest at \$[\d.]+ a day/);
    expect(text).toMatch(/interactive requests wait on a cold start/);
    expect(await page.locator('section#heartbeat tr.best').count()).toBe(1);
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
    for (let i = 0; i < charts; i++) {
      const box = await svgs.nth(i).boundingBox();
      expect(box, `chart ${i}`).not.toBeNull();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(100);
      // vega drew real marks with text in them.
      expect(await svgs.nth(i).locator('text').count()).toBeGreaterThan(5);
    }
    for (const cls of ['comparison', 'side-by-side', 'claims', 'sensitivity', 'assumptions']) {
      const table = page.locator(`table.${cls}`);
      expect(await table.count(), cls).toBe(1);
      expect(await table.locator('tbody tr').count(), cls).toBeGreaterThan(0);
      expect(await table.isVisible(), cls).toBe(true);
    }
    const heads = await page.locator('table.comparison thead th').allInnerTexts();
    expect(heads.map((h) => h.split('\n')[0])).toEqual([
      '',
      ...defaultRun().result.options.map((o) => o.key),
    ]);
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
