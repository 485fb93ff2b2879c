import type { VariantOutcome } from '../sweep/sweep.js';

/*
 * `runVolumes: one` (docs/forecast.md, "Approximations"): with growth, each run simulates its days
 * at one volume (the pivot, the middle simulated volume) instead of every simulated volume, which
 * divides the simulations by the number of volumes (3 by default). Its cost at another volume v:
 *
 *   staff time (does not depend on volume)
 *   + the run's AWS bill at the pivot × base AWS bill at v ÷ base AWS bill at the pivot
 *
 * where the base bills come from the scenario's own settings and seed, simulated once per volume
 * and day type. The run keeps its own level (its drawn inputs, its seed); the way the bill grows
 * with volume is the base's. test/planning/forecast/volumes.test.ts bounds the error against
 * simulating every volume.
 */

/** Outcomes of one simulated day by option key. */
export type DayCosts = Map<string, VariantOutcome>;

/**
 * A run's day at the pivot moved to another volume by the base days' AWS ratio. An option the
 * base cannot price at either volume (infeasible there) becomes infeasible.
 */
export function scaledDay(run: DayCosts, baseAt: DayCosts, basePivot: DayCosts): DayCosts {
  if (baseAt === basePivot) return run;
  const out: DayCosts = new Map();
  for (const [key, o] of run) {
    const at = baseAt.get(key)?.costAws ?? null;
    const pv = basePivot.get(key)?.costAws ?? null;
    if (o.cost === null || o.costAws === null || at === null || pv === null) {
      const reasons = (at === null ? baseAt : basePivot).get(key)?.reasons ?? o.reasons;
      out.set(key, o.cost === null ? o : { ...o, feasible: false, reasons, cost: null, costAws: null });
      continue;
    }
    // A bill of zero at the pivot has no ratio: the base's change is added instead.
    const aws = pv > 0 ? o.costAws * (at / pv) : o.costAws + at - pv;
    out.set(key, { ...o, cost: o.cost - o.costAws + aws, costAws: aws });
  }
  return out;
}
