import { describe, expect, it } from 'vitest';
import { runPortfolio } from '../../src/portfolio/run.js';
import { scenarioFromObject } from '../../src/scenario/load.js';

/*
 * sagemaker-inference-components in a portfolio run (issue 21): each model's component simulated
 * on its own trace, every model's copies packed on one endpoint's instances and billed once.
 * Shipped prices (us-east-1): ml.g5.12xlarge $7.09 per instance-hour, 4 A10G GPUs, 192 GiB. Load,
 * launch and service times are fixed so every second is counted by hand.
 */

const IC = {
  id: 'sagemaker-inference-components',
  instanceType: 'ml.g5.12xlarge',
  minCopies: 0,
  maxCopies: 1,
  targetInvocationsPerCopy: 60,
  copyLoadTime: '60s',
  launchTime: '240s',
  serviceTime: '1s',
  opsFte: 0,
};
/** `count` interactive calls spread evenly over `over` from `at` (count 1: one call at `at`). */
const calls = (at: string, count: number, over: string) => ({
  type: 'batch',
  at,
  count,
  over,
  class: 'interactive',
  inputTokens: 250,
  outputTokens: 60,
});
const portfolio = (models: unknown[], ic: Record<string, unknown> = {}) =>
  runPortfolio(
    scenarioFromObject(
      {
        name: 'ic-portfolio',
        seed: 1,
        traffic: { start: '2026-01-05T00:00', days: 1 },
        options: [{ ...IC, ...ic }],
        models,
      },
      { portfolio: true },
    ),
  ).result;

describe('inference components shared by a portfolio', () => {
  it('two components that fit one instance bill ONE instance while both are busy', () => {
    // a: one call at 09:00 (32,400 s); b: one call at 09:10 (33,000 s). Each component is at zero
    // copies: its copy is asked for at the call, waits launch + load (as if alone: 240 + 60 s),
    // serves the call 1 s and goes after 15 idle one-minute datapoints (docs/model.md):
    //   a's copy 32,400 → ready 32,700 → gone 32,700 + 900 = 33,600;
    //   b's copy 33,000 → ready 33,300 → gone 33,300 + 900 = 34,200.
    // Alone each needs its own instance for 1,200 s (2,400 s in all). Shared: a 1-GPU copy of
    // each fits one 4-GPU instance, launched at 32,400 for a's copy; b's copy takes room on it at
    // 33,000; released when the last copy goes at 34,200: 1,800 s = 0.5 h × $7.09 = $3.545.
    const r = portfolio([
      { name: 'a', components: [calls('09:00', 1, '0s')] },
      { name: 'b', components: [calls('09:10', 1, '0s')] },
    ]);
    const o = r.options[0]!;
    expect(o.feasible).toBe(true);
    expect(o.cost!.lines.map((l) => l.lineId)).toEqual(['ic-instance-usage']);
    expect(o.cost!.lines[0]!.quantity).toBeCloseTo(0.5, 12);
    expect(o.cost!.total).toBeCloseTo(3.545, 12);
    expect(o.capacity!.billedUnitMinutes).toBeCloseTo(30, 12);
    // The copies are the fleet's replicas: two copies, never alive together for more than 600 s.
    expect(o.capacity!.coldStarts).toBe(2);
    expect(o.capacity!.replicaSeconds).toBe(2400);
    expect(o.capacity!.peakReplicas).toBe(2);
    expect(o.requests).toMatchObject({ arrived: 2, served: 2, coldStartHits: 2 });
    // Latency over both models' calls: each waited 300 s and was served in 1 s.
    expect(o.latency!.all!.count).toBe(2);
    expect(o.latency!.all!.max).toBe(301);
    // Equal reserved share-seconds (1,200 s × ¼ of an instance each): $1.7725 each.
    expect(o.perModel!.map((m) => [m.model, m.split, m.coldStarts])).toEqual([
      ['a', 'reserved-share-seconds', 1],
      ['b', 'reserved-share-seconds', 1],
    ]);
    expect(o.perModel![0]!.cost!.total).toBeCloseTo(1.7725, 12);
    expect(o.perModel![1]!.cost!.total).toBeCloseTo(1.7725, 12);
    // The approximation is stated with the option's assumptions.
    const packing = r.assumptions.find((a) => a.option === IC.id && a.name === 'portfolio packing');
    expect(packing?.value).toMatch(/as if alone/);
  });

  it('a component scaled to zero reloads on its next call, and the shares add up to the bill', () => {
    // a: calls at 09:00 and 11:00 (2 over 4 h); b: 09:10 as above. a's copy of 09:00 is gone at
    // 33,600; at 11:00 (39,600 s) its component has no copy: the call waits launch + load again
    // (ready 39,900, gone 40,800) — a second cold-start hit and cold start for a.
    // Instances: 32,400–34,200 (both components, as above) and 39,600–40,800 (a alone):
    // 1,800 + 1,200 = 3,000 s = 5/6 h × $7.09 = $5.908333…
    // Ops 0.1 FTE × $200,000 a year over 1 day = 20,000 / 365 = $54.794520…, the endpoint's one line.
    // Split by reserved share-seconds: a (1,200 + 1,200) × ¼ = 600, b 1,200 × ¼ = 300 → ⅔ and ⅓.
    const r = portfolio(
      [
        { name: 'a', components: [calls('09:00', 2, '4h')] },
        { name: 'b', components: [calls('09:10', 1, '0s')] },
      ],
      { opsFte: 0.1 },
    );
    const o = r.options[0]!;
    const aws = (3000 / 3600) * 7.09;
    const staff = 20000 / 365;
    expect(o.cost!.aws).toBeCloseTo(aws, 10);
    expect(o.cost!.staff).toBeCloseTo(staff, 10);
    const [a, b] = o.perModel!;
    expect(a!.coldStarts).toBe(2);
    expect(a!.requests.coldStartHits).toBe(2);
    expect(a!.requests.coldStartWorstLatency.interactive).toBe(301);
    expect(b!.coldStarts).toBe(1);
    expect(a!.cost!.aws).toBeCloseTo((2 / 3) * aws, 10);
    expect(b!.cost!.aws).toBeCloseTo((1 / 3) * aws, 10);
    expect(a!.cost!.staff).toBeCloseTo((2 / 3) * staff, 10);
    expect(a!.cost!.total + b!.cost!.total).toBeCloseTo(o.cost!.total, 10);
    expect(a!.cost!.aws + b!.cost!.aws).toBeCloseTo(o.cost!.aws, 10);
    expect(o.requests).toMatchObject({ arrived: 3, served: 3, coldStartHits: 3 });
    expect(o.capacity!.coldStarts).toBe(3);
  });

  it('a model whose copy does not fit the instance makes the option infeasible, named', () => {
    // 70e9 × 2 bytes = 140 GB of weights: more than the 4 × 24 GB of an ml.g5.12xlarge.
    const o = portfolio([
      { name: 'small', components: [calls('09:00', 1, '0s')] },
      { name: 'big', parameters: 70e9, components: [calls('09:10', 1, '0s')] },
    ]).options[0]!;
    expect(o.feasible).toBe(false);
    expect(o.cost).toBeNull();
    expect(o.reasons.length).toBeGreaterThan(0);
    expect(o.reasons.every((x) => x.startsWith('big: '))).toBe(true);
  });
});
