import { describe, expect, it } from 'vitest';
import type { RunOutput } from '../../../src/compare/run.js';
import { chartsOf } from '../../../src/report/charts/index.js';
import { cumulativeCost } from '../../../src/report/charts/cumulative-cost.js';
import { latencyCdf } from '../../../src/report/charts/latency-cdf.js';
import { INK, optionColors, PALETTE } from '../../../src/report/charts/style.js';
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
          const def = enc[ch] as
            { type?: string; title?: unknown; axis?: { title?: unknown; labels?: boolean } } | undefined;
          const t = def?.title ?? def?.axis?.title;
          // An axis drawn without labels (the traffic panel above the replicas') shares the one below.
          if (def && (def.type === 'quantitative' || def.type === 'temporal') && def.axis?.labels !== false)
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

  it('colours each option the same in every chart: the palette, feasible options first', () => {
    const scales = charts.flatMap((c) =>
      collect(c.spec, 'encoding')
        .map((e) => e.color as { field?: string; scale?: unknown } | undefined)
        .filter((col) => col?.field === 'option')
        .map((col) => col!.scale),
    );
    // Every chart but the cost bars (coloured by cost-line kind) colours by option.
    expect(scales.length).toBeGreaterThanOrEqual(charts.length - 1);
    const o = out.result.options;
    const keys = [...o.filter((x) => x.cost !== null), ...o.filter((x) => x.cost === null)].map((x) => x.key);
    expect(keys.slice(0, 3)).toEqual(['cmi', 'cmi-heartbeat', 'sagemaker-realtime']);
    for (const s of scales) expect(s).toEqual({ domain: keys, range: keys.map((_, i) => PALETTE[i]) });
    expect([...optionColors(['a', 'b']).values()]).toEqual([PALETTE[0], PALETTE[1]]);
    expect(optionColors(Array.from({ length: 13 }, (_, i) => `o${i}`)).get('o12')).toBe(PALETTE[0]);
  });

  it('traffic vs replicas: the step rows give back every minute of the series, arrivals above, copies below', () => {
    const { arrivals, replicas } = trafficRows(trafficVsReplicas(out)!.spec);
    const fleets = out.runs.filter((r, i) => r.record !== null && out.result.options[i]!.capacity !== null);
    expect(new Set(replicas.map((r) => r.option))).toEqual(new Set(fleets.map((r) => r.key)));
    const at = (rows: Json[], t: number, k: { i: number }) => {
      while (k.i + 1 < rows.length && (rows[k.i + 1]!.t as number) <= t) k.i++;
      return rows[k.i]!;
    };
    for (const run of fleets) {
      const s = run.record!.series;
      const mine = replicas.filter((r) => r.option === run.key);
      const t0 = mine[0]!.t as number;
      expect(arrivals[0]!.t).toBe(t0);
      const [ka, kr] = [{ i: 0 }, { i: 0 }];
      for (let m = 0; m < s.minutes; m++) {
        const t = t0 + m * 60_000;
        expect([at(arrivals, t, ka).arrivals, at(mine, t, kr).replicas], `${run.key} minute ${m}`).toEqual([
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

  it('latency CDF: a panel per class, rising steps to 1 per option, never batch and interactive in one curve', () => {
    const rows = rowsOf(latencyCdf(out)!.spec);
    const groups = new Map<string, Json[]>();
    for (const r of rows)
      groups.set(`${r.option}|${r.panel}`, [...(groups.get(`${r.option}|${r.panel}`) ?? []), r]);
    // The default scenario: 200 interactive and 30,000 batch requests (scenarios/medical-notes.yaml).
    const panels = ['interactive (200 requests)', 'batch (30,000 requests)'];
    expect([...groups.keys()]).toEqual(
      out.result.options
        .filter((_, i) => out.runs[i]!.record !== null)
        .flatMap((o) => panels.map((p) => `${o.key}|${p}`)),
    );
    for (const [key, g] of groups) {
      for (let i = 1; i < g.length; i++) {
        expect(g[i]!.latency as number, key).toBeGreaterThanOrEqual(g[i - 1]!.latency as number);
        expect(g[i]!.fraction as number, key).toBeGreaterThanOrEqual(g[i - 1]!.fraction as number);
      }
      expect(g[0]!.fraction).toBe(0);
      expect(g.at(-1)!.fraction).toBe(1);
      expect(g.length, key).toBeLessThan(700);
    }
    // Each curve ends at its own class's slowest request: the classes are apart.
    const cmi = out.result.options[0]!;
    expect(groups.get(`cmi|${panels[0]}`)!.at(-1)!.latency).toBe(
      Number(cmi.latency!.interactive!.max.toPrecision(4)),
    );
    expect(groups.get(`cmi|${panels[1]}`)!.at(-1)!.latency).toBe(
      Number(cmi.latency!.batch!.max.toPrecision(4)),
    );
    // Drawn from the record's bounded samples: all 200 interactive latencies, 2,000 of the 30,000 batch.
    const sample = out.runs[0]!.record!.latencySample;
    expect(sample.interactive.length).toBe(200);
    expect(sample.batch.length).toBe(2000);
    expect(sample.batch.at(-1)).toBe(cmi.latency!.batch!.max);
  });
});

describe('chartsOf (small scenario: an infeasible option, two days, another timezone)', () => {
  const out = smallRun();

  it('lists an infeasible option in the cost chart as not feasible, after the feasible ones', () => {
    const spec = chartsOf(out).find((c) => c.name === 'cost-by-option')!.spec as {
      layer: { data: { values: Json[] } }[];
    };
    expect(spec.layer[2]!.data.values).toEqual([
      { option: 'box', at: 144, label: '$144.00' },
      { option: 'cmi', at: 0, label: 'not feasible' },
    ]);
    // One segment, named in full: it fits. Dark ink: it reads better than white on the muted blue.
    expect(spec.layer[0]!.data.values).toEqual([
      expect.objectContaining({
        option: 'box',
        from: 0,
        to: 144,
        label: 'Replica usage',
        kind: 'Replica usage',
        ink: INK,
      }),
    ]);
    expect(JSON.stringify(spec)).toContain('"sort":["box","cmi"]');
  });

  it('buckets a series longer than a day and says so; times are local to the scenario', () => {
    const spec = trafficVsReplicas(out)!.spec;
    const text = JSON.stringify(spec);
    expect(text).toContain('mean over each 2-minute bucket');
    expect(text).toContain('time-weighted mean over each bucket');
    expect(text).toContain('local time (Europe/Berlin, UTC+01:00)');
    const first = trafficRows(spec).arrivals[0]!;
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

/** The traffic chart's rows: arrivals (top panel) and the replicas' time-weighted means (below). */
function trafficRows(spec: unknown): { arrivals: Json[]; replicas: Json[] } {
  const v = (spec as { vconcat: { data: { values: Json[] } }[] }).vconcat;
  return {
    arrivals: v[0]!.data.values,
    replicas: v[1]!.data.values.filter((r) => r.kind === 'mean'),
  };
}
