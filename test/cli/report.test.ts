import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forecastCommand } from '../../src/commands/forecast.js';
import { captureIo, servesim } from '../helpers/cli.js';

/*
 * `servesim report` from the command line (issue 20 item 3; the re-rendering itself is tested in
 * process, test/commands/report.test.ts): the command is wired in, prints the saved table, and
 * bad input is exit 2 with one line — as JSON on stdout too under --format json — and no output.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-report-cli-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

describe('servesim report', () => {
  it('prints the saved forecast table; a folder servesim did not write: exit 2, one line, nothing written', async () => {
    const scenario = join(TMP, 'tiny.yaml');
    writeFileSync(
      scenario,
      `name: tiny report
traffic:
  components:
    - { type: batch, at: '09:00', count: 3, over: 1h, inputTokens: 250, outputTokens: 60 }
options:
  - { id: fixed-fleet, key: box, replicas: 1, serviceTime: 1s, hourlyPrice: 1.5 }
forecast: { runs: 2, uncertainty: none }
`,
    );
    const dir = join(TMP, 'forecast');
    const printed = captureIo();
    const flags = { json: false, quiet: true, color: false, debug: false, width: 80, out: dir };
    await forecastCommand(scenario, flags, printed, { months: 1 });
    const out = join(TMP, 'never');
    const [table, bad] = await Promise.all([
      servesim(['report', dir]),
      servesim(['report', TMP, '--format', 'json', '--out', out]),
    ]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toBe(printed.stdout);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      `servesim: ${TMP}: not a servesim report folder (it has no .servesim-report marker)\n`,
    );
    expect(JSON.parse(bad.stdout)).toEqual({
      error: {
        code: 2,
        message: `${TMP}: not a servesim report folder (it has no .servesim-report marker)`,
        field: TMP,
      },
    });
    expect(existsSync(out)).toBe(false);
  });
});
