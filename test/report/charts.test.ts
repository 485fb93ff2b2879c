import { describe, expect, it } from 'vitest';
import type { RunOutput } from '../../src/compare/run.js';
import {
  chartsOf,
  costByOption,
  cumulativeCost,
  latencyCdf,
  lineKind,
  optionColors,
  PALETTE,
  specJson,
  trafficVsReplicas,
} from '../../src/report/charts.js';
import { textWidth } from '../../src/report/text-width.js';
import { defaultRun, smallRun } from './fixtures.js';
import { runScenario } from '../../src/compare/run.js';
import { scenarioFromObject } from '../../src/scenario/load.js';

type Json = Record<string, unknown>;

/** Every object in a spec that has `key` (encodings, scales, ...), found by walking it. */
function collect(node: unknown, key: string, out: Json[] = []): Json[] {
  if (Array.isArray(node)) for (const n of node) collect(n, key, out);
  else if (node && typeof node === 'object') {
    const o = node as Json;
    if (key in o) out.push(o[key] as Json);
    for (const [k, v] of Object.entries(o)) if (k !== 'values') collect(v, key, out);
  }
  return out;
}

function rowsOf(spec: unknown): Json[] {
  return (spec as { data: { values: Json[] } }).data.values;
}

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

describe('costByOption', () => {
  it('names a segment in full, by its first word, or not at all — whatever fits inside it', () => {
    const out = defaultRun();
    const spec = costByOption(out)!.spec as {
      width: number;
      layer: { data: { values: Json[] } }[];
      encoding?: unknown;
    };
    const domainMax = JSON.stringify(spec).match(/"domain":\[0,([\d.]+)\]/)![1]!;
    const px = spec.width / Number(domainMax);
    const segments = spec.layer[0]!.data.values;
    expect(segments.length).toBe(
      out.result.options.flatMap((o) => o.cost?.lines ?? []).filter((l) => l.amount > 0).length,
    );
    const staffItems = new Set(
      out.result.options
        .flatMap((o) => o.cost?.lines ?? [])
        .flatMap((l) => (l.billedBy === 'staff' ? [l.item] : [])),
    );
    for (const seg of segments) {
      const kind = lineKind(String(seg.item));
      const allowed = staffItems.has(String(seg.item))
        ? [`staff: ${kind}`, 'staff', '']
        : [kind, `${kind.split(' ')[0]}…`, ''];
      expect(allowed).toContain(seg.label);
      if (seg.label !== '')
        expect(textWidth(String(seg.label), 11) + 12).toBeLessThanOrEqual(
          ((seg.to as number) - (seg.from as number)) * px,
        );
    }
    expect(segments.some((s) => s.label === 'CMU inference')).toBe(true);
  });

  it('draws a discount faint, back from the end of the positive lines', () => {
    const out = smallRun();
    const box = out.result.options[0]!;
    const discounted: RunOutput = {
      ...out,
      result: {
        ...out.result,
        options: [
          {
            ...box,
            cost: {
              ...box.cost!,
              total: 122.4,
              aws: 122.4,
              lines: [
                ...box.cost!.lines,
                {
                  item: 'Discount (15 %)',
                  quantity: 144,
                  unit: 'USD',
                  unitPrice: -0.15,
                  amount: -21.6,
                  billedBy: 'aws' as const,
                  lineId: 'discount',
                },
              ],
            },
          },
          ...out.result.options.slice(1),
        ],
      },
    };
    const spec = costByOption(discounted)!.spec as { layer: { data: { values: Json[] } }[] };
    expect(spec.layer[0]!.data.values.map((v) => [v.from, v.to, v.opacity])).toEqual([
      [0, 144, 1],
      [122.4, 144, 0.25],
    ]);
    expect(spec.layer[2]!.data.values[0]).toEqual({ option: 'box', at: 144, label: '$122.40' });
  });
});

describe('costByOption: AWS bill and staff time apart', () => {
  it('draws staff time pale after the AWS lines and gives the AWS bill beside the total', () => {
    const out = defaultRun();
    const spec = costByOption(out)!.spec as { layer: { data: { values: Json[] } }[] };
    const sm = out.result.options.find((o) => o.key === 'sagemaker-realtime')!;
    const segs = spec.layer[0]!.data.values.filter((v) => v.option === 'sagemaker-realtime');
    // Instance usage first (solid), then the ops line from where it ends (pale).
    const [usage, ops] = sm.cost!.lines;
    expect(usage!.billedBy).toBe('aws');
    expect(ops!.billedBy).toBe('staff');
    expect(segs.map((v) => [v.from, v.opacity])).toEqual([
      [0, 1],
      [Math.round(usage!.amount * 1e4) / 1e4, 0.3],
    ]);
    const end = spec.layer[2]!.data.values.find((v) => v.option === 'sagemaker-realtime')!;
    // $39.57 AWS + $54.79 staff = $94.36 (the line amounts, rounded to cents).
    expect(end.label).toBe(`$${sm.cost!.total.toFixed(2)} ($${usage!.amount.toFixed(2)} AWS)`);
  });
});

describe('specJson', () => {
  it('is the spec as JSON, one data row per line', () => {
    const spec = latencyCdf(defaultRun())!.spec;
    const text = specJson(spec);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(spec)));
    expect(text.endsWith('}\n')).toBe(true);
    const rowLines = text.split('\n').filter((l) => l.trimStart().startsWith('{"option"'));
    expect(rowLines.length).toBe(rowsOf(spec).length);
  });

  it('writes an empty data array as []', () => {
    const text = specJson({ data: { values: [] }, mark: 'point' });
    expect(text).toContain('"values": []');
    expect(JSON.parse(text)).toEqual({ data: { values: [] }, mark: 'point' });
  });
});

describe('lineKind', () => {
  it('drops the bracketed details of a cost line', () => {
    expect(lineKind('Model storage (2 CMUs, pro-rated)')).toBe('Model storage');
    expect(lineKind('Instance usage (ml.g5.2xlarge, on-demand)')).toBe('Instance usage');
    expect(lineKind('EKS control plane')).toBe('EKS control plane');
  });
});

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
    const busy = rowsOf(spec).filter((r) => (r.arrivals as number) > 0);
    expect(busy.map((r) => new Date(r.t as number).toISOString())).toEqual([
      '2026-03-07T09:00:00.000Z',
      '2026-03-08T09:00:00.000Z',
    ]);
    expect(JSON.stringify(spec)).toContain('UTC-05:00 → UTC-04:00');
  });
});
