import { describe, expect, it } from 'vitest';
import { bandText, countGaps, humanDuration } from '../../src/compare/claim-reasons.js';
import type { AssumptionRow } from '../../src/compare/result.js';
import { runScenario } from '../../src/compare/run.js';
import { loadScenarioFile, parseScenarioText } from '../../src/scenario/load.js';
import { syntheticStream } from '../../src/traffic/synthetic.js';

/*
 * Claims with reasons (design §11): a claim that does not hold says why — the mechanism, what the
 * run recorded, the assumption and its band. The numbers in each reason are checked against
 * counts worked out here, from the trace and the run's record, not read from the reason code.
 */

const row = (name: string, value: number | string, unit: string, low: number | null, high: number | null) =>
  ({ option: 'x', name, value, unit, low, high, source: '', uncertain: true }) satisfies AssumptionRow;

describe('countGaps', () => {
  it('counts calls in each window, long gaps between them, and a long idle before the first', () => {
    const calls = Float64Array.from([0, 100, 500, 520, 2000, 2100]);
    // Window [50, 600): calls 100, 500, 520; 100 → 500 is 400 s > 300: one gap; 100 − 0 = 100 s before it.
    expect(countGaps(calls, [[50, 600]], 300)).toEqual({ calls: 3, gaps: 1, idleFirsts: 0, firstIdle: 100 });
    // Window [1000, 3000): 2000 (1,480 s after 520: an idle first) and 2100 (100 s later).
    expect(countGaps(calls, [[1000, 3000]], 300)).toEqual({
      calls: 2,
      gaps: 0,
      idleFirsts: 1,
      firstIdle: 1480,
    });
    // Both windows: 5 calls, 1 gap, 1 idle first; no single firstIdle.
    expect(
      countGaps(
        calls,
        [
          [50, 600],
          [1000, 3000],
        ],
        300,
      ),
    ).toEqual({ calls: 5, gaps: 1, idleFirsts: 1, firstIdle: null });
    // The very first call of the trace has none before it: idle since forever.
    expect(countGaps(calls, [[0, 10]], 300)).toEqual({
      calls: 1,
      gaps: 0,
      idleFirsts: 1,
      firstIdle: Infinity,
    });
    expect(countGaps(new Float64Array(0), [[0, 10]], 300).calls).toBe(0);
  });
});

describe('durations and bands as people say them', () => {
  it('uses seconds, minutes or hours', () => {
    expect([96, 150, 60, 300, 1800, 3600, 5400, 7200, 9000].map(humanDuration)).toEqual([
      '96 s',
      '150 s',
      '60 s',
      '5 min',
      '30 min',
      '1 h',
      '1.5 h',
      '2 h',
      '2.5 h',
    ]);
  });

  it('shares the unit of a band when both ends have it; no band without width', () => {
    expect(bandText(row('evicted cold start', '96s', '', 60, 150), true)).toBe('band 60–150 s');
    expect(bandText(row('evict after idle', 3600, 's', 1800, 7200), true)).toBe('band 30 min–2 h');
    expect(bandText(row('slots per copy', 8, 'requests', 4, 16), false)).toBe('band 4–16');
    expect(bandText(row('scale to zero after', 300, 's', 300, 300), true)).toBe('');
    expect(bandText(row('routing', 'pack', '', null, null), false)).toBe('');
  });
});

describe('the default scenario (medical-notes): every failing claim says why', () => {
  const loaded = loadScenarioFile('scenarios/medical-notes.yaml');
  const out = runScenario(loaded);
  const r = out.result;
  const cmiRun = out.runs.find((x) => x.key === 'cmi')!.record!;
  const claim = (metric: string) => r.claims.find((c) => c.metric === metric)!;
  const rowOf = (name: string) => r.assumptions.find((a) => a.option === 'cmi' && a.name === name)!;

  it('gives a reason exactly where a claim does not hold', () => {
    expect(r.claims.filter((c) => c.holds === false).length).toBeGreaterThan(0);
    for (const c of r.claims) {
      if (c.holds === false) expect(c.reason?.length ?? 0, c.source).toBeGreaterThan(40);
      else expect(c.reason, c.source).toBeUndefined();
    }
  });

  it('first request: eviction after the idle before the trace, and the evicted start it waited on', () => {
    const c = claim('firstRequestLatency');
    expect(c.holds).toBe(false);
    // The first copy of the day was asked for by the first call and loaded for the evicted
    // cold start, a fixed 96 s (the assumption's value, band 60–150 s).
    const first = [...cmiRun.replicas].sort((a, b) => a.requestedAt - b.requestedAt)[0]!;
    expect(first.cold).toBe(true);
    expect(first.requestedAt).toBe(cmiRun.firstRequest!.arrival);
    expect(first.readyAt - first.requestedAt).toBeCloseTo(96, 6);
    expect(rowOf('evicted cold start')).toMatchObject({ value: '96s', low: 60, high: 150 });
    expect(rowOf('evict after idle')).toMatchObject({ value: 3600, low: 1800, high: 7200 });
    expect(c.reason).toContain('idle since before the trace');
    // evictAfter 3,600 s = 1 h, band 1,800–7,200 s = 30 min–2 h.
    expect(c.reason).toContain('longer than evictAfter (1 h, band 30 min–2 h)');
    expect(c.reason).toContain('evicted cold start of 96 s (band 60–150 s)');
    expect(c.reason).toContain(`took ${+cmiRun.firstRequest!.latency.toFixed(1)} s in all`);
  });

  it('afternoon cold starts: the gaps longer than scale-to-zero, counted here from the trace', () => {
    const c = claim('coldStarts');
    expect(c.holds).toBe(false);
    // The day starts at local midnight (America/New_York, 2026-01-05): 13:00 is t = 46,800 s,
    // 19:00 is t = 68,400 s. cmi has no heartbeat: its calls are the user requests.
    const [from, to] = [13 * 3600, 19 * 3600];
    const stz = 300; // scale to zero after: 5 min
    expect(rowOf('scale to zero after').value).toBe(stz);
    const s = syntheticStream(
      loaded.scenario.traffic,
      loaded.scenario.timezone,
      loaded.scenario.seed,
      loaded.baseDir,
    );
    let before = -Infinity;
    const inside: number[] = [];
    while (s.next()) {
      if (s.t < from) before = s.t;
      else if (s.t < to) inside.push(s.t);
    }
    let gaps = 0;
    for (let i = 1; i < inside.length; i++) if (inside[i]! - inside[i - 1]! > stz) gaps++;
    // The trickle's first call comes long after the batch (09:00 + ~45 min): a cold start too.
    expect(inside[0]! - before).toBeGreaterThan(stz);
    expect(gaps + 1).toBe(c.simulated); // every cold start accounted for
    expect(c.reason).toContain(`the ${inside.length} calls between 13:00 and 19:00 left ${gaps} gaps`);
    expect(c.reason).toContain('longer than the 5 min scale-to-zero time');
    expect(c.reason).toContain(`${c.simulated} cold starts between 13:00 and 19:00`);
  });

  it('peak replicas: requests beyond the slots per copy for longer than scale-out after, up to the cap', () => {
    const c = claim('peakReplicas');
    expect(c.holds).toBe(false);
    let peakIn = 0;
    for (const x of cmiRun.series.inFlight) peakIn = Math.max(peakIn, x);
    // 8 slots per copy (band 4–16): ⌈peak in flight / 8⌉ copies' worth of requests.
    expect(rowOf('slots per copy')).toMatchObject({ value: 8, low: 4, high: 16 });
    expect(c.reason).toContain(`${peakIn.toLocaleString('en-US')} requests were in the system at 09:`);
    expect(c.reason).toContain(`${Math.ceil(peakIn / 8)} copies' worth at 8 slots per copy (band 4–16)`);
    expect(c.reason).toContain('scale out after (30 s, band 10–120 s)');
    expect(c.reason).toContain(`grew to ${c.simulated} copies`);
    expect(c.reason).toContain('its cap (max copies: 4, band 1–10)');
  });
});

describe('every metric has a reason when it fails', () => {
  const yaml = `
name: claims
seed: 5
model: { name: m, provenance: imported, architecture: LlamaForCausalLM, parameters: 8.03e9, bytesPerParameter: 2, contextLength: 8192 }
traffic:
  days: 1
  components:
    - type: trickle
      from: '10:00'
      to: '12:00'
      count: 40
options:
  - id: bedrock-cmi
    key: cmi
    coldStart: 40s
  - id: sagemaker-realtime
    key: sm
    instanceType: ml.g5.2xlarge
    minInstances: 1
    maxInstances: 2
claims:
  - { source: a, option: cmi, metric: p95, value: 0.5s }
  - { source: b, option: sm, metric: p50, value: 0.1s }
  - { source: c, option: cmi, metric: billedUnitHours, value: 100 }
  - { source: d, option: sm, metric: totalCost, value: 1 }
  - { source: e, option: cmi, metric: coldStarts, value: 0 }
  - { source: f, option: sm, metric: firstRequestLatency, value: 0.01s }
  - { source: g, option: sm, metric: peakReplicas, value: 3, tolerance: 0 }
`;
  const r = runScenario(parseScenarioText(yaml, 'claims.yaml')).result;
  const by = new Map(r.claims.map((c) => [c.source, c]));

  it('fails them all, each with a reason naming its mechanism', () => {
    for (const c of r.claims) expect(c.holds, c.source).toBe(false);
    // 40 calls over 2 h: the cmi p95 is a cold-start wait or queueing, never 0.5 s of service.
    expect(by.get('a')!.reason).toMatch(/cold start|queued|service time/);
    expect(by.get('b')!.reason).toMatch(/service time|queued/);
    expect(by.get('c')!.reason).toMatch(
      /copies were started, up .* copy-hours .* unit-hours under the window rule/,
    );
    // SageMaker's total = its instance line + its ops line (staff time): the largest is named.
    expect(by.get('d')!.reason).toMatch(/^the largest line is .*AWS bill and \$[\d.]+ staff time$/);
    // The whole span: no window, the first call comes with none before it.
    expect(by.get('e')!.reason).toMatch(
      /^the 40 calls over the trace left \d+ gaps? longer than the 5 min scale-to-zero time, and the first came with no call before it: \d+ cold starts? over the trace$/,
    );
    // sm keeps an instance up from the start: the first call found it ready.
    expect(by.get('f')!.reason).toMatch(/^the first call found a ready copy \(no cold start\)/);
    // 40 calls in 2 h never need a second instance of 16 slots.
    expect(by.get('g')!.reason).toMatch(
      /^at most \d+ requests? (was|were) in the system at .*: the fleet never needed more than 1$/,
    );
  });
});
