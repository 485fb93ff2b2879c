import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/commands/progress.js';
import { simulatePortfolio } from '../../src/commands/run-portfolio.js';
import { scenarioFromObject } from '../../src/scenario/load.js';

// `servesim run` on a portfolio: the 30-day month of each option is each model's month summed,
// and every model's share is checked against the verdict's rule (issue 21).

describe('simulatePortfolio', () => {
  it('sums each model’s 30-day month: two always-on replicas at $1/h are 2 × 720 h = $1,440', async () => {
    const loaded = scenarioFromObject(
      {
        name: 'month',
        traffic: { days: 1 },
        options: [{ id: 'fixed-fleet', replicas: 1, serviceTime: '1s', hourlyPrice: 1 }],
        models: [
          { name: 'a', components: [{ type: 'batch', at: '09:00', count: 5 }] },
          { name: 'b', components: [{ type: 'trickle', count: 5, from: '10:00', to: '11:00' }] },
        ],
      },
      { portfolio: true },
    );
    const out = await simulatePortfolio(loaded, {}, new Progress(2, 'off', () => {}), undefined);
    const o = out.result.options[0]!;
    // The simulated day: 2 models × 24 h × $1.
    expect(o.cost!.total).toBeCloseTo(48, 9);
    // A 30-day month of each, summed: 2 × 30 × 24 × $1.
    expect(o.cost!.monthly!.total).toBeCloseTo(1440, 6);
    expect(o.cost!.monthly!.method).toMatch(/^each model's month summed/);
    expect(o.perModel!.map((m) => m.fails)).toEqual([null, null]);
    expect(out.result.verdict!.cheapest).toBe('fixed-fleet');
    expect('byModel' in out).toBe(false);
  });
});
