import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { servesim } from '../helpers/cli.js';

/*
 * --out and -o checked before any work (issue 17 item 3): a file where a folder is wanted, a
 * folder where a file is wanted, a pseudo file system, a user's folder — exit 2 with one line
 * naming the flag, and nothing written. One line on stderr also shows it came before the
 * simulation: a run prints a progress line per simulated option on a non-terminal stderr.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-out-check-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const FILE = join(TMP, 'results.json');
writeFileSync(FILE, '{"mine": true}\n');
const USER = join(TMP, 'thesis');
mkdirSync(USER);
writeFileSync(join(USER, 'chapter1.tex'), 'years of work');
const FIXTURE = 'test/fixtures/traces/binned.csv';

describe('a bad --out or -o: exit 2, one line naming the flag, nothing written', () => {
  it('for every command that writes a folder or a file', async () => {
    const cases: [string[], RegExp][] = [
      [['run', '--out', FILE], /^servesim: --out: .*results\.json is a file, not a folder/],
      [['run', '--out', USER], /^servesim: --out: .*thesis already holds files servesim did not write/],
      [['forecast', '--months', '1', '--out', FILE], /^servesim: --out: .*is a file, not a folder/],
      [['breakeven', 'heartbeat', '--out', FILE], /^servesim: --out: .*is a file, not a folder/],
      [['replay', '--trace', FIXTURE, '--out', USER], /^servesim: --out: .*already holds files/],
      [['trace', 'generate', '-o', TMP], /^servesim: --output: .* is a folder; give a file path/],
      [['trace', 'import', 'csv', FIXTURE, '-o', join(FILE, 'x.csv')], /^servesim: --output: .*is a file/],
      ...(process.platform === 'linux'
        ? ([
            [
              ['run', '--out', '/proc/x'],
              /^servesim: --out: \/proc\/x is on the kernel's proc pseudo file system/,
            ],
            [
              ['trace', 'generate', '-o', '/proc/x/out.csv'],
              /^servesim: --output: \/proc\/x\/out\.csv is on the kernel's proc/,
            ],
          ] as [string[], RegExp][])
        : []),
    ];
    for (let i = 0; i < cases.length; i += 2) {
      const batch = cases.slice(i, i + 2);
      const outcomes = await Promise.all(batch.map(([args]) => servesim(args)));
      outcomes.forEach((r, j) => {
        const [args, want] = batch[j]!;
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr, args.join(' ')).toMatch(want);
        expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      });
    }
    // Nothing touched, nothing beside: the file, the user's folder, no staging siblings.
    expect(readFileSync(FILE, 'utf8')).toBe('{"mine": true}\n');
    expect(readdirSync(USER)).toEqual(['chapter1.tex']);
    expect(readdirSync(TMP).sort()).toEqual(['results.json', 'thesis']);
    expect(existsSync('/proc/x')).toBe(false);
  }, 120_000);
});
