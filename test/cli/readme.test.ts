import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import { captureIo, ROOT } from '../helpers/cli.js';

/*
 * The README's example output is the first screen of `npm start` (the default scenario, seed 42):
 * the header, the comparison and the verdict. Lines are compared as printed; the verdict's line
 * breaks follow the terminal width, so it is compared with runs of spaces collapsed.
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

const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('README example output', () => {
  it('is what `npm start` prints first', async () => {
    const io = captureIo();
    await runCommand(undefined, { json: false, quiet: true, color: false, debug: false, out: dir }, io, {
      sensitivity: false,
    });
    const example = readmeExample();
    const [table, verdict] = example.split('\nVerdict: ');
    expect(verdict).toBeDefined();
    for (const line of table!.trimEnd().split('\n')) expect(io.stdout).toContain(line);
    expect(flat(io.stdout)).toContain(flat(`Verdict: ${verdict!}`));
  });
});
