import { describe, expect, it } from 'vitest';
import { sharedMonthly } from '../../src/planning/monthly/shared.js';
import { runPortfolio } from '../../src/portfolio/run.js';
import { scenarioFromObject } from '../../src/scenario/load.js';

// The 30-day month of a shared portfolio option (docs/portfolio.md): the whole portfolio's
// representative days, not each model's month summed. Expected values worked by hand.

/** One always-on g5.2xlarge node serving two adapters of one base, no staff time. */
const NODE = {
  id: 'self-hosted',
  instanceType: 'g5.2xlarge',
  minNodes: 1,
  maxNodes: 1,
  opsFte: 0,
  serviceTime: '10s',
  multiLora: true,
};
const batch = (at: string, days?: string) => ({
  type: 'batch',
  at,
  count: 1,
  over: '0s',
  inputTokens: 250,
  outputTokens: 60,
  ...(days === undefined ? {} : { days }),
});
const adapter = (name: string, component: Record<string, unknown>) => ({
  name,
  architecture: 'LlamaForCausalLM',
  parameters: 8.03e9,
  fineTune: { lora: { base: 'llama-3.1-8b-instruct' } },
  components: [component],
});
const scenario = (days: number, weekdaysOnly: boolean) =>
  scenarioFromObject(
    {
      name: 'month',
      traffic: { start: '2026-01-05T00:00', days }, // a Monday
      options: [NODE],
      models: [
        adapter('a', batch('09:00', weekdaysOnly ? 'weekdays' : undefined)),
        adapter('b', batch('15:00')),
      ],
    },
    { portfolio: true },
  );

// A day: one node 24 h × $1.212 (ec2.g5-2xlarge.us-east-1) + one EKS cluster 24 h × $0.10 = $31.488,
// whatever the traffic (one node, never more). A month: 30 × $31.488 = $944.64.
const DAY = 24 * 1.212 + 24 * 0.1;

function month(days: number, weekdaysOnly: boolean) {
  const loaded = scenario(days, weekdaysOnly);
  const out = runPortfolio(loaded);
  const o = out.result.options[0]!;
  expect(o.cost!.total).toBeCloseTo(days * DAY, 9);
  const costs = new Map([[o.key, o.cost!]]);
  return sharedMonthly(loaded, out.scenario, costs, out.result.trace.durationSeconds).get(o.key)!;
}

describe('the 30-day month of a shared portfolio option', () => {
  it('nothing differs by day type: one day simulated, × 30', () => {
    const m = month(1, false);
    expect(m.total).toBeCloseTo(30 * DAY, 9);
    expect(m.aws).toBeCloseTo(30 * DAY, 9);
    expect(m.staff).toBeCloseTo(0, 9);
    expect(m.method).toContain('30 days as 2026-01-05');
  });

  it("one model's traffic on weekdays only: a weekday and a weekend day, 22 + 8", () => {
    const m = month(1, true);
    expect(m.total).toBeCloseTo(22 * DAY + 8 * DAY, 9);
    expect(m.method).toContain('22 weekdays as 2026-01-05, 8 weekend days as 2026-01-10');
  });

  it('a span of 60 days is averaged to 30', () => {
    const m = month(60, false);
    expect(m.total).toBeCloseTo((60 * DAY * 30) / 60, 6);
    expect(m.method).toContain('× 30 / 60');
  });
});
