import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/compare/run.js';
import { trafficVsReplicas } from '../../../src/report/charts/traffic-vs-replicas.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';
import type { Json } from './spec.js';

describe('time axis across a DST change', () => {
  // US clocks go forward at 02:00 on Sunday 2026-03-08: a 09:00 batch on the Saturday (UTC−5) and
  // on the Sunday (UTC−4) must both sit at 09:00 on the local-time axis.
  const out = runScenario(
    scenarioFromObject({
      name: 'dst',
      timezone: 'America/New_York',
      traffic: {
        start: '2026-03-07T00:00',
        days: 2,
        components: [{ type: 'batch', at: '09:00', count: 5, over: 0, class: 'interactive' }],
      },
      options: [{ id: 'fixed-fleet', key: 'box', replicas: 1, serviceTime: '1s' }],
    }),
  );
  const spec = trafficVsReplicas(out)!.spec;
  it('labels each instant with the offset in force then', () => {
    const arrivals = (spec as unknown as { vconcat: { data: { values: Json[] } }[] }).vconcat[0]!.data.values;
    const busy = arrivals.filter((r) => (r.arrivals as number) > 0);
    expect(busy.map((r) => new Date(r.t as number).toISOString())).toEqual([
      '2026-03-07T09:00:00.000Z',
      '2026-03-08T09:00:00.000Z',
    ]);
    expect(JSON.stringify(spec)).toContain('UTC-05:00 → UTC-04:00');
  });
});
