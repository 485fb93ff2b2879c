import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { servesim } from '../helpers/cli.js';

// `servesim breakeven models` end to end (issue 21 item 3): the report folder and its bad inputs.

const TMP = mkdtempSync(join(tmpdir(), 'servesim-breakeven-models-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const SCENARIO = [
  'name: two models',
  'seed: 3',
  'models:',
  '  - name: a',
  '    components: [{ type: batch, at: "09:00", count: 10, over: 8h }]',
  '  - name: b',
  '    components: [{ type: batch, at: "13:00", count: 10, over: 2h }]',
  'traffic: { start: 2026-01-05T00:00, days: 1 }',
  'options:',
  '  - { id: sagemaker-realtime, instanceType: ml.g5.2xlarge, minInstances: 1, maxInstances: 1 }',
  '  - { id: sagemaker-inference-components, instanceType: ml.g5.2xlarge, maxInstances: 16 }',
].join('\n');

describe('servesim breakeven models', () => {
  it('writes breakeven.json (breakeven.models), the chart and report.html; --json prints the file', async () => {
    const file = join(TMP, 'two.yaml');
    writeFileSync(file, SCENARIO + '\n');
    const out = join(TMP, 'report');
    const r = await servesim(['breakeven', 'models', file, '--max', '4', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      kind: string;
      schemaVersion: number;
      breakeven: { models: { points: { models: number; options: { key: string }[] }[]; sentence: string } };
    };
    expect(doc.kind).toBe('breakeven');
    expect(readFileSync(join(out, 'breakeven.json'), 'utf8')).toBe(r.stdout);
    expect(doc.breakeven.models.points.map((p) => p.models)).toEqual([1, 2, 4]);
    expect(doc.breakeven.models.points[0]!.options.map((o) => o.key)).toEqual([
      'sagemaker-realtime',
      'sagemaker-inference-components',
    ]);
    expect(doc.breakeven.models.sentence).toMatch(/shared capacity/);
    for (const f of [
      'report.html',
      'model-count-crossover.svg',
      'model-count-crossover.png',
      'model-count-crossover.vl.json',
    ])
      expect(existsSync(join(out, f)), f).toBe(true);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Model-count break-even');
  }, 60_000);

  it('servesim report re-renders the folder byte for byte and prints what the command printed', async () => {
    const file = join(TMP, 'two.yaml');
    writeFileSync(file, SCENARIO + '\n');
    const out = join(TMP, 'printed');
    const first = await servesim(['breakeven', 'models', file, '--max', '2', '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Model-count crossover/);
    const again = join(TMP, 'again');
    const r = await servesim(['report', out, '--out', again]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of [
      'breakeven.json',
      'report.html',
      'model-count-crossover.vl.json',
      'model-count-crossover.svg',
    ])
      expect(readFileSync(join(again, f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'));
    const shown = await servesim(['report', out]);
    expect(shown.stdout).toBe(first.stdout);
  }, 60_000);

  it('bad --max, --max on another analysis, --shard and --workers: exit 2, one line, no report', async () => {
    const file = join(TMP, 'two.yaml');
    writeFileSync(file, SCENARIO + '\n');
    for (const args of [
      ['breakeven', 'models', file, '--max', '1'],
      ['breakeven', 'volume', file, '--max', '8'],
      ['breakeven', 'models', file, '--shard', '1/2'],
      ['breakeven', 'models', file, '--workers', '2'],
    ]) {
      const out = join(TMP, `bad-${args.at(-1)!.replace('/', '-')}`);
      const r = await servesim([...args, '--out', out]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }
  }, 60_000);
});
