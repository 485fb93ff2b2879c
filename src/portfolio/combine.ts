import { costSplit, type Bill } from '../billing/lines.js';
import { requestsOf, type OptionRun } from '../compare/run.js';
import type { OptionResult } from '../compare/result.js';
import { userTokens, type SimRecord } from '../sim/record.js';
import type { ModelShare } from './result-types.js';
import { mergeRecords } from './records.js';
import { sumBills } from './bills.js';
import { OWN, type SharedModelShare } from './shared.js';

/*
 * A portfolio option's result: what the option reports for one model (src/compare/run.ts
 * `finishOption`), computed over the portfolio — from the models' own runs summed (one deployment
 * per model) or from a shared option's outcome — plus `perModel`, each model's share.
 */

/** One model's run of an option through the single-model pipeline. */
export interface ModelOutcome {
  model: string;
  result: OptionResult;
  run: OptionRun;
}

/** The option's share of one model, from that model's own result. */
export function shareOf(model: string, r: OptionResult, split: string): ModelShare {
  return {
    model,
    split,
    feasible: r.feasible,
    reasons: r.reasons,
    cost: r.cost === null ? null : { total: r.cost.total, aws: r.cost.aws, staff: r.cost.staff },
    latency: r.latency,
    requests: r.requests,
    coldStarts: r.capacity?.coldStarts ?? null,
  };
}

/**
 * One deployment per model: the portfolio option is the sum of the models' runs. A portfolio of
 * one model is that model's result with `perModel` added. Feasible only where it is for every
 * model (an infeasible model's reasons are named after it).
 */
export function sumOutcomes(outcomes: readonly ModelOutcome[]): { result: OptionResult; run: OptionRun } {
  const first = outcomes[0]!;
  const perModel = outcomes.map((o) => shareOf(o.model, o.result, OWN));
  if (outcomes.length === 1) return { result: { ...first.result, perModel }, run: first.run };
  const feasible = outcomes.every((o) => o.result.feasible);
  const reasons = modelReasons(outcomes.map((o) => ({ model: o.model, reasons: o.result.reasons })));
  if (!feasible) {
    const unpriced = outcomes.some((o) => o.result.unpriced);
    return {
      result: {
        ...first.result,
        feasible: false,
        ...(unpriced ? { unpriced: true as const } : {}),
        // Named after the model the option cannot serve.
        reasons: outcomes.flatMap((o) =>
          o.result.feasible ? [] : o.result.reasons.map((x) => `${o.model}: ${x}`),
        ),
        cost: null,
        per1kRequests: null,
        per1MTokens: null,
        latency: null,
        requests: sumRequests(outcomes.map((o) => o.result.requests)),
        capacity: null,
        perModel,
      },
      run: { key: first.run.key, record: null, bill: null },
    };
  }
  const record = mergeRecords(outcomes.map((o) => o.run.record!));
  const bill = sumBills(outcomes.map((o) => ({ model: o.model, bill: o.run.bill! })));
  return {
    result: portfolioResult(
      first.result,
      reasons,
      record,
      bill,
      outcomes.map((o) => o.result.capacity !== null),
      perModel,
      utilizationOf(outcomes.map((o) => o.run.record!)),
    ),
    run: { key: first.run.key, record, bill, assumed: first.run.assumed ?? [] },
  };
}

/** A shared option's shares as `perModel` entries (its record per model gives latency and counts). */
export function sharedShares(shares: readonly SharedModelShare[], split: string): ModelShare[] {
  return shares.map((s) => ({
    model: s.model,
    split,
    feasible: true,
    reasons: [],
    cost: s.cost,
    latency: s.record.latency,
    // The counts only: a record also carries replicas, series and latency samples.
    requests: requestsOf(s.record),
    coldStarts: s.record.coldStarts,
  }));
}

/**
 * The option's result over the portfolio, from its combined record and bill; `base` gives the
 * key, id, label, facts and baseline flag. `capacity` is null when no model's run reports one.
 */
export function portfolioResult(
  base: OptionResult,
  reasons: string[],
  record: SimRecord,
  bill: Bill,
  reportsCapacity: readonly boolean[],
  perModel: ModelShare[],
  utilization: number | null,
): OptionResult {
  const split = costSplit(bill.lines);
  const tokens = userTokens(record.tokensByClass.input) + userTokens(record.tokensByClass.output);
  return {
    key: base.key,
    id: base.id,
    label: base.label,
    feasible: true,
    baseline: base.baseline,
    reasons,
    facts: bill.commitment ? { ...base.facts, commitment: bill.commitment } : base.facts,
    cost: { ...split, currency: 'USD', lines: bill.lines },
    per1kRequests: record.served > 0 ? (split.total / record.served) * 1000 : null,
    per1MTokens: tokens > 0 ? (split.total / tokens) * 1e6 : null,
    get latency() {
      return record.latency;
    },
    requests: requestsOf(record),
    capacity: reportsCapacity.some(Boolean)
      ? {
          peakReplicas: record.peakReplicas,
          replicaSeconds: record.replicas.reduce((s, r) => s + (r.removedAt - r.requestedAt), 0),
          coldStarts: record.coldStarts,
          evictedColdStarts: record.evictedColdStarts,
          scaleOutLoads: record.scaleOutLoads,
          billedUnitMinutes: bill.billedUnitMinutes ?? null,
          utilization,
        }
      : null,
    perModel,
  };
}

/**
 * Busy slot-seconds over ready slot-seconds of every record's replicas, each at its own slots per
 * replica (models may differ); null without ready time. As `finishOption` computes it for one.
 */
export function utilizationOf(records: readonly SimRecord[]): number | null {
  let busy = 0;
  let ready = 0;
  for (const rec of records) {
    busy += rec.busySlotSeconds;
    for (const r of rec.replicas)
      if (r.readyAt === r.readyAt) ready += (r.removedAt - r.readyAt) * rec.slotsPerReplica;
  }
  return ready > 0 ? busy / ready : null;
}

function sumRequests(rs: readonly OptionResult['requests'][]): OptionResult['requests'] {
  const add = (f: (r: OptionResult['requests']) => number): number => rs.reduce((s, r) => s + f(r), 0);
  const worst = (c: 'interactive' | 'batch'): number | null =>
    rs.reduce<number | null>((m, r) => {
      const v = r.coldStartWorstLatency[c];
      return v === null ? m : m === null ? v : Math.max(m, v);
    }, null);
  return {
    arrived: add((r) => r.arrived),
    served: add((r) => r.served),
    throttled: add((r) => r.throttled),
    failed: add((r) => r.failed),
    contextExceeded: add((r) => r.contextExceeded ?? 0),
    heartbeats: add((r) => r.heartbeats),
    coldStartHits: add((r) => r.coldStartHits),
    coldStartHitsByClass: {
      interactive: add((r) => r.coldStartHitsByClass.interactive),
      batch: add((r) => r.coldStartHitsByClass.batch),
    },
    coldStartWorstLatency: { interactive: worst('interactive'), batch: worst('batch') },
  };
}

/** Reasons every model shares once, as they are; the others prefixed by their model. */
function modelReasons(byModel: readonly { model: string; reasons: string[] }[]): string[] {
  const all = byModel.map((m) => m.reasons);
  const common = all[0]?.filter((r) => all.every((rs) => rs.includes(r))) ?? [];
  const out = [...common];
  for (const m of byModel) for (const r of m.reasons) if (!common.includes(r)) out.push(`${m.model}: ${r}`);
  return out;
}
