import { describe, expect, it } from 'vitest';
import { forecastBandsChart } from '../../src/report/charts/forecast-bands.js';
import { heartbeatChart } from '../../src/report/charts/heartbeat.js';
import { chartsOf } from '../../src/report/charts/index.js';
import { specJson } from '../../src/report/charts/spec-json.js';
import { costsCsv } from '../../src/report/files.js';
import { volumeCrossoverChart } from '../../src/report/charts/volume-crossover.js';
import { forecastFixture, heartbeatFixture, volumeFixture } from './charts/planning-fixtures.js';
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

// The planning charts, drawn from the frozen results of charts/planning-fixtures.ts.
describe('golden files: planning charts', () => {
  const charts = {
    heartbeat: () => heartbeatChart([heartbeatFixture()]),
    'volume-crossover': () => volumeCrossoverChart(volumeFixture()),
    'forecast-bands': () => forecastBandsChart(forecastFixture()),
  };
  for (const [name, build] of Object.entries(charts))
    it(`${name}.vl.json`, () => {
      const chart = build();
      if (!chart) throw new Error(`no chart ${name}`);
      expect(chart.name).toBe(name);
      expectGolden(`planning/${name}.vl.json`, specJson(chart.spec));
    });
});
