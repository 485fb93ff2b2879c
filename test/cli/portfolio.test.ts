import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/compare/result.js';
import { servesim } from '../helpers/cli.js';

// `servesim run` on a portfolio (issue 21): the shipped scenarios/portfolio.yaml end to end, and
// the bad inputs that must exit 2 with one line and no report.

const TMP = mkdtempSync(join(tmpdir(), 'servesim-portfolio-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

describe('servesim run on a portfolio', () => {
  it('runs scenarios/portfolio.yaml: results.json with perModel, report.html with the per-model table, charts', async () => {
    const out = join(TMP, 'report');
    const r = await servesim(['run', 'scenarios/portfolio.yaml', '--json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as RunResult;
    expect(result.models!.map((m) => m.name)).toEqual(['notes', 'coder', 'triage']);
    for (const o of result.options) {
      expect(o.perModel!.map((m) => m.model)).toEqual(['notes', 'coder', 'triage']);
      if (o.cost === null) continue;
      // Per-model deployments: the shares add up to the option's total.
      const sum = o.perModel!.reduce((s, m) => s + m.cost!.total, 0);
      expect(o.cost.total).toBeCloseTo(sum, 6);
      expect(o.requests.arrived).toBe(o.perModel!.reduce((s, m) => s + m.requests.arrived, 0));
    }
    // The verdict's cheapest meets the rule for every model.
    const cheapest = result.options.find((o) => o.key === result.verdict!.cheapest)!;
    expect(cheapest.perModel!.every((m) => m.fails === null)).toBe(true);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<section id="portfolio">');
    expect(html).toContain('merged weights only');
    for (const f of ['results.json', 'costs.csv', 'timeline.csv', 'cost-by-option.svg', 'latency-cdf.png'])
      expect(existsSync(join(out, f)), f).toBe(true);
  }, 120_000);

  it("--max-requests counts every model's requests: two models of 86,400 each pass alone, not together", async () => {
    // Each model: 1/s × 86,400 s = 86,400 requests; together 172,800 > a limit of 100,000.
    const file = join(TMP, 'limit.yaml');
    writeFileSync(
      file,
      [
        'name: limit',
        'traffic: { days: 1 }',
        'models:',
        '  - name: a',
        '    components: [{ type: poisson, rate: 1/s }]',
        '  - name: b',
        '    components: [{ type: poisson, rate: 1/s }]',
        'options: [{ id: bedrock-cmi }]',
      ].join('\n') + '\n',
    );
    const out = join(TMP, 'limit-report');
    const r = await servesim(['run', file, '--max-requests', '1e5', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /limit\.yaml:\d+:\d+: models: the portfolio's 2 models hold about 172,800 requests, above the limit of 100,000/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('`model` and `models` together: exit 2, one line naming both fields, no report', async () => {
    const file = join(TMP, 'both.yaml');
    writeFileSync(
      file,
      [
        'name: both',
        'model: { name: x }',
        'models:',
        '  - name: a',
        '    components: [{ type: poisson, rate: 1/s }]',
        'traffic: { days: 1 }',
        'options: [{ id: bedrock-cmi }]',
      ].join('\n') + '\n',
    );
    const out = join(TMP, 'both-report');
    const r = await servesim(['run', file, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/both\.yaml:4:\d+: models: give either `model` .* or `models` .*, not both/);
    expect(existsSync(out)).toBe(false);
  });

  it('a command that takes one model refuses a portfolio with exit 2', async () => {
    const r = await servesim(['breakeven', 'heartbeat', 'scenarios/portfolio.yaml', '--out', join(TMP, 'b')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('runs with `servesim run` only');
  });
});
