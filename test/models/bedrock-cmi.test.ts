import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bedrockCmi, cmusForModel, type CmiSettings } from '../../src/models/bedrock-cmi.js';
import { simulate } from '../../src/sim/engine.js';
import { totalOf } from '../../src/billing/lines.js';
import { ModelSpecSchema } from '../../src/models/model-spec.js';
import { loadPriceBook } from '../../src/pricing/book.js';
import { arrivals, context } from './fixtures.js';

/** One window of a 2-CMU copy at AWS's example rate: 2 × $0.0785 × 5 = $0.785. */
const WINDOW = 0.785;
/** Storage of 2 CMUs for one day: 2 × $1.95 × 24/730. */
const STORAGE_DAY = (2 * 1.95 * 24) / 730;

function settings(extra: Partial<Record<keyof CmiSettings, unknown>> = {}): CmiSettings {
  return bedrockCmi.schema.parse({
    id: 'bedrock-cmi',
    cmuVersion: 'pricing-example',
    coldStart: '0s',
    evictedColdStart: '0s',
    serviceTime: '1s',
    ...extra,
  });
}

function run(times: number[], extra: Partial<Record<keyof CmiSettings, unknown>> = {}, span = 86400) {
  const ctx = context(span);
  const prepared = bedrockCmi.prepare(ctx, settings(extra));
  const record = simulate(prepared.fleet, arrivals(times), prepared.heartbeats, span);
  const bill = prepared.bill(record);
  const inference = bill.lines[0]!;
  return { record, bill, inference, total: totalOf(bill.lines) };
}

describe('bedrock-cmi: the worked cases of design §4', () => {
  it('one short call → 1 window ($0.785) plus a day of storage', () => {
    const { record, inference, total } = run([0]);
    expect(record.replicas).toHaveLength(1);
    expect(record.replicas[0]!.removedAt).toBe(300); // 5 minutes after the last arrival
    expect(inference.quantity).toBe(10);
    expect(inference.amount).toBeCloseTo(WINDOW, 10);
    expect(total).toBeCloseTo(WINDOW + STORAGE_DAY, 10);
  });

  it('calls at 0 and 4 min → removed at 9 min → 2 windows (`invoked`: 1)', () => {
    const active = run([0, 240]);
    expect(active.record.replicas[0]!.removedAt).toBe(540);
    expect(active.inference.amount).toBeCloseTo(2 * WINDOW, 10);
    const invoked = run([0, 240], { windowRule: 'invoked' });
    expect(invoked.inference.amount).toBeCloseTo(WINDOW, 10);
  });

  it('calls at 0 and 6 min → two active periods of 1 window, a cold start before the second', () => {
    const { record, inference } = run([0, 360], { coldStart: '20s' });
    expect(record.replicas).toHaveLength(2);
    expect(record.replicas[0]!.removedAt).toBe(300);
    // The second call waits 20 s for its copy; its grid starts at its first call, 380 s.
    expect(record.replicas[1]!.firstStartAt).toBe(380);
    expect(record.coldStarts).toBe(2);
    // The first call meets an evicted start of 0 s (no wait); only the second waits its 20 s.
    expect(record.coldStartHits).toBe(1);
    expect(inference.amount).toBeCloseTo(2 * WINDOW, 10);
    expect(record.latency.all!.max).toBeCloseTo(21, 10); // 20 s cold start + 1 s service
  });

  it('a burst that brings a second copy bills it on its own grid (`idle` scale-in rule)', () => {
    // One slot per copy, 100 s requests: the call at 1 s queues; after scaleOutAfter (10 s) a
    // second copy loads for 5 s and serves it from 16 s. Copy 1 (last assigned 0 s) scales in at
    // 300 s; nothing has arrived since 1 s, so copy 2 goes to zero at 301 s.
    const { record, inference } = run([0, 1], {
      scaleInRule: 'idle',
      slotsPerCopy: 1,
      serviceTime: '100s',
      scaleOutAfter: '10s',
      copyLoadTime: '5s',
    });
    expect(record.replicas).toHaveLength(2);
    const [a, b] = record.replicas as [(typeof record.replicas)[0], (typeof record.replicas)[0]];
    expect(a.firstStartAt).toBe(0);
    expect(b.requestedAt).toBe(11);
    expect(b.firstStartAt).toBe(16);
    expect(a.removedAt).toBe(300);
    expect(b.removedAt).toBe(301);
    expect(record.peakReplicas).toBe(2);
    // ⌈300/300⌉ + ⌈(301 − 16)/300⌉ = 1 + 1 windows
    expect(inference.amount).toBeCloseTo(2 * WINDOW, 10);
  });

  it('a heartbeat every 4 min over 2 hours keeps one unbroken active period', () => {
    const { record, inference } = run([], { heartbeat: { every: '4m', during: ['00:00-02:00'] } });
    // Beats at 0, 240, …, 29 × 240 = 6,960 s (30 beats; 7,200 s is the range's exclusive end);
    // the copy goes 300 s after the last: 7,260 s.
    expect(record.heartbeats).toBe(30);
    expect(record.arrived).toBe(0);
    expect(record.replicas).toHaveLength(1);
    expect(record.replicas[0]!.removedAt).toBe(7260);
    // ⌈7260 / 300⌉ = 25 windows
    expect(inference.amount).toBeCloseTo(25 * WINDOW, 10);
    expect(record.latency.all).toBeNull(); // heartbeats never enter latency statistics
  });

  it('after 61 idle minutes the next call takes the evicted cold start', () => {
    // Idle before t = 0 counts as evicted; 59 min idle → a plain cold start; 61 min → evicted.
    const t2 = 59 * 60;
    const t3 = t2 + 61 * 60;
    const { record } = run([0, t2, t3], { coldStart: '10s', evictedColdStart: '96s' });
    expect(record.coldStarts).toBe(3);
    const loads = record.replicas.map((r) => r.readyAt - r.requestedAt);
    expect(loads).toEqual([96, 10, 96]);
    expect(record.latency.all!.max).toBeCloseTo(97, 10);
    expect(record.latency.all!.p50).toBeCloseTo(97, 10); // nearest rank of {11, 97, 97}
  });

  it('scales out no further than maxCopies', () => {
    const times = Array.from({ length: 200 }, (_, i) => i * 0.1);
    const { record } = run(times, {
      slotsPerCopy: 1,
      serviceTime: '60s',
      maxCopies: 3,
      scaleOutAfter: '5s',
      copyLoadTime: '1s',
    });
    expect(record.peakReplicas).toBe(3);
    expect(record.served).toBe(200);
  });
});

describe('bedrock-cmi: a call at the instant a copy would go (issue 15 item 3)', () => {
  it('is served by that copy: 1 cold start, 3 windows ($2.355), no cold-start hit', () => {
    // Calls at 1000 s and 1360 s, 360 s each, one copy of one slot, 0 s starts. The first call's
    // copy finishes at 1360 s, when no call has arrived for 360 s ≥ 300 s, but the call arriving
    // at 1360 s comes before that scaling decision (design §3) and is served by the same copy,
    // until 1720 s; then it goes. Active 1000 → 1720 s: ⌈720 / 300⌉ = 3 windows × $0.785 = $2.355.
    // (The wrong order removed it at 1360 s and paid a second start: 2 + 2 windows, $3.14.)
    const { record, inference } = run([1000, 1360], {
      serviceTime: '360s',
      maxCopies: 1,
      slotsPerCopy: 1,
    });
    expect(record.coldStarts).toBe(1);
    expect(record.replicas).toHaveLength(1);
    expect(record.replicas[0]!.removedAt).toBe(1720);
    expect(inference.quantity).toBe(3 * 10); // CMU-minutes: 3 windows × 2 CMUs × 5 min
    expect(inference.amount).toBeCloseTo(3 * WINDOW, 10);
    expect(inference.amount).toBeCloseTo(2.355, 10);
    expect(record.coldStartHits).toBe(0);
    expect(record.latency.all!.max).toBe(360);
  });

  it('a call one instant later finds the copy gone and pays a new start', () => {
    // Same, the second call at 1360.5 s: the copy went at 1360 s. Two active periods, each
    // ⌈360 / 300⌉ = 2 windows.
    const { record, inference } = run([1000, 1360.5], { serviceTime: '360s', maxCopies: 1, slotsPerCopy: 1 });
    expect(record.coldStarts).toBe(2);
    expect(record.replicas.map((r) => r.removedAt)).toEqual([1360, 1720.5]);
    expect(inference.amount).toBeCloseTo(4 * WINDOW, 10);
  });
});

describe('bedrock-cmi: counting starts (issue 15 item 4)', () => {
  // One slot, 100 s requests, copies added 10 s after requests queue and ready 5 s later.
  // Calls: 0, 1, 2 s (a burst), 7,200 s (idle 2 h > evictAfter 1 h: an evicted start) and
  // 7,800 s (the copy went at 7,500 s, idle 10 min < 1 h: a plain cold start). In the burst the
  // calls at 1 and 2 s queue from 1 s: at 11 s two wait with none loading → a copy (ready 16 s,
  // takes the call of 1 s); at 21 s one waits with none loading → another (ready 26 s).
  const times = [0, 1, 2, 7200, 7800];
  const base = { slotsPerCopy: 1, serviceTime: '100s', scaleOutAfter: '10s', copyLoadTime: '5s' };

  it('0 s starts: 3 cold starts, 2 of them evicted, 2 scale-out loads, no cold-start hit', () => {
    const { record } = run(times, base);
    expect(record.coldStarts).toBe(3);
    expect(record.evictedColdStarts).toBe(2); // the first call (idle before the trace) and 7,200 s
    expect(record.scaleOutLoads).toBe(2);
    expect(record.replicas.map((r) => r.requestedAt)).toEqual([0, 11, 21, 7200, 7800]);
    expect(record.coldStartHits).toBe(0);
  });

  it('a 20 s plain cold start is one hit; the 0 s evicted ones are none', () => {
    const { record } = run(times, { ...base, coldStart: '20s' });
    expect(record.coldStartHits).toBe(1); // the call at 7,800 s
    expect(record.latency.coldHit!.count).toBe(1);
    expect(record.latency.coldHit!.max).toBe(120);
  });
});

describe('bedrock-cmi: the copy scale-in rule (issue 15 item 2)', () => {
  // Hour-long trace, one slot per copy, 10 s requests, 0 s starts, copies added 5 s after requests
  // queue and ready 5 s later. Calls at 0 and 1 s: the second queues, a copy B is asked for at
  // 6 s (ready 11 s), but copy A takes the queued call at 10 s, so B is ready and idle. Then a
  // call every 20 s (20 … 3,580 s: 179 calls, each on A while A is free) and an "overflow" call
  // 5 s after every fourth minute (245 … 3,365 s: 14 calls) that finds A busy with the call of
  // 240 m s — so it goes to B, every 4 minutes, less than scaleInAfter (300 s) apart.
  const regular = Array.from({ length: 179 }, (_, k) => 20 * (k + 1));
  const overflow = Array.from({ length: 14 }, (_, m) => 240 * (m + 1) + 5);
  const times = [0, 1, ...regular, ...overflow].sort((a, b) => a - b);
  const trace = {
    slotsPerCopy: 1,
    serviceTime: '10s',
    scaleOutAfter: '5s',
    copyLoadTime: '5s',
  };

  it('`idle` (design §4.2) keeps the second copy while overflows reach it: 25 windows', () => {
    // B is assigned every 240 s, so it never goes unassigned for 300 s until the last overflow
    // (3,365 s): it goes at 3,665 s. The last call is at 3,580 s, so A goes to zero at 3,880 s.
    // A: ⌈3880 / 300⌉ = 13 windows; B, from its first call at 245 s: ⌈3420 / 300⌉ = 12.
    const { record, inference } = run(times, { ...trace, scaleInRule: 'idle' }, 3600);
    expect(record.replicas).toHaveLength(2);
    expect(record.replicas[1]!.firstStartAt).toBe(245);
    expect(record.replicas.map((r) => r.removedAt)).toEqual([3880, 3665]);
    expect(inference.amount).toBeCloseTo(25 * WINDOW, 10);
  });

  it('`load` (the default) scales it in once 5 minutes of load fit in one copy: 14 windows', () => {
    // B became ready at 11 s, so the window runs 11 → 311 s, checked every 60 s (71, …, 311).
    // Load in it: A's calls of 20 … 300 s (15 × 10 s) + the call queued at 1 s on A from 10 to
    // 20 s (9 s of it after 11 s) + the overflow at 245 s on B (10 s) = 169 request-seconds;
    // mean 169 / 300 = 0.56 ≤ (2 − 1) copies × 1 slot → at 311 s both copies are idle and the
    // youngest, B, goes: ⌈(311 − 245) / 300⌉ = 1 window. Later overflows wait ≤ 5 s for A (the
    // scale-out timer finds the queue empty). A: 13 windows as before. 13 + 1 = 14 windows.
    const { record, inference } = run(times, trace, 3600);
    expect(record.replicas).toHaveLength(2);
    expect(record.replicas[1]!.removedAt).toBe(311);
    expect(record.replicas[0]!.removedAt).toBe(3880);
    expect(inference.amount).toBeCloseTo(14 * WINDOW, 10);
    expect(record.served).toBe(times.length);
  });

  it('`load` drains a busy copy: it takes no new call and goes when its last one finishes', () => {
    // Two slots per copy, 200 s calls, least-loaded routing, scaleInAfter 60 s (checked every
    // 60 s). Calls at 0 and 0.5 s fill A; the call at 1 s waits → B asked for at 6 s, ready at
    // 11 s (window restarts; checks at 71, 131, 191, 251 s). Until 191 s the load is 3 > (2 − 1)
    // × 2. Calls at 230 s (both idle → A, the oldest) and 240 s (→ B, the less loaded). Window
    // 191–251 s: A 9 + 9.5, B 20 (its call of 1 s ends at 211 s), 21 (230 s call), 11 (240 s
    // call) = 70.5 request-seconds, mean 1.175 ≤ 2 → scale in at 251 s: A and B have one call
    // each, the youngest, B, drains. The call at 300 s goes to A; B goes at 440 s, when its call
    // of 240 s ends. A goes to zero 300 s after the last call: 600 s.
    const { record } = run([0, 0.5, 1, 230, 240, 300], {
      slotsPerCopy: 2,
      serviceTime: '200s',
      routing: 'least-loaded',
      scaleInAfter: '60s',
      scaleOutAfter: '5s',
      copyLoadTime: '5s',
    });
    const [a, b] = record.replicas as [(typeof record.replicas)[0], (typeof record.replicas)[0]];
    expect(record.replicas).toHaveLength(2);
    expect(b.readyAt).toBe(11);
    expect(b.lastStartAt).toBe(240);
    expect(b.starts).toBe(2);
    expect(b.removedAt).toBe(440);
    expect(a.starts).toBe(4);
    expect(a.removedAt).toBe(600);
  });

  it('lists the rule as an uncertain assumption with both ends, or the scenario’s choice', () => {
    const rule = (extra: Partial<Record<keyof CmiSettings, unknown>>) =>
      bedrockCmi.prepare(context(), settings(extra)).assumptions.find((a) => a.name === 'scale-in rule');
    expect(rule({})).toMatchObject({ value: 'load', low: 'load', high: 'idle', uncertain: true });
    expect(rule({ scaleInRule: 'idle' })).toMatchObject({
      value: 'idle',
      source: 'Scenario setting',
      uncertain: false,
    });
  });
});

describe('bedrock-cmi: sizing and feasibility', () => {
  const book = loadPriceBook();
  it('Llama 3.1 8B → 2 CMUs, 70B → 8, 13B → the next size up (8)', () => {
    expect(cmusForModel(ModelSpecSchema.parse({ parameters: 8.03e9 }))).toBe(2);
    expect(cmusForModel(ModelSpecSchema.parse({ parameters: 70.6e9 }))).toBe(8);
    expect(cmusForModel(ModelSpecSchema.parse({ parameters: 13e9 }))).toBe(8);
    expect(cmusForModel(ModelSpecSchema.parse({ parameters: 3e9 }))).toBe(1);
  });
  it('refuses an architecture that is not on the import list, with the reason', () => {
    const f = bedrockCmi.feasibility(
      ModelSpecSchema.parse({ architecture: 'MyNovelForCausalLM' }),
      'us-east-1',
      settings(),
      book,
    );
    expect(f.ok).toBe(false);
    expect(f.reasons.join(' ')).toMatch(/not on the import list/);
  });
  it('refuses weights over 200 GB and a context over 128K', () => {
    const f = bedrockCmi.feasibility(
      ModelSpecSchema.parse({ parameters: 405e9, contextLength: 262144 }),
      'us-east-1',
      settings({ cmusPerCopy: 16 }),
      book,
    );
    expect(f.ok).toBe(false);
    expect(f.reasons.some((r) => /200 GB/.test(r))).toBe(true);
    expect(f.reasons.some((r) => /131072/.test(r))).toBe(true);
  });
  it('accepts the article model in us-east-1', () => {
    expect(bedrockCmi.feasibility(ModelSpecSchema.parse({}), 'us-east-1', settings(), book)).toEqual({
      ok: true,
      reasons: [],
    });
  });
});

describe('bedrock-cmi: properties', () => {
  const arbTimes = fc
    .array(fc.double({ min: 0, max: 20000, noNaN: true }), { minLength: 0, maxLength: 60 })
    .map((a) => [...a].sort((x, y) => x - y));
  const arbSettings = fc.record({
    slotsPerCopy: fc.integer({ min: 1, max: 4 }),
    serviceTime: fc.integer({ min: 1, max: 400 }).map((s) => `${s}s`),
    coldStart: fc.integer({ min: 0, max: 120 }).map((s) => `${s}s`),
    scaleOutAfter: fc.integer({ min: 1, max: 120 }).map((s) => `${s}s`),
    scaleInAfter: fc.integer({ min: 30, max: 900 }).map((s) => `${s}s`),
    maxCopies: fc.integer({ min: 1, max: 4 }),
  });

  it('active windows × 5 min ≥ active copy-time; invoked ≤ active; all requests served', () => {
    fc.assert(
      fc.property(arbTimes, arbSettings, (times, s) => {
        const active = run(times, s);
        const invoked = run(times, { ...s, windowRule: 'invoked' });
        let activeSeconds = 0;
        for (const r of active.record.replicas)
          if (r.firstStartAt === r.firstStartAt) activeSeconds += r.removedAt - r.firstStartAt;
        expect((active.inference.quantity / 2 / 5) * 300).toBeGreaterThanOrEqual(activeSeconds - 1e-6);
        expect(invoked.inference.amount).toBeLessThanOrEqual(active.inference.amount + 1e-9);
        expect(active.record.served).toBe(times.length);
        expect(active.record.served + active.record.failed + active.record.throttled).toBe(
          active.record.arrived,
        );
      }),
      { numRuns: 60 },
    );
  });

  it('nothing but storage accrues while no copy exists', () => {
    fc.assert(
      fc.property(arbTimes, arbSettings, (times, s) => {
        const { record, bill } = run(times, s);
        const minutes = record.series.minutes;
        const cost = bill.costSoFar(minutes);
        const storagePerMinute = (2 * 1.95 * 60) / (730 * 3600);
        for (let m = 1; m < minutes; m++) {
          const live = record.replicas.some((r) => r.requestedAt < (m + 1) * 60 && r.removedAt > m * 60);
          if (!live && (m + 1) * 60 <= 86400)
            expect(cost[m]! - cost[m - 1]!).toBeCloseTo(storagePerMinute, 12);
        }
        expect(cost[minutes - 1]).toBeCloseTo(totalOf(bill.lines), 9);
      }),
      { numRuns: 40 },
    );
  });

  it('heartbeats never change `arrived` or user latency counts', () => {
    fc.assert(
      fc.property(arbTimes, fc.integer({ min: 30, max: 300 }), (times, every) => {
        const plain = run(times);
        const warm = run(times, { heartbeat: { every: `${every}s` } });
        expect(warm.record.arrived).toBe(plain.record.arrived);
        expect(warm.record.latency.all?.count ?? 0).toBe(times.length);
        expect(warm.record.heartbeats).toBeGreaterThan(0);
      }),
      { numRuns: 30 },
    );
  });
});
