import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';

/*
 * The CLI as a user meets it: a child process per run (`node --import tsx src/cli.ts ...` from the
 * repo root). Each run costs about a second, so runs are shared between checks where possible and
 * the independent ones run concurrently. Report directories always go to a temp folder.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const TMP = mkdtempSync(join(tmpdir(), 'servesim-cli-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function servesim(...args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        NO_COLOR: '1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

let dirs = 0;
/** A fresh report directory path under the temp folder (not created). */
const outDir = (): string => join(TMP, `out-${++dirs}`);

/** Writes a scenario fixture into the temp folder and returns its path. */
function fixture(name: string, text: string): string {
  const path = join(TMP, name);
  writeFileSync(path, text);
  return path;
}

/** Exit 2, nothing on stdout, exactly one `servesim: ` line on stderr, no stack trace. */
function expectUsageError(r: Run, ...hints: (string | RegExp)[]): string {
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toContain('    at ');
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines, r.stderr).toHaveLength(1);
  const line = lines[0]!;
  expect(line).toMatch(/^servesim: \S/);
  for (const h of hints)
    if (typeof h === 'string') expect(line).toContain(h);
    else expect(line).toMatch(h);
  expect(r.code, r.stderr).toBe(2);
  return line;
}

/** The two runs of scenarios/mmc.yaml (seed 7) several checks share: a table run and a --json run. */
const MMC = { table: outDir(), json: outDir() };
let mmcRuns: Promise<[Run, Run]> | undefined;
const mmc = (): Promise<[Run, Run]> =>
  (mmcRuns ??= Promise.all([
    servesim('run', 'scenarios/mmc.yaml', '--out', MMC.table, '--quiet', '--details'),
    servesim('run', 'scenarios/mmc.yaml', '--out', MMC.json, '--json'),
  ]));

describe.concurrent('servesim run', () => {
  it('prints the table and writes the report; --json prints only the same results.json', async () => {
    const { table: a, json: b } = MMC;
    const [table, json] = await mmc();

    // Table run.
    expect(table.code, table.stderr).toBe(0);
    expect(table.stderr).not.toContain('    at ');
    expect(table.stdout).toContain('mmc —');
    expect(table.stdout).toContain('seed 7');
    // The comparison row: AWS bill, then total (no staff time here: the same).
    expect(table.stdout).toMatch(/^ {2}fixed-fleet ★ +\$290\.\d\d +\$290\.\d\d /m);
    // --details: the cost lines (at 80 columns the item wraps after "8 × 1", the amount on its line).
    expect(table.stdout).toMatch(/Replica usage \(fixed fleet, 8 × 1\b.*\$290\.\d\d/);
    expect(table.stdout).toContain(`Report: ${a}`);
    for (const f of ['results.json', 'costs.csv', 'timeline.csv'])
      expect(existsSync(join(a, f)), f).toBe(true);
    const costs = readFileSync(join(a, 'costs.csv'), 'utf8').split('\n');
    expect(costs[0]).toBe('option,item,quantity,unit,unit_price,amount,billed_by');
    expect(costs[1]).toMatch(/^fixed-fleet,/);
    const timeline = readFileSync(join(a, 'timeline.csv'), 'utf8').trimEnd().split('\n');
    expect(timeline[0]).toBe('minute,option,arrivals,in_flight,replicas,cost_so_far');
    // A row per minute of the day (the engine adds the minute in which the last requests drain).
    expect(timeline.length).toBeGreaterThanOrEqual(1 + 24 * 60);
    expect(timeline.length).toBeLessThanOrEqual(1 + 24 * 60 + 2);
    timeline.slice(1).forEach((row, m) => expect(row).toMatch(new RegExp(`^${m},fixed-fleet,\\d+,\\d+,8,`)));

    // --json run: stdout is exactly one JSON document, the same bytes as its results.json.
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(json.stdout).toBe(readFileSync(join(b, 'results.json'), 'utf8'));
    for (const field of [
      'scenario',
      'seed',
      'region',
      'generatedBy',
      'pricing',
      'trace',
      'options',
      'assumptions',
    ])
      expect(result, field).toHaveProperty(field);
    expect(result).toMatchObject({ scenario: 'mmc', seed: 7, region: 'us-east-1' });
    expect(result.generatedBy).toHaveProperty('version');
    expect(Object.keys(result.pricing as object)).toEqual(
      expect.arrayContaining(['book', 'bookDate', 'overrides']),
    );
    expect(result.trace).toMatchObject({ start: '2026-01-05T00:00:00Z', durationSeconds: 86400 });
    for (const k of ['requests', 'inputTokens', 'outputTokens', 'byClass'])
      expect(result.trace, k).toHaveProperty(k);
    const [option] = result.options as Record<string, unknown>[];
    for (const k of [
      'key',
      'id',
      'label',
      'feasible',
      'reasons',
      'facts',
      'cost',
      'per1kRequests',
      'per1MTokens',
      'latency',
      'requests',
      'capacity',
    ])
      expect(option, k).toHaveProperty(k);
    expect(option).toMatchObject({ key: 'fixed-fleet', id: 'fixed-fleet', feasible: true });

    // Same scenario + seed ⇒ byte-identical results.json (design §8).
    expect(readFileSync(join(a, 'results.json'), 'utf8')).toBe(readFileSync(join(b, 'results.json'), 'utf8'));
  });

  it('--seed 9 changes the trace (and is recorded)', async () => {
    const [r, [, seven]] = await Promise.all([
      servesim('run', 'scenarios/mmc.yaml', '--out', outDir(), '--json', '--seed', '9'),
      mmc(),
    ]);
    expect(r.code, r.stderr).toBe(0);
    type Result = { seed: number; trace: { requests: number } };
    const nine = JSON.parse(r.stdout) as Result;
    const sevenResult = JSON.parse(seven.stdout) as Result;
    expect(nine.seed).toBe(9);
    expect(sevenResult.seed).toBe(7); // the scenario's own seed
    expect(nine.trace.requests).not.toBe(sevenResult.trace.requests);
    // Both are Poisson draws around λ·T = 5.6/s × 86,400 s = 483,840 arrivals.
    for (const n of [nine.trace.requests, sevenResult.trace.requests])
      expect(Math.abs(n - 483_840)).toBeLessThan(5 * Math.sqrt(483_840));
  });

  it('--seed abc exits 2 with a clear message and writes nothing', async () => {
    const out = outDir();
    expectUsageError(
      await servesim('run', 'scenarios/mmc.yaml', '--out', out, '--seed', 'abc'),
      '--seed must be a non-negative integer, got "abc"',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('an unknown command exits 2 and names the commands', async () => {
    expectUsageError(
      await servesim('rnu'),
      'unknown command "rnu"; did you mean "run"?',
      'Commands: run, schema',
    );
  });

  it('an unknown flag exits 2', async () => {
    const out = outDir();
    expectUsageError(
      await servesim('run', 'scenarios/mmc.yaml', '--out', out, '--frobnicate'),
      '`servesim run` does not take --frobnicate',
      'servesim run --help',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('--out without a value exits 2 instead of writing into the working directory', async () => {
    expectUsageError(await servesim('run', 'scenarios/mmc.yaml', '--quiet', '--out'), '--out needs a value');
    expect(existsSync(join(ROOT, 'results.json'))).toBe(false);
  });

  it('a missing scenario file exits 2', async () => {
    const out = outDir();
    expectUsageError(await servesim('run', join(TMP, 'nope.yaml'), '--out', out), 'no such scenario file');
    expect(existsSync(out)).toBe(false);
  });
});

/** A scenario with one CMI option; `top` goes before `traffic`, `option` after `- id:`. */
const cmi = (top: string, option: string): string =>
  `name: bad\n${top}traffic:\n  components: [{ type: poisson, rate: 1/m }]\noptions:\n  - id: bedrock-cmi\n${option}`;

const GOOD_FF =
  'name: bad\ntraffic:\n  components:\n    - type: poisson\n      rate: 2/s\noptions:\n  - id: fixed-fleet\n    replicas: 2\n';

const BAD_SCENARIOS: [string, string, (string | RegExp)[]][] = [
  [
    'YAML syntax error',
    'name: bad\ntraffic:\n  components: [\n    - type: poisson\n',
    [/bad-yaml-syntax-error\.yaml:4:5: YAML syntax error/],
  ],
  ['empty file', '', ['the scenario file is empty']],
  [
    'no traffic',
    'name: bad\noptions:\n  - id: fixed-fleet\n',
    [':1:1: traffic: missing required field "traffic"'],
  ],
  [
    'trafic',
    GOOD_FF.replace('traffic:', 'trafic:'),
    [':2:1: trafic: unknown field "trafic"; did you mean "traffic"?'],
  ],
  [
    'replicaz',
    GOOD_FF.replace('replicas: 2', 'replicaz: 2'),
    [':8:5: options.0.replicaz: unknown field "replicaz"; did you mean "replicas"?'],
  ],
  [
    'negative rate',
    GOOD_FF.replace('rate: 2/s', 'rate: -2/s'),
    [':5:13: traffic.components.0.rate: must not be negative'],
  ],
  [
    'trickle 19:00 to 13:00',
    "name: bad\ntraffic:\n  components:\n    - type: trickle\n      count: 200\n      from: '19:00'\n      to: '13:00'\noptions: [{ id: fixed-fleet }]\n",
    [':7:11: traffic.components.0.to: the window ends before it starts'],
  ],
  [
    'over: 45 minutes',
    "name: bad\ntraffic:\n  components:\n    - type: batch\n      at: '09:00'\n      count: 10\n      over: 45 minutes\noptions: [{ id: fixed-fleet }]\n",
    [':7:13: traffic.components.0.over: expected a duration such as 90s, 5m, 2h or 30d, got "45 minutes"'],
  ],
  [
    'same id twice without keys',
    cmi('', '  - id: bedrock-cmi\n'),
    [':5:5: options.0: option "bedrock-cmi" appears 2 times, so each entry needs its own `key`'],
  ],
  [
    'bad time zone',
    cmi('timezone: Europe/Atlantis\n', ''),
    [':2:11: timezone: unknown time zone "Europe/Atlantis"'],
  ],
  [
    "heartbeat during ['25:00-26:00']",
    cmi('', "    heartbeat: { every: 5m, during: ['25:00-26:00'] }\n"),
    [':6:38: options.0.heartbeat.during.0: 25:00 is past the end of the day'],
  ],
  [
    'maxCopies: 0',
    cmi('', '    maxCopies: 0\n'),
    [':6:16: options.0.maxCopies: maxCopies must be at least 1'],
  ],
  // Found only when running: they depend on the region and the price book.
  [
    'CMI in ap-south-1',
    cmi('region: ap-south-1\n', ''),
    ['Bedrock Custom Model Import is not offered in ap-south-1', 'us-east-1'],
  ],
  [
    'unknown cmuVersion',
    cmi('', '    cmuVersion: v9\n'),
    ['unknown cmuVersion "v9"', 'pricing-example', 'cmuVersion'],
  ],
  [
    'heartbeat every 10m on bedrock-cmi',
    cmi('', '    heartbeat: { every: 10m }\n'),
    ['heartbeat.every', 'heartbeat every 10m is longer than the scale-to-zero time (5m)'],
  ],
];

describe.concurrent('bad scenarios exit 2 with one message and no report', () => {
  it.each(BAD_SCENARIOS)('%s', async (name, text, hints) => {
    const file = fixture(`bad-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.yaml`, text);
    const out = outDir();
    const r = await servesim('run', file, '--out', out, '--quiet');
    const line = expectUsageError(r, ...hints);
    expect(existsSync(out), `no report directory for: ${line}`).toBe(false);
  });

  it('--region ap-south-1 on a CMI scenario exits 2 the same way', async () => {
    const out = outDir();
    expectUsageError(
      await servesim(
        'run',
        'scenarios/medical-notes.yaml',
        '--region',
        'ap-south-1',
        '--out',
        out,
        '--quiet',
      ),
      'not offered in ap-south-1',
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe('--region us-west-2 on the default scenario (issue 15 item 9)', () => {
  it('exits 0 and shows the options the book cannot price there, with their reasons, unranked', async () => {
    const out = outDir();
    const r = await servesim('run', '--region', 'us-west-2', '--out', out, '--quiet', '--details');
    expect(r.code, r.stderr).toBe(0);
    // The comparison names them under the table, and the side-by-side table gives each reason.
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/unpriced here: [^.]*self-hosted/);
    expect(r.stdout).toMatch(/✗ unpriced: the/);
    const result = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      region: string;
      options: {
        key: string;
        feasible: boolean;
        unpriced?: boolean;
        reasons: string[];
        cost: { lines: { unit: string; unitPrice: number; quantity: number; amount: number }[] } | null;
      }[];
    };
    expect(result.region).toBe('us-west-2');
    const byKey = new Map(result.options.map((o) => [o.key, o]));
    // The shipped book has no us-west-2 price for ml.g5.2xlarge, g5.2xlarge, EKS, Serverless or
    // any per-token model: each of those options is unpriced, and never costed.
    for (const key of [
      'sagemaker-realtime',
      'self-hosted',
      'sagemaker-serverless',
      'llama-base-per-token',
      'claude-sonnet',
    ]) {
      const o = byKey.get(key)!;
      expect(o, key).toMatchObject({ feasible: false, unpriced: true, cost: null });
      expect(o.reasons.join(' '), key).toMatch(/no .* in us-west-2/);
    }
    // CMI is priced at the us-west-2 rate only: $0.05718 per CMU-minute, never us-east-1's $0.0785.
    const cmi = byKey.get('cmi')!.cost!.lines.find((l) => l.unit === 'CMU-minutes')!;
    expect(cmi.unitPrice).toBe(0.05718);
    // A whole number of 5-minute windows × 2 CMUs: CMU-minutes are a multiple of 10.
    expect(cmi.quantity % 10).toBe(0);
    expect(cmi.amount).toBeCloseTo(cmi.quantity * 0.05718, 9);
  });
});

describe.concurrent('other commands', () => {
  it('servesim schema prints a JSON Schema with the top-level properties', async () => {
    const r = await servesim('schema');
    expect(r.code, r.stderr).toBe(0);
    const schema = JSON.parse(r.stdout) as {
      type: string;
      properties: Record<string, unknown>;
      required: string[];
      additionalProperties: unknown;
    };
    expect(schema.type).toBe('object');
    for (const p of [
      'name',
      'region',
      'timezone',
      'seed',
      'model',
      'traffic',
      'options',
      'pricing',
      'maxLossRate',
    ])
      expect(schema.properties, p).toHaveProperty(p);
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'traffic', 'options']));
    expect(schema.additionalProperties).toBe(false); // strict: unknown keys are errors
  });

  it('servesim --help exits 0 and lists the commands', async () => {
    const r = await servesim('--help');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('run [scenario]');
    expect(r.stdout).toContain('schema');
    // Each command lists its own flags (test/cli/flags.test.ts); only --debug is global.
    expect(r.stdout).toContain('--debug');
    expect(r.stdout).not.toContain('--seed');
    expect(r.stderr).toBe('');
  });

  it('stops quietly when the reader closes the pipe early (`servesim prices show | head -1`)', async () => {
    // A shell pipe to a reader that exits after its first line: the pipe is closed under the writer.
    const r = await new Promise<{ code: number | null; stderr: string }>((done, fail) => {
      const child = spawn(
        '/bin/bash',
        [
          '-c',
          `set -o pipefail; "${process.execPath}" --import tsx src/cli.ts prices show | head -1 > /dev/null`,
        ],
        { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stderr }));
    });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|at .*\(/);
  });

  it('-h and -v work as --help and --version: exit 0 (issue 18)', async () => {
    const h = await servesim('-h');
    expect(h.code, h.stderr).toBe(0);
    expect(h.stdout).toContain('run [scenario]');
    const runHelp = await servesim('run', '-h');
    expect(runHelp.code, runHelp.stderr).toBe(0);
    expect(runHelp.stdout).toContain('--no-sensitivity');
    const v = await servesim('-v');
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout.trim()).toBe(VERSION);
  });
});
