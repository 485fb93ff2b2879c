import { describe, expect, it } from 'vitest';
import { forecast } from '../../src/planning/forecast/forecast.js';
import { runScenario } from '../../src/compare/run.js';
import { costLinesText } from '../../src/report/side-by-side.js';
import { comparisonRows } from '../../src/report/table.js';
import { scenarioFromObject } from '../../src/scenario/load.js';

/*
 * Issue 15 item 6: Provisioned Throughput bought for a term. Worked by hand with 1 model unit at
 * $10 per model-unit-hour and a commitment month of 730 h (src/models/bedrock-provisioned.json):
 * - a 2-day span bills its amortised share: 48 h × $10 = $480;
 * - the whole 6-month term: 6 × 730 h = 4,380 h × $10 = $43,800;
 * - the forecast bills each month's instalment, 730 h × $10 = $7,300 (not 31 × 24 h for January),
 *   and over a 4-month horizon the whole term: 6 × $7,300 = $43,800, 2 months after the horizon.
 */

function pt(term: 'none' | '1m' | '6m', extra: Record<string, unknown> = {}) {
  return scenarioFromObject({
    name: 'pt-commitment',
    model: { name: 'my-nova-finetune', provenance: 'bedrock-native' },
    traffic: {
      start: '2026-01-05T00:00',
      days: 2,
      components: [{ type: 'batch', at: '09:00', count: 3, over: '1h', class: 'interactive' }],
    },
    options: [
      {
        id: 'bedrock-provisioned',
        term,
        modelUnits: 1,
        pricePerModelUnitHour: 10,
        tokensPerMinutePerModelUnit: 100000,
      },
    ],
    ...extra,
  });
}

describe('a 6-month commitment over a 2-day span', () => {
  const r = runScenario(pt('6m')).result;
  const o = r.options[0]!;

  it('bills the amortised share in cost.total, labelled as such', () => {
    expect(o.cost!.total).toBeCloseTo(480, 9); // 48 h × $10
    expect(o.cost!.lines).toHaveLength(1);
    expect(o.cost!.lines[0]!.item).toBe(
      'Provisioned Throughput (1 MU, amortised share of a 6-month commitment)',
    );
    expect(o.cost!.lines[0]!.quantity).toBeCloseTo(48, 9);
  });

  it('carries the whole term as facts.commitment', () => {
    expect(o.facts.commitment).toEqual({ term: '6m', termMonths: 6, termHours: 4380, termTotal: 43800 });
  });

  it('shows the term total in the comparison (report.html, terminal) and the cost-line details', () => {
    const row = comparisonRows(r).find((x) => x.name === 'commitment (whole term)');
    expect(row?.cells).toEqual(['6-month term (4,380 h): $43,800.00']);
    expect(costLinesText(r)).toContain('the whole term must be bought: 6-month term (4,380 h): $43,800.00');
  });

  it('a run without a commitment has none, and no commitment row', () => {
    const none = runScenario(pt('none')).result;
    expect(none.options[0]!.facts.commitment).toBeUndefined();
    expect(none.options[0]!.cost!.lines[0]!.item).toBe('Provisioned Throughput (1 MU, no commitment)');
    expect(comparisonRows(none).some((x) => x.name === 'commitment (whole term)')).toBe(false);
  });
});

describe('the forecast bills whole terms', () => {
  it('each month its instalment; the horizon total the whole term', async () => {
    const f = await forecast(
      pt('6m', { forecast: { months: 4, runs: 3, uncertainty: 'none', start: '2026-01' } }),
      {
        workers: 1,
      },
    );
    // January (31 days) and February (28) alike: 730 h × $10 = $7,300.
    for (const m of f.months) {
      expect(m.p10).toBeCloseTo(7300, 6);
      expect(m.p90).toBeCloseTo(7300, 6);
    }
    expect(f.months).toHaveLength(4);
    // 4 months in a 6-month term: the whole term, 6 × $7,300 = $43,800.
    expect(f.totals[0]!.p50).toBeCloseTo(43800, 6);
    expect(f.commitments).toEqual([
      { option: 'bedrock-provisioned', term: '6m', termMonths: 6, terms: 1, monthsAfterHorizon: 2 },
    ]);
  });

  it('a 1-month term over 2 months: two whole terms, nothing after the horizon', async () => {
    const f = await forecast(
      pt('1m', { forecast: { months: 2, runs: 2, uncertainty: 'none', start: '2026-02' } }),
      {
        workers: 1,
      },
    );
    // February has 672 h, but a commitment month bills 730 h: 2 × $7,300 = $14,600.
    expect(f.totals[0]!.p50).toBeCloseTo(14600, 6);
    expect(f.commitments[0]).toMatchObject({ terms: 2, monthsAfterHorizon: 0 });
  });
});
