import { InputError } from '../../errors.js';
import { optionById } from '../../models/registry.js';
import type { ScenarioOption } from '../../scenario/schema.js';
import type { RankBasis, VolumeBreakeven } from '../../compare/result.js';
import type { SweepTask, TrafficShape, VariantOutcome } from '../sweep/sweep.js';
import type { SweepPool } from '../sweep/pool.js';

/*
 * Volume crossover (issue 8; design §8 `breakeven.volume`):
 *
 *   log-spaced daily volumes ─► the scenario's traffic shape scaled to each ─► every option simulated
 *     ─► USD per day, ranked (baselines, infeasible, or losing more than maxLossRate: not ranked)
 *     ─► cheapest per volume ─► where the cheapest changes, the crossing interpolated in log(volume)
 *
 * No volume depends on another's outcome: `volumeTasks` lists them, `assembleVolume` ranks them,
 * so the sweep shards whole (`servesim breakeven volume --shard K/N`, then `servesim merge`).
 */

export interface VolumeConfig {
  /** Requests per day, `from` < `to`. */
  from: number;
  to: number;
  /** Volumes simulated, ≥ 2, log-spaced with both ends included. */
  points: number;
}

/**
 * Everything `assembleVolume` needs besides the task outcomes, as plain data (a shard's partial
 * carries it). Task i simulates every option at `volumes[i]`.
 */
export interface VolumeFrame {
  /** Requests per day of each task, ascending. */
  volumes: number[];
  /** Option keys, in the scenario's order (the order of each task's outcomes). */
  keys: string[];
  /** Keys of catalog-model baselines: priced, never ranked. */
  baselines: string[];
  /** Days of the simulated span (costs are reported per day). */
  days: number;
  maxLossRate: number;
  basis: RankBasis;
}

export async function analyzeVolume(
  options: readonly ScenarioOption[],
  pool: SweepPool,
  shape: TrafficShape,
  cfg: VolumeConfig,
  maxLossRate: number,
  basis: RankBasis = 'total',
): Promise<VolumeBreakeven> {
  const { frame, tasks } = volumeTasks(options, shape, cfg, maxLossRate, basis);
  return assembleVolume(frame, await pool.run(tasks));
}

/** The sweep's tasks (one per volume, every option) and its frame; nothing simulated yet. */
export function volumeTasks(
  options: readonly ScenarioOption[],
  shape: TrafficShape,
  cfg: VolumeConfig,
  maxLossRate: number,
  basis: RankBasis = 'total',
): { frame: VolumeFrame; tasks: SweepTask[] } {
  if (!(shape.requestsPerDay > 0))
    throw new InputError(
      "the scenario's traffic has no requests, so there is no shape to scale; add traffic before a volume sweep",
      'traffic.components',
    );
  const volumes = logGrid(cfg.from, cfg.to, cfg.points);
  const keys = options.map((o) => o.key ?? o.id);
  return {
    // Baselines (catalog models, not the scenario's weights) are priced for comparison, never ranked.
    frame: {
      volumes,
      keys,
      baselines: keys.filter((_, j) => optionById(options[j]!.id)?.baseline === true),
      days: shape.days,
      maxLossRate,
      basis,
    },
    tasks: volumes.map((v) => ({ scale: v / shape.requestsPerDay, options: [...options] })),
  };
}

/** The sweep's points and crossovers from every task's outcomes (in task order). Pure. */
export function assembleVolume(frame: VolumeFrame, outcomes: readonly VariantOutcome[][]): VolumeBreakeven {
  const { keys, baselines } = frame;
  const ranked = keys.filter((k) => !baselines.includes(k));
  const points = frame.volumes.map((requestsPerDay, i) => {
    const costs: Record<string, number | null> = {};
    keys.forEach(
      (k, j) => (costs[k] = dailyCost(outcomes[i]![j]!, frame.days, frame.maxLossRate, frame.basis)),
    );
    return { requestsPerDay, costs, cheapest: cheapestOf(ranked, costs) };
  });
  return { points, crossovers: crossoversOf(points), baselines };
}

/**
 * `n` volumes from `from` to `to`, evenly spaced in log(volume), each rounded to 3 significant
 * digits (both ends exact) unless rounding would merge two of them. logGrid(100, 1e4, 3) →
 * [100, 1000, 10000].
 */
export function logGrid(from: number, to: number, n: number): number[] {
  const exact = Array.from({ length: n }, (_, i) =>
    i === 0 ? from : i === n - 1 ? to : from * Math.pow(to / from, i / (n - 1)),
  );
  const rounded = exact.map((v, i) => (i === 0 || i === n - 1 ? v : Number(v.toPrecision(3))));
  return rounded.every((v, i) => i === 0 || v > rounded[i - 1]!) ? rounded : exact;
}

/** USD per day of the span; null when the option does not serve this traffic (design §3 ranking). */
function dailyCost(r: VariantOutcome, days: number, maxLossRate: number, basis: RankBasis): number | null {
  const cost = basis === 'aws' ? r.costAws : r.cost;
  if (!r.feasible || cost === null) return null;
  const lost = r.throttled + r.failed;
  if (r.arrived > 0 && lost / r.arrived > maxLossRate) return null;
  return cost / days;
}

/** The key with the lowest cost (the first listed on ties); null when none is ranked. */
export function cheapestOf(keys: readonly string[], costs: Record<string, number | null>): string | null {
  let best: string | null = null;
  for (const k of keys) {
    const c = costs[k];
    if (c === null || c === undefined) continue;
    if (best === null || c < costs[best]!) best = k;
  }
  return best;
}

/**
 * Where the cheapest option changes between neighbouring points: with both options ranked at
 * both points, the volume where their costs cross, interpolating each cost linearly in
 * log(volume) between the two runs; otherwise (one of them is not ranked at one end) the
 * geometric midpoint of the two volumes. A change to or from "none ranked" is not a crossover.
 */
export function crossoversOf(points: VolumeBreakeven['points']): VolumeBreakeven['crossovers'] {
  const out: VolumeBreakeven['crossovers'] = [];
  for (let i = 1; i < points.length; i++) {
    const p0 = points[i - 1]!;
    const p1 = points[i]!;
    const a = p0.cheapest;
    const b = p1.cheapest;
    if (a === null || b === null || a === b) continue;
    const x0 = Math.log(p0.requestsPerDay);
    const x1 = Math.log(p1.requestsPerDay);
    const [a0, b0, a1, b1] = [p0.costs[a], p0.costs[b], p1.costs[a], p1.costs[b]];
    let x = (x0 + x1) / 2;
    if (a0 != null && b0 != null && a1 != null && b1 != null) {
      // d = cost(a) − cost(b): ≤ 0 at the first point, > 0 at the second.
      const d0 = a0 - b0;
      const d1 = a1 - b1;
      if (d1 - d0 > 0) x = x0 + ((x1 - x0) * -d0) / (d1 - d0);
    }
    out.push({ from: a, to: b, requestsPerDay: Math.exp(x) });
  }
  return out;
}
