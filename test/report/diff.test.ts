import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffCommand } from '../../src/commands/diff.js';
import { DiffableResult, diffResults } from '../../src/report/diff.js';
import { diffText } from '../../src/report/text/diff.js';
import { captureIo, servesim } from '../helpers/cli.js';

// `servesim diff` (issue 20 item 2) on results built by hand: lines matched by lineId across
// wording, one price changed moves exactly one line, by 960 CMU-minutes × (0.0800 − 0.0785).

function line(
  lineId: string,
  item: string,
  quantity: number,
  unit: string,
  unitPrice: number,
  billedBy = 'aws',
) {
  return { lineId, item, quantity, unit, unitPrice, amount: quantity * unitPrice, billedBy };
}

function result(cmuPrice: number, opts: { extra?: object[]; itemText?: string } = {}) {
  const inference = line('cmi-inference', opts.itemText ?? 'CMU inference', 960, 'CMU-minutes', cmuPrice);
  const storage = line('cmi-storage', 'Model storage', 0.0658, 'CMU-months', 1.95);
  const cmiTotal = inference.amount + storage.amount;
  const latency = { interactive: { p50: 1.1, p95: 29.15, p99: 84.81 }, all: { p50: 1, p95: 2, p99: 3 } };
  return {
    kind: 'run',
    scenario: 'hand-built',
    seed: 1,
    region: 'us-east-1',
    trace: { start: '2026-01-05T05:00:00Z', durationSeconds: 86400, requests: 30200 },
    options: [
      {
        key: 'cmi',
        feasible: true,
        reasons: [],
        cost: { total: cmiTotal, aws: cmiTotal, staff: 0, lines: [inference, storage] },
        latency,
        requests: { coldStartHits: 18, coldStartHitsByClass: { interactive: 18, batch: 0 } },
      },
      {
        key: 'sagemaker-realtime',
        feasible: true,
        reasons: [],
        cost: {
          total: 39.57 + 54.79,
          aws: 39.57,
          staff: 54.79,
          lines: [
            line('instance-usage', 'Instance usage', 26.12, 'instance-hours', 39.57 / 26.12),
            line('ops', 'Operations', 0.000274, 'FTE-years', 54.79 / 0.000274, 'staff'),
          ],
        },
        latency,
        requests: { coldStartHits: 0 },
      },
      ...(opts.extra ?? []),
    ],
  };
}

const parse = (r: object) => DiffableResult.parse(r);
/** The cmi option's cost of a hand-built result. */
const cmiCost = (r: ReturnType<typeof result>) =>
  (r.options[0] as { cost: { total: unknown; lines: ReturnType<typeof line>[] } }).cost;

describe('diff', () => {
  it('one changed price moves exactly one line, by the hand-computed amount; wording does not matter', () => {
    const d = diffResults(
      parse(result(0.0785)),
      parse(result(0.08, { itemText: 'CMU inference (new wording)' })),
      {
        base: 'a',
        new: 'b',
      },
    );
    const moved = d.options.flatMap((o) => o.lines.filter((l) => l.amount.change !== 0));
    expect(moved).toHaveLength(1);
    expect(moved[0]!.lineId).toBe('cmi-inference');
    expect(moved[0]!.amount.change).toBeCloseTo(960 * 0.0015, 9); // $1.44
    expect(moved[0]!.unitPrice).toEqual({ base: 0.0785, new: 0.08, change: 0.08 - 0.0785 });
    const cmi = d.options.find((o) => o.key === 'cmi')!;
    expect(cmi.total.change).toBeCloseTo(1.44, 9);
    expect(d.changed).toBe(1);
    const text = diffText(d);
    expect(text).toMatch(/CMU inference \(new wording\)\s+\$75\.36\s+\$76\.80\s+\+\$1\.44/);
    expect(text).toMatch(/unit price \$0\.0785 → \$0\.08 per CMU-minute/);
    expect(text).toContain('Unchanged: sagemaker-realtime ($94.36).');
    for (const l of text.split('\n')) expect(l.length).toBeLessThanOrEqual(80);
  });

  it('shows added and removed options and lines, and a feasibility flip with its reason', () => {
    const base = result(0.0785, {
      extra: [
        {
          key: 'serverless',
          feasible: false,
          reasons: ['a 16 GB model does not fit 6 GB'],
          cost: null,
          requests: { coldStartHits: 0 },
        },
      ],
    });
    const next = result(0.0785, {
      extra: [
        {
          key: 'serverless',
          feasible: true,
          reasons: [],
          cost: {
            total: 5,
            aws: 5,
            staff: 0,
            lines: [line('serverless-compute', 'Compute', 100, 'GB-seconds', 0.05)],
          },
          requests: { coldStartHits: 2 },
        },
        {
          key: 'claude',
          feasible: true,
          reasons: [],
          cost: {
            total: 1,
            aws: 1,
            staff: 0,
            lines: [line('input-tokens', 'Input', 1, '1M input tokens', 1)],
          },
          requests: { coldStartHits: 0 },
        },
      ],
    });
    // A line the base had that the new one does not: the storage line, removed.
    cmiCost(next).lines = cmiCost(next).lines.slice(0, 1);
    cmiCost(next).total = cmiCost(next).lines[0]!.amount;
    const d = diffResults(parse(base), parse(next), { base: 'a', new: 'b' });
    const cmi = d.options.find((o) => o.key === 'cmi')!;
    expect(cmi.lines.map((l) => [l.lineId, l.status])).toEqual([
      ['cmi-inference', 'both'],
      ['cmi-storage', 'removed'],
    ]);
    expect(cmi.total.change).toBeCloseTo(-0.0658 * 1.95, 9);
    expect(d.options.find((o) => o.key === 'claude')!.status).toBe('added');
    const sl = d.options.find((o) => o.key === 'serverless')!;
    expect(sl.feasible).toEqual({ base: false, new: true });
    expect(d.changed).toBe(3);
    const text = diffText(d);
    expect(text).toContain('serverless  not feasible → feasible: $5.00');
    expect(text).toContain('claude  added: $1.00');
    expect(text).toMatch(/Model storage \(removed\)\s+\$0\.13\s+—\s+—/);
  });

  const dir = mkdtempSync(join(tmpdir(), 'servesim-diff-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads results.json or its folder; --json prints the diff', () => {
    writeFileSync(join(dir, 'results.json'), JSON.stringify(result(0.0785)));
    writeFileSync(join(dir, 'new.json'), JSON.stringify(result(0.08)));
    const io = captureIo();
    diffCommand(dir, join(dir, 'new.json'), { json: true, quiet: true, color: false, debug: false }, io);
    const d = JSON.parse(io.stdout);
    expect(d.kind).toBe('diff');
    expect(d.base.file).toBe(join(dir, 'results.json'));
    expect(d.options[0].total.change).toBeCloseTo(1.44, 9);
  });

  it('refuses what is not a run or replay result: exit 2, one line naming the file and field', async () => {
    writeFileSync(join(dir, 'forecast.json'), JSON.stringify({ kind: 'forecast' }));
    const bad = result(0.0785);
    cmiCost(bad).total = 'lots';
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    writeFileSync(join(dir, 'ok.json'), JSON.stringify(result(0.0785)));
    const forecast = await servesim(['diff', join(dir, 'forecast.json'), join(dir, 'ok.json')]);
    expect(forecast.code).toBe(2);
    expect(forecast.stderr).toBe(
      `servesim: ${join(dir, 'forecast.json')}: a forecast result; diff compares the results of run or replay (their options and cost lines)\n`,
    );
    const field = await servesim(['diff', join(dir, 'ok.json'), join(dir, 'bad.json')]);
    expect(field.code).toBe(2);
    expect(field.stderr).toMatch(/bad\.json: options\.0\.cost\.total: .*expected number.*\(got "lots"\)/);
    expect(field.stderr.trim().split('\n')).toHaveLength(1);
  });
});
