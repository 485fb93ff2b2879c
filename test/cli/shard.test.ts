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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardCli, type CliOutcome } from '../helpers/cli.js';

/*
 * Sweeps beyond one machine (design §11.7, issue 16 item 4), as an array job runs them: every
 * shard a separate `servesim` process, then `servesim merge`. The merged report must be byte for
 * byte the unsharded command's; bad shard flags and mismatched sets exit 2 naming the problem.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-shard-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** No array-job index in the environment unless a test sets one. */
const cli = shardCli;

/*
 * Small but with every branch of the forecast's task list: growth (3 volumes over 3 months), a
 * DST day (New York, 2026-03-08, a Sunday), a heartbeat on weekdays (so weekend days are
 * simulated), uncertain inputs drawn per run, a baseline and an infeasible option.
 */
const scenario = (seed: number, rate = '0.02/s'): string => `name: shard check
timezone: America/New_York
seed: ${seed}
traffic:
  start: 2026-03-02T00:00
  days: 1
  components:
    - { type: poisson, rate: ${rate}, inputTokens: { dist: lognormal, median: 250, p90: 320 }, outputTokens: 60 }
options:
  - { id: fixed-fleet, key: box, replicas: 1, serviceTime: 1s, hourlyPrice: 1.5 }
  - { id: sagemaker-serverless, memoryMB: 6144 }
  - { id: bedrock-on-demand, key: llama-base, model: llama-3.1-8b-instruct }
  - { id: bedrock-cmi, key: cmi, maxCopies: 2, heartbeat: { every: 5m, during: ['08:00-19:00'], days: weekdays } }
forecast: { runs: 4, months: 3, growth: 0.05, runVolumes: one }
breakeven:
  volume: { from: 100, to: 100000, points: 5 }
`;
const SCENARIO = join(TMP, 'shard.yaml');
const OTHER = join(TMP, 'other.yaml'); // same name and seed, another rate: another sweep
writeFileSync(SCENARIO, scenario(11));
writeFileSync(OTHER, scenario(11, '0.03/s'));

const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');

/** The merged folder is the unsharded one: the same files (charts and report.html too), byte for byte. */
function expectSameFolder(merged: string, whole: string): void {
  const names = readdirSync(whole).sort();
  expect(readdirSync(merged).sort()).toEqual(names);
  for (const n of names)
    expect(readFileSync(join(merged, n)).equals(readFileSync(join(whole, n))), n).toBe(true);
}
const ok = (r: CliOutcome): CliOutcome => {
  expect(r.code, r.stderr).toBe(0);
  return r;
};
const partial = (dir: string, k: number, n = 3): string => join(dir, `partial-${k}-of-${n}.json`);

describe('forecast --shard K/N and servesim merge', () => {
  const whole = join(TMP, 'forecast-whole');
  const parts = join(TMP, 'forecast-parts');
  const env = join(TMP, 'forecast-env');
  const merged = join(TMP, 'forecast-merged');

  beforeAll(async () => {
    // The shards share their folder with other files: an array job's shared output folder.
    mkdirSync(parts, { recursive: true });
    writeFileSync(join(parts, 'keep.txt'), 'not ours\n');
    writeFileSync(join(parts, 'forecast.json'), '{"stale": true}\n');
    const runs = await Promise.all([
      cli(['forecast', SCENARIO, '--quiet', '--out', whole]),
      ...[1, 2, 3].map((k) => cli(['forecast', SCENARIO, '--quiet', '--out', parts, '--shard', `${k}/3`])),
      // The engine's 0-based index: AWS Batch's index 1 is shard 2 of 3.
      cli(['forecast', SCENARIO, '--quiet', '--out', env, '--shards', '3'], {
        AWS_BATCH_JOB_ARRAY_INDEX: '1',
      }),
    ]);
    runs.forEach(ok);
    ok(
      await cli([
        'merge',
        partial(parts, 1),
        partial(parts, 2),
        partial(parts, 3),
        '--quiet',
        '--out',
        merged,
      ]),
    );
  });

  it('merges three separate processes into the unsharded forecast.json and forecast.csv, byte for byte', () => {
    expect(read(merged, 'forecast.json')).toBe(read(whole, 'forecast.json'));
    expect(read(merged, 'forecast.csv')).toBe(read(whole, 'forecast.csv'));
    expect(readdirSync(whole)).toContain('forecast-bands.png');
    expect(readdirSync(whole)).toContain('report.html');
    expectSameFolder(merged, whole);
    const doc = JSON.parse(read(whole, 'forecast.json')) as {
      months: unknown[];
      options: { feasible: boolean }[];
    };
    // Not a vacuous comparison: 3 months × the 3 feasible options (serverless cannot hold the weights).
    expect(doc.months).toHaveLength(9);
    expect(doc.options.map((o) => o.feasible)).toEqual([true, false, true, true]);
  });

  it('splits the 11 tasks into disjoint slices and touches nothing else in the shared folder', () => {
    // 4 runs × 1 day × the middle volume (runVolumes: one), each one task (the weekend day of the
    // weekday-only CMI heartbeat joins its weekday's task: the traffic is the same) = 4, plus the
    // base weekday and weekend day at each of the 3 volumes = 10, plus March's DST day (its
    // regular twin is the base weekend day at March's volume, the first) = 11.
    const slices = [1, 2, 3].map(
      (k) => JSON.parse(read(parts, `partial-${k}-of-3.json`)) as Record<string, unknown>,
    );
    const indices = slices.flatMap((p) => Object.keys(p.outcomes as object).map(Number));
    expect(slices.map((p) => p.tasks)).toEqual([11, 11, 11]);
    expect(indices.sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i));
    expect(slices.every((p) => Object.keys(p.outcomes as object).length > 0)).toBe(true);
    expect(readdirSync(parts).sort()).toEqual([
      'forecast.json',
      'keep.txt',
      'partial-1-of-3.json',
      'partial-2-of-3.json',
      'partial-3-of-3.json',
    ]);
    expect(read(parts, 'keep.txt')).toBe('not ours\n');
    expect(read(parts, 'forecast.json')).toBe('{"stale": true}\n');
  });

  it('takes K from AWS_BATCH_JOB_ARRAY_INDEX with --shards N: the same partial as --shard', () => {
    expect(readdirSync(env)).toEqual(['partial-2-of-3.json']);
    expect(read(env, 'partial-2-of-3.json')).toBe(read(parts, 'partial-2-of-3.json'));
  });

  it('refuses a set with a shard missing, one from another seed or scenario: exit 2, nothing written', async () => {
    const other = join(TMP, 'forecast-other');
    const [seed, scen] = await Promise.all([
      cli(['forecast', SCENARIO, '--quiet', '--seed', '12', '--out', join(other, 'seed'), '--shard', '3/3']),
      cli(['forecast', OTHER, '--quiet', '--out', join(other, 'scenario'), '--shard', '3/3']),
    ]);
    ok(seed);
    ok(scen);
    const out = join(TMP, 'forecast-bad-merge');
    const [missing, seeded, another] = await Promise.all([
      cli(['merge', partial(parts, 1), partial(parts, 3), '--out', out]),
      cli(['merge', partial(parts, 1), partial(parts, 2), partial(join(other, 'seed'), 3), '--out', out]),
      cli(['merge', partial(parts, 1), partial(parts, 2), partial(join(other, 'scenario'), 3), '--out', out]),
    ]);
    for (const r of [missing, seeded, another]) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain('    at ');
    }
    expect(missing.stderr).toContain('missing shard 2 of 3 (partial-2-of-3.json)');
    expect(seeded.stderr).toContain(`${partial(join(other, 'seed'), 3)}: belongs to another sweep`);
    expect(seeded.stderr).toContain('seed 12 vs 11');
    expect(another.stderr).toContain(`${partial(join(other, 'scenario'), 3)}: belongs to another sweep`);
    expect(another.stderr).toContain('the scenario or its price book differs');
    expect(existsSync(out)).toBe(false);
  });
});

describe('breakeven volume --shard K/N and servesim merge', () => {
  it('merges three separate processes into the unsharded breakeven.json, byte for byte', async () => {
    const whole = join(TMP, 'volume-whole');
    const parts = join(TMP, 'volume-parts');
    const env = join(TMP, 'volume-env');
    const merged = join(TMP, 'volume-merged');
    const runs = await Promise.all([
      cli(['breakeven', 'volume', SCENARIO, '--quiet', '--out', whole]),
      ...[1, 2, 3].map((k) =>
        cli(['breakeven', 'volume', SCENARIO, '--quiet', '--out', parts, '--shard', `${k}/3`]),
      ),
      // A Kubernetes Indexed Job's index 2 is shard 3 of 3.
      cli(['breakeven', 'volume', SCENARIO, '--quiet', '--out', env, '--shards', '3'], {
        JOB_COMPLETION_INDEX: '2',
      }),
    ]);
    runs.forEach(ok);
    // --json prints what the unsharded command would: breakeven.json.
    const m = ok(
      await cli([
        'merge',
        partial(parts, 3),
        partial(parts, 1),
        partial(parts, 2),
        '--json',
        '--out',
        merged,
      ]),
    );
    expect(read(merged, 'breakeven.json')).toBe(read(whole, 'breakeven.json'));
    expect(m.stdout).toBe(read(whole, 'breakeven.json'));
    expect(readdirSync(whole)).toContain('volume-crossover.svg');
    expectSameFolder(merged, whole);
    expect(read(env, 'partial-3-of-3.json')).toBe(read(parts, 'partial-3-of-3.json'));
    const doc = JSON.parse(read(whole, 'breakeven.json')) as { breakeven: { volume: { points: unknown[] } } };
    expect(doc.breakeven.volume.points).toHaveLength(5);
  });
});

describe('shard flags that cannot be run', () => {
  // Every malformed flag is in test/commands/shard-flag.test.ts; here the exit code and the output.
  it('exits 2 with one line naming the flag, and writes nothing', async () => {
    const out = join(TMP, 'bad-flags');
    const runs = await Promise.all([
      cli(['forecast', SCENARIO, '--out', out, '--shard', '4/3']),
      cli(['breakeven', 'volume', SCENARIO, '--out', out, '--shards', '3'], {
        AWS_BATCH_JOB_ARRAY_INDEX: '3',
      }),
      cli(['breakeven', 'heartbeat', SCENARIO, '--out', out, '--shard', '0/2']),
    ]);
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain('    at ');
    }
    expect(runs[0]!.stderr).toContain('--shard 4/3: K must be between 1 and 3');
    expect(runs[1]!.stderr).toContain('AWS_BATCH_JOB_ARRAY_INDEX=3 is outside 0..2 for --shards 3');
    expect(runs[2]!.stderr).toContain('--shard 0/2: K must be between 1 and 2');
    expect(existsSync(out)).toBe(false);
  });
});
