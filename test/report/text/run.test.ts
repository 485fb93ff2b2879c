import { beforeAll, describe, expect, it } from 'vitest';
import type { RunOutput } from '../../../src/compare/run.js';
import { Progress } from '../../../src/commands/progress.js';
import { runText, simulateAndAnalyse } from '../../../src/commands/run.js';
import type { GlobalFlags } from '../../../src/commands/context.js';
import { terminalWidth } from '../../../src/commands/context.js';
import { loadScenario } from '../../../src/scenario/load.js';
import { displayWidth } from '../../../src/report/text/width.js';

/*
 * What `servesim run` prints (issue 18): the default scenario simulated once with every analysis
 * the CLI runs by default (break-even heartbeat, sensitivity), then printed at several widths. The
 * default output fits one 80 × 60 screen; no line, short or --details, is wider than the terminal,
 * counted in display columns.
 */

let out: RunOutput;
beforeAll(async () => {
  const progress = new Progress(0, 'off', () => undefined);
  ({ out } = await simulateAndAnalyse(loadScenario(undefined), {}, progress, {
    sensitivity: true,
    slo: undefined,
    sloFlag: undefined,
  }));
}, 120_000);

const flags = (width: number, over: Partial<GlobalFlags> = {}): GlobalFlags => ({
  json: false,
  quiet: false,
  color: false,
  debug: false,
  width,
  ...over,
});

const print = (width: number, over: Partial<GlobalFlags> = {}) =>
  runText(out, flags(width, over), '/reports/medical-notes');

function expectWithin(text: string, width: number): void {
  const over = text.split('\n').filter((l) => displayWidth(l) > width);
  expect(over, `lines wider than ${width}`).toEqual([]);
}

describe('servesim run: the default output', () => {
  for (const width of [80, 120])
    it(`fits ${width} columns, and 60 lines`, () => {
      const text = print(width);
      expectWithin(text, width);
      expect(text.trimEnd().split('\n').length).toBeLessThanOrEqual(60);
    });

  it('holds the comparison, the verdict once, the heartbeat, the flips, the claims, the report path', () => {
    const text = print(80);
    const lines = text.trimEnd().split('\n');
    const r = out.result;
    // One row per feasible option, each with its AWS bill and total (column order: AWS bill, total).
    for (const o of r.options.filter((x) => x.feasible && x.cost)) {
      const row = lines.find((l) => l.startsWith(`  ${o.key} `))!;
      expect(row, o.key).toBeDefined();
      const money = row.match(/\$[\d,]+\.\d+/g)!;
      expect(Number(money[0]!.replace(/[$,]/g, ''))).toBeCloseTo(o.cost!.aws, 2);
      expect(Number(money[1]!.replace(/[$,]/g, ''))).toBeCloseTo(o.cost!.total, 2);
    }
    // The verdict's cheapest is starred; the options that are not feasible are named, not tabled.
    expect(lines.find((l) => l.includes('★'))).toMatch(new RegExp(`^  ${r.verdict!.cheapest} ★`));
    for (const o of r.options.filter((x) => !x.feasible)) expect(text.replace(/\s+/g, ' ')).toContain(o.key);
    expect(text.match(/Verdict:/g)).toHaveLength(1);
    // Each answer within its line budget: a first line at column 0, continuations indented.
    const section = (head: string) => {
      const i = lines.findIndex((l) => l.startsWith(head));
      expect(i, head).toBeGreaterThan(0);
      let j = i + 1;
      while (lines[j]?.startsWith('  ')) j++;
      return lines.slice(i, j);
    };
    expect(section('Heartbeat (cmi):').length).toBeLessThanOrEqual(2);
    expect(section('Could flip it:').length).toBeLessThanOrEqual(3);
    const failed = r.claims.filter((c) => c.holds === false).length;
    expect(section('Claims:')).toEqual([
      `Claims: ${failed} of ${r.claims.length} do not hold — see --details or the report.`,
    ]);
    expect(lines.at(-1)).toBe('Report: /reports/medical-notes/report.html');
    // What --details adds is not here.
    for (const s of ['Cost lines:', 'Side by side', 'Assumptions', 'Warm heartbeat —', 'why:'])
      expect(text).not.toContain(s);
  });

  it('stacks the comparison in a narrow terminal instead of cutting it', () => {
    const text = print(40);
    expectWithin(text, 40);
    // One block per option: its key, then `label: value` pairs.
    expect(text).toMatch(/^ {2}cmi ★\n {4}AWS bill: \$[\d.]+ {3}total: \$[\d.]+/m);
  });
});

describe('servesim run --details', () => {
  for (const width of [80, 120])
    it(`adds every section and still fits ${width} columns`, () => {
      const text = print(width, { details: true });
      expectWithin(text, width);
      for (const s of [
        'Cost lines:',
        'Side by side',
        'Claims vs simulation:',
        'why:',
        'Warm heartbeat — cmi',
        'What could change the answer',
        'Assumptions',
      ])
        expect(text, s).toContain(s);
      expect(text.match(/Verdict:/g)).toHaveLength(1);
    });

  it('leaves the assumptions out with --quiet', () => {
    expect(print(80, { details: true, quiet: true })).not.toContain('Assumptions');
  });
});

describe('terminalWidth', () => {
  it('reads COLUMNS when it is a positive whole number', () => {
    expect(terminalWidth({ COLUMNS: '120' })).toBe(120);
    expect(terminalWidth({ COLUMNS: ' 95 ' })).toBe(95);
  });
  it('otherwise falls back to the terminal, else 80', () => {
    const fallback = process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : 80;
    for (const COLUMNS of [undefined, '', '0', 'wide', '-5', '80.5'])
      expect(terminalWidth({ COLUMNS }), String(COLUMNS)).toBe(fallback);
  });
});
