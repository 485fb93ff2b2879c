import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_BOOK } from '../../src/pricing/book.js';
import { shardCli, ROOT, type CliOutcome } from '../helpers/cli.js';

/*
 * `servesim run --shard K/N` (design §11.7, issue 16 item 4) as an array job runs it: each shard a
 * separate process that runs the base simulation and its analysis units, then `servesim merge`.
 * The merged report folder must be byte for byte the unsharded run's, charts included.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-run-shard-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const cli = shardCli;

/*
 * One day, small, with a unit of every kind: a heartbeat option group (cmi and cmi-hb differ only
 * in key and heartbeat), the uncertain inputs of bedrock-cmi, an SLO search per option (--slo) and
 * a volume sweep. The price book is a copy in the scenario's folder, so a test can change it.
 */
const SCENARIO = join(TMP, 'run.yaml');
const BOOK = join(TMP, 'book.json');
copyFileSync(join(ROOT, SHIPPED_BOOK), BOOK);
writeFileSync(
  SCENARIO,
  `name: run shard check
timezone: America/New_York
seed: 11
pricing: { book: book.json }
traffic:
  start: 2026-03-02T00:00
  days: 1
  components:
    - { type: poisson, rate: 0.02/s, inputTokens: { dist: lognormal, median: 250, p90: 320 }, outputTokens: 60 }
options:
  - { id: fixed-fleet, key: box, replicas: 1, serviceTime: 1s, hourlyPrice: 1.5 }
  - { id: bedrock-on-demand, key: llama-base, model: llama-3.1-8b-instruct }
  - { id: bedrock-cmi, key: cmi, maxCopies: 2 }
  - { id: bedrock-cmi, key: cmi-hb, maxCopies: 2, heartbeat: { every: 5m, during: ['08:00-19:00'], days: weekdays } }
breakeven:
  volume: { from: 100, to: 100000, points: 4 }
`,
);
const SLO = ['--slo', 'p95=20s'];

const ok = (r: CliOutcome): CliOutcome => {
  expect(r.code, r.stderr).toBe(0);
  return r;
};
const partial = (dir: string, k: number, n = 2): string => join(dir, `partial-${k}-of-${n}.json`);
const files = (dir: string): string[] => readdirSync(dir).sort();

interface RunPartial {
  tasks: number;
  frame: { units: string[] };
  outcomes: Record<string, { unit: string }>;
}

describe('run --shard K/N and servesim merge', () => {
  const whole = join(TMP, 'whole');
  const parts = join(TMP, 'parts');
  const env = join(TMP, 'env');
  const merged = join(TMP, 'merged');
  let mergeOut: CliOutcome;
  let wholeOut: CliOutcome;

  beforeAll(async () => {
    const runs = await Promise.all([
      cli(['run', SCENARIO, ...SLO, '--out', whole]),
      cli(['run', SCENARIO, ...SLO, '--quiet', '--out', parts, '--shard', '1/2']),
      cli(['run', SCENARIO, ...SLO, '--quiet', '--out', parts, '--shard', '2/2']),
      // A Kubernetes Indexed Job's index 1 is shard 2 of 2.
      cli(['run', SCENARIO, ...SLO, '--quiet', '--out', env, '--shards', '2'], { JOB_COMPLETION_INDEX: '1' }),
    ]);
    runs.forEach(ok);
    wholeOut = runs[0]!;
    mergeOut = ok(await cli(['merge', partial(parts, 2), partial(parts, 1), '--out', merged]));
  }, 120_000);

  it('writes the unsharded report folder, byte for byte: results, CSVs, charts and report.html', () => {
    expect(files(merged)).toEqual(files(whole));
    for (const name of files(whole))
      expect(readFileSync(join(merged, name)), name).toEqual(readFileSync(join(whole, name)));
    // And prints what the run printed (but for the folder's name).
    expect(mergeOut.stdout.replaceAll(merged, 'DIR')).toBe(wholeOut.stdout.replaceAll(whole, 'DIR'));
  });

  it('compares a run with every analysis in it, not an empty one', () => {
    expect(files(whole)).toEqual(
      expect.arrayContaining(['results.json', 'costs.csv', 'timeline.csv', 'report.html', 'sensitivity.svg']),
    );
    const r = JSON.parse(readFileSync(join(whole, 'results.json'), 'utf8')) as {
      breakeven: { heartbeat: { option: string; keys: string[] }[]; volume: { points: unknown[] } };
      sensitivity: { inputs: unknown[] };
      slo: { options: { key: string }[]; cheapest: string | null };
    };
    // One group: cmi and cmi-hb differ only in key and heartbeat, analysed under cmi.
    expect(r.breakeven.heartbeat.map((h) => [h.option, h.keys])).toEqual([['cmi', ['cmi', 'cmi-hb']]]);
    expect(r.breakeven.volume.points).toHaveLength(4);
    expect(r.sensitivity.inputs.length).toBeGreaterThan(3);
    expect(r.slo.options.map((o) => o.key)).toEqual(['box', 'llama-base', 'cmi', 'cmi-hb']);
  });

  it('splits the units into two disjoint, non-empty slices and writes nothing else', () => {
    const [p1, p2] = [1, 2].map((k) => JSON.parse(readFileSync(partial(parts, k), 'utf8')) as RunPartial);
    const units = p1!.frame.units;
    // 1 heartbeat group + the inputs + 4 SLO options + the volume sweep.
    expect(units[0]).toBe('heartbeat:cmi');
    expect(units.filter((u) => u.startsWith('slo:'))).toHaveLength(4);
    expect(units.at(-1)).toBe('volume');
    expect(p1!.tasks).toBe(units.length);
    const got = [p1!, p2!].map((p) => Object.values(p.outcomes).map((o) => o.unit));
    expect(got[0]!.length).toBeGreaterThan(0);
    expect(got[1]!.length).toBeGreaterThan(0);
    expect([...got[0]!, ...got[1]!].sort()).toEqual([...units].sort());
    expect(files(parts)).toEqual(['partial-1-of-2.json', 'partial-2-of-2.json']);
    expect(readFileSync(partial(env, 2), 'utf8')).toBe(readFileSync(partial(parts, 2), 'utf8'));
  });

  it('refuses a bad shard flag, a missing shard, another seed or command, a changed file: exit 2, nothing written', async () => {
    const other = join(TMP, 'other');
    ok(await cli(['run', SCENARIO, ...SLO, '--quiet', '--seed', '12', '--out', other, '--shard', '2/2']));
    const forecast = join(TMP, 'forecast');
    ok(
      await cli([
        'forecast',
        SCENARIO,
        '--runs',
        '2',
        '--months',
        '1',
        '--quiet',
        '--out',
        forecast,
        '--shard',
        '2/2',
      ]),
    );
    const out = join(TMP, 'bad');
    const runs = await Promise.all([
      cli(['run', SCENARIO, '--out', out, '--shard', '3/2']),
      cli(['merge', partial(parts, 1), '--out', out]),
      cli(['merge', partial(parts, 1), partial(other, 2), '--out', out]),
      cli(['merge', partial(parts, 1), partial(forecast, 2), '--out', out]),
    ]);
    // The shards read another price book than the merge would: its base run is not theirs.
    const book = readFileSync(BOOK, 'utf8');
    writeFileSync(BOOK, book.replace('"price": 0.078', '"price": 0.079'));
    expect(readFileSync(BOOK, 'utf8')).not.toBe(book);
    runs.push(await cli(['merge', partial(parts, 1), partial(parts, 2), '--quiet', '--out', out]));
    writeFileSync(BOOK, book);
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain('    at ');
    }
    const [flag, missing, seed, command, changed] = runs.map((r) => r.stderr);
    expect(flag).toContain('--shard 3/2: K must be between 1 and 2');
    expect(missing).toContain('missing shard 2 of 2 (partial-2-of-2.json)');
    expect(seed).toContain(`${partial(other, 2)}: belongs to another sweep`);
    expect(seed).toContain('seed 12 vs 11');
    expect(command).toContain('a partial of `servesim forecast`');
    expect(changed).toContain("the base simulation here differs from the shards'");
    expect(existsSync(out)).toBe(false);
  });
});

describe('run --fit --shard K/N: the fit is a unit, and merge reads the trace the scenario names', () => {
  it('merges into the unsharded report folder, fit included', async () => {
    // Observed copies only (4 for two hours, then 0), beside 1,200 evenly spaced requests: the
    // fit of test/planning/fit/fit.test.ts, whose answer is slotsPerCopy 3.
    const rows = [
      '# servesim-trace v1 start=2026-01-05T00:00:00Z kind=binned period_s=60 source=hand',
      't_s,requests,input_tokens,output_tokens,model_copies',
      ...Array.from({ length: 180 }, (_, m) => `${m * 60},0,0,0,${m < 120 ? 4 : 0}`),
    ];
    writeFileSync(join(TMP, 'observed.csv'), rows.join('\n') + '\n');
    const scenario = join(TMP, 'fit.yaml');
    writeFileSync(
      scenario,
      `name: run shard fit
region: us-east-1
seed: 1
traffic:
  start: 2026-01-05T00:00
  end: 2026-01-05T03:00
  components:
    - { type: batch, at: '00:00', count: 1200, over: 2h, class: interactive }
    - { type: trace, file: observed.csv }
options:
  - { id: fixed-fleet, key: box, replicas: 1, serviceTime: 1s, hourlyPrice: 1.5 }
  - { id: bedrock-cmi, key: cmi, cmuVersion: pricing-example, serviceTime: 60s, coldStart: 10s, evictedColdStart: 10s, copyLoadTime: 10s, scaleOutAfter: 10s, scaleInAfter: 60s, scaleToZeroAfter: 60s, maxCopies: 16 }
`,
    );
    const [whole, parts, merged] = [join(TMP, 'fit-whole'), join(TMP, 'fit-parts'), join(TMP, 'fit-merged')];
    const args = ['run', scenario, '--fit', '--no-sensitivity', '--quiet'];
    const runs = await Promise.all([
      cli([...args, '--out', whole]),
      cli([...args, '--out', parts, '--shard', '1/2']),
      cli([...args, '--out', parts, '--shard', '2/2']),
    ]);
    runs.forEach(ok);
    ok(await cli(['merge', partial(parts, 1), partial(parts, 2), '--quiet', '--out', merged]));
    expect(files(merged)).toEqual(files(whole));
    for (const name of files(whole))
      expect(readFileSync(join(merged, name)), name).toEqual(readFileSync(join(whole, name)));
    const r = JSON.parse(readFileSync(join(whole, 'results.json'), 'utf8')) as {
      fit: { options: { best: number }[] };
    };
    expect(r.fit.options[0]!.best).toBe(3);
    const units = (JSON.parse(readFileSync(partial(parts, 1), 'utf8')) as RunPartial).frame.units;
    expect(units).toEqual(['heartbeat:cmi', 'fit']);
  }, 120_000);
});
