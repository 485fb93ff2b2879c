import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { servesim } from '../helpers/cli.js';

// `run --format table|json|csv|html` and JSON errors under --json (issue 20 item 3): stdout is the
// asked file of the report, byte for byte what the folder holds; an error is JSON on stdout too.

const dir = mkdtempSync(join(tmpdir(), 'servesim-format-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run --format', () => {
  it('csv, html and json print the report folder’s costs.csv, report.html and results.json', async () => {
    const cases = [
      ['csv', 'costs.csv'],
      ['html', 'report.html'],
      ['json', 'results.json'],
    ] as const;
    const runs = await Promise.all(
      cases.map(([format]) =>
        servesim(['run', '--no-sensitivity', '--quiet', '--format', format, '--out', join(dir, format)]),
      ),
    );
    for (const [i, [format, file]] of cases.entries()) {
      expect(runs[i]!.code, runs[i]!.stderr).toBe(0);
      expect(runs[i]!.stdout).toBe(readFileSync(join(dir, format, file), 'utf8'));
    }
    expect(runs[0]!.stdout.split('\n')[0]).toBe('option,item,quantity,unit,unit_price,amount,billed_by');
  }, 120_000);

  it('a bad --format, and any error under --json: exit 2, one stderr line, and JSON on stdout with --json', async () => {
    const bad = await servesim(['run', '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('servesim: --format must be table, json, csv or html, got "xml"\n');
    expect(bad.stdout).toBe('');
    const missing = await servesim(['run', join(dir, 'nope.yaml'), '--json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const err = JSON.parse(missing.stdout) as {
      error: { code: number; message: string; field: string | null };
    };
    expect(err.error.code).toBe(2);
    expect(err.error.field).toBe(join(dir, 'nope.yaml'));
    expect(`servesim: ${err.error.message}\n`).toBe(missing.stderr);
  }, 60_000);
});
