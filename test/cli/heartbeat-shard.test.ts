import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardCli, type CliOutcome } from '../helpers/cli.js';

/*
 * `servesim breakeven heartbeat --shard K/N` (design §11.7, issue 16 item 4) as an array job runs
 * it: each shard a separate process computing its heartbeat option groups, then `servesim merge`.
 * The merged breakeven.json (and what merge prints) must be byte for byte the unsharded command's.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-heartbeat-shard-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const cli = shardCli;

/*
 * Two heartbeat option groups: cmi and cmi-hb differ only in key and heartbeat (one group, under
 * cmi), cmi-big has another maxCopies (a group of its own); the fixed fleet never scales to zero.
 */
const SCENARIO = join(TMP, 'heartbeat.yaml');
writeFileSync(
  SCENARIO,
  `name: heartbeat shard check
timezone: America/New_York
seed: 11
traffic:
  start: 2026-03-02T00:00
  days: 1
  components:
    - { type: poisson, rate: 0.02/s, inputTokens: { dist: lognormal, median: 250, p90: 320 }, outputTokens: 60 }
options:
  - { id: fixed-fleet, key: box, replicas: 1, serviceTime: 1s, hourlyPrice: 1.5 }
  - { id: bedrock-cmi, key: cmi, maxCopies: 2 }
  - { id: bedrock-cmi, key: cmi-hb, maxCopies: 2, heartbeat: { every: 5m, during: ['08:00-19:00'], days: weekdays } }
  - { id: bedrock-cmi, key: cmi-big, maxCopies: 4 }
`,
);

const ok = (r: CliOutcome): CliOutcome => {
  expect(r.code, r.stderr).toBe(0);
  return r;
};
const partial = (dir: string, k: number, n = 2): string => join(dir, `partial-${k}-of-${n}.json`);
const read = (path: string): string => readFileSync(path, 'utf8');

interface HeartbeatPartial {
  command: string;
  tasks: number;
  frame: { units: string[] };
  outcomes: Record<string, { unit: string; result: { option: string } | null }>;
}
const parsed = (path: string): HeartbeatPartial => JSON.parse(read(path)) as HeartbeatPartial;

describe('breakeven heartbeat --shard K/N and servesim merge', () => {
  const whole = join(TMP, 'whole');
  const wholeJson = join(TMP, 'whole-json');
  const parts = join(TMP, 'parts');
  const env = join(TMP, 'env');
  const spare = join(TMP, 'spare');
  let wholeOut: CliOutcome;
  let wholeJsonOut: CliOutcome;

  beforeAll(async () => {
    const hb = ['breakeven', 'heartbeat', SCENARIO];
    const runs = await Promise.all([
      cli([...hb, '--out', whole]),
      cli([...hb, '--json', '--out', wholeJson]),
      cli([...hb, '--quiet', '--out', parts, '--shard', '1/2']),
      cli([...hb, '--quiet', '--out', parts, '--shard', '2/2']),
      // AWS Batch's index 0 is shard 1 of 2.
      cli([...hb, '--quiet', '--out', env, '--shards', '2'], { AWS_BATCH_JOB_ARRAY_INDEX: '0' }),
      // Three shards for two groups: the third has none, and still writes its partial.
      cli([...hb, '--quiet', '--out', spare, '--shard', '3/3']),
    ]);
    runs.forEach(ok);
    [wholeOut, wholeJsonOut] = runs;
  }, 120_000);

  it('merges two separate processes into the unsharded breakeven.json and output, byte for byte', async () => {
    const merged = join(TMP, 'merged');
    const mergedJson = join(TMP, 'merged-json');
    // Given last first: the groups still come out in the unsharded order.
    const [m, mj] = await Promise.all([
      cli(['merge', partial(parts, 2), partial(parts, 1), '--out', merged]),
      cli(['merge', partial(parts, 2), partial(parts, 1), '--json', '--out', mergedJson]),
    ]);
    ok(m);
    ok(mj);
    expect(read(join(merged, 'breakeven.json'))).toBe(read(join(whole, 'breakeven.json')));
    expect(read(join(mergedJson, 'breakeven.json'))).toBe(read(join(whole, 'breakeven.json')));
    expect(m.stdout.replaceAll(merged, 'DIR')).toBe(wholeOut.stdout.replaceAll(whole, 'DIR'));
    expect(mj.stdout).toBe(wholeJsonOut.stdout);
    expect(mj.stdout).toBe(read(join(whole, 'breakeven.json')));
    // The whole folder: breakeven.json, the heartbeat chart and report.html, byte for byte, and
    // the marker of a folder servesim made (folder.ts).
    const names = readdirSync(whole).sort();
    expect(names).toEqual([
      '.servesim-report',
      'breakeven.json',
      'heartbeat.png',
      'heartbeat.svg',
      'heartbeat.vl.json',
      'report.html',
    ]);
    expect(readdirSync(merged).sort()).toEqual(names);
    for (const n of names)
      expect(readFileSync(join(merged, n)).equals(readFileSync(join(whole, n))), n).toBe(true);
  });

  it('compares two analysed groups, not an empty result', () => {
    const doc = JSON.parse(read(join(whole, 'breakeven.json'))) as {
      scenario: string;
      seed: number;
      breakeven: { heartbeat: { option: string; keys: string[] }[] };
    };
    expect([doc.scenario, doc.seed]).toEqual(['heartbeat shard check', 11]);
    expect(doc.breakeven.heartbeat.map((h) => [h.option, h.keys])).toEqual([
      ['cmi', ['cmi', 'cmi-hb']],
      ['cmi-big', ['cmi-big']],
    ]);
  });

  it('deals one group to each shard, and none to a shard beyond the groups', () => {
    const [p1, p2] = [1, 2].map((k) => parsed(partial(parts, k)));
    // Equal weights, heaviest first by index: group 0 to shard 1, group 1 to shard 2.
    for (const p of [p1!, p2!]) {
      expect(p.command).toBe('breakeven heartbeat');
      expect(p.tasks).toBe(2);
      expect(p.frame.units).toEqual(['heartbeat:cmi', 'heartbeat:cmi-big']);
    }
    expect(Object.entries(p1!.outcomes).map(([i, u]) => [i, u.unit, u.result?.option])).toEqual([
      ['0', 'heartbeat:cmi', 'cmi'],
    ]);
    expect(Object.entries(p2!.outcomes).map(([i, u]) => [i, u.unit, u.result?.option])).toEqual([
      ['1', 'heartbeat:cmi-big', 'cmi-big'],
    ]);
    expect(readdirSync(parts).sort()).toEqual(['partial-1-of-2.json', 'partial-2-of-2.json']);
    expect(read(partial(env, 1))).toBe(read(partial(parts, 1)));
    const empty = parsed(partial(spare, 3, 3));
    expect([empty.tasks, empty.outcomes]).toEqual([2, {}]);
  });

  it('refuses a missing shard or a mixed set: exit 2, one line, nothing written', async () => {
    const other = join(TMP, 'other');
    // Same groups, another seed: its 2/2 is computed (cheaply: cmi-big alone) but belongs elsewhere.
    ok(
      await cli([
        'breakeven',
        'heartbeat',
        SCENARIO,
        '--quiet',
        '--seed',
        '12',
        '--out',
        other,
        '--shard',
        '2/2',
      ]),
    );
    const out = join(TMP, 'bad');
    const runs = await Promise.all([
      cli(['merge', partial(parts, 1), '--out', out]),
      cli(['merge', partial(parts, 1), partial(other, 2), '--out', out]),
    ]);
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain('    at ');
    }
    expect(runs[0]!.stderr).toContain('missing shard 2 of 2 (partial-2-of-2.json)');
    expect(runs[1]!.stderr).toContain(`${partial(other, 2)}: belongs to another sweep`);
    expect(runs[1]!.stderr).toContain('seed 12 vs 11');
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
