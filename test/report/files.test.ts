import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { timelineCsv, writeFilesAtomically } from '../../src/report/files.js';
import { reportFiles } from '../../src/report/report.js';
import { defaultRun } from './fixtures.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'servesim-files-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('writeFilesAtomically', () => {
  it('writes text and binary files', () => {
    const dir = join(tempDir(), 'report');
    writeFilesAtomically(
      dir,
      new Map<string, string | Uint8Array>([
        ['a.txt', 'hi\n'],
        ['b.png', Buffer.from([1, 2, 3])],
      ]),
    );
    expect(readdirSync(dir).sort()).toEqual(['.servesim-report', 'a.txt', 'b.png']);
    expect([...readFileSync(join(dir, 'b.png'))]).toEqual([1, 2, 3]);
  });

  it('leaves nothing behind when a file cannot be written', () => {
    const dir = tempDir();
    const files = new Map([
      ['results.json', '{}'],
      ['no-such-dir/report.html', '<html>'],
    ]);
    expect(() => writeFilesAtomically(dir, files)).toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('reportFiles', () => {
  it('renders every file of design §9 for the default scenario', async () => {
    const rendered: string[] = [];
    const files = await reportFiles(defaultRun(), {
      today: '2026-11-01',
      onChartRendered: (name) => rendered.push(name),
    });
    const charts = ['cost-by-option', 'traffic-vs-replicas', 'cumulative-cost', 'latency-cdf'];
    expect([...files.keys()].sort()).toEqual(
      [
        'results.json',
        'costs.csv',
        'timeline.csv',
        'report.html',
        'report-meta.json',
        ...charts.flatMap((c) => [`${c}.vl.json`, `${c}.svg`, `${c}.png`]),
      ].sort(),
    );
    expect(rendered.sort()).toEqual([...charts].sort());
    const html = String(files.get('report.html'));
    for (const c of charts) expect(html).toContain(`<figure class="chart" id="chart-${c}">`);
    expect(JSON.parse(String(files.get('results.json'))).scenario).toBe('medical-notes');

    const dir = join(tempDir(), 'r');
    writeFilesAtomically(dir, files);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('timelineCsv', () => {
  it('has one row per minute and simulated option', () => {
    const out = defaultRun();
    const lines = timelineCsv(out).trimEnd().split('\n');
    expect(lines[0]).toBe('minute,option,arrivals,in_flight,replicas,cost_so_far');
    expect(lines.length - 1).toBe(out.runs.reduce((n, r) => n + (r.record?.series.minutes ?? 0), 0));
  });

  it('writes what csv-stringify writes for the same rows, an awkward option key included', () => {
    const out = defaultRun();
    const run = out.runs.find((r) => r.record !== null && r.bill !== null)!;
    const odd = { ...out, runs: [{ ...run, key: 'a "b", c' }] } as typeof out;
    const s = run.record!.series;
    const cost = run.bill!.costSoFar(s.minutes);
    const rows: (string | number)[][] = [
      ['minute', 'option', 'arrivals', 'in_flight', 'replicas', 'cost_so_far'],
    ];
    for (let m = 0; m < s.minutes; m++)
      rows.push([m, 'a "b", c', s.arrivals[m]!, s.inFlight[m]!, s.ready[m]!, +cost[m]!.toFixed(6)]);
    expect(timelineCsv(odd)).toBe(stringify(rows, { record_delimiter: 'unix' }));
    expect(timelineCsv(odd).split('\n')[1]).toMatch(/^0,"a ""b"", c",/);
  });
});
