import type { LoadedScenario } from '../../scenario/load.js';
import { BreakevenVolume, type Scenario } from '../../scenario/schema.js';
import { acceptsHeartbeat, analyzeHeartbeat } from './heartbeat.js';
import { analyzeVolume, volumeTasks, type VolumeFrame } from './volume.js';
import type { BreakevenResult, UserClass } from '../../compare/result.js';
import { trafficShape, type VariantOutcome } from '../sweep/sweep.js';
import { SweepPool, type PoolOptions } from '../sweep/pool.js';
import { poolOnOwnTrace } from '../sweep/base-run.js';
import { isLong, representativeDays, type LongTrace } from '../sensitivity/representative.js';
import type { SweepPlan } from '../shard/plan.js';

/*
 * The break-even analyses of a scenario (design §8 `breakeven`): the warm heartbeat per option that
 * scales to zero, and the volume crossover over all options. Both share one pool of worker
 * threads and run concurrently; results do not depend on the number of workers.
 */

export interface BreakevenOptions extends PoolOptions {
  seed?: number;
  region?: string;
  /** A pool whose context is this scenario as analysed (the run's, holding its trace); left open. */
  pool?: SweepPool;
  /** The run's own outcomes by option key (whole trace, with hit times), so they are not simulated again. */
  baseline?: ReadonlyMap<string, VariantOutcome>;
  /** Heartbeat schedules are searched on the first week of a long trace (default `LONG_TRACE`). */
  longAbove?: LongTrace;
  /** Only the heartbeat options whose key passes (a shard's units, design §11.7); default all. */
  units?: (key: string) => boolean;
}

/** Long traces search heartbeat schedules on their first week (the variants shown run on all days). */
const SEARCH_DAYS = 7;

export interface BreakevenRequest {
  heartbeat: boolean;
  volume: boolean;
}

export async function analyzeBreakeven(
  loaded: LoadedScenario,
  what: BreakevenRequest,
  opts: BreakevenOptions = {},
): Promise<BreakevenResult> {
  const scenario: Scenario = {
    ...loaded.scenario,
    seed: opts.seed ?? loaded.scenario.seed,
    region: opts.region ?? loaded.scenario.region,
  };
  // Nothing to do (no option scales to zero, no volume sweep asked): spare the trace pass.
  if (!what.volume && !scenario.options.some((o) => acceptsHeartbeat(o)))
    return { heartbeat: [], volume: null };
  const cfg = scenario.breakeven;
  const volume = cfg?.volume ?? BreakevenVolume.parse({});
  // The heartbeat simulates the scenario's own trace many times: generated once, shared.
  const pool =
    opts.pool ??
    (what.heartbeat
      ? poolOnOwnTrace(scenario, loaded.baseDir, opts)
      : new SweepPool({ scenario, baseDir: loaded.baseDir }, opts));
  const shape = trafficShape(scenario, loaded.baseDir, pool.trace);
  if (!opts.pool && !what.heartbeat) pool.setRequestsPerScale(shape.requests);
  if (opts.pool && opts.onProgress) pool.phase(opts.onProgress);
  try {
    const [heartbeat, vol] = await Promise.all([
      what.heartbeat
        ? analyzeHeartbeat(scenario.options, pool, shape, {
            coldStartValue: cfg?.coldStartValue,
            classes: countedClasses(cfg?.heartbeat?.classes ?? ['interactive'], cfg?.coldStartValue),
            grid: cfg?.heartbeat?.grid === '5m' ? 300 : 60,
            seed: scenario.seed,
            intervals: cfg?.heartbeat?.intervals,
            schedules: cfg?.heartbeat?.schedules ?? [],
            maxVolume: volume.to,
            baseline: opts.baseline,
            units: opts.units,
            warmDay: warmDayOf(scenario, shape.localDays.length),
            searchSpan: isLong(shape.localDays.length, shape.requests, opts.longAbove)
              ? { start: scenario.traffic.start, days: SEARCH_DAYS }
              : undefined,
          })
        : Promise.resolve([]),
      what.volume
        ? analyzeVolume(scenario.options, pool, shape, volume, scenario.maxLossRate, scenario.rankBy)
        : null,
    ]);
    return { heartbeat, volume: vol };
  } finally {
    if (pool !== opts.pool) await pool.close();
  }
}

/** The volume sweep's frame with the breakeven.json header (scenario, seed, region as analysed). */
export interface BreakevenVolumeFrame extends VolumeFrame {
  scenario: string;
  seed: number;
  region: string;
}

/**
 * The volume sweep as a plan (tasks + frame, nothing simulated): what `breakeven volume --shard`
 * slices and `servesim merge` assembles (`assembleVolume`). Same tasks as `analyzeBreakeven`'s.
 */
export function planBreakevenVolume(
  loaded: LoadedScenario,
  opts: BreakevenOptions = {},
): SweepPlan<BreakevenVolumeFrame> {
  const scenario: Scenario = {
    ...loaded.scenario,
    seed: opts.seed ?? loaded.scenario.seed,
    region: opts.region ?? loaded.scenario.region,
  };
  const volume = scenario.breakeven?.volume ?? BreakevenVolume.parse({});
  const shape = trafficShape(scenario, loaded.baseDir);
  const { frame, tasks } = volumeTasks(
    scenario.options,
    shape,
    volume,
    scenario.maxLossRate,
    scenario.rankBy,
  );
  return {
    ctx: { scenario, baseDir: loaded.baseDir },
    tasks,
    requestsPerScale: shape.requests,
    frame: { scenario: scenario.name, seed: scenario.seed, region: scenario.region, ...frame },
  };
}

/**
 * The day the warm-by-traffic sweep scales on a trace of several days: the first full weekday (the
 * first full day when there is none); none for a trace of one day or less (it scales the whole).
 */
function warmDayOf(scenario: Scenario, days: number): { start: string; days: 1 } | undefined {
  if (days <= 1) return undefined;
  const rep = representativeDays(scenario);
  const day = rep?.find((d) => d.weekday) ?? rep?.[0];
  return day && { start: `${day.date}T00:00`, days: 1 };
}

/**
 * The classes whose hits count: those listed, less any a per-class `coldStartValue` map values at
 * 0 (or leaves out) — avoiding a hit worth nothing is not what a heartbeat is bought for. If the
 * map values none of them, the listed classes.
 */
export function countedClasses(
  listed: UserClass[],
  value: number | Partial<Record<UserClass, number>> | undefined,
): UserClass[] {
  if (value === undefined || typeof value === 'number') return listed;
  const valued = listed.filter((c) => (value[c] ?? 0) > 0);
  return valued.length > 0 ? valued : listed;
}
