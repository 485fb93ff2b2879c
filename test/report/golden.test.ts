import { describe, it } from 'vitest';
import { chartsOf } from '../../src/report/charts/index.js';
import { specJson } from '../../src/report/charts/spec-json.js';
import { costsCsv } from '../../src/report/files.js';
import { defaultRun } from './fixtures.js';
import { expectGolden } from './golden.js';

// The default scenario's report formats (see golden.ts for how to update them).
describe('golden files: default scenario (medical-notes)', () => {
  it('costs.csv', () => {
    expectGolden('medical-notes/costs.csv', costsCsv(defaultRun()));
  });

  for (const name of ['cost-by-option', 'traffic-vs-replicas', 'cumulative-cost', 'latency-cdf'])
    it(`${name}.vl.json`, () => {
      const chart = chartsOf(defaultRun()).find((c) => c.name === name);
      if (!chart) throw new Error(`no chart ${name}`);
      expectGolden(`medical-notes/${name}.vl.json`, specJson(chart.spec));
    });
});
