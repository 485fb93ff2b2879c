import { describe, expect, it } from 'vitest';
import { planForecast } from '../../../src/planning/forecast/forecast.js';
import { runTask } from '../../../src/planning/sweep/sweep.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';
import { cmiFixed } from '../../compare/fixtures.js';

/*
 * A weekday-only heartbeat's weekend day joins the weekday's task (the option without its
 * heartbeat, on the weekday's trace) when the traffic is the same on both days. Exact: every
 * folded outcome equals the weekend day simulated on its own date with the heartbeat, as before.
 */

const HB = { every: '5m', during: ['08:00-19:00'], days: 'weekdays' };

function scenario(days: 'all' | 'weekdays') {
  const tokens = { inputTokens: { dist: 'lognormal', median: 250, p90: 320 }, outputTokens: 60 };
  return scenarioFromObject({
    name: 'fold',
    seed: 9,
    timezone: 'America/New_York',
    traffic: {
      start: '2026-03-02T00:00',
      components: [
        { type: 'batch', at: '09:00', count: 300, over: '30m', days, ...tokens },
        { type: 'poisson', rate: '0.01/s', ...tokens },
      ],
    },
    options: [
      { ...cmiFixed, key: 'cmi' },
      { ...cmiFixed, key: 'cmi-hb', heartbeat: HB },
      { id: 'bedrock-cmi', key: 'cmi-drawn', heartbeat: HB },
      {
        id: 'sagemaker-realtime',
        key: 'sm',
        instanceType: 'ml.g5.2xlarge',
        minInstances: 0,
        maxInstances: 2,
        heartbeat: HB,
      },
      { id: 'bedrock-on-demand', key: 'llama', model: 'llama-3.1-8b-instruct' },
    ],
    forecast: { months: 2, runs: 3, growth: 0.1, runVolumes: 'all' },
  });
}

describe('weekend days folded into the weekday task', () => {
  it('equal the weekend day simulated on its own date, heartbeat and all', () => {
    const loaded = scenario('all');
    const plan = planForecast(loaded);
    const weekendDate = `${plan.frame.representativeDays.weekend}T00:00`;
    let checked = 0;
    for (const t of plan.frame.days.flat(2)) {
      expect(t.weekend).toBe(t.weekday);
      const task = plan.tasks[t.weekday]!;
      const n = t.split!;
      const folded = runTask(plan.ctx, task).slice(n);
      expect(folded.map((o) => o.key)).toEqual(['cmi-hb', 'cmi-drawn', 'sm']);
      // The old computation: the run's own entries (heartbeat included) on the weekend date.
      const own = task.options.slice(0, n).filter((o) => o.heartbeat !== undefined);
      const alone = runTask(plan.ctx, { ...task, options: own, span: { start: weekendDate, days: 1 } });
      expect(folded).toEqual(alone);
      checked++;
    }
    // 3 runs × 2 volumes (growth over 2 months), each a folded task.
    expect(checked).toBe(6);
  });

  it('are not folded when the traffic differs on weekends', () => {
    const plan = planForecast(scenario('weekdays'));
    for (const t of plan.frame.days.flat(2)) {
      expect(t.split).toBeUndefined();
      expect(t.weekend).not.toBe(t.weekday);
      expect(plan.tasks[t.weekend!]!.span!.start).toBe(`${plan.frame.representativeDays.weekend}T00:00`);
    }
  });
});
