import { servesim as run, type CliOutcome } from '../helpers/cli.js';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * `servesim forecast` as a user meets it (child processes, as in cli.test.ts): bad input exits 2
 * with one line and writes nothing; a small forecast writes forecast.json and forecast.csv and
 * prints forecast.json with --json.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-forecast-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const servesim = (...args: string[]): Promise<CliOutcome> => run(args);

const SCENARIO = join(TMP, 'tiny.yaml');
writeFileSync(
  SCENARIO,
  `name: tiny forecast
traffic:
  components:
    - { type: batch, at: '09:00', count: 3, over: 1h, class: interactive, inputTokens: 250, outputTokens: 60 }
options:
  - { id: fixed-fleet, key: box, replicas: 1, serviceTime: 1s, hourlyPrice: 1.5 }
forecast: { runs: 3, uncertainty: none }
`,
);

describe('servesim forecast', () => {
  it('refuses months ≤ 0 or not whole, and a bad growth: exit 2, one line, no files', async () => {
    const out = join(TMP, 'bad');
    const runs = await Promise.all([
      servesim('forecast', SCENARIO, '--months', '0', '--out', out),
      servesim('forecast', SCENARIO, '--months', '1.5', '--out', out),
      servesim('forecast', SCENARIO, '--growth', 'lots', '--out', out),
      // The shell word "-5%" reads as flags, so the value arrives empty: say how to write it.
      servesim('forecast', SCENARIO, '--growth', '-5%', '--out', out),
    ]);
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain('    at ');
    }
    expect(runs[0]!.stderr).toMatch(/^servesim: --months must be a whole number ≥ 1, got "0"/);
    expect(runs[1]!.stderr).toContain('--months must be a whole number');
    expect(runs[2]!.stderr).toContain('--growth must be a monthly rate');
    expect(runs[3]!.stderr).toContain('--growth=-5%');
    expect(existsSync(out)).toBe(false);
  });

  it('writes forecast.json and forecast.csv; --json prints forecast.json', async () => {
    const out = join(TMP, 'ok');
    const r = await servesim('forecast', SCENARIO, '--months', '2', '--json', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(out, 'forecast.json'), 'utf8'));
    const doc = JSON.parse(r.stdout) as { months: unknown[] };
    // 2026-01 and 2026-02, one always-on replica at $1.50 an hour: 31 × 36 and 28 × 36.
    expect(doc.months).toEqual([
      { month: '2026-01', option: 'box', p10: 1116, p50: 1116, p90: 1116 },
      { month: '2026-02', option: 'box', p10: 1008, p50: 1008, p90: 1008 },
    ]);
    expect(readFileSync(join(out, 'forecast.csv'), 'utf8')).toBe(
      'month,option,p10,p50,p90\n2026-01,box,1116.00,1116.00,1116.00\n2026-02,box,1008.00,1008.00,1008.00\n',
    );
  });
});
