import { describe, expect, it } from 'vitest';
import { sagemakerInferenceComponents as ic } from '../../src/models/sagemaker-inference-components.js';
import { billInferenceComponents, IcSettingsSchema } from '../../src/models/inference-components.js';
import { ComponentCopyPolicy } from '../../src/models/inference-components-policy.js';
import { ModelSpecSchema } from '../../src/models/model-spec.js';
import { loadPriceBook } from '../../src/pricing/book.js';
import { runScenario } from '../../src/compare/run.js';
import { scenarioFromObject } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/engine.js';
import { arrivals, context } from './fixtures.js';
import { inputError } from '../helpers/errors.js';

/*
 * Issue 21 item 2: `sagemaker-inference-components`. Prices from the shipped book (us-east-1):
 * ml.g5.12xlarge $7.09 per instance-hour (4 A10G GPUs, 192 GiB), ml.g5.2xlarge $1.515 (1 GPU,
 * 32 GiB). Copy loads, launches and service times are fixed so every second is counted by hand.
 */

const book = loadPriceBook();
const model = ModelSpecSchema.parse({});
const parse = (extra: Record<string, unknown>) =>
  IcSettingsSchema.parse({ id: 'sagemaker-inference-components', opsFte: 0, ...extra });
const copy = (requestedAt: number, removedAt: number) => ({ requestedAt, removedAt });
const runOf = (name: string, copies: { requestedAt: number; removedAt: number }[]) => ({
  model: name,
  spec: ModelSpecSchema.parse({ name }),
  record: { replicas: copies, spanSeconds: 3600 },
});

describe('the shared bill (billInferenceComponents)', () => {
  const ctx = { region: 'us-east-1', book, spanSeconds: 3600 };

  it('two components that fit one instance bill ONE instance while both are busy', () => {
    // A: copy 0–3,600 s; B: copy 600–3,000 s; each reserves 1 GPU (the 8B model's TP1 group) and
    // 1 GiB → one ml.g5.12xlarge, 0–3,600 s = 1 instance-hour × $7.09 = $7.09.
    const bill = billInferenceComponents(parse({ instanceType: 'ml.g5.12xlarge' }), ctx, [
      runOf('a', [copy(0, 3600)]),
      runOf('b', [copy(600, 3000)]),
    ]);
    expect(bill.lines).toHaveLength(1);
    expect(bill.lines[0]).toMatchObject({
      lineId: 'ic-instance-usage',
      unit: 'instance-hours',
      unitPrice: 7.09,
    });
    expect(bill.lines[0]!.quantity).toBeCloseTo(1, 12);
    expect(bill.cost.total).toBeCloseTo(7.09, 12);
    expect(bill.packing.peakInstances).toBe(1);
    // Split by reserved share-seconds: A 3,600 × ¼ = 900, B 2,400 × ¼ = 600 → A 7.09 × 0.6 =
    // $4.254, B 7.09 × 0.4 = $2.836.
    expect(bill.perModel.map((m) => m.model)).toEqual(['a', 'b']);
    expect(bill.perModel[0]!.share).toBeCloseTo(0.6, 12);
    expect(bill.perModel[0]!.cost.total).toBeCloseTo(4.254, 12);
    expect(bill.perModel[1]!.cost.total).toBeCloseTo(2.836, 12);
    expect(bill.perModel[0]!.cost.total + bill.perModel[1]!.cost.total).toBeCloseTo(bill.cost.total, 12);
  });

  it('three copies that need two instances bill two over the overlap', () => {
    // 2 GPUs per copy: A 0–3,600 and 1,200–2,400; B 1,800–3,000. The second instance runs only
    // 1,800–3,000 s: 3,600 + 1,200 = 4,800 instance-seconds = 4/3 h × $7.09 = $9.4533…
    const bill = billInferenceComponents(
      parse({ instanceType: 'ml.g5.12xlarge', reservation: { accelerators: 2 } }),
      ctx,
      [runOf('a', [copy(0, 3600), copy(1200, 2400)]), runOf('b', [copy(1800, 3000)])],
    );
    expect(bill.packing.instanceSeconds).toBe(4800);
    expect(bill.cost.aws).toBeCloseTo((4800 / 3600) * 7.09, 12);
    // A (3,600 + 1,200) × ½ = 2,400, B 1,200 × ½ = 600 → A ⅘, B ⅕.
    expect(bill.perModel[0]!.cost.aws).toBeCloseTo(0.8 * (4 / 3) * 7.09, 12);
    expect(bill.perModel[1]!.cost.aws).toBeCloseTo(0.2 * (4 / 3) * 7.09, 12);
  });

  it('splits the ops line by the same rule; staff stays staff', () => {
    // 0.1 FTE × $200,000 × 3,600 s / (8,760 h × 3,600 s) = $2.28311 for the one endpoint.
    const bill = billInferenceComponents(parse({ instanceType: 'ml.g5.12xlarge', opsFte: 0.1 }), ctx, [
      runOf('a', [copy(0, 3600)]),
      runOf('b', [copy(600, 3000)]),
    ]);
    const ops = (0.1 * 200000) / 8760;
    expect(bill.cost.staff).toBeCloseTo(ops, 9);
    expect(bill.perModel[0]!.cost.staff).toBeCloseTo(0.6 * ops, 9);
    expect(bill.perModel[1]!.cost).toMatchObject({
      aws: expect.closeTo(2.836, 9),
      staff: expect.closeTo(0.4 * ops, 9),
    });
  });

  it('takes a per-model reservation, and says when copies overflow maxInstances', () => {
    // A reserves all 4 GPUs (its own instance); B 1 GPU. maxInstances 1: B's copy at 600 s finds
    // the one instance full and is billed on a second one, 600–3,000 s → 3,600 + 2,400 = 6,000 s.
    const bill = billInferenceComponents(parse({ instanceType: 'ml.g5.12xlarge', maxInstances: 1 }), ctx, [
      { ...runOf('a', [copy(0, 3600)]), reservation: { accelerators: 4, memoryGiB: 1 } },
      runOf('b', [copy(600, 3000)]),
    ]);
    expect(bill.packing.instanceSeconds).toBe(6000);
    expect(bill.packing.overMax).toBe(1);
    expect(bill.notes[0]).toMatch(/^1 copy found the endpoint at maxInstances \(1\)/);
    // Weights: A 3,600 × 1 = 3,600; B 2,400 × ¼ = 600 → A 6/7 of the bill.
    expect(bill.perModel[0]!.share).toBeCloseTo(6 / 7, 12);
  });

  it('one model on its own: the same lines as the single-model option bills', () => {
    const { record, bill } = runAlone({}, [300, 5000, 5300]);
    const shared = billInferenceComponents(
      parse({
        instanceType: 'ml.g5.2xlarge',
        minCopies: 0,
        maxCopies: 1,
        targetInvocationsPerCopy: 60,
        copyLoadTime: '60s',
        launchTime: '240s',
        serviceTime: '1s',
      }),
      { region: 'us-east-1', book, spanSeconds: 7200 },
      [{ model: model.name, spec: model, record }],
    );
    expect(shared.lines).toEqual(bill.lines);
    expect(shared.perModel[0]).toMatchObject({ share: 1, cost: shared.cost });
  });

  it('refuses a model whose copy does not fit the instance, with the reason', () => {
    const err = inputError(() =>
      billInferenceComponents(
        parse({ instanceType: 'ml.g5.12xlarge', reservation: { accelerators: 8 } }),
        ctx,
        [runOf('a', [copy(0, 60)])],
      ),
    );
    expect(err.message).toMatch(/reserves 8 accelerators but the instance has 4/);
  });
});

describe('feasibility', () => {
  const feas = (extra: Record<string, unknown>, m = model) =>
    ic.feasibility(m, 'us-east-1', parse(extra), book);

  it('an over-size reservation is infeasible with a reason', () => {
    const gpus = feas({ instanceType: 'ml.g5.12xlarge', reservation: { accelerators: 8 } });
    expect(gpus.ok).toBe(false);
    expect(gpus.reasons.join(' ')).toMatch(
      /reserves 8 accelerators but the instance has 4 \(ml\.g5\.12xlarge\)/,
    );
    const memory = feas({ instanceType: 'ml.g5.2xlarge', reservation: { memoryGiB: 64 } });
    expect(memory.reasons.join(' ')).toMatch(/reserves 64 GiB of memory but the instance has 32 GiB/);
    expect(feas({ instanceType: 'ml.g5.12xlarge' })).toEqual({ ok: true, reasons: [] });
  });

  it('a model that fits no GPU group, or a reservation below its group, is infeasible', () => {
    const big = ModelSpecSchema.parse({ name: 'llama-70b', parameters: 70.6e9 });
    expect(feas({ instanceType: 'ml.g5.2xlarge' }, big).reasons[0]).toMatch(
      /fits no GPU group of ml\.g5\.2xlarge/,
    );
    // 141 GB of weights need all 8 A10Gs of ml.g5.48xlarge (TP8); a 4-GPU reservation is short.
    const short = feas({ instanceType: 'ml.g5.48xlarge', reservation: { accelerators: 4 } }, big);
    expect(short.reasons.join(' ')).toMatch(/needs 8 GPUs .* reserves 4/);
  });

  it('is unpriced where the book has no price for the type, and checks min ≤ max', () => {
    expect(ic.feasibility(model, 'us-west-2', parse({ instanceType: 'ml.g5.12xlarge' }), book)).toMatchObject(
      {
        ok: false,
        unpriced: true,
      },
    );
    expect(inputError(() => feas({ minCopies: 3, maxCopies: 2 })).message).toMatch(
      /minCopies \(3\) is greater/,
    );
  });
});

/** One model alone on the endpoint, fixed times: copy load 60 s, instance launch 240 s, service 1 s. */
function runAlone(extra: Record<string, unknown>, times: number[], span = 7200) {
  const s = parse({
    instanceType: 'ml.g5.2xlarge',
    minCopies: 0,
    maxCopies: 1,
    targetInvocationsPerCopy: 60,
    copyLoadTime: '60s',
    launchTime: '240s',
    serviceTime: '1s',
    ...extra,
  });
  expect(ic.feasibility(model, 'us-east-1', s, book).ok).toBe(true);
  const prepared = ic.prepare(context(span, { key: 'ic' }), s);
  const record = simulate(prepared.fleet, arrivals(times), prepared.heartbeats, span);
  return { prepared, record, bill: prepared.bill(record) };
}

describe('a component scaled to zero', () => {
  it('reloads on its next call: that call is a cold-start hit that waits launch + load', () => {
    const { record, bill } = runAlone({}, [300, 5000, 5300]);
    // 300 s: no copy and no instance → an instance launches and the copy loads on it: ready at
    // 300 + 240 + 60 = 600; the call waits and is served 600–601 (latency 301 s). Datapoints on the
    // 60 s grid: 600 has the call in flight (not idle); 660 … 1,500 are 15 idle → zero at 1,500.
    expect(record.replicas[0]).toMatchObject({ requestedAt: 300, readyAt: 600, removedAt: 1500 });
    // 5,000 s: the next call reloads — again launch + load, ready 5,300; the call at 5,300 finds
    // the copy ready. 5,340 has an invocation; 5,400 … 6,240 are 15 idle → zero at 6,240.
    expect(record.replicas[1]).toMatchObject({ requestedAt: 5000, readyAt: 5300, removedAt: 6240 });
    expect(record.replicas).toHaveLength(2);
    expect(record).toMatchObject({ served: 3, failed: 0, coldStartHits: 2, coldStarts: 2 });
    expect(record.coldHitMaxLatency.interactive).toBe(301);
    // The instance lives with its copy: (1,500 − 300) + (6,240 − 5,000) = 2,440 s × $1.515 / 3,600.
    expect(bill.lines[0]!.quantity).toBeCloseTo(2440 / 3600, 12);
    expect(bill.lines[0]!.amount).toBeCloseTo((2440 / 3600) * 1.515, 12);
  });

  it('with an instance kept (minInstances 1) the reload is the copy load alone', () => {
    const { record, bill } = runAlone({ minInstances: 1 }, [300, 5000]);
    // Ready at 300 + 60 = 360: the call waits 60 s + 1 s of service.
    expect(record.replicas[0]).toMatchObject({ requestedAt: 300, readyAt: 360 });
    expect(record.coldHitMaxLatency.interactive).toBe(61);
    // The kept instance is billed the whole 7,200 s: 2 h × $1.515 = $3.03.
    expect(bill.lines[0]!.amount).toBeCloseTo(3.03, 12);
  });

  it('with coldCalls: fail the call that finds no copy fails and starts one', () => {
    const { record } = runAlone({ coldCalls: 'fail' }, [300, 700]);
    expect(record).toMatchObject({ failed: 1, served: 1, coldStartHits: 1 });
    expect(record.replicas[0]).toMatchObject({ requestedAt: 300, readyAt: 600 });
    expect(ic.scaleToZero!(parse({ minCopies: 0, coldCalls: 'fail' }))).toEqual({
      afterSeconds: 900,
      whileCold: 'fail',
    });
    expect(ic.scaleToZero!(parse({}))).toBeNull();
  });
});

describe('live placement agrees with the bill', () => {
  it('a scale-out copy that fits waits its load; one that needs an instance waits launch + load', () => {
    // ml.g5.12xlarge, 2 GPUs per copy: two copies fill an instance. 200 calls a minute for 10 min.
    const times = Array.from({ length: 2000 }, (_, k) => (k + 1) * 0.3);
    const { record, bill, prepared } = runAlone(
      {
        instanceType: 'ml.g5.12xlarge',
        reservation: { accelerators: 2 },
        minCopies: 1,
        maxCopies: 4,
        scaleOutDatapoints: 1,
        scaleOutCooldown: '60s',
      },
      times,
      1800,
    );
    // Datapoint at 60 s: 200 invocations on 1 copy > 60 → ⌈200 / 60⌉ = 4 copies: three more at
    // 60 s. The first fits beside the initial copy (ready at 60 + 60 = 120); the second needs an
    // instance (in service at 60 + 240 = 300, the copy ready at 360); the third fits beside it
    // but loads only once that instance is in service: also ready at 360.
    expect(record.replicas[1]).toMatchObject({ requestedAt: 60, readyAt: 120 });
    expect(record.replicas[2]).toMatchObject({ requestedAt: 60, readyAt: 360 });
    expect(record.replicas[3]).toMatchObject({ requestedAt: 60, readyAt: 360 });
    expect((prepared.fleet.policy as ComponentCopyPolicy).instanceLaunches).toBe(1);
    // The bill packs the same way: instance 0 for the whole 1,800 s (the initial copy stays), and
    // instance 1 from 60 s until the last of copies 2 and 3 goes.
    const second = Math.max(record.replicas[2]!.removedAt, record.replicas[3]!.removedAt) - 60;
    expect(bill.lines[0]!.quantity).toBeCloseTo((1800 + second) / 3600, 9);
  });
});

describe('end to end through runScenario', () => {
  it('a tiny day: two calls an hour apart, each reloading the scaled-to-zero component', () => {
    const loaded = scenarioFromObject({
      name: 'ic-tiny',
      seed: 1,
      traffic: {
        start: '2026-01-05T00:00',
        days: 1,
        components: [{ type: 'batch', at: '09:00', count: 2, over: '2h', class: 'interactive' }],
      },
      options: [
        {
          id: 'sagemaker-inference-components',
          instanceType: 'ml.g5.2xlarge',
          minCopies: 0,
          maxCopies: 1,
          targetInvocationsPerCopy: 60,
          copyLoadTime: '60s',
          launchTime: '240s',
          serviceTime: '1s',
          opsFte: 0,
        },
      ],
    });
    const o = runScenario(loaded).result.options[0]!;
    // Calls at 09:00 (32,400 s) and 10:00 (36,000 s). Each: launch + load → ready 300 s later,
    // served, then 15 idle datapoints from the next minute: 32,760 + 14 × 60 = 33,600 and
    // 36,360 + 14 × 60 = 37,200. Instance-seconds 1,200 + 1,200 = 2,400 → 2/3 h × $1.515 = $1.01.
    expect(o.feasible).toBe(true);
    expect(o.cost!.total).toBeCloseTo(1.01, 9);
    expect(o.cost!.lines.map((l) => l.lineId)).toEqual(['ic-instance-usage']);
    expect(o.requests).toMatchObject({ arrived: 2, served: 2, coldStartHits: 2 });
    expect(o.capacity!.coldStarts).toBe(2);
    expect(o.requests.coldStartWorstLatency.interactive).toBe(301);
  });
});

describe('settings', () => {
  it('a heartbeat needs minCopies: 0 and every ≤ the scale-to-zero time', () => {
    const load = (extra: Record<string, unknown>) => () =>
      scenarioFromObject({
        name: 'x',
        traffic: { components: [{ type: 'poisson', rate: 1 }] },
        options: [{ id: 'sagemaker-inference-components', ...extra }],
      });
    expect(inputError(load({ heartbeat: { every: '5m' } })).message).toMatch(
      /options\.0\.heartbeat.*minCopies: 0/,
    );
    expect(inputError(load({ minCopies: 0, heartbeat: { every: '20m' } })).message).toMatch(
      /heartbeat\.every.*longer than the scale-to-zero time \(15m/,
    );
    expect(() => load({ minCopies: 0, heartbeat: { every: '15m' } })()).not.toThrow();
  });
});
