import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/compare/run.js';
import { AdapterResidency, resolveMultiLora } from '../../src/models/multi-lora.js';
import { simulateGroup } from '../../src/portfolio/lora-fleet.js';
import { nodeGroups } from '../../src/portfolio/lora-shared.js';
import { runPortfolio } from '../../src/portfolio/run.js';
import { scenarioFromObject } from '../../src/scenario/load.js';
import type { FleetConfig } from '../../src/sim/fleet.js';
import { ArrayStream } from '../helpers/sim.js';

// Self-hosted multi-LoRA over a portfolio (issue 21 item 2; docs/portfolio.md, "Self-hosted
// multi-LoRA"). Every expected value is worked by hand in the comments.

/** One replica of one slot, every request 10 s (before the throughput factor and loads). */
const oneSlot: FleetConfig = {
  slotsPerReplica: 1,
  routing: 'least-loaded',
  service: { time: () => 10 },
  initialReplicas: 1,
  policy: null,
};
const member = (model: string, times: number[], adapter = true) => ({
  model,
  users: () => new ArrayStream(times),
  adapter,
});

describe('adapter residency (an LRU per node)', () => {
  it('one resident adapter, alternating a, b, a, b: every switch is a load (4, the first included)', () => {
    const r = new AdapterResidency(1);
    expect([0, 1, 0, 1].map((a) => r.use(0, a))).toEqual([true, true, true, true]);
    expect(r.loads).toBe(4);
  });
  it('two resident adapters: a, b, a, b loads each once; c then evicts the least recent (a)', () => {
    const r = new AdapterResidency(2);
    expect([0, 1, 0, 1, 2, 1, 0].map((a) => r.use(0, a))).toEqual([
      true,
      true,
      false,
      false,
      true, // c evicts a (b was used last)
      false, // b still resident
      true, // a was evicted
    ]);
  });
  it('each node holds its own adapters', () => {
    const r = new AdapterResidency(8);
    expect([r.use(0, 0), r.use(1, 0), r.use(0, 0)]).toEqual([true, true, false]);
  });
});

describe('a multi-LoRA node group simulated once', () => {
  it('maxResidentAdapters 1, alternating adapters: each request waits one load; counted per model', () => {
    // a at 0, 100, 200; b at 50, 150, 250 (one slot, never overlapping: 10 s + 5 s < 50 s).
    // Resident after each: a, b, a, b, a, b → 6 loads, 3 per model; every latency 10 + 5 = 15 s.
    const run = simulateGroup(
      oneSlot,
      [member('a', [0, 100, 200]), member('b', [50, 150, 250])],
      { maxResidentAdapters: 1, adapterLoadSeconds: 5, throughputFactor: 1 },
      3600,
      Infinity,
    );
    expect(run.perModel.map((m) => m.adapterLoads)).toEqual([3, 3]);
    expect(run.perModel.map((m) => m.record.served)).toEqual([3, 3]);
    expect(run.perModel.map((m) => m.record.latency.all!.max)).toEqual([15, 15]);
    expect(run.perModel.map((m) => m.busySeconds)).toEqual([45, 45]);
    expect(run.record.served).toBe(6);
    expect(run.record.latency.all!.max).toBe(15);
  });

  it('throughput factor 0.5 doubles a service time: base 10 s → 20 s; an adapter adds its load once', () => {
    // base at 0: 10 / 0.5 = 20 s. Adapter at 100: 20 s + 5 s load = 25 s; again at 200: 20 s (resident).
    const run = simulateGroup(
      oneSlot,
      [member('base', [0], false), member('x', [100, 200])],
      { maxResidentAdapters: 4, adapterLoadSeconds: 5, throughputFactor: 0.5 },
      3600,
      Infinity,
    );
    expect(run.perModel[0]!.record.latency.all!.max).toBe(20);
    expect(run.perModel[0]!.adapterLoads).toBe(0);
    expect(run.perModel[1]!.record.latency.all!.max).toBe(25);
    // Mean of 25 and 20.
    expect(run.perModel[1]!.record.latency.all!.mean).toBe(22.5);
    expect(run.perModel[1]!.adapterLoads).toBe(1);
  });

  it('queued requests keep their model: a burst of 3 on one slot waits in order', () => {
    // a, a, b all at 0 (ties: the earlier model first) on one slot, 10 s each, 8 resident
    // (a load of 2 s on an adapter's first use): a starts 0 (+2) → done 12; a starts 12
    // (resident) → 22; b starts 22 (+2) → 34.
    const run = simulateGroup(
      oneSlot,
      [member('a', [0, 0]), member('b', [0])],
      { maxResidentAdapters: 8, adapterLoadSeconds: 2, throughputFactor: 1 },
      3600,
      Infinity,
    );
    // a: 12 and 22 (mean 17; waits 0 and 12, mean 6); b: 34 (waited 22).
    expect(run.perModel[0]!.record.latency.all!.mean).toBe(17);
    expect(run.perModel[0]!.record.latency.all!.max).toBe(22);
    expect(run.perModel[0]!.record.latency.all!.meanWait).toBe(6);
    expect(run.perModel[1]!.record.latency.all!.max).toBe(34);
    expect(run.perModel[1]!.record.latency.all!.meanWait).toBe(22);
    expect(run.record.latency.all!.max).toBe(34);
  });
});

describe('grouping by base', () => {
  it('adapters join their base; a full-weight model no adapter names is a group of its own', () => {
    const g = nodeGroups([
      { model: 'base', fineTune: 'full' },
      { model: 'other', fineTune: 'full' },
      { model: 'a', fineTune: { lora: { base: 'base' } } },
      { model: 'c', fineTune: { lora: { base: 'llama-3.1-8b-instruct' } } },
    ]);
    expect(g.map((x) => [x.base, x.members, x.adapters])).toEqual([
      ['base', [0, 2], true],
      ['other', [1], false],
      ['llama-3.1-8b-instruct', [3], true],
    ]);
  });
});

const at = (time: string) => ({
  type: 'batch',
  at: time,
  count: 1,
  over: '0s',
  inputTokens: 250,
  outputTokens: 60,
});
/** Always one g5.2xlarge node, no ops, fixed 10 s service: the bill is the node and the cluster. */
const NODE = {
  id: 'self-hosted',
  instanceType: 'g5.2xlarge',
  minNodes: 1,
  maxNodes: 1,
  opsFte: 0,
  serviceTime: '10s',
};
const adapterOf = (name: string, time: string) => ({
  name,
  architecture: 'LlamaForCausalLM',
  parameters: 8.03e9,
  fineTune: { lora: { base: 'llama-3.1-8b-instruct' } },
  components: [at(time)],
});
const portfolio = (option: Record<string, unknown>) =>
  scenarioFromObject(
    {
      name: 'lora',
      seed: 3,
      traffic: { days: 1 },
      options: [option],
      models: [adapterOf('a', '09:00'), adapterOf('b', '15:00')],
    },
    { portfolio: true },
  );

describe('self-hosted multiLora over a portfolio', () => {
  it('two adapters of one base on an always-on node bill ONE node for the day, not two', () => {
    const o = runPortfolio(
      portfolio({
        ...NODE,
        multiLora: { throughputFactor: 0.5, adapterLoadTime: '5s', maxResidentAdapters: 1 },
      }),
    ).result.options[0]!;
    // One node × 24 h × $1.212 (ec2.g5-2xlarge.us-east-1) = $29.088; one EKS cluster × 24 h ×
    // $0.10 = $2.40; total $31.488 (one deployment per model: twice that, $62.976).
    const lines = o.cost!.lines.map((l) => [l.lineId, l.quantity]);
    expect(lines).toEqual([
      ['ec2-instances', 24],
      ['eks-control-plane', 24],
    ]);
    expect(o.cost!.total).toBeCloseTo(24 * 1.212 + 24 * 0.1, 9);
    // Each request: 10 s / 0.5 + 5 s load (a at 09:00 loads a; b at 15:00 evicts it) = 25 s.
    expect(o.perModel!.map((m) => [m.model, m.split, m.latency!.all!.max])).toEqual([
      ['a', 'busy-seconds', 25],
      ['b', 'busy-seconds', 25],
    ]);
    expect(o.reasons).toContain('node group llama-3.1-8b-instruct: a 1 adapter loads, b 1 adapter loads');
    // Equal busy seconds (25 each): each model's share is half, and the shares add up to the total.
    expect(o.perModel![0]!.cost!.total).toBeCloseTo((24 * 1.212 + 24 * 0.1) / 2, 9);
    const sum = o.perModel!.reduce((s, m) => s + m.cost!.total, 0);
    expect(sum).toBeCloseTo(o.cost!.total, 9);

    const apart = runPortfolio(portfolio(NODE)).result.options[0]!;
    expect(apart.cost!.total).toBeCloseTo(2 * (24 * 1.212 + 24 * 0.1), 9);
  });

  it('shares follow busy seconds and add up to the total (ops included)', () => {
    const s = scenarioFromObject(
      {
        name: 'lora',
        seed: 3,
        traffic: { days: 1 },
        options: [{ ...NODE, opsFte: 0.25, multiLora: { adapterLoadTime: '5s', throughputFactor: 1 } }],
        models: [
          adapterOf('a', '09:00'),
          { ...adapterOf('b', '15:00'), components: [at('15:00'), at('16:00')] },
        ],
      },
      { portfolio: true },
    );
    const o = runPortfolio(s).result.options[0]!;
    // Busy: a 10 + 5 = 15 s; b 15 + 10 = 25 s (8 resident: loaded once) → a gets 15/40 of every line.
    const [a, b] = o.perModel!;
    expect(a!.cost!.total / o.cost!.total).toBeCloseTo(15 / 40, 12);
    expect(a!.cost!.staff + b!.cost!.staff).toBeCloseTo(o.cost!.staff, 9);
    expect(a!.cost!.total + b!.cost!.total).toBeCloseTo(o.cost!.total, 9);
  });

  it('multiLora false runs one deployment per model: the sum of the single-model runs', () => {
    const p = runPortfolio(portfolio({ ...NODE, multiLora: false })).result.options[0]!;
    const single = (name: string, time: string, seed: number) =>
      runScenario(
        scenarioFromObject({
          name: 'lora',
          seed,
          model: { name, architecture: 'LlamaForCausalLM', parameters: 8.03e9 },
          traffic: { days: 1, components: [at(time)] },
          options: [NODE],
        }),
      ).result.options[0]!;
    const a = single('a', '09:00', 3);
    const b = single('b', '15:00', 4);
    expect(p.perModel!.map((m) => m.split)).toEqual(['own', 'own']);
    expect(p.cost!.total).toBeCloseTo(a.cost!.total + b.cost!.total, 10);
    expect(p.perModel!.map((m) => m.cost!.total)).toEqual([a.cost!.total, b.cost!.total]);
  });

  it("per-model records agree with the engine's own over a scaling group (counts, latency sum, max)", () => {
    // Poisson traffic of three models and a burst of y's on 1–3 nodes: the requests the engine served, and their
    // latencies, are exactly those of the models' records together.
    const poisson = (rate: string) => [{ type: 'poisson', rate, inputTokens: 400, outputTokens: 150 }];
    const o = runPortfolio(
      scenarioFromObject(
        {
          name: 'lora',
          seed: 5,
          traffic: { days: 1 },
          options: [{ ...NODE, serviceTime: undefined, maxNodes: 3, multiLora: { maxResidentAdapters: 1 } }],
          models: [
            {
              name: 'base',
              architecture: 'LlamaForCausalLM',
              parameters: 8.03e9,
              components: poisson('0.2/s'),
            },
            { name: 'x', fineTune: { lora: { base: 'base' } }, components: poisson('0.15/s') },
            {
              name: 'y',
              fineTune: { lora: { base: 'base' } },
              components: [
                ...poisson('0.1/s'),
                { type: 'batch', at: '12:00', count: 3000, over: '10m', inputTokens: 400, outputTokens: 150 },
              ],
            },
          ],
        },
        { portfolio: true },
      ),
    ).result.options[0]!;
    const per = o.perModel!;
    expect(per.reduce((s, m) => s + m.requests.served, 0)).toBe(o.requests.served);
    expect(per.reduce((s, m) => s + m.requests.arrived, 0)).toBe(o.requests.arrived);
    expect(o.requests.served).toBeGreaterThan(10_000);
    const sum = per.reduce((s, m) => s + m.latency!.all!.mean * m.latency!.all!.count, 0);
    expect(sum / o.latency!.all!.count).toBeCloseTo(o.latency!.all!.mean, 9);
    expect(Math.max(...per.map((m) => m.latency!.all!.max))).toBe(o.latency!.all!.max);
    expect(o.capacity!.peakReplicas).toBeGreaterThan(1);
  });

  it('cold-start hits (a group scaling from zero) are counted on the models whose requests waited', () => {
    // Weekday traffic from a Friday over 4 days: the nodes go to zero over the weekend, and the
    // Monday requests wait on a cold start. The models' hits add up to the group's.
    const weekdays = (rate: string) => [
      { type: 'poisson', rate, inputTokens: 400, outputTokens: 150, days: 'weekdays' },
    ];
    const o = runPortfolio(
      scenarioFromObject(
        {
          name: 'lora',
          seed: 5,
          traffic: { start: '2026-01-09T00:00', days: 4 },
          options: [{ id: 'self-hosted', minNodes: 0, maxNodes: 3, multiLora: true }],
          models: [
            {
              name: 'base',
              architecture: 'LlamaForCausalLM',
              parameters: 8.03e9,
              components: weekdays('0.05/s'),
            },
            { name: 'x', fineTune: { lora: { base: 'base' } }, components: weekdays('0.02/s') },
          ],
        },
        { portfolio: true },
      ),
    ).result.options[0]!;
    expect(o.requests.coldStartHits).toBeGreaterThan(0);
    expect(o.perModel!.every((m) => m.requests.coldStartHits > 0)).toBe(true);
    expect(o.perModel!.reduce((s, m) => s + m.requests.coldStartHits, 0)).toBe(o.requests.coldStartHits);
    expect(Math.max(...o.perModel!.map((m) => m.latency!.coldHit!.max))).toBe(o.latency!.coldHit!.max);
  });

  it('full-weight models no adapter names: each its own node group, as its own deployment; one EKS cluster', () => {
    const poisson = [{ type: 'poisson', rate: '0.05/s', inputTokens: 400, outputTokens: 150 }];
    const full = (name: string) => ({
      name,
      architecture: 'LlamaForCausalLM',
      parameters: 8.03e9,
      components: poisson,
    });
    const option = { id: 'self-hosted', minNodes: 1, maxNodes: 3 };
    const scenario = (multiLora: boolean) =>
      scenarioFromObject(
        {
          name: 'full',
          seed: 5,
          traffic: { days: 1 },
          options: [{ ...option, multiLora }],
          models: [full('p'), full('q')],
        },
        { portfolio: true },
      );
    const shared = runPortfolio(scenario(true)).result.options[0]!;
    const apart = runPortfolio(scenario(false)).result.options[0]!;
    // Same nodes and latencies per model (no adapters: throughput factor 1, nothing to load).
    shared.perModel!.forEach((m, i) => expect(m.latency).toEqual(apart.perModel![i]!.latency));
    const ec2 = (o: typeof shared) =>
      o.cost!.lines.filter((l) => l.lineId.startsWith('ec2-instances')).reduce((s, l) => s + l.quantity, 0);
    expect(ec2(shared)).toBeCloseTo(ec2(apart), 9);
    expect(shared.cost!.lines.map((l) => l.lineId)).toEqual([
      'ec2-instances-p',
      'eks-control-plane',
      'ops-p',
      'ec2-instances-q',
      'ops-q',
    ]);
    // One cluster for the day (24 h × $0.10) instead of one per model: $2.40 less.
    expect(apart.cost!.total - shared.cost!.total).toBeCloseTo(24 * 0.1, 9);
  });

  it('spot nodes are refused with multi-LoRA (interrupted requests are not modelled)', () => {
    const o = runPortfolio(portfolio({ ...NODE, capacity: 'spot', multiLora: true })).result.options[0]!;
    expect(o.feasible).toBe(false);
    expect(o.reasons[0]).toMatch(/multi-LoRA on spot nodes is not modelled/);
  });
});

describe('multiLora in a single-model scenario', () => {
  it('changes nothing but a note in the assumptions', () => {
    const s = (multiLora?: boolean) =>
      scenarioFromObject({
        name: 'one',
        seed: 3,
        model: { name: 'm' },
        traffic: { days: 1, components: [at('09:00')] },
        options: [{ ...NODE, ...(multiLora === undefined ? {} : { multiLora }) }],
      });
    const on = runScenario(s(true)).result;
    const off = runScenario(s()).result;
    expect(on.options[0]!.cost).toEqual(off.options[0]!.cost);
    expect(on.assumptions.find((a) => a.name === 'multi-LoRA')?.value).toBe('not applied: one model');
    expect(off.assumptions.find((a) => a.name === 'multi-LoRA')).toBeUndefined();
  });

  it('defaults are the sourced ones, each with its band', () => {
    const { settings, assumptions } = resolveMultiLora(true);
    expect(settings).toEqual({ maxResidentAdapters: 8, adapterLoadSeconds: 1, throughputFactor: 0.85 });
    expect(assumptions.map((a) => [a.name, a.low, a.high, a.uncertain])).toEqual([
      ['resident adapters per node', 1, 32, true],
      ['adapter load time', 0.2, 10, true],
      ['multi-LoRA throughput factor', 0.7, 1, true],
    ]);
  });
});
