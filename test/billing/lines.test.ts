import { describe, expect, it } from 'vitest';
import { costSplit, line, lineIdOf } from '../../src/billing/lines.js';

describe('line', () => {
  it('is on the AWS bill unless it says otherwise, with an id from its item', () => {
    const l = line('EKS control plane (1 cluster)', 24, 'cluster-hours', 0.1);
    expect(l.billedBy).toBe('aws');
    expect(l.lineId).toBe('eks-control-plane');
    // 24 cluster-hours × $0.10 = $2.40.
    expect(l.amount).toBeCloseTo(2.4, 12);
  });

  it('takes an explicit id and who bills it', () => {
    const l = line('Operations (0.1 FTE)', 1, 'FTE-years', 1000, { billedBy: 'staff', lineId: 'ops' });
    expect([l.billedBy, l.lineId]).toEqual(['staff', 'ops']);
  });
});

describe('lineIdOf', () => {
  it('slugs the item without its bracketed details', () => {
    expect(lineIdOf('Instance usage (ml.g5.2xlarge, on-demand)')).toBe('instance-usage');
    expect(lineIdOf('Data processed in')).toBe('data-processed-in');
    expect(lineIdOf('(only brackets)')).toBe('only-brackets');
    expect(lineIdOf('…')).toBe('line');
  });
});

describe('costSplit', () => {
  it('sums the AWS bill and the staff time apart; total = aws + staff', () => {
    // SageMaker's worked day: 26.117093175 instance-hours × $1.515 = $39.567396…; ops
    // 0.1 FTE × $200,000 × 24 h / 8,760 h = $54.794520…; total $94.361916…
    const lines = [
      line('Instance usage', 26.117093175, 'instance-hours', 1.515),
      line('Operations', (0.1 * 24) / 8760, 'FTE-years', 200000, { billedBy: 'staff', lineId: 'ops' }),
    ];
    const c = costSplit(lines);
    expect(c.aws).toBeCloseTo(39.567396160125, 9);
    expect(c.staff).toBeCloseTo(54.794520547945, 9);
    expect(c.total).toBeCloseTo(94.36191670807, 9);
    expect(c.total).toBe(c.aws + c.staff);
  });

  it('adds many small charges without drift (compensated) and a discount on the AWS side', () => {
    // 1,000,000 charges of $0.01 = $10,000 exactly; a −$1,500 discount; $500 of staff time.
    const lines = Array.from({ length: 1_000_000 }, () => line('Tokens', 1, 'calls', 0.01));
    lines.push(
      line('Discount (AmazonBedrock, 15%)', 10000, 'USD', -0.15, { lineId: 'discount-amazonbedrock' }),
    );
    lines.push(line('Ops', 1, 'FTE-years', 500, { billedBy: 'staff', lineId: 'ops' }));
    const c = costSplit(lines);
    expect(c.aws).toBeCloseTo(8500, 9);
    expect(c.staff).toBe(500);
    expect(c.total).toBeCloseTo(9000, 9);
  });

  it('is all zero without lines', () => {
    expect(costSplit([])).toEqual({ total: 0, aws: 0, staff: 0 });
  });
});
