import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { writeFilesAtomically } from '../../src/report/files.js';
import { MARKER } from '../../src/report/folder.js';
import { reportFiles } from '../../src/report/report.js';
import { META_FILE, parseMeta } from '../../src/report/report-meta.js';
import { rerenderFiles } from '../../src/report/rerender.js';
import { readReportFolder } from '../../src/report/rerender-read.js';
import { savedSeries } from '../../src/report/rerender-series.js';
import { SCHEMA_VERSION } from '../../src/version.js';
import { smallRun } from './fixtures.js';

/*
 * Reading a saved report folder back (rerender-read.ts) and report-meta.json: every way a folder
 * can be unfit is bad input naming the file; the page's stale-price warning is the run's own.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-rerender-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const META = {
  page: {
    timezone: 'UTC',
    rankBy: 'total',
    maxLossRate: 0,
    description: null,
    bookDate: '2026-11-25',
    staleBookAgeDays: null,
  },
  charts: [],
};

/** A run's folder, hand-made (nothing drawn), with `edit` applied to its files (null removes one). */
function runFolder(name: string, edit: Record<string, string | null> = {}): string {
  const dir = join(TMP, name);
  const files = new Map<string, string>([
    [
      'results.json',
      JSON.stringify({
        kind: 'run',
        schemaVersion: SCHEMA_VERSION,
        scenario: 'x',
        trace: {},
        options: [],
        assumptions: [],
      }),
    ],
    ['costs.csv', 'option\n'],
    ['timeline.csv', 'minute,option,arrivals,in_flight,replicas,cost_so_far\n'],
    [META_FILE, JSON.stringify(META)],
    ['report.html', '<!doctype html>'],
  ]);
  writeFilesAtomically(dir, files, 'run');
  for (const [f, text] of Object.entries(edit))
    if (text === null) rmSync(join(dir, f));
    else writeFileSync(join(dir, f), text);
  return dir;
}

/** The message `readReportFolder(dir)` refuses `dir` with (an InputError: exit 2). */
function refusal(dir: string): string {
  try {
    readReportFolder(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error(`${dir} was read`);
}

describe('readReportFolder', () => {
  it('reads a run folder: kind, result, page context, the files kept as they are', () => {
    const saved = readReportFolder(runFolder('ok'));
    expect(saved.kind).toBe('run');
    expect(saved.owner).toBe('run');
    expect(saved.kind === 'run' && saved.meta.page.timezone).toBe('UTC');
    // costs.csv, report.html and report-meta.json are drawn again; timeline.csv is kept.
    expect([...saved.kept.keys()]).toEqual(['timeline.csv']);
  });

  it('refuses a path that is not a servesim report folder', () => {
    const plain = join(TMP, 'plain');
    mkdirSync(plain);
    const file = join(TMP, 'file.json');
    writeFileSync(file, '{}');
    expect(refusal(join(TMP, 'none'))).toBe(`${join(TMP, 'none')}: no such report folder`);
    expect(refusal(file)).toMatch(/^.*file\.json: not a folder/);
    expect(refusal(plain)).toBe(`${plain}: not a servesim report folder (it has no ${MARKER} marker)`);
  });

  it('refuses a newer schemaVersion, an unknown kind, a folder of another command', () => {
    const newer = runFolder('newer', {
      'results.json': JSON.stringify({ kind: 'run', schemaVersion: SCHEMA_VERSION + 1 }),
    });
    expect(refusal(newer)).toContain(
      `results.json: schemaVersion ${SCHEMA_VERSION + 1} is newer than this servesim`,
    );
    const kind = runFolder('kind', { 'results.json': JSON.stringify({ kind: 'sweep', schemaVersion: 1 }) });
    expect(refusal(kind)).toContain('results.json: unknown kind "sweep" (expected run or replay)');
    const old = runFolder('old', { 'results.json': JSON.stringify({ scenario: 'x' }) });
    expect(refusal(old)).toContain('results.json: has no "kind"');
    const other = join(TMP, 'other');
    writeFilesAtomically(other, new Map([['report.html', 'x']]), 'report');
    expect(refusal(other)).toContain('its report.html was written by `report`');
  });

  it('refuses missing and damaged files, naming each', () => {
    const cases: [Record<string, string | null>, string][] = [
      [{ 'results.json': null }, 'results.json: missing'],
      [{ 'results.json': '{"kind": "run",' }, 'results.json: not valid JSON'],
      [{ 'results.json': '[1]' }, 'results.json: not a JSON object'],
      [
        { 'results.json': JSON.stringify({ kind: 'run', schemaVersion: 1, scenario: 'x' }) },
        'results.json: "trace" must be an object',
      ],
      [{ 'timeline.csv': null }, 'timeline.csv: missing'],
      [{ 'timeline.csv': 'a,b\n' }, 'timeline.csv: not a timeline'],
      [{ [META_FILE]: null }, `${META_FILE}: missing`],
      [{ [META_FILE]: '{"page": {}}' }, `${META_FILE}: page.timezone must be a time zone name`],
      [
        { [META_FILE]: JSON.stringify({ ...META, charts: [{ name: 'cost-by-option', title: 'x' }] }) },
        'cost-by-option.vl.json: missing',
      ],
    ];
    for (const [i, [edit, message]] of cases.entries())
      expect(refusal(runFolder(`damaged-${i}`, edit))).toContain(message);
  });
});

describe('savedSeries (report --details)', () => {
  const results = (keys: string[]) =>
    JSON.stringify({
      kind: 'run',
      schemaVersion: 1,
      scenario: 'x',
      trace: {},
      options: keys.map((key) => ({ key })),
      assumptions: [],
    });

  it("reads each option's arrivals and ready copies; an option without rows has no series", () => {
    const dir = runFolder('series', {
      'results.json': results(['a', 'b,c', 'off']),
      'timeline.csv':
        'minute,option,arrivals,in_flight,replicas,cost_so_far\n0,a,3,1,1,0.5\n1,a,0,0,2,1\n0,"b,c",3,0,0,0\n1,"b,c",0,0,1,0.25\n',
    });
    const saved = readReportFolder(dir);
    if (saved.kind !== 'run') throw new Error(saved.kind);
    const view = savedSeries(saved);
    expect(view.scenario.timezone).toBe('UTC');
    expect(view.runs.map((r) => r.key)).toEqual(['a', 'b,c', 'off']);
    expect([...view.runs[0]!.record!.series.arrivals]).toEqual([3, 0]);
    expect([...view.runs[0]!.record!.series.ready]).toEqual([1, 2]);
    expect([...view.runs[1]!.record!.series.ready]).toEqual([0, 1]);
    expect(view.runs[1]!.record!.series.minutes).toBe(2);
    expect(view.runs[2]!.record).toBeNull();
  });

  it('refuses a row out of order or not a count, naming the line', () => {
    const header = 'minute,option,arrivals,in_flight,replicas,cost_so_far\n';
    for (const [body, line] of [
      ['0,a,3,1,1,0\n2,a,0,0,2,1\n', 3],
      ['0,a,3,1,x,0\n', 2],
    ] as const) {
      const dir = runFolder(`bad-series-${line}`, {
        'results.json': results(['a']),
        'timeline.csv': header + body,
      });
      const saved = readReportFolder(dir);
      if (saved.kind !== 'run') throw new Error(saved.kind);
      expect(() => savedSeries(saved)).toThrow(`${join(dir, 'timeline.csv')}:${line}: expected minute`);
    }
  });
});

describe('report-meta.json', () => {
  it('keeps the stale-price warning of the day of the run: the re-rendered page has the same', async () => {
    const out = smallRun();
    // A day 400 days after the book's date: the book is stale then (design §7: a warning).
    const today = new Date(Date.parse(out.book.date) + 400 * 86_400_000).toISOString().slice(0, 10);
    const files = await reportFiles(out, { today });
    const meta = parseMeta(String(files.get(META_FILE)), META_FILE);
    expect(meta.page.staleBookAgeDays).toBe(400);
    expect(meta.page.timezone).toBe('Europe/Berlin');
    expect(meta.charts.map((c) => c.name)).toContain('cost-by-option');
    const dir = join(TMP, 'stale');
    writeFilesAtomically(dir, files, 'run');
    const again = await rerenderFiles(readReportFolder(dir));
    const html = String(again.get('report.html'));
    expect(html).toContain(`the price book is 400 days old (${out.book.date})`);
    expect(html).toBe(readFileSync(join(dir, 'report.html'), 'utf8'));
  });
});
