import { describe, expect, it } from 'vitest';
import { sagemakerRealtime } from '../../src/models/sagemaker-realtime.js';
import { selfHosted } from '../../src/models/self-hosted.js';
import { fitModel, instanceSpec } from '../../src/models/hardware.js';
import { opsLine } from '../../src/models/fleet-common.js';
import { PriceBook, type PriceEntry } from '../../src/pricing/book.js';
import { ModelSpecSchema } from '../../src/models/model-spec.js';
import { simulate } from '../../src/sim/engine.js';
import { Admit, type Fleet, type FleetPolicy } from '../../src/sim/fleet.js';
import { DistService } from '../../src/sim/service.js';
import { Rng } from '../../src/sim/rng.js';
import { InputError } from '../../src/errors.js';
import { totalOf } from '../../src/billing/lines.js';
import { arrivals, context } from './fixtures.js';

/** A book with hand-set prices, so these tests check arithmetic, not the shipped data. */
/** The book's item names (src/pricing/vocabulary.ts), which options select on. */
const ITEM_OF: Record<string, string> = {
  AmazonSageMaker: 'Real-time inference instance',
  AmazonEC2: 'On-demand instance',
  AmazonEKS: 'EKS control plane',
};

function entry(
  id: string,
  service: string,
  instanceType: string | undefined,
  price: number,
  unit: string,
): PriceEntry {
  return {
    id,
    service,
    item: ITEM_OF[service]!,
    region: 'us-east-1',
    unit,
    price,
    currency: 'USD',
    effectiveDate: '2026-11-01',
    source: 'test',
    uncertain: false,
    labels: instanceType ? { instanceType } : {},
  };
}
const book = new PriceBook('test', '2026-11-01', [
  entry('sm', 'AmazonSageMaker', 'ml.g5.2xlarge', 1.515, 'instance-hours'),
  entry('ec2', 'AmazonEC2', 'g5.2xlarge', 1.212, 'instance-hours'),
  entry('eks', 'AmazonEKS', undefined, 0.1, 'cluster-hours'),
]);

const model = ModelSpecSchema.parse({});

function sm(extra: Record<string, unknown>, times: number[], span: number) {
  const s = sagemakerRealtime.schema.parse({
    id: 'sagemaker-realtime',
    instanceType: 'ml.g5.2xlarge',
    opsFte: 0,
    ...extra,
  });
  const ctx = context(span, { book, key: 'sm' });
  expect(sagemakerRealtime.feasibility(model, 'us-east-1', s, book).ok).toBe(true);
  const prepared = sagemakerRealtime.prepare(ctx, s);
  const record = simulate(prepared.fleet, arrivals(times), null, span);
  return { record, bill: prepared.bill(record) };
}

describe('sagemaker-realtime', () => {
  it('an ml.g5.2xlarge for 90 minutes costs 1.5 × its hourly price', () => {
    const { bill } = sm({ minInstances: 1, maxInstances: 1 }, [], 5400);
    expect(bill.lines).toHaveLength(1);
    expect(bill.lines[0]!.quantity).toBeCloseTo(1.5, 12);
    expect(bill.lines[0]!.amount).toBeCloseTo(1.5 * 1.515, 12);
  });

  it('a step in traffic scales out on the 3rd datapoint above target; capacity arrives after the launch delay', () => {
    // 2 requests/s from t = 600 s (120 per minute) against a target of 60 per instance per minute.
    // Datapoints at 660, 720, 780 s are above target → at 780 s capacity becomes ⌈1 × 120/60⌉ = 2.
    const times = Array.from({ length: 2400 }, (_, i) => 600.25 + i * 0.5);
    const { record } = sm(
      {
        minInstances: 1,
        maxInstances: 4,
        targetInvocationsPerInstance: 60,
        launchTime: '300s',
        serviceTime: '0.1s',
      },
      times,
      3600,
    );
    const second = record.replicas[1]!;
    expect(second.requestedAt).toBe(780);
    expect(second.readyAt).toBe(1080);
  });

  it('scale-in waits for 15 low datapoints and the cooldown, then drains the newest instance', () => {
    // 2/s from 0 to 1,200 s: scale out at 180 s (3 datapoints of 120 > 60), ready at 240 s.
    // From 1,200 s no traffic: low datapoints at 1,260 … 2,100 s (the 15th) → remove at 2,100 s.
    const times = Array.from({ length: 2400 }, (_, i) => 0.25 + i * 0.5);
    const { record, bill } = sm(
      {
        minInstances: 1,
        maxInstances: 2,
        targetInvocationsPerInstance: 60,
        launchTime: '60s',
        serviceTime: '0.1s',
      },
      times,
      3600,
    );
    expect(record.replicas).toHaveLength(2);
    expect(record.replicas[1]!.requestedAt).toBe(180);
    expect(record.replicas[1]!.removedAt).toBe(2100);
    // Instance-hours: the first all hour (3,600 s) + the second 180–2,100 s (1,920 s).
    expect(bill.lines[0]!.quantity).toBeCloseTo((3600 + 1920) / 3600, 9);
  });

  it('with minInstances 0, calls fail until an instance is in service', () => {
    const { record } = sm(
      { minInstances: 0, maxInstances: 1, launchTime: '240s', serviceTime: '1s' },
      [0, 60, 200, 300, 400],
      3600,
    );
    // Launched at 0, in service at 240: the calls at 0, 60 and 200 fail; 300 and 400 are served.
    expect(record.failed).toBe(3);
    expect(record.served).toBe(2);
    expect(record.replicas[0]!.readyAt).toBe(240);
  });

  it('rejects unknown types with the nearest name, min > max, and a type the model cannot fit', () => {
    const bad = (extra: Record<string, unknown>) => () =>
      sagemakerRealtime.feasibility(
        model,
        'us-east-1',
        sagemakerRealtime.schema.parse({ id: 'sagemaker-realtime', ...extra }),
        book,
      );
    expect(bad({ instanceType: 'ml.g5.2xlarg' })).toThrow(/did you mean "ml.g5.2xlarge"/);
    expect(bad({ minInstances: 3, maxInstances: 2 })).toThrow(InputError);
    const big = ModelSpecSchema.parse({ parameters: 70.6e9 });
    expect(() =>
      sagemakerRealtime.feasibility(
        big,
        'us-east-1',
        sagemakerRealtime.schema.parse({ id: 'sagemaker-realtime', instanceType: 'ml.g5.2xlarge' }),
        book,
      ),
    ).toThrow(/types that fit: .*ml\.g5\.48xlarge/);
  });
});

describe('self-hosted', () => {
  it('bills EC2, the EKS control plane and the ops line', () => {
    const s = selfHosted.schema.parse({
      id: 'self-hosted',
      minNodes: 1,
      maxNodes: 1,
      opsFte: 0.25,
      opsCostPerFteYear: 200000,
    });
    const prepared = selfHosted.prepare(context(86400, { book, key: 'sh' }), s);
    const record = simulate(prepared.fleet, arrivals([]), null, 86400);
    const lines = prepared.bill(record).lines;
    expect(lines[0]!.amount).toBeCloseTo(24 * 1.212, 9);
    expect(lines[1]!.amount).toBeCloseTo(24 * 0.1, 9);
    // 0.25 FTE × $200,000 × 24 h / 8,760 h = $136.986…
    expect(lines[2]!.amount).toBeCloseTo((0.25 * 200000 * 24) / 8760, 9);
    expect(totalOf(lines)).toBeCloseTo(24 * 1.212 + 2.4 + (0.25 * 200000 * 24) / 8760, 9);
  });

  it('spot prices are the on-demand price less the discount', () => {
    const s = selfHosted.schema.parse({
      id: 'self-hosted',
      minNodes: 1,
      maxNodes: 1,
      capacity: 'spot',
      spotDiscount: 0.6,
      interruptionRatePerHour: 0,
      opsFte: 0,
    });
    const prepared = selfHosted.prepare(context(3600, { book, key: 'sh' }), s);
    const record = simulate(prepared.fleet, arrivals([]), null, 3600);
    expect(prepared.bill(record).lines[0]!.amount).toBeCloseTo(1.212 * 0.4, 12);
  });

  it('rejects a negative FTE or interruption rate and min > max', () => {
    expect(() => selfHosted.schema.parse({ id: 'self-hosted', opsFte: -1 })).toThrow();
    expect(() => selfHosted.schema.parse({ id: 'self-hosted', interruptionRatePerHour: -0.1 })).toThrow();
    expect(() =>
      selfHosted.feasibility(
        model,
        'us-east-1',
        selfHosted.schema.parse({ id: 'self-hosted', minNodes: 3, maxNodes: 1 }),
        book,
      ),
    ).toThrow(/minNodes/);
  });

  it('ops line: opsFte × cost × span / year', () => {
    const l = opsLine(0.5, 180000, 30 * 86400);
    expect(l.amount).toBeCloseTo((0.5 * 180000 * 720) / 8760, 9);
    // Staff time: nobody sends a bill for it (design §11).
    expect(l.billedBy).toBe('staff');
    expect(l.lineId).toBe('ops');
  });
});

describe('a spot interruption', () => {
  it('re-queues exactly the requests in flight on the interrupted node', () => {
    // Two nodes × 2 slots, 100 s requests at 0, 1, 2 (least-loaded: r0, r1, r0). Node 0 is
    // interrupted at 10 s: its two requests (arrived 0 and 2) go back to the queue head; node 1's
    // free slot takes the one that arrived at 0 at 10 s; the other waits for node 1's slot at 101 s.
    let requeued = -1;
    const policy: FleetPolicy = {
      onStart: (f: Fleet) => f.setTimer(10, 0),
      onArrival: () => Admit.admit,
      onQueued: () => {},
      onIdle: () => {},
      onReady: () => {},
      onTimer: (f: Fleet) => {
        requeued = f.interruptReplica(0);
      },
    };
    const record = simulate(
      {
        slotsPerReplica: 2,
        routing: 'least-loaded',
        service: new DistService({ dist: 'fixed', value: 100 }, new Rng(1)),
        initialReplicas: 2,
        policy,
      },
      arrivals([0, 1, 2]),
      null,
      1000,
    );
    expect(requeued).toBe(2);
    expect(record.served).toBe(3);
    expect(record.replicas[0]!.removedAt).toBe(10);
    // Latencies: request 0: 110 s; request 1: 100 s; request 2: 201 − 2 = 199 s.
    expect(record.latency.all!.max).toBe(199);
    expect(record.latency.all!.mean).toBeCloseTo((110 + 100 + 199) / 3, 9);
  });
});

describe('model fit', () => {
  it('a 16 GB fp16 8B model fits one A10G with the KV headroom rule; a 70B does not', () => {
    // A10G: 22.5 GB usable × 0.9 − 1 GB overhead = 19.25 GB; 19.25 − 16.06 = 3.19 GB ≥ 2 GB of KV.
    const f = fitModel(model, instanceSpec('g5.2xlarge', 'x'));
    expect(f.fits).toBe(true);
    expect(f.tensorParallel).toBe(1);
    expect(f.kvCacheGB).toBeCloseTo(19.25 - 16.06, 9);
    const big = ModelSpecSchema.parse({ parameters: 70.6e9 });
    expect(fitModel(big, instanceSpec('g5.2xlarge', 'x')).fits).toBe(false);
    // 8 × 19.25 = 154 GB − 141.2 GB of weights = 12.8 GB: fits with tensor parallel 8.
    const tp = fitModel(big, instanceSpec('g5.48xlarge', 'x'));
    expect(tp.fits).toBe(true);
    expect(tp.tensorParallel).toBe(8);
  });
  it('a 4-GPU instance runs four engines of an 8B model', () => {
    expect(fitModel(model, instanceSpec('g5.12xlarge', 'x')).engines).toBe(4);
  });
});
