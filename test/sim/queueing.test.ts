import { afterAll, describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/engine.js';
import type { FleetConfig } from '../../src/sim/fleet.js';
import type { Dist } from '../../src/sim/dist.js';
import type { SimRecord } from '../../src/sim/record.js';
import { Rng } from '../../src/sim/rng.js';
import { DistService } from '../../src/sim/service.js';
import { runScenario } from '../../src/compare/run.js';
import { scenarioFromObject } from '../../src/scenario/load.js';
import { ArrayStream, batchMeans, poissonTimes, RecordingService } from '../helpers/sim.js';

/*
 * The engine against queueing theory (design §10: "waiting times match Erlang-C (M/M/c) and
 * Pollaczek–Khinchine (M/D/1) within sampling error"). Every expected value below comes from a
 * closed form written out in this file; nothing is read back from the code under test.
 *
 * Set-up: c servers (single-slot replicas, or one replica with c slots), Poisson arrivals at rate
 * λ = ρ·c·μ generated here from their own seeded stream, i.i.d. service times from
 * `DistService` (μ = 1/E[S] = 1). Each run starts empty and stops taking arrivals after N of them;
 * the fleet drains, so every request is served.
 *
 * Tolerances (the sampling error, stated once for every check):
 *   Waits of consecutive customers are strongly autocorrelated, so the standard error of a mean
 *   comes from batch means: the N per-customer values (waits recorded by a service-model wrapper
 *   that reads the simulation clock at each start) are cut into B = 32 contiguous batches, and
 *   SE = sd(batch means)/√B. Batch means are nearly independent when a batch is much longer than
 *   the relaxation time of the queue: 1/(μ(1−√ρ)²) for M/M/1 (Morse, "Stochastic properties of
 *   waiting lines", 1955); for M/M/c we take the M/M/1 value at service rate cμ (with all c servers
 *   busy the queue is an M/M/1 of rate cμ), i.e. λ/(cμ(1−√ρ)²) = ρ/(1−√ρ)² customers: 342 at
 *   ρ = 0.9. The run lengths below give every batch ≥ 9,000 customers, at least 90 relaxation
 *   times at ρ = 0.9 (far more at lower loads; `run()` asserts ≥ 25).
 *   A check passes when |sim − theory| ≤ Z·SE with Z = 5: with 31 degrees of freedom,
 *   P(|t₃₁| > 5) ≈ 2e-5 per check, so the ~70 statistical checks here raise a false alarm about once
 *   in 700 seeds (the seeds are fixed, so the file is deterministic; they were not searched).
 *
 *   Where waiting is rare (M/M/16: P(wait) = 4.5e-5 at ρ = 0.3, 0.009 at ρ = 0.5), most batches
 *   hold few or no waiting customers and the batch-means SE is itself unreliable (it is small
 *   exactly when the sample happens to hold few waits). When a batch expects fewer than 100
 *   waiting customers, the SE is instead max(batch-means SE, a compound-Poisson SE): customers who
 *   wait arrive in clusters, one per excursion of the number in system to ≥ c; while n ≥ c the
 *   system is an M/M/1 queue with arrival rate λ and service rate cμ, so a cluster holds as many
 *   customers as an M/M/1 busy period serves, M, with E[M] = 1/(1−ρ), Var[M] = ρ(1+ρ)/(1−ρ)³,
 *   hence E[M²] = (1+ρ²)/(1−ρ)³ (M/M/1 busy-period moments, e.g. Gross & Harris, ch. 2). Rare clusters form a (nearly) Poisson
 *   stream, so the count of waiting customers has variance D·(its mean), D = E[M²]/E[M] =
 *   (1+ρ²)/(1−ρ)². For the sum of waits — a wait given that it is positive is Exp(cμ−λ) in M/M/c,
 *   E[W²|W>0] = 2/(cμ−λ)² — the waits inside a cluster are positively correlated, so D is doubled.
 *   The M/M/16 ρ = 0.3 check is loose by nature (~45 waiting customers in a million); getting it to
 *   ±10% would take ~10⁸ requests.
 */

const Z = 5;
const B = 32;
/** `QUEUEING_SEED=k` shifts every seed by k, to re-run the file on fresh samples. */
const SEED_OFFSET = Number(process.env.QUEUEING_SEED ?? 0);

/** Erlang's C formula: probability that an arrival waits in M/M/c with offered load a = λ/μ < c.
 *   C(c, a) = [aᶜ/c! · c/(c−a)] / [Σ_{k=0}^{c−1} aᵏ/k! + aᶜ/c! · c/(c−a)]
 * (Kleinrock, Queueing Systems Vol. 1, §3.5 "M/M/m"; Gross & Harris, Fundamentals of Queueing
 * Theory, §2.3). */
function erlangC(c: number, a: number): number {
  let term = 1; // a^k / k!
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  const last = (term * c) / (c - a); // term = a^c / c! here
  return last / (sum + last);
}

/** M/M/c mean wait in queue: Wq = C(c, a) / (cμ − λ) (same sources). */
function erlangWq(c: number, lambda: number, mu: number): number {
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}

/** M/G/1 mean wait, Pollaczek–Khinchine mean-value formula: Wq = λ·E[S²] / (2(1 − ρ)) (Kleinrock
 * Vol. 1, ch. 5; Gross & Harris, §5.1). */
function pkWq(lambda: number, es: number, es2: number): number {
  return (lambda * es2) / (2 * (1 - lambda * es));
}

interface QueueCase {
  /** Replicas and slots per replica; c = replicas × slots servers. */
  replicas: number;
  slots: number;
  routing: 'least-loaded' | 'pack';
  service: Dist;
  /** E[S] and E[S²] of `service`, from its definition. */
  es: number;
  es2: number;
  rho: number;
  n: number;
  seed: number;
}

interface QueueRun {
  c: number;
  lambda: number;
  record: SimRecord;
  /** Per-customer waits (arrival order) and their arrival times. */
  waits: Float64Array;
  arrivals: Float64Array;
  services: Float64Array;
}

function run(q: QueueCase): QueueRun {
  const c = q.replicas * q.slots;
  const lambda = (q.rho * c) / q.es;
  // Batches must be long against the relaxation time, ρ/(1−√ρ)² customers (see the header).
  expect(q.n / B).toBeGreaterThan(25 * (q.rho / (1 - Math.sqrt(q.rho)) ** 2));
  const seed = q.seed + SEED_OFFSET;
  const arrivals = poissonTimes(lambda, q.n, new Rng(seed, 'queueing/arrivals'));
  const service = new RecordingService(new DistService(q.service, new Rng(seed, 'queueing/service')), q.n);
  const cfg: FleetConfig = {
    slotsPerReplica: q.slots,
    routing: q.routing,
    service,
    initialReplicas: q.replicas,
    policy: null,
  };
  const sim = new Simulation(cfg, arrivals[q.n - 1]!);
  service.clock = sim;
  const record = sim.run(new ArrayStream(arrivals), null);
  expect(service.count).toBe(q.n);
  const waits = new Float64Array(q.n).fill(NaN);
  const services = new Float64Array(q.n);
  for (let k = 0; k < q.n; k++) {
    const id = service.order[k]!;
    waits[id] = service.start[k]! - arrivals[id]!;
    services[id] = service.service[k]!;
  }
  return { c, lambda, record, waits, arrivals, services };
}

/** |sim − theory| ≤ Z·SE, with a readable failure message. */
function expectWithin(label: string, sim: number, theory: number, se: number): void {
  const err = sim - theory;
  expect(
    Math.abs(err),
    `${label}: sim ${sim.toPrecision(5)} vs theory ${theory.toPrecision(5)} (SE ${se.toPrecision(2)}, ${(err / se).toFixed(2)} SE)`,
  ).toBeLessThanOrEqual(Z * se);
}

/**
 * The checks every case gets:
 *  1. the engine's meanWait equals the mean of the waits recorded at the service model (same
 *     quantity, two code paths; floating-point summation tolerance only);
 *  2. meanWait vs theory Wq (batch-means SE, with the rare-wait floor);
 *  3. P(wait > 0) vs theory;
 *  4. Little's law, L = λ(Wq + E[S]) (Little 1961), against the engine's own per-minute
 *     snapshots of requests in the system (series.inFlight), over the whole minutes before the last
 *     arrival (batch means over the minute samples);
 *  5. utilization: busySlotSeconds / (c × time of the last arrival) = ρ. Its SE: busy time is a sum
 *     of N i.i.d. service times and the arrival span a sum of N i.i.d. gaps, so the ratio has
 *     relative SD √((1 + cv²)/N), cv = SD(S)/E[S]; the work still in the system at the last
 *     arrival (≈ L·E[S]) is added as a bias bound.
 */
function checkCase(q: QueueCase, theory: { wq: number; pWait: number }, label: string) {
  const r = run(q);
  const { record, waits, lambda, c } = r;
  const all = record.latency.all!;
  expect(record.served).toBe(q.n);
  expect(all.count).toBe(q.n);

  // 1. Same quantity by two paths.
  let sum = 0;
  for (const w of waits) sum += w;
  expect(Math.abs(all.meanWait - sum / q.n)).toBeLessThanOrEqual(1e-9 * (1 + theory.wq));

  // Rare-wait floors (header): Var(count) = D·N·C, D = (1+ρ²)/(1−ρ)²; sum of waits with 2D.
  const rare = (q.n * theory.pWait) / B < 100;
  const d = (1 + q.rho ** 2) / (1 - q.rho) ** 2;
  const gap = c / q.es - lambda; // cμ − λ
  const floorP = rare ? Math.sqrt((d * theory.pWait) / q.n) : 0;
  const floorW = rare ? Math.sqrt((2 * d * theory.pWait * 2) / gap ** 2 / q.n) : 0;

  // 2. Mean wait.
  const wb = batchMeans(waits, B);
  const seW = Math.max(wb.se, floorW);
  expectWithin(`${label} Wq`, all.meanWait, theory.wq, seW);

  // 3. Probability of waiting.
  const waited = waits.map((w) => (w > 0 ? 1 : 0));
  const pb = batchMeans(waited, B);
  const pSim = waited.reduce((a, v) => a + v, 0) / q.n;
  expectWithin(`${label} P(wait>0)`, pSim, theory.pWait, Math.max(pb.se, floorP));

  // 4. Little's law on the engine's minute snapshots.
  const lastArrival = r.arrivals[q.n - 1]!;
  const minutes = Math.floor(lastArrival / 60);
  const snaps = Float64Array.from(record.series.inFlight.subarray(0, minutes));
  const lb = batchMeans(snaps, B);
  const lTheory = lambda * (theory.wq + q.es);
  const lMean = snaps.reduce((a, v) => a + v, 0) / minutes;
  expectWithin(`${label} L`, lMean, lTheory, lb.se);

  // 5. Utilization.
  const util = record.busySlotSeconds / (c * lastArrival);
  const cv2 = q.es2 / q.es ** 2 - 1;
  const utilTol = Z * q.rho * Math.sqrt((1 + cv2) / q.n) + (lTheory * q.es) / (c * lastArrival);
  expect(Math.abs(util - q.rho), `${label} utilization ${util}`).toBeLessThanOrEqual(utilTol);

  table.push(
    `${label.padEnd(32)} Wq sim ${all.meanWait.toPrecision(5)} theory ${theory.wq.toPrecision(5)} ` +
      `(${(((all.meanWait - theory.wq) / theory.wq) * 100).toFixed(2)}%, ${((all.meanWait - theory.wq) / seW).toFixed(2)} SE; ` +
      `SE batch ${wb.se.toPrecision(2)} floor ${floorW.toPrecision(2)}) | P(wait) ${pSim.toPrecision(4)} vs ${theory.pWait.toPrecision(4)} ` +
      `| L ${lMean.toPrecision(4)} vs ${lTheory.toPrecision(4)} | util ${util.toFixed(4)} vs ${q.rho}`,
  );
}

/** Sim-vs-theory lines; `QUEUEING_REPORT=1 npx vitest run test/sim/queueing.test.ts` prints them. */
const table: string[] = [];
afterAll(() => {
  if (process.env.QUEUEING_REPORT) process.stderr.write(`\n${table.join('\n')}\n`);
});

const EXP: Dist = { dist: 'exponential', mean: 1 };
/** Run lengths: heavier load relaxes more slowly and needs more customers. */
const N_BY_RHO: Record<number, number> = { 0.3: 300_000, 0.5: 300_000, 0.7: 500_000, 0.9: 1_000_000 };

describe('Erlang-C formula (as written here) on hand-worked values', () => {
  it('reduces to the textbook special cases', () => {
    // M/M/1: C = ρ (an arrival waits iff the server is busy, PASTA), Wq = ρ/(μ − λ).
    for (const rho of [0.1, 0.5, 0.9]) {
      expect(erlangC(1, rho)).toBeCloseTo(rho, 14);
      expect(erlangWq(1, rho, 1)).toBeCloseTo(rho / (1 - rho), 12);
    }
    // M/M/2: P₀ = (1−ρ)/(1+ρ) with ρ = a/2, so C = (a²/2)·(2/(2−a))·P₀ = 2ρ²/(1 + ρ).
    for (const rho of [0.3, 0.7]) expect(erlangC(2, 2 * rho)).toBeCloseTo((2 * rho * rho) / (1 + rho), 14);
  });

  it('agrees with the Erlang-B recursion C = cB/(c − a(1 − B))', () => {
    // B(0) = 1, B(k) = a·B(k−1)/(k + a·B(k−1)) (the Erlang-B recursion): a different algebraic route.
    for (const c of [1, 4, 16])
      for (const rho of [0.3, 0.5, 0.7, 0.9]) {
        const a = rho * c;
        let b = 1;
        for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
        expect(erlangC(c, a)).toBeCloseTo((c * b) / (c - a * (1 - b)), 12);
      }
  });
});

describe('M/M/c: mean wait matches Erlang-C', () => {
  for (const c of [1, 4, 16])
    for (const rho of [0.3, 0.5, 0.7, 0.9]) {
      // M/M/16 at ρ = 0.3 waits so rarely (C = 4.5e-5) that it gets a longer run.
      const n = c === 16 && rho === 0.3 ? 1_000_000 : N_BY_RHO[rho]!;
      it(`M/M/${c} at ρ = ${rho} (${n.toLocaleString('en-US')} requests)`, () => {
        const lambda = rho * c; // μ = 1
        const theory = { wq: erlangWq(c, lambda, 1), pWait: erlangC(c, lambda) };
        checkCase(
          {
            replicas: c,
            slots: 1,
            routing: 'least-loaded',
            service: EXP,
            es: 1,
            es2: 2,
            rho,
            n,
            seed: 100 * c + Math.round(10 * rho), // distinct per case, so the cases' errors are independent
          },
          theory,
          `M/M/${c} ρ=${rho}`,
        );
      });
    }

  it('one replica with 4 slots and pack routing is the same M/M/4 (ρ = 0.7)', () => {
    // i.i.d. service ignores occupancy, so c slots on one replica are c servers.
    checkCase(
      { replicas: 1, slots: 4, routing: 'pack', service: EXP, es: 1, es2: 2, rho: 0.7, n: 500_000, seed: 12 },
      { wq: erlangWq(4, 2.8, 1), pWait: erlangC(4, 2.8) },
      'M/M/4 (1×4 slots, pack) ρ=0.7',
    );
  });
});

describe('M/G/1: mean wait matches Pollaczek–Khinchine', () => {
  for (const rho of [0.3, 0.5, 0.7, 0.9]) {
    const n = N_BY_RHO[rho]!;
    it(`M/D/1 at ρ = ${rho}: Wq = ρ/(2μ(1−ρ)) (${n.toLocaleString('en-US')} requests)`, () => {
      // Deterministic service S = 1: E[S²] = 1, so P–K gives Wq = ρ/(2(1−ρ)); P(wait) = ρ (PASTA).
      const theory = { wq: rho / (2 * (1 - rho)), pWait: rho };
      expect(theory.wq).toBeCloseTo(pkWq(rho, 1, 1), 14);
      checkCase(
        {
          replicas: 1,
          slots: 1,
          routing: 'least-loaded',
          service: { dist: 'fixed', value: 1 },
          es: 1,
          es2: 1,
          rho,
          n,
          seed: 2000 + Math.round(10 * rho),
        },
        theory,
        `M/D/1 ρ=${rho}`,
      );
    });
  }

  it('M/U/1 with uniform(0, 2) service at ρ = 0.7', () => {
    // E[S] = 1, E[S²] = (0² + 0·2 + 2²)/3 = 4/3, so Wq = 0.7·(4/3)/(2·0.3) = 14/9.
    const theory = { wq: pkWq(0.7, 1, 4 / 3), pWait: 0.7 };
    expect(theory.wq).toBeCloseTo(14 / 9, 14);
    checkCase(
      {
        replicas: 1,
        slots: 1,
        routing: 'least-loaded',
        service: { dist: 'uniform', min: 0, max: 2 },
        es: 1,
        es2: 4 / 3,
        rho: 0.7,
        n: 500_000,
        seed: 31,
      },
      theory,
      'M/U/1 ρ=0.7',
    );
  });
});

describe('whole-scenario run (fixed-fleet option, syntheticStream traffic)', () => {
  it('M/M/8 at ρ = 0.7 over one day: meanWait and utilization match Erlang-C', () => {
    // λ = 5.6/s for 86,400 s ≈ 484k requests; μ = 1/s; c = 8; a = 5.6.
    const loaded = scenarioFromObject({
      name: 'mmc-check',
      seed: 7,
      traffic: { days: 1, components: [{ type: 'poisson', rate: 5.6 }] },
      options: [
        {
          id: 'fixed-fleet',
          replicas: 8,
          slotsPerReplica: 1,
          serviceTime: { dist: 'exponential', mean: 1 },
        },
      ],
    });
    const out = runScenario(loaded).result.options[0]!;
    const wq = erlangWq(8, 5.6, 1);
    const n = out.requests.arrived;
    // The arrival count is Poisson(λT): within 5 SD of 483,840.
    expect(Math.abs(n - 483_840)).toBeLessThan(5 * Math.sqrt(483_840));
    expect(out.requests.served).toBe(n);
    // No per-customer waits here, so the SE comes from a stated conservative bound instead of batch
    // means: Var(mean wait) ≈ 2τ·Var(W)/n for an autocorrelated sequence with integrated
    // autocorrelation time τ (customers); we take τ = 10 relaxation times, 10·ρ/(1−√ρ)² = 262, and
    // Var(W) = E[W²] − Wq² with E[W²] = 2C/(cμ−λ)² for M/M/c. (Batch means on direct runs of this
    // queue at this length give an SE ≈ 0.0025, about a quarter of this bound's 0.0094.)
    const cProb = erlangC(8, 5.6);
    const varW = (2 * cProb) / (8 - 5.6) ** 2 - wq * wq;
    const tau = (10 * 0.7) / (1 - Math.sqrt(0.7)) ** 2;
    const se = Math.sqrt((2 * tau * varW) / n);
    const simWq = out.latency!.all!.meanWait;
    expectWithin('scenario M/M/8 ρ=0.7 Wq', simWq, wq, se);
    table.push(
      `${'scenario M/M/8 ρ=0.7'.padEnd(32)} Wq sim ${simWq.toPrecision(5)} theory ${wq.toPrecision(5)} ` +
        `(${(((simWq - wq) / wq) * 100).toFixed(2)}%, ${((simWq - wq) / se).toFixed(2)} SE; SE bound ${se.toPrecision(2)}) ` +
        `| util ${out.capacity!.utilization!.toFixed(4)} vs 0.7`,
    );
    // Mean latency = Wq + E[S]; the service-time part adds SD 1/√n.
    expectWithin('scenario M/M/8 mean latency', out.latency!.all!.mean, wq + 1, se + 1 / Math.sqrt(n));
    // Utilization over the ready time (design §8): busy / (8 × span) ≈ ρ, relative SD √(2/n).
    const util = out.capacity!.utilization!;
    expect(Math.abs(util - 0.7)).toBeLessThan(Z * 0.7 * Math.sqrt(2 / n) + 1e-3);
  });
});
