import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runScenario, type RunOutput } from '../../src/compare/run.js';
import { rankCost } from '../../src/compare/verdict.js';
import { runPortfolio } from '../../src/portfolio/run.js';
import { costsCsv } from '../../src/report/files.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

/*
 * AWS bill and staff time apart (design §11), on every shipped scenario: every line says who
 * bills it and carries an id unique within its option; `total = aws + staff` on every option;
 * costs.csv's billed_by column sums to the same split.
 */

const DIR = join(import.meta.dirname, '..', '..', 'scenarios');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

const runs = new Map<string, RunOutput>();
const run = (file: string): RunOutput => {
  let out = runs.get(file);
  if (!out) {
    const loaded = loadScenarioFile(join(DIR, file), { portfolio: true });
    out = loaded.scenario.models ? runPortfolio(loaded) : runScenario(loaded);
    runs.set(file, out);
  }
  return out;
};

describe('cost split on every shipped scenario', () => {
  it('ships scenarios to check', () => {
    expect(FILES).toContain('medical-notes.yaml');
  });

  for (const file of FILES)
    it(`${file}: aws + staff = total, lines tagged, ids unique, costs.csv agrees`, () => {
      const out = run(file);
      const csv = parse(costsCsv(out), { columns: true }) as Record<string, string>[];
      let checked = 0;
      for (const o of out.result.options) {
        if (o.cost === null) {
          expect(csv.filter((r) => r.option === o.key)).toEqual([]);
          continue;
        }
        checked++;
        const { total, aws, staff, lines } = o.cost;
        // The identity holds exactly: total is computed as aws + staff.
        expect(aws + staff, o.key).toBe(total);
        let a = 0;
        let s = 0;
        for (const l of lines) {
          expect(['aws', 'staff'], `${o.key} ${l.item}`).toContain(l.billedBy);
          expect(l.lineId, `${o.key} ${l.item}`).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
          if (l.billedBy === 'aws') a += l.amount;
          else s += l.amount;
        }
        expect(aws, o.key).toBeCloseTo(a, 9);
        expect(staff, o.key).toBeCloseTo(s, 9);
        const ids = lines.map((l) => l.lineId);
        expect(new Set(ids).size, `${o.key}: ${ids.join(', ')}`).toBe(ids.length);
        // costs.csv: the billed_by column splits the same way.
        const rows = csv.filter((r) => r.option === o.key);
        expect(rows.length).toBe(lines.length);
        const sum = (by: string) =>
          rows.filter((r) => r.billed_by === by).reduce((x, r) => x + Number(r.amount), 0);
        expect(sum('aws'), o.key).toBeCloseTo(aws, 9);
        expect(sum('staff'), o.key).toBeCloseTo(staff, 9);
        expect(rows.every((r) => r.billed_by === 'aws' || r.billed_by === 'staff')).toBe(true);
        expect(rankCost(o, 'total')).toBe(total);
        expect(rankCost(o, 'aws')).toBe(aws);
      }
      expect(checked).toBeGreaterThan(0);
    });
});

describe('the default scenario (medical-notes): staff time by hand', () => {
  it('puts only the ops lines outside the AWS bill', () => {
    const out = run('medical-notes.yaml');
    const by = new Map(out.result.options.map((o) => [o.key, o]));
    // 0.1 FTE × $200,000 a year × 24 h / 8,760 h = $54.7945…
    expect(by.get('sagemaker-realtime')!.cost!.staff).toBeCloseTo((0.1 * 200000 * 24) / 8760, 9);
    // 0.25 FTE × $200,000 × 24 / 8,760 = $136.9863…
    expect(by.get('self-hosted')!.cost!.staff).toBeCloseTo((0.25 * 200000 * 24) / 8760, 9);
    // Self-hosted's AWS bill: its EC2 line + the EKS control plane, 24 cluster-hours × $0.10 = $2.40.
    const sh = by.get('self-hosted')!.cost!;
    const ec2 = sh.lines.find((l) => l.lineId === 'ec2-instances')!;
    expect(sh.aws).toBeCloseTo(ec2.amount + 24 * 0.1, 9);
    expect(sh.lines.find((l) => l.lineId === 'ops')!.billedBy).toBe('staff');
    // Fully managed and per-token options have no staff time.
    for (const key of ['cmi', 'cmi-heartbeat', 'llama-base-per-token', 'claude-sonnet'])
      expect(by.get(key)!.cost!.staff, key).toBe(0);
    expect(by.get('cmi')!.cost!.lines.map((l) => l.lineId)).toEqual(['cmi-inference', 'cmi-storage']);
  });

  it('rankCost reads the total or the AWS bill, null without a cost', () => {
    const sm = run('medical-notes.yaml').result.options.find((o) => o.key === 'sagemaker-realtime')!;
    expect(rankCost(sm, 'aws')! + sm.cost!.staff).toBe(rankCost(sm, 'total'));
    expect(rankCost({ cost: null }, 'total')).toBeNull();
  });
});
