import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import { captureIo, ROOT } from '../helpers/cli.js';

/*
 * The README's example output is the whole of what `npm start` prints at 80 columns (the default
 * scenario, seed 42, sensitivity on; issue 18: it fits one screen). Lines are compared exactly; only
 * the report path differs (the README's is relative to the repository, the test's a temp folder).
 */

const dir = mkdtempSync(join(tmpdir(), 'servesim-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readmeExample(): string {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = text.indexOf('<!-- npm-start-example');
  expect(at).toBeGreaterThan(0);
  const open = text.indexOf('```\n', at) + 4;
  return text.slice(open, text.indexOf('```', open));
}

describe('README example output', () => {
  it('is what `npm start` prints at 80 columns', async () => {
    const io = captureIo();
    await runCommand(
      undefined,
      { json: false, quiet: false, color: false, debug: false, out: dir, width: 80 },
      io,
      { sensitivity: true },
    );
    const printed = io.stdout.trim().split('\n');
    const example = readmeExample().trim().split('\n');
    expect(printed.slice(0, -1)).toEqual(example.slice(0, -1));
    expect(printed.at(-1)).toBe(`Report: ${join(dir, 'report.html')}`);
    expect(example.at(-1)).toBe('Report: reports/medical-notes/report.html');
    expect(printed.length).toBeLessThanOrEqual(60);
  }, 120_000);
});
