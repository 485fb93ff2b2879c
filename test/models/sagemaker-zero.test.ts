import { describe, expect, it } from 'vitest';
import { sagemakerRealtime } from '../../src/models/sagemaker-realtime.js';
import { PriceBook, type PriceEntry } from '../../src/pricing/book.js';
import { ModelSpecSchema } from '../../src/models/model-spec.js';
import { scenarioFromObject } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/engine.js';
import { arrivals, context } from './fixtures.js';
import { inputError } from '../helpers/errors.js';

/*
 * Issue 15 item 11: SageMaker real-time with inference components scaled to zero
 * (`minInstances: 0`), with and without a warm heartbeat (design §4.5). Fixed launch and service
 * times so every instance-second can be counted by hand; target 60 invocations per instance per
 * minute (never reached here), scale-in alarm of 15 one-minute datapoints, cooldown 300 s.
 */

const entry: PriceEntry = {
  id: 'sm',
  service: 'AmazonSageMaker',
  item: 'Real-time inference instance',
  region: 'us-east-1',
  unit: 'instance-hours',
  price: 1.515,
  currency: 'USD',
  effectiveDate: '2026-11-01',
  source: 'test',
  uncertain: false,
  labels: { instanceType: 'ml.g5.2xlarge' },
};
const book = new PriceBook('test', '2026-11-01', [entry]);
const model = ModelSpecSchema.parse({});
const SPAN = 7200;

function run(extra: Record<string, unknown>, times: number[], span = SPAN) {
  const s = sagemakerRealtime.schema.parse({
    id: 'sagemaker-realtime',
    instanceType: 'ml.g5.2xlarge',
    minInstances: 0,
    maxInstances: 1,
    targetInvocationsPerInstance: 60,
    scaleInDatapoints: 15,
    scaleInCooldown: '300s',
    launchTime: '240s',
    serviceTime: '1s',
    opsFte: 0,
    ...extra,
  });
  expect(sagemakerRealtime.feasibility(model, 'us-east-1', s, book).ok).toBe(true);
  const prepared = sagemakerRealtime.prepare(context(span, { book, key: 'sm0' }), s);
  const record = simulate(prepared.fleet, arrivals(times), prepared.heartbeats, span);
  return { prepared, record, bill: prepared.bill(record) };
}

describe('sagemaker-realtime scaled to zero', () => {
  it('without a heartbeat: each call after zero fails and starts an instance; idle 15 minutes → zero', () => {
    const { record, bill, prepared } = run({}, [300, 5000, 5300]);
    // 300 s: no instance → the call fails and one launches, in service at 540 s. Datapoints (one
    // per minute, on the 60 s grid) from 540 s have no invocation: the 15th is at
    // 540 + 14 × 60 = 1,380 s → scaled to zero at 1,380 s.
    expect(record.replicas[0]).toMatchObject({ requestedAt: 300, readyAt: 540, removedAt: 1380 });
    // 5,000 s: the first call after zero fails and launches again (in service at 5,240 s); the
    // call at 5,300 s is served. Its datapoint (5,340 s) restarts the count: 15 idle datapoints
    // 5,400 … 6,240 s → zero at 6,240 s.
    expect(record.replicas[1]).toMatchObject({ requestedAt: 5000, readyAt: 5240, removedAt: 6240 });
    expect(record.replicas).toHaveLength(2);
    expect(record.failed).toBe(2);
    expect(record.served).toBe(1);
    expect(record.coldStarts).toBe(2);
    expect(record.heartbeats).toBe(0);
    // Instance-seconds: (1,380 − 300) + (6,240 − 5,000) = 1,080 + 1,240 = 2,320.
    expect(bill.lines[0]!.quantity).toBeCloseTo(2320 / 3600, 12);
    expect(bill.lines[0]!.amount).toBeCloseTo((2320 / 3600) * 1.515, 12);
    expect(prepared.assumptions.find((a) => a.name === 'idle time before scaling to zero')?.value).toBe(900);
  });

  it('a heartbeat every 10 minutes keeps the instance in service; every user call is served', () => {
    const { record, bill } = run({ heartbeat: { every: '10m' } }, [300, 5000, 5300]);
    // Heartbeats at 0, 600, …, 6,600 s (12). The one at 0 finds no instance: it fails (not a user
    // request, so not counted as failed) and launches one, in service at 240 s. From then on every
    // 10th datapoint has an invocation: at most 9 idle datapoints in a row < 15, so it never
    // scales in and runs 0 → 7,200 s (the span's end).
    expect(record.heartbeats).toBe(12);
    expect(record.replicas).toHaveLength(1);
    expect(record.replicas[0]).toMatchObject({ requestedAt: 0, readyAt: 240, removedAt: SPAN });
    expect(record.served).toBe(3);
    expect(record.failed).toBe(0);
    expect(record.coldStartHits).toBe(0);
    expect(record.coldStarts).toBe(1);
    // 7,200 instance-seconds = 2 instance-hours × $1.515 = $3.03; heartbeats add no other charge.
    expect(bill.lines).toHaveLength(1);
    expect(bill.lines[0]!.quantity).toBeCloseTo(2, 12);
    expect(bill.lines[0]!.amount).toBeCloseTo(3.03, 12);
  });

  it('a heartbeat limited to 01:00-02:00 lets it go cold after its last beat', () => {
    // A 3-hour span, so removal at 7,200 s is the scale-in, not the end of the run.
    const { record, bill } = run({ heartbeat: { every: '15m', during: ['01:00-02:00'] } }, [4000], 10800);
    // Beats at 3,600, 4,500, 5,400, 6,300 s (the range ends at 7,200 s, exclusive). The first fails
    // and launches (in service at 3,840 s); the user call at 4,000 s is served. The beats at
    // 4,500, 5,400 and 6,300 s land in the datapoints of 4,500, 5,400 and 6,300 s: gaps of 14 idle
    // datapoints (e.g. 4,560 … 5,340 s), never 15. The last beat's datapoint is 6,300 s; 15 idle
    // ones end at 6,300 + 15 × 60 = 7,200 s → scaled to zero at 7,200 s.
    expect(record.heartbeats).toBe(4);
    expect(record.replicas[0]).toMatchObject({ requestedAt: 3600, readyAt: 3840, removedAt: 7200 });
    expect(bill.lines[0]!.quantity).toBeCloseTo((7200 - 3600) / 3600, 12);
  });

  it('rejects a heartbeat on an endpoint that never scales to zero, or one slower than the scale-in', () => {
    const parse = (extra: Record<string, unknown>) => () =>
      scenarioFromObject({
        name: 'x',
        traffic: { components: [{ type: 'poisson', rate: 1 }] },
        options: [{ id: 'sagemaker-realtime', ...extra }],
      });
    expect(inputError(parse({ heartbeat: { every: '5m' } })).message).toMatch(
      /options\.0\.heartbeat.*minInstances: 0/,
    );
    expect(inputError(parse({ minInstances: 1, heartbeat: { every: '5m' } })).message).toMatch(
      /options\.0\.heartbeat.*minInstances: 0/,
    );
    expect(inputError(parse({ minInstances: 0, heartbeat: { every: '20m' } })).message).toMatch(
      /options\.0\.heartbeat\.every.*longer than the scale-to-zero time \(15m/,
    );
    expect(() => parse({ minInstances: 0, heartbeat: { every: '15m' } })()).not.toThrow();
  });
});

describe('sagemaker-realtime scale-to-zero hook (for the heartbeat analyses)', () => {
  const parse = (extra: Record<string, unknown>) =>
    sagemakerRealtime.schema.parse({ id: 'sagemaker-realtime', ...extra });
  it('declares zero after 15 idle datapoints with minInstances 0, where cold calls fail', () => {
    // 15 one-minute datapoints = 900 s; 10 datapoints = 600 s.
    expect(sagemakerRealtime.scaleToZero!(parse({ minInstances: 0 }))).toEqual({
      afterSeconds: 900,
      whileCold: 'fail',
    });
    expect(
      sagemakerRealtime.scaleToZero!(parse({ minInstances: 0, scaleInDatapoints: 10 }))?.afterSeconds,
    ).toBe(600);
    expect(sagemakerRealtime.scaleToZero!(parse({}))).toBeNull();
    expect(sagemakerRealtime.scaleToZero!(parse({ minInstances: 2 }))).toBeNull();
  });
});
