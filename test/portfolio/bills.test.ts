import { describe, expect, it } from 'vitest';
import { line } from '../../src/billing/lines.js';
import { sumBills, sumLines } from '../../src/portfolio/bills.js';

// Summing per-model bills by lineId (issue 21): worked by hand.

describe('sumLines', () => {
  it('adds lines of one id at one price: quantities and amounts; the item when all agree', () => {
    const a = [line('CMU inference (2 CMUs)', 10, 'CMU-minutes', 0.0785, { lineId: 'cmi-inference' })];
    const b = [line('CMU inference (2 CMUs)', 6, 'CMU-minutes', 0.0785, { lineId: 'cmi-inference' })];
    const [s] = sumLines([
      { model: 'a', lines: a },
      { model: 'b', lines: b },
    ]);
    // 10 + 6 = 16 CMU-minutes; $0.785 + $0.471 = $1.256.
    expect(s).toMatchObject({
      item: 'CMU inference (2 CMUs)',
      quantity: 16,
      unitPrice: 0.0785,
      lineId: 'cmi-inference',
    });
    expect(s!.amount).toBeCloseTo(1.256, 12);
  });

  it('different bracketed details: "(N models)"; first-appearance order kept across models', () => {
    const out = sumLines([
      { model: 'a', lines: [line('Storage (2 CMUs)', 1, 'CMU-months', 1.95), line('Ops', 1, 'h', 1)] },
      { model: 'b', lines: [line('Extra', 1, 'h', 1), line('Storage (3 CMUs)', 2, 'CMU-months', 1.95)] },
    ]);
    expect(out.map((l) => [l.lineId, l.item, l.quantity])).toEqual([
      ['storage', 'Storage (2 models)', 3],
      ['ops', 'Ops', 1],
      ['extra', 'Extra', 1],
    ]);
  });

  it('one id at different unit prices stays one line per model, ids suffixed by the model', () => {
    const out = sumLines([
      { model: 'Small.1', lines: [line('EC2 instances (g5.2xlarge)', 10, 'instance-hours', 1.212)] },
      { model: 'big', lines: [line('EC2 instances (g5.12xlarge)', 10, 'instance-hours', 5.672)] },
    ]);
    expect(out.map((l) => [l.lineId, l.item, l.amount])).toEqual([
      ['ec2-instances-small-1', 'EC2 instances (g5.2xlarge) [Small.1]', 12.12],
      ['ec2-instances-big', 'EC2 instances (g5.12xlarge) [big]', 56.72],
    ]);
  });

  it('sumBills adds cost so far minute by minute', () => {
    const bill = (perMinute: number) => ({
      lines: [line('x', 1, 'u', perMinute)],
      costSoFar: (m: number) => Float64Array.from({ length: m }, (_, i) => (i + 1) * perMinute),
    });
    const s = sumBills([
      { model: 'a', bill: bill(1) },
      { model: 'b', bill: bill(2) },
    ]);
    expect([...s.costSoFar(3)]).toEqual([3, 6, 9]);
  });
});
