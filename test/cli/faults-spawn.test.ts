import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/*
 * The fault battery, spawned part (issue 17 items 1, 4, 5): the inputs that used to hang, grow
 * to gigabytes or crash, each run as a user would run it — a child process with a bounded V8 heap
 * (--max-old-space-size=400), killed after 60 s (a hang fails the test), its peak RSS read from
 * /proc while it runs (Linux). Each must exit 2 with one stderr line naming the field, flag or
 * file:line, and leave nothing in its folder but its inputs. (Replicas and tokens are refused by
 * the schema: test/scenario/limits.test.ts checks them in-process, with their lines.)
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-faults-spawn-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

interface Outcome {
  code: number | null;
  stderr: string;
  stdout: string;
  /** Highest VmHWM seen, kB (0 where /proc is not there). */
  peakKb: number;
  hung: boolean;
}

/** tsx's loader by path: the cases run in folders of their own, outside the repository. */
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** `servesim …args` in `cwd`, bounded in heap and time, with its peak RSS sampled. */
function bounded(args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=400', '--import', TSX, join(ROOT, 'src/cli.ts'), ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    let hung = false;
    const status = `/proc/${child.pid}/status`;
    const sample = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(status, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // Not Linux, or the process has just gone.
      }
    }, 50);
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, 60_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => {
      clearInterval(sample);
      clearTimeout(timer);
      done({ code, stdout, stderr, peakKb, hung });
    });
  });
}

/** A folder for one case holding `files`; the case may leave nothing else there. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(TMP, 'case-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const scenario = (components: string, options = '  - id: bedrock-cmi\n', extra = '') =>
  `name: t\ntraffic:\n  days: 1\n  components:\n${components}options:\n${options}${extra}`;
const poisson = (rate: string) => `    - type: poisson\n      rate: ${rate}\n`;

interface Case {
  name: string;
  files?: Record<string, string>;
  /** Set up files that are not text (a sparse file) in the case's folder. */
  setup?: (dir: string) => void;
  args: string[];
  /** What the one stderr line must contain (the field, flag or file:line; the flag that raises). */
  names: (string | RegExp)[];
}

const CASES: Case[] = [
  {
    name: 'rate: 1e12/s (used to hang)',
    files: { 's.yaml': scenario(poisson('1e12/s')) },
    args: ['run', 's.yaml', '--out', 'out'],
    names: ['s.yaml:6:13: traffic.components.0.rate', 'about 8.6e16 requests', '--max-requests'],
  },
  {
    name: 'traffic.days: 100000 (used to reach 7 GB and crash V8)',
    files: { 's.yaml': scenario(poisson('1/h')).replace('days: 1', 'days: 100000') },
    args: ['run', 's.yaml', '--out', 'out'],
    names: ['s.yaml:3:9: traffic.days', '100,000 days', '--max-days 100000'],
  },
  {
    name: 'trace generate at 1e12/s (used to write GBs of hidden temp file)',
    files: { 's.yaml': scenario(poisson('1e12/s')) },
    args: ['trace', 'generate', '--scenario', 's.yaml', '-o', 't.csv'],
    names: ['traffic.components.0.rate', '--max-requests'],
  },
  {
    name: 'forecast --runs 1000000000 (used to reach 4 GB)',
    args: ['forecast', '--runs', '1000000000', '--out', 'out'],
    names: [/^servesim: --runs: 1,000,000,000 runs is above the limit of 100,000/],
  },
  {
    name: 'forecast --growth 1000% --months 600 (used to exit 1: traffic scale Infinity)',
    args: ['forecast', '--growth', '1000%', '--months', '600', '--out', 'out'],
    names: [/^servesim: --growth: /, '10^624'],
  },
  {
    name: 'a trace component reading /dev/zero (used to hang, memory growing)',
    files: { 's.yaml': scenario('    - type: trace\n      file: /dev/zero\n') },
    args: ['run', 's.yaml', '--out', 'out'],
    names: ['/dev/zero:1: line 1 is longer than 1 MiB'],
  },
  {
    name: 'replay --trace of a 200 MB line (used to take 2 GB and echo it)',
    setup: (dir) => {
      writeFileSync(join(dir, 'big.csv'), '');
      truncateSync(join(dir, 'big.csv'), 200 * 1024 * 1024);
    },
    args: ['replay', '--trace', 'big.csv', '--out', 'out'],
    names: ['big.csv:1: line 1 is longer than 1 MiB'],
  },
  {
    name: "replay of a trace with a typo'd year (used to reach 12 GB)",
    files: {
      'typo.csv':
        '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=requests\nt_s,input_tokens,output_tokens,class\n0,10,5,\n31556952000,10,5,\n',
    },
    args: ['replay', '--trace', 'typo.csv', '--out', 'out'],
    names: ['typo.csv: the trace spans', '365,243 days', '--max-days 365243'],
  },
  {
    name: 'replay of a binned row of 1e12 requests (used to hang)',
    files: {
      'bin.csv':
        '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned period_s=60\nt_s,requests,input_tokens,output_tokens\n0,1000000000000,1000000000000,1000000000000\n',
    },
    args: ['replay', '--trace', 'bin.csv', '--out', 'out'],
    names: ['bin.csv: the trace holds about 1e12 requests', '--max-requests 1.0e12'],
  },
  {
    name: "trace import csv of a typo'd year (used to import a 365,242-day trace)",
    files: {
      'log.csv':
        'timestamp,input_tokens,output_tokens\n2026-11-02T09:00:00Z,10,5\n3026-11-02T09:00:00Z,10,5\n',
    },
    args: ['trace', 'import', 'csv', 'log.csv', '-o', 't.csv'],
    names: ['log.csv:3: ', '--allow-gaps'],
  },
];

describe.concurrent('fault battery, spawned: exit 2, one line, bounded, nothing left behind', () => {
  for (const c of CASES)
    it(c.name, async () => {
      const dir = folder(c.files ?? {});
      c.setup?.(dir);
      const before = readdirSync(dir).sort();
      const r = await bounded(c.args, dir);
      expect(r.hung, 'the command hung (killed after 60 s)').toBe(false);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.split('\n').filter((l) => l !== '');
      expect(lines, r.stderr).toHaveLength(1);
      for (const n of c.names)
        if (typeof n === 'string') expect(lines[0]).toContain(n);
        else expect(lines[0]).toMatch(n);
      expect(lines[0]!.length).toBeLessThan(600);
      // Issue 17's bound for a rejected input: peak RSS under 500 MB.
      if (existsSync('/proc/self/status')) expect(r.peakKb).toBeLessThan(500 * 1024);
      expect(readdirSync(dir).sort()).toEqual(before);
    });
});
