import { describe, expect, it } from 'vitest';
import type { RunOutput } from '../../../src/compare/run.js';
import { chartsOf } from '../../../src/report/charts/index.js';
import { cumulativeCost } from '../../../src/report/charts/cumulative-cost.js';
import { latencyCdf } from '../../../src/report/charts/latency-cdf.js';
import { optionColors, PALETTE } from '../../../src/report/charts/style.js';
import { trafficVsReplicas } from '../../../src/report/charts/traffic-vs-replicas.js';
import { defaultRun, smallRun } from '../fixtures.js';
import { collect, rowsOf, type Json } from './spec.js';

describe('chartsOf (default scenario)', () => {
  const out = defaultRun();
  const charts = chartsOf(out);

  it('draws the analyses that exist, in report order', () => {
    expect(charts.map((c) => c.name)).toEqual([
      'cost-by-option',
      'traffic-vs-replicas',
      'cumulative-cost',
      'latency-cdf',
    ]);
  });

  it('gives every chart a title and every quantitative or time axis a title with its unit', () => {
    for (const c of charts) {
      const title = (c.spec as { title: { text: string } }).title.text;
      expect(title, c.name).toBeTruthy();
      for (const enc of collect(c.spec, 'encoding'))
        for (const ch of ['x', 'y'] as const) {
          const def = enc[ch] as { type?: string; title?: unknown; axis?: { title?: unknown } } | undefined;
          const t = def?.title ?? def?.axis?.title;
          if (def && (def.type === 'quantitative' || def.type === 'temporal'))
            expect(typeof t === 'string' && t.length > 0, `${c.name} ${ch}`).toBe(true);
        }
    }
    // Units named on the axes.
    const titles = charts.flatMap((c) =>
      collect(c.spec, 'encoding').flatMap((e) =>
        ['x', 'y'].map((ch) => {
          const def = e[ch] as { title?: string; axis?: { title?: string } } | undefined;
          return def?.title ?? def?.axis?.title;
        }),
      ),
    );
    expect(titles).toContain('USD');
    expect(titles).toContain('arrivals / min (√ scale)');
    expect(titles).toContain('latency per user request (seconds, log scale)');
    expect(titles.some((t) => t?.startsWith('local time (America/New_York, UTC-05:00)'))).toBe(true);
  });

  it('colours each option the same in every chart: the palette in scenario order', () => {
    const scales = charts.flatMap((c) =>
      collect(c.spec, 'encoding')
        .map((e) => e.color as { field?: string; scale?: unknown } | undefined)
        .filter((col) => col?.field === 'option')
        .map((col) => col!.scale),
    );
    expect(scales.length).toBeGreaterThanOrEqual(charts.length);
    const keys = out.result.options.map((o) => o.key);
    for (const s of scales) expect(s).toEqual({ domain: keys, range: keys.map((_, i) => PALETTE[i]) });
    expect([...optionColors(['a', 'b']).values()]).toEqual([PALETTE[0], PALETTE[1]]);
    expect(optionColors(Array.from({ length: 11 }, (_, i) => `o${i}`)).get('o10')).toBe(PALETTE[0]);
  });

  it('traffic vs replicas: the step rows give back every minute of the series', () => {
    const rows = rowsOf(trafficVsReplicas(out)!.spec);
    const fleets = out.runs.filter((r, i) => r.record !== null && out.result.options[i]!.capacity !== null);
    expect(new Set(rows.map((r) => r.option))).toEqual(new Set(fleets.map((r) => r.key)));
    for (const run of fleets) {
      const s = run.record!.series;
      const mine = rows.filter((r) => r.option === run.key);
      const t0 = mine[0]!.t as number;
      let k = 0;
      for (let m = 0; m < s.minutes; m++) {
        const t = t0 + m * 60_000;
        while (k + 1 < mine.length && (mine[k + 1]!.t as number) <= t) k++;
        expect([mine[k]!.arrivals, mine[k]!.replicas], `${run.key} minute ${m}`).toEqual([
          s.arrivals[m],
          s.ready[m],
        ]);
      }
      expect(mine.at(-1)!.t).toBe(t0 + s.minutes * 60_000);
    }
  });

  it('cumulative cost: the kept points interpolate to the cost of every minute', () => {
    const rows = rowsOf(cumulativeCost(out)!.spec);
    for (const run of out.runs.filter((r) => r.bill !== null)) {
      const minutes = run.record!.series.minutes;
      const cost = run.bill!.costSoFar(minutes);
      const mine = rows.filter((r) => r.option === run.key);
      const t0 = mine[0]!.t as number;
      expect(mine[0]!.usd).toBe(0);
      let k = 0;
      for (let m = 0; m < minutes; m++) {
        const t = t0 + (m + 1) * 60_000;
        while (k + 1 < mine.length && (mine[k + 1]!.t as number) < t) k++;
        const a = mine[k]!;
        const b = mine[k + 1] ?? a;
        const f = b === a ? 0 : (t - (a.t as number)) / ((b.t as number) - (a.t as number));
        const usd = (a.usd as number) + f * ((b.usd as number) - (a.usd as number));
        expect(Math.abs(usd - cost[m]!), `${run.key} minute ${m}`).toBeLessThan(2e-6);
      }
    }
  });

  it('latency CDF: rising steps to 1 per option, with the cold-start subset where there was one', () => {
    const rows = rowsOf(latencyCdf(out)!.spec);
    const groups = new Map<string, Json[]>();
    for (const r of rows)
      groups.set(`${r.option}|${r.subset}`, [...(groups.get(`${r.option}|${r.subset}`) ?? []), r]);
    // A dashed cold-start line exactly for the options whose requests waited on one.
    expect([...groups.keys()]).toEqual(
      out.result.options
        .filter((_, i) => out.runs[i]!.record !== null)
        .flatMap((o) => [
          `${o.key}|all user requests`,
          ...(o.requests.coldStartHits > 0 ? [`${o.key}|only those that waited on a cold start`] : []),
        ]),
    );
    expect(groups.has('cmi|only those that waited on a cold start')).toBe(true);
    for (const [key, g] of groups) {
      for (let i = 1; i < g.length; i++) {
        expect(g[i]!.latency as number, key).toBeGreaterThanOrEqual(g[i - 1]!.latency as number);
        expect(g[i]!.fraction as number, key).toBeGreaterThanOrEqual(g[i - 1]!.fraction as number);
      }
      expect(g[0]!.fraction).toBe(0);
      expect(g.at(-1)!.fraction).toBe(1);
      expect(g.length, key).toBeLessThan(700);
    }
    const cmi = out.result.options[0]!;
    expect(groups.get('cmi|all user requests')!.at(-1)!.latency).toBe(
      Number(cmi.latency!.all!.max.toPrecision(4)),
    );
    // Drawn from the record's bounded sample: 2,000 of 30,200 latencies, the last one the max.
    const sample = out.runs[0]!.record!.latencySample;
    expect(sample.all.length).toBe(2000);
    expect(sample.all.at(-1)).toBe(cmi.latency!.all!.max);
    expect(sample.coldHit.length).toBe(Math.min(2000, cmi.requests.coldStartHits));
  });
});

describe('chartsOf (small scenario: an infeasible option, two days, another timezone)', () => {
  const out = smallRun();

  it('lists an infeasible option in the cost chart as not feasible, keeping its colour slot', () => {
    const spec = chartsOf(out).find((c) => c.name === 'cost-by-option')!.spec as {
      layer: { data: { values: Json[] } }[];
    };
    expect(spec.layer[2]!.data.values).toEqual([
      { option: 'box', at: 144, label: '$144.00' },
      { option: 'cmi', at: 0, label: 'not feasible' },
    ]);
    // One segment, named in full: it fits.
    expect(spec.layer[0]!.data.values).toEqual([
      expect.objectContaining({ option: 'box', from: 0, to: 144, label: 'Replica usage', ink: 'white' }),
    ]);
    expect(JSON.stringify(spec)).toContain('"domain":["box","cmi"]');
  });

  it('buckets a series longer than a day and says so; times are local to the scenario', () => {
    const spec = trafficVsReplicas(out)!.spec;
    const text = JSON.stringify(spec);
    expect(text).toContain('mean over each 2-minute bucket');
    expect(text).toContain('local time (Europe/Berlin, UTC+01:00)');
    const first = rowsOf(spec)[0]!;
    // 2026-01-05T00:00 Berlin wall clock, read as UTC.
    expect(first.t).toBe(Date.UTC(2026, 0, 5));
  });

  it('draws nothing where no option is feasible', () => {
    const none: RunOutput = {
      ...out,
      runs: out.runs.filter((r) => r.record === null),
      result: { ...out.result, options: out.result.options.filter((o) => !o.feasible) },
    };
    expect(chartsOf(none)).toEqual([]);
  });
});
