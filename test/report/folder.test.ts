import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { MARKER, ReportFolder } from '../../src/report/folder.js';

/*
 * The report folder rule (design §11; issue 17 item 3): whole or not at all, a marker, only
 * servesim's own folders replaced, a command's stale files dropped and everything else kept.
 */

const roots: string[] = [];
const root = () => {
  const d = mkdtempSync(join(tmpdir(), 'servesim-folder-'));
  roots.push(d);
  return d;
};
afterEach(() => {
  for (const d of roots.splice(0)) rmSync(d, { recursive: true, force: true });
});

const files = (entries: Record<string, string>) => new Map(Object.entries(entries));
const manifest = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as { files: Record<string, string> }).files;
const list = (dir: string) => readdirSync(dir).sort();

describe('ReportFolder', () => {
  it('writes a new folder with the marker listing each file under its command', () => {
    const dir = join(root(), 'a', 'b', 'report');
    new ReportFolder(dir).commit(files({ 'results.json': '{}', 'costs.csv': 'x\n' }), 'run');
    expect(list(dir)).toEqual([MARKER, 'costs.csv', 'results.json']);
    expect(manifest(dir)).toEqual({ 'costs.csv': 'run', 'results.json': 'run' });
  });

  it('uses an existing empty folder', () => {
    const dir = join(root(), 'empty');
    mkdirSync(dir);
    new ReportFolder(dir).commit(files({ 'forecast.json': '{}' }), 'forecast');
    expect(list(dir)).toEqual([MARKER, 'forecast.json']);
  });

  it("drops the command's stale files on a re-run and keeps other commands' and the user's", () => {
    const parent = root();
    const dir = join(parent, 'r');
    new ReportFolder(dir).commit(files({ 'results.json': 'old', 'sensitivity.csv': 's' }), 'run');
    new ReportFolder(dir).commit(files({ 'forecast.json': 'f' }), 'forecast');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    writeFileSync(join(dir, 'partial-1-of-2.json'), '{}');

    new ReportFolder(dir).commit(files({ 'results.json': 'new' }), 'run');
    expect(list(dir)).toEqual([MARKER, 'forecast.json', 'notes.txt', 'partial-1-of-2.json', 'results.json']);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe('new');
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    // The user's and the partial stay unlisted: a later write keeps them again.
    expect(manifest(dir)).toEqual({ 'forecast.json': 'forecast', 'results.json': 'run' });
    // Nothing left beside it: no staging or old folder.
    expect(list(parent)).toEqual(['r']);
  });

  it('refuses an existing non-empty folder without the marker, before any work, naming --out', () => {
    const dir = join(root(), 'user');
    mkdirSync(dir);
    writeFileSync(join(dir, 'thesis.tex'), 'years of work');
    let err: unknown;
    try {
      new ReportFolder(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^--out: .*user already holds files servesim did not write/);
    expect(list(dir)).toEqual(['thesis.tex']);
  });

  it('accepts a folder holding only shard partials, and keeps them', () => {
    const dir = join(root(), 'sharded');
    mkdirSync(dir);
    writeFileSync(join(dir, 'partial-1-of-2.json'), '1');
    writeFileSync(join(dir, 'partial-2-of-2.json'), '2');
    new ReportFolder(dir).commit(files({ 'forecast.json': '{}' }), 'forecast');
    expect(list(dir)).toEqual([MARKER, 'forecast.json', 'partial-1-of-2.json', 'partial-2-of-2.json']);
  });

  it('leaves the old folder untouched when a file cannot be written', () => {
    const parent = root();
    const dir = join(parent, 'r');
    new ReportFolder(dir).commit(files({ 'results.json': 'old' }), 'run');
    const bad = files({ 'results.json': 'new', 'no-such-dir/report.html': '<html>' });
    expect(() => new ReportFolder(dir).commit(bad, 'run')).toThrow();
    expect(list(dir)).toEqual([MARKER, 'results.json']);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe('old');
    expect(list(parent)).toEqual(['r']);
  });

  it('keeps a staged file (an imported trace) and a file it adopted from the old folder', () => {
    const dir = join(root(), 'replay');
    const first = new ReportFolder(dir);
    writeFileSync(join(first.stage(), 'trace.csv'), 't1');
    first.commit(files({ 'results.json': '1' }), 'replay');
    expect(manifest(dir)['trace.csv']).toBe('replay');
    // Replaying that trace offline: the trace is this command's file, yet it must stay.
    const second = new ReportFolder(dir);
    second.adopt(join(dir, 'trace.csv'));
    second.commit(files({ 'results.json': '2' }), 'replay');
    expect(list(dir)).toEqual([MARKER, 'results.json', 'trace.csv']);
    expect(readFileSync(join(dir, 'trace.csv'), 'utf8')).toBe('t1');
  });

  it('puts back an old folder a killed process left between the two renames, and sweeps its staging folder', () => {
    const parent = root();
    const dir = join(parent, 'r');
    new ReportFolder(dir).commit(files({ 'results.json': 'old' }), 'run');
    // A pid that is not running: far above Linux's pid_max (4,194,304).
    const dead = 99_999_999;
    renameSync(dir, join(parent, `.r.old-${dead}`));
    mkdirSync(join(parent, `.r.tmp-${dead}`));
    writeFileSync(join(parent, `.r.tmp-${dead}`, 'results.json'), 'half');

    const f = new ReportFolder(dir);
    f.stage();
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe('old');
    f.commit(files({ 'results.json': 'new' }), 'run');
    expect(list(parent)).toEqual(['r']);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe('new');
  });
});

describe('--out checks (before any work)', () => {
  const message = (dir: string) => {
    try {
      new ReportFolder(dir);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    return 'accepted';
  };

  it('refuses a file, naming --out', () => {
    const file = join(root(), 'results.json');
    writeFileSync(file, '{}');
    expect(message(file)).toMatch(/^--out: .*results\.json is a file, not a folder/);
    expect(message(join(file, 'sub'))).toMatch(/^--out: .*results\.json is a file, not a folder/);
  });

  it.runIf(process.platform === 'linux')('refuses the proc and sys pseudo file systems', () => {
    expect(message('/proc/x')).toMatch(/^--out: \/proc\/x is on the kernel's proc pseudo file system/);
    expect(message('/sys/x/y')).toMatch(/sysfs pseudo file system/);
    expect(existsSync('/proc/x')).toBe(false);
  });

  // root may write anywhere: an unwritable folder needs an ordinary user.
  it.skipIf(process.getuid?.() === 0)('refuses an unwritable folder', async () => {
    const { chmodSync } = await import('node:fs');
    const locked = join(root(), 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    expect(message(join(locked, 'r'))).toMatch(/^--out: .*is not writable/);
    chmodSync(locked, 0o755);
  });
});
