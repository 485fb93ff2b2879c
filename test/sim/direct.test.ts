import { describe, expect, it } from 'vitest';
import { Simulation, simulate } from '../../src/sim/engine.js';
import { simulateUnqueued } from '../../src/sim/direct.js';
import type { FleetConfig } from '../../src/sim/fleet.js';
import type { SimRecord } from '../../src/sim/record.js';
import { Rng } from '../../src/sim/rng.js';
import { MinuteQuotaPolicy, quotaFleet, TokenRateService } from '../../src/models/catalog.js';
import { bedrockOnDemand } from '../../src/models/bedrock-on-demand.js';
import { bedrockProvisioned } from '../../src/models/bedrock-provisioned.js';
import { bedrockNativeFinetune } from '../../src/models/bedrock-native-finetune.js';
import type { ServingOption } from '../../src/models/types.js';
import type { ArrivalStream } from '../../src/traffic/types.js';
import { context } from '../models/fixtures.js';

/*
 * The direct pass (src/sim/direct.ts) must give the event loop's record value for value: every
 * count, latency summary and sample, token sum, replica life and per-minute series. Traces are
 * random and small, with the cases that could tell the two apart: arrivals at equal times,
 * completions at equal times (equal output tokens), quotas that throttle, requests over the
 * context length, both classes, batch inference, and runs that record no latency.
 */

interface Request {
  t: number;
  inputTokens: number;
  outputTokens: number;
  cls: number;
}

function stream(requests: readonly Request[]): ArrivalStream {
  let i = -1;
  const s: ArrivalStream = {
    t: 0,
    inputTokens: 0,
    outputTokens: 0,
    cls: 0,
    next() {
      const r = requests[++i];
      if (r === undefined) return false;
      Object.assign(s, r);
      return true;
    },
  };
  return s;
}

/** `n` requests over about `span` seconds: bursts (equal times), few token values (equal completions). */
function randomTrace(seed: number, n: number, span: number, batchShare = 0.3): Request[] {
  const rng = new Rng(seed, 'direct-test');
  const out: Request[] = [];
  let t = Math.floor(rng.next() * 20) / 4;
  for (let i = 0; i < n; i++) {
    // Gaps on a quarter-second grid, one in four zero: requests arrive at the same instant, and
    // with services on the grid too (ttft 0.5 s, 40 tokens/s) completions fall on arrivals.
    if (rng.next() >= 0.25) t += Math.round(rng.exponential(span / n) * 4) / 4;
    out.push({
      t,
      inputTokens: 50 * (1 + Math.floor(rng.next() * 8)),
      outputTokens: 20 * (1 + Math.floor(rng.next() * 4)),
      cls: rng.next() < batchShare ? 1 : 0,
    });
  }
  return out;
}

/**
 * Everything a record holds, its lazy latency summaries and samples included, as text in which
 * every number is exact (shortest round trip; −0, NaN and infinities spelled out) and every typed
 * array names its type: equal text = equal values, bit for bit.
 */
function bytes(r: SimRecord): string {
  return JSON.stringify({ ...r, latency: r.latency, latencySample: r.latencySample }, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v)) return [v.constructor.name, ...Array.from(v as Float64Array)];
    if (typeof v === 'number' && (Object.is(v, -0) || !Number.isFinite(v)))
      return `#${String(Object.is(v, -0) ? '-0' : v)}`;
    return v;
  });
}

function both(cfg: () => FleetConfig, requests: readonly Request[], span: number): [string, string] {
  const loop = new Simulation(cfg(), span).run(stream(requests), null);
  const direct = simulateUnqueued(cfg(), stream(requests), span);
  return [bytes(direct), bytes(loop)];
}

describe('the direct pass of a fleet that never queues', () => {
  const quotas: [rpm: number, tpm: number, exempt: number][] = [
    [1e9, 1e12, -1], // never throttles
    [5, 1e12, -1], // requests per minute bite
    [1e9, 1500, -1], // tokens per minute bite
    [4, 2000, 1], // both, batch exempt (batch inference)
  ];
  const services: [ttft: number, tps: number, turnaround: number][] = [
    [0.4, 80, -1],
    [0.25, 50, 3600], // batch requests take the job's turnaround
    [0.5, 40, -1], // 20-token multiples at 40 tok/s: many completions at equal times
  ];

  it('gives the event loop record byte for byte on random traces (quotas, services, context, latency off)', () => {
    let cases = 0;
    const differ: string[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      const span = 600 + seed * 300;
      // Both classes mixed; one class alone (interactive, then batch) on seeds 5 and 6.
      const trace = randomTrace(seed, 150 + seed * 40, span, seed === 5 ? 0 : seed === 6 ? 1 : 0.3);
      for (const [rpm, tpm, exempt] of quotas)
        for (const [ttft, tps, turnaround] of services)
          for (const extra of [{}, { maxInputTokens: 300 }, { latency: false as const }]) {
            const cfg = (): FleetConfig => ({
              ...quotaFleet(
                new TokenRateService(ttft, tps, turnaround),
                new MinuteQuotaPolicy(rpm, tpm, exempt),
              ),
              ...extra,
            });
            const [direct, loop] = both(cfg, trace, span);
            if (direct !== loop)
              differ.push(JSON.stringify({ seed, rpm, tpm, exempt, ttft, tps, turnaround, extra }));
            cases++;
          }
    }
    expect(differ).toEqual([]);
    expect(cases).toBe(6 * quotas.length * services.length * 3);
  });

  it('is what `simulate` runs for each per-token option, with the same record as the loop', () => {
    const span = 3600;
    const trace = randomTrace(42, 900, span);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const cases: [ServingOption<any>, object][] = [
      [bedrockOnDemand, { id: 'bedrock-on-demand' }],
      [bedrockOnDemand, { id: 'bedrock-on-demand', model: 'claude-sonnet-4.5', endpoint: 'global' }],
      [bedrockOnDemand, { id: 'bedrock-on-demand', rpm: 30, tpm: 9000, batchInference: true }],
      [
        bedrockProvisioned,
        { id: 'bedrock-provisioned', pricePerModelUnitHour: 20, tokensPerMinutePerModelUnit: 6000 },
      ],
      [bedrockNativeFinetune, { id: 'bedrock-native-finetune', baseModel: 'nova-lite' }],
    ];
    for (const [option, settings] of cases) {
      const fleet = (): FleetConfig =>
        option.prepare(context(span, { key: 'x' }), option.schema.parse(settings)).fleet;
      expect(fleet().unqueued).toBe(true);
      const [direct, loop] = both(fleet, trace, span);
      expect(direct).toBe(loop);
      // `simulate` dispatches to the direct pass: the same bytes again.
      expect(bytes(simulate(fleet(), stream(trace), null, span))).toBe(loop);
    }
  });

  it('leaves a fleet with calls of its own (heartbeats) to the event loop', () => {
    const cfg = quotaFleet(new TokenRateService(0.4, 80), new MinuteQuotaPolicy(1e9, 1e12));
    const own = stream([{ t: 10, inputTokens: 1, outputTokens: 1, cls: 2 }]);
    const r = simulate(cfg, stream(randomTrace(3, 20, 120)), own, 120);
    expect(r.heartbeats).toBe(1);
  });
});
