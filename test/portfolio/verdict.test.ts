import { describe, expect, it } from 'vitest';
import { runPortfolio } from '../../src/portfolio/run.js';
import { decidePortfolioVerdict, modelFailures } from '../../src/portfolio/verdict.js';
import { scenarioFromObject } from '../../src/scenario/load.js';

// The portfolio verdict (issue 21 item 3): the cheapest option that meets the SLO for EVERY
// model, over a cheaper one that fails for one model — on a toy whose latencies follow by hand.

describe('the portfolio verdict', () => {
  // Two fixed fleets with a deterministic 10 s service and one slot per replica, $1 per
  // replica-hour: `small` (1 replica per model, $24 a model-day) and `wide` (30 replicas per model).
  const fleet = (key: string, replicas: number) => ({
    id: 'fixed-fleet',
    key,
    replicas,
    slotsPerReplica: 1,
    serviceTime: '10s',
    hourlyPrice: 1,
  });
  const loaded = scenarioFromObject(
    {
      name: 'toy verdict',
      traffic: { days: 1 },
      options: [fleet('small', 1), fleet('wide', 30)],
      models: [
        // 30 interactive requests at once: on one slot they finish at 10, 20, …, 300 s.
        { name: 'busy', components: [{ type: 'batch', at: '09:00', count: 30, class: 'interactive' }] },
        // One request an hour apart, each alone: 10 s on either fleet.
        {
          name: 'quiet',
          components: [{ type: 'batch', at: '12:00', count: 3, over: '2h', class: 'interactive' }],
        },
      ],
    },
    { portfolio: true },
  );
  const slo = { percentile: 'p95' as const, target: 60, class: 'interactive' as const };
  const r = runPortfolio(loaded).result;

  it('picks the option that meets the SLO for every model over a cheaper one failing for one model', () => {
    const [small, wide] = r.options;
    // By hand: small = 2 models × 1 replica × 24 h × $1 = $48; wide = 2 × 30 × 24 × $1 = $1,440.
    expect(small!.cost!.total).toBeCloseTo(48, 9);
    expect(wide!.cost!.total).toBeCloseTo(1440, 9);
    // busy on small: latencies 10, 20, …, 300 s; p95 = the ⌈0.95 × 30⌉ = 29th = 290 s > 60 s.
    expect(small!.perModel![0]!.latency!.interactive!.p95).toBeCloseTo(290, 6);
    expect(modelFailures(small!, { maxLossRate: 0, slo }).map((f) => f.model)).toEqual(['busy']);
    expect(modelFailures(wide!, { maxLossRate: 0, slo })).toEqual([]);

    const v = decidePortfolioVerdict(r, 'total', { maxLossRate: 0, slo });
    expect(v.cheapest).toBe('wide');
    expect(v.runnerUp).toBeNull();
    expect(v.text).toContain('fails for busy');
  });

  it('without an SLO the cheaper option serves every model (nothing is lost) and wins', () => {
    expect(decidePortfolioVerdict(r, 'total', { maxLossRate: 0 }).cheapest).toBe('small');
  });
});
