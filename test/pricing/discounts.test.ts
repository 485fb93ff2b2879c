import { describe, expect, it } from 'vitest';
import { DiscountRate, Discounts, discountLine, withDiscounts } from '../../src/pricing/discounts.js';
import { line, totalOf, type Bill } from '../../src/billing/lines.js';
import { runScenario } from '../../src/compare/run.js';
import { parseScenarioText, scenarioFromObject } from '../../src/scenario/load.js';
import { InputError } from '../../src/errors.js';

/*
 * Discounts are their own cost line (design §3): quantity = the discounted base in USD, unit
 * price = −rate. Expected values are worked by hand from AWS's CMI example: 2 CMUs × $0.0785 × 5
 * = $0.785 a window; 15 % of that is $0.11775.
 */

const WINDOW = 0.785;

function bill(lines = [line('CMU inference', 10, 'CMU-minutes', 0.0785)]): Bill {
  const total = totalOf(lines);
  return { lines, costSoFar: (m) => new Float64Array(m).fill(total) };
}

describe('a discount rate', () => {
  it('reads a percentage or a fraction', () => {
    expect(DiscountRate.parse('15%')).toBe(0.15);
    expect(DiscountRate.parse(' 12.5 % ')).toBe(0.125);
    expect(DiscountRate.parse(0.15)).toBe(0.15);
    expect(DiscountRate.parse('100%')).toBe(1);
    expect(DiscountRate.parse('0%')).toBe(0);
  });

  it('rejects more than 100 %, a negative one and text that is no percentage', () => {
    const message = (v: unknown) => DiscountRate.safeParse(v).error?.issues[0]?.message;
    expect(message('150%')).toBe(
      'a discount cannot exceed 100% (it would make the price negative), got 150%',
    );
    expect(message(15)).toBe('a discount is at most 1 (100%), got 15; write 15% as "15%" or 0.15');
    expect(message('-5%')).toBe('a discount cannot be negative, got -5%');
    expect(message('fifteen')).toBe('expected a percentage such as "15%", got "fifteen"');
  });

  it('is keyed by an AWS Price List service code; a typo gets the nearest', () => {
    expect(Discounts.parse({ AmazonBedrock: '15%', AmazonEC2: 0.3 })).toEqual({
      AmazonBedrock: 0.15,
      AmazonEC2: 0.3,
    });
    const issue = Discounts.safeParse({ AmazonBedrok: '15%' }).error?.issues[0];
    expect(issue?.path).toEqual(['AmazonBedrok']);
    expect(issue?.message).toContain('unknown service "AmazonBedrok"; did you mean "AmazonBedrock"?');
  });
});

describe('the discount line', () => {
  it('CMI one window $0.785 with 15 % off AmazonBedrock → −$0.11775', () => {
    const l = discountLine('AmazonBedrock', 0.15, WINDOW);
    expect(l).toEqual({
      item: 'Discount (AmazonBedrock, 15%)',
      quantity: WINDOW,
      unit: 'USD',
      unitPrice: -0.15,
      amount: WINDOW * -0.15,
      // A discount is on the AWS bill; its id names the service.
      billedBy: 'aws',
      lineId: 'discount-amazonbedrock',
    });
    expect(l.amount).toBeCloseTo(-0.11775, 12);
  });

  it('is added once per discounted service, only over that service’s lines', () => {
    const b = bill([
      line('Instance usage (g5.2xlarge, on-demand)', 10, 'instance-hours', 1.212),
      line('EKS control plane (1 cluster)', 10, 'cluster-hours', 0.1),
      line('Operations (0.25 FTE)', 1, 'FTE-days', 100),
    ]);
    const service = (l: { item: string }) =>
      l.item.startsWith('Instance') ? 'AmazonEC2' : l.item.startsWith('EKS') ? 'AmazonEKS' : undefined;
    const out = withDiscounts(b, service, { AmazonEC2: 0.3, AmazonSageMaker: 0.5 });
    expect(out.lines).toHaveLength(4);
    expect(out.lines[3]).toMatchObject({
      item: 'Discount (AmazonEC2, 30%)',
      quantity: 12.12,
      unitPrice: -0.3,
    });
    expect(totalOf(out.lines)).toBeCloseTo(12.12 + 1 + 100 - 3.636, 10);
    // The cost-so-far curve still ends at the total.
    expect(out.costSoFar(3)[2]).toBeCloseTo(totalOf(out.lines), 10);
  });

  it('never discounts staff time, even under a single service code', () => {
    // $100 on the AWS bill + $50 of staff time, 20 % off AmazonSageMaker: −$20, not −$30.
    const b = bill([
      line('Instance usage', 100, 'instance-hours', 1),
      line('Operations', 1, 'FTE-days', 50, { billedBy: 'staff', lineId: 'ops' }),
    ]);
    const out = withDiscounts(b, 'AmazonSageMaker', { AmazonSageMaker: 0.2 });
    expect(out.lines[2]).toMatchObject({ quantity: 100, unitPrice: -0.2, billedBy: 'aws' });
    expect(totalOf(out.lines)).toBeCloseTo(100 + 50 - 20, 12);
  });

  it('leaves a bill alone without a service, without a matching discount, or at 0 %', () => {
    const b = bill();
    expect(withDiscounts(b, undefined, { AmazonBedrock: 0.15 })).toBe(b);
    expect(withDiscounts(b, 'AmazonBedrock', {})).toBe(b);
    expect(withDiscounts(b, 'AmazonBedrock', { AmazonEC2: 0.15 })).toBe(b);
    expect(withDiscounts(b, 'AmazonBedrock', { AmazonBedrock: 0 })).toBe(b);
  });
});

/** One request at 09:00: one CMI copy, one 5-minute window ($0.785 at AWS's example rate). */
function scenario(pricing: Record<string, unknown>) {
  return scenarioFromObject({
    name: 'discount check',
    traffic: { components: [{ type: 'batch', at: '09:00', count: 1 }] },
    options: [
      { id: 'bedrock-cmi', key: 'cmi', cmuVersion: 'pricing-example', serviceTime: '1s' },
      { id: 'fixed-fleet', key: 'fleet', hourlyPrice: 1, serviceTime: '1s' },
    ],
    pricing,
  });
}

describe('discounts through a run', () => {
  const cost = (pricing: Record<string, unknown>, key: string) =>
    runScenario(scenario(pricing)).result.options.find((o) => o.key === key)!.cost!;
  // Storage overridden to 0 so the option's whole bill is the one window.
  const noStorage = { 'bedrock-cmi.storage.us-east-1': 0 };

  it('a 15 % Bedrock discount changes the CMI total by exactly −$0.11775', () => {
    const list = cost({ overrides: noStorage }, 'cmi');
    const discounted = cost({ overrides: noStorage, discounts: { AmazonBedrock: '15%' } }, 'cmi');
    expect(list.total).toBeCloseTo(WINDOW, 12);
    const d = discounted.lines.at(-1)!;
    expect(d).toMatchObject({ item: 'Discount (AmazonBedrock, 15%)', unit: 'USD', unitPrice: -0.15 });
    expect(d.quantity).toBeCloseTo(WINDOW, 12);
    expect(d.amount).toBeCloseTo(-0.11775, 12);
    expect(discounted.total - list.total).toBeCloseTo(-0.11775, 12);
    expect(discounted.total).toBeCloseTo(0.66725, 12);
  });

  it('the base includes every Bedrock line (storage too)', () => {
    const storageDay = (2 * 1.95 * 24) / 730;
    const c = cost({ discounts: { AmazonBedrock: '15%' } }, 'cmi');
    expect(c.lines.at(-1)!.quantity).toBeCloseTo(WINDOW + storageDay, 12);
    expect(c.total).toBeCloseTo((WINDOW + storageDay) * 0.85, 12);
  });

  it('an option with no AWS service (fixed-fleet) gets no discount line', () => {
    const c = cost({ discounts: { AmazonBedrock: '15%', AmazonEC2: '50%' } }, 'fleet');
    expect(c.lines.filter((l) => l.item.startsWith('Discount'))).toEqual([]);
    expect(c.total).toBeCloseTo(24, 9);
  });

  it('a discount above 100 % in a scenario file is exit 2 with file:line and field', () => {
    const text = [
      'name: t',
      'traffic: {components: [{type: batch, at: "09:00", count: 1}]}',
      'options: [{id: bedrock-cmi}]',
      'pricing:',
      '  discounts:',
      '    AmazonBedrock: 150%',
    ].join('\n');
    let err: unknown;
    try {
      parseScenarioText(text, 'bad.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe(
      'bad.yaml:6:20: pricing.discounts.AmazonBedrock: a discount cannot exceed 100% (it would make the price negative), got 150%',
    );
  });

  it('an override naming an unknown entry stops the run with the nearest id', () => {
    expect(() => runScenario(scenario({ overrides: { 'bedrock-cmi.storage.us-east1': 0 } }))).toThrow(
      /did you mean "bedrock-cmi.storage.us-east-1"\?/,
    );
  });
});
