import { describe, expect, it } from 'vitest';
import { monthlyCosts } from '../../src/planning/monthly/monthly.js';
import { runOnPool } from '../../src/planning/sweep/base-run.js';
import { scenarioFromObject } from '../../src/scenario/load.js';

// The 30-day-month equivalent (issue 20 item 1): each day of the 30 from traffic.start costed by
// its day type, idle days included — not the span × 30.

async function monthly(obj: object) {
  const { out, pool } = await runOnPool(scenarioFromObject(obj), {}, { workers: 1 });
  try {
    return { out, monthly: await monthlyCosts(out, pool) };
  } finally {
    await pool.close();
  }
}

const cost = (out: Awaited<ReturnType<typeof monthly>>['out'], key: string) =>
  out.result.options.find((o) => o.key === key)!.cost!;

describe('monthly cost', () => {
  it('a weekday run: 22 weekdays as the run, 8 idle weekend days at their standing cost (worked by hand)', async () => {
    // Mon 2026-01-05 + 30 days = Jan 5 … Feb 3: 22 weekdays, 8 weekend days (Jan 10, 11, 17, 18, 24, 25, 31, Feb 1).
    const { out, monthly: m } = await monthly({
      name: 'monthly-weekdays',
      timezone: 'UTC',
      seed: 3,
      traffic: {
        start: '2026-01-05T00:00',
        days: 1,
        components: [{ type: 'poisson', rate: '0.05/s', from: '09:00', to: '17:00', days: 'weekdays' }],
      },
      options: [
        { id: 'bedrock-cmi', key: 'cmi' },
        { id: 'self-hosted', instanceType: 'g5.2xlarge', minNodes: 1, maxNodes: 2 },
      ],
    });
    // CMI on an idle day: storage only, 2 CMUs × $1.95 per CMU-month, a month being 365/12 days.
    const cmiIdleDay = (2 * 1.95) / (365 / 12);
    const cmi = m.get('cmi')!;
    expect(cmi.total).toBeCloseTo(22 * cost(out, 'cmi').total + 8 * cmiIdleDay, 6);
    expect(cmi.staff).toBe(0);
    expect(cmi.method).toBe(
      '30 days from 2026-01-05 by day type: 22 weekdays as 2026-01-05, 8 weekend days as 2026-01-10, each simulated as one day',
    );
    // Self-hosted on an idle day: its one standing node 24 h × $1.212, the EKS control plane 24 h ×
    // $0.10 and the staff time nobody bills, 0.25 FTE × $200,000 a year.
    const staffDay = (0.25 * 200_000) / 365;
    const sh = m.get('self-hosted')!;
    const run = cost(out, 'self-hosted');
    expect(sh.aws).toBeCloseTo(22 * run.aws + 8 * (24 * 1.212 + 24 * 0.1), 6);
    expect(sh.staff).toBeCloseTo(30 * staffDay, 6);
    expect(sh.total).toBeCloseTo(sh.aws + sh.staff, 9);
    // Not the naive × 30: CMI's idle weekend days cost less than its busy weekday.
    expect(cmi.total).toBeLessThan(30 * cost(out, 'cmi').total);
  });

  it('weekday-only traffic per token = 22 × the weekday; a SageMaker endpoint with one standing instance = 30 days of it + staff', async () => {
    const { out, monthly: m } = await monthly({
      name: 'monthly-issue-20',
      timezone: 'UTC',
      traffic: {
        start: '2026-01-05T00:00',
        days: 1,
        components: [{ type: 'poisson', rate: '0.01/s', from: '09:00', to: '17:00', days: 'weekdays' }],
      },
      options: [
        { id: 'bedrock-on-demand', key: 'base', model: 'llama-3.1-8b-instruct' },
        { id: 'sagemaker-realtime', instanceType: 'ml.g5.2xlarge', minInstances: 1, maxInstances: 2 },
      ],
    });
    // Weekend days have no requests, so no tokens: the month is the 22 weekdays alone.
    expect(m.get('base')!.total).toBeCloseTo(22 * cost(out, 'base').total, 9);
    // ml.g5.2xlarge at $1.515 an hour, 30 × 24 hours; staff 0.1 FTE × $200,000 a year, 30/365 of it.
    const sm = m.get('sagemaker-realtime')!;
    expect(sm.aws).toBeCloseTo(30 * 24 * 1.515, 6);
    expect(sm.staff).toBeCloseTo((0.1 * 200_000 * 30) / 365, 6);
  });

  it('nothing differs by day type: 30 × the one simulated day', async () => {
    const { out, monthly: m } = await monthly({
      name: 'monthly-flat',
      timezone: 'UTC',
      traffic: { start: '2026-01-05T00:00', days: 1, components: [{ type: 'poisson', rate: '0.02/s' }] },
      options: [{ id: 'bedrock-on-demand', key: 'base', model: 'llama-3.1-8b-instruct' }],
    });
    expect(m.get('base')!.total).toBeCloseTo(30 * cost(out, 'base').total, 9);
    expect(m.get('base')!.method).toMatch(/nothing here differs between weekdays and weekends/);
  });

  it('a 30-day span is its own month; a longer one is averaged to 30 days', async () => {
    const flat = (days: number) => ({
      name: 'monthly-span',
      timezone: 'UTC',
      traffic: { start: '2026-03-02T00:00', days, components: [{ type: 'poisson', rate: '0.002/s' }] },
      options: [{ id: 'bedrock-on-demand', key: 'base', model: 'llama-3.1-8b-instruct' }],
    });
    const thirty = await monthly(flat(30));
    expect(thirty.monthly.get('base')).toEqual({
      ...pick(cost(thirty.out, 'base')),
      method: 'the simulated 30 days',
    });
    const sixty = await monthly(flat(60));
    const c = cost(sixty.out, 'base');
    expect(sixty.monthly.get('base')!.total).toBeCloseTo(c.total / 2, 9);
    expect(sixty.monthly.get('base')!.method).toBe('the simulated 60 days × 30 / 60');
  });

  it('an infeasible option has none', async () => {
    const { monthly: m } = await monthly({
      name: 'monthly-infeasible',
      traffic: { days: 1, components: [{ type: 'poisson', rate: '0.01/s' }] },
      options: [{ id: 'sagemaker-serverless', memoryMB: 6144 }],
    });
    expect(m.size).toBe(0);
  });
});

function pick(c: { total: number; aws: number; staff: number }) {
  return { total: c.total, aws: c.aws, staff: c.staff };
}
