import type { Slo } from '../../scenario/schema.js';
import type { LatencySummary } from '../../sim/latency.js';
import type { SloBinding } from '../../compare/result.js';
import type { VariantOutcome } from '../sweep/sweep.js';

/*
 * One simulated setting judged against an SLO: does it meet the target, and if not, which
 * constraint stands in the way. Pure; the search (slo.ts) decides what to try next from it.
 */

export interface Verdict {
  meets: boolean;
  /** The SLO's percentile of the SLO's class (s); null when infeasible or nothing was served. */
  achieved: number | null;
  /** Share of user requests throttled or failed. */
  loss: number;
  /** Why it misses the target; null when it meets it. */
  binding: SloBinding | null;
  /** The numbers behind the binding constraint, in a phrase. */
  why: string;
}

/** Latency summary of the SLO's class (`all` = every user request). */
export function classLatency(o: VariantOutcome, slo: Slo): LatencySummary | null {
  return o.latency?.[slo.class] ?? null;
}

const s2 = (x: number): string => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} s`;
const pct = (x: number): string => `${+(x * 100).toFixed(2)} %`;

/**
 * Meets = feasible, loss ≤ maxLossRate and the percentile ≤ target. Otherwise, in this order:
 * - infeasible → `memory` when a reason is about memory or fit, else `infeasible`;
 * - loss above maxLossRate → `quota` when throttling is most of it, else `cold start` (calls that
 *   fail while no instance is in service, as SageMaker's scale from zero does);
 * - requests waited on a cold start and the warm ones meet the target (or there are none) → `cold start`;
 * - mean wait above mean service time → `queueing`, else `service time`.
 * Warm and cold-hit latency are over all user requests (the run's `warm` summary), whatever the class.
 */
export function judge(o: VariantOutcome, slo: Slo, maxLossRate: number): Verdict {
  if (!o.feasible) {
    const memory = o.reasons.some((r) => /memory|\bGB\b|fits? no/i.test(r));
    return {
      meets: false,
      achieved: null,
      loss: 1,
      binding: memory ? 'memory' : 'infeasible',
      why: o.reasons.join('; ') || 'not feasible',
    };
  }
  const lost = o.throttled + o.failed;
  const loss = o.arrived > 0 ? lost / o.arrived : 0;
  const l = classLatency(o, slo);
  const achieved = l?.[slo.percentile] ?? null;
  if (loss > maxLossRate) {
    const quota = o.throttled >= o.failed;
    return {
      meets: false,
      achieved,
      loss,
      binding: quota ? 'quota' : 'cold start',
      why: quota
        ? `${pct(o.throttled / o.arrived)} of requests throttled (maxLossRate ${pct(maxLossRate)})`
        : `${pct(o.failed / o.arrived)} of requests failed while no replica was in service (maxLossRate ${pct(maxLossRate)})`,
    };
  }
  if (l === null || achieved === null) return { meets: true, achieved: null, loss, binding: null, why: '' };
  if (achieved <= slo.target) return { meets: true, achieved, loss, binding: null, why: '' };
  const warm = o.latency?.warm?.[slo.percentile] ?? null;
  if (o.coldStartHits > 0 && (warm === null || warm <= slo.target))
    return {
      meets: false,
      achieved,
      loss,
      binding: 'cold start',
      why: `${o.coldStartHits} request(s) waited on a cold start; ${slo.percentile} ${s2(achieved)}${warm === null ? '' : `, warm requests alone ${s2(warm)}`}`,
    };
  const service = l.mean - l.meanWait;
  return {
    meets: false,
    achieved,
    loss,
    binding: l.meanWait > service ? 'queueing' : 'service time',
    why:
      l.meanWait > service
        ? `requests waited ${s2(l.meanWait)} on average for ${s2(service)} of service; ${slo.percentile} ${s2(achieved)}`
        : `service alone takes ${s2(service)} on average (waiting ${s2(l.meanWait)}); ${slo.percentile} ${s2(achieved)}`,
  };
}
