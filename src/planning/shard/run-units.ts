import { createHash } from 'node:crypto';
import type {
  BreakevenResult,
  FitResult,
  RunResult,
  SensitivityResult,
  SloResult,
} from '../../compare/result.js';
import { InputError } from '../../errors.js';
import type { Scenario, Slo } from '../../scenario/schema.js';
import type { TraceColumns } from '../../traffic/columns.js';
import { heartbeatGroups } from '../breakeven/heartbeat.js';
import { collect } from '../sensitivity/uncertain.js';
import { cheapestMeeting } from '../slo/slo.js';
import { encode } from './partial.js';

/*
 * `servesim run` sharded (design §11.7; docs/scale-out.md). Its sweeps are adaptive (each round of
 * the heartbeat search, each bisection step, depends on the last), so they shard by analysis unit,
 * not by task: every shard runs the base simulation itself, then only its units.
 *
 *   units, in order: heartbeat option groups, sensitivity inputs, --slo options, the fit, the volume sweep
 *   shard K/N   base run ─► its units (shardSlice by estimated weight) ─► their results by unit index
 *   merge       base run again (the charts and timeline need its records) ─► the analyses with no
 *               unit ─► every unit's result put in its place (`completeAnalyses`) ─► verdict, report
 *
 * A unit's result does not depend on which other units run beside it (each is a pure function of
 * the scenario and the base run), so the merged result is the unsharded one, byte for byte.
 */

export const RUN_ANALYSES = ['heartbeat', 'sensitivity', 'slo', 'fit', 'volume'] as const;
export type RunAnalysis = (typeof RUN_ANALYSES)[number];

/** Whether this process computes an analysis's unit: heartbeat option key, input id, SLO option key; '' for fit and volume. */
export type UnitFilter = (analysis: RunAnalysis, id: string) => boolean;

/** The analyses `servesim run` attaches to its result, before the verdict. */
export interface RunAnalyses {
  breakeven: BreakevenResult;
  slo?: SloResult | undefined;
  fit?: FitResult | undefined;
  sensitivity?: SensitivityResult | undefined;
}

/** Everything `servesim merge` needs to repeat the run, besides the units' results (the partial's frame). */
export interface RunFrame {
  /** The scenario as run (seed and region overrides applied). */
  scenario: Scenario;
  /** The SLO searched (`--slo`, else the scenario's), or null. */
  slo: Slo | null;
  /** Whether the SLO came from `--slo` (error messages name it). */
  sloFlag: boolean;
  fit: boolean;
  sensitivity: boolean;
  /** Every unit of the run, in order (`unitId`); partials key results by index into it. */
  units: string[];
}

/** A unit's result as a partial holds it; `result` is null for a heartbeat option with no break-even. */
export interface UnitResult {
  unit: string;
  result: unknown;
}

/** `heartbeat:cmi`, `sensitivity:bedrock-cmi.coldStart`, `slo:box`, `fit`, `volume`. */
export function unitId(analysis: RunAnalysis, id: string): string {
  return analysis === 'fit' || analysis === 'volume' ? analysis : `${analysis}:${id}`;
}

function splitId(unit: string): [RunAnalysis, string] {
  const i = unit.indexOf(':');
  return i < 0 ? [unit as RunAnalysis, ''] : [unit.slice(0, i) as RunAnalysis, unit.slice(i + 1)];
}

/*
 * A unit's weight: option-simulations of the whole trace it is expected to need (for balancing
 * only; a wrong guess makes shards uneven, never results different). A heartbeat search runs
 * the intervals, 48 one-hour schedules, local-search rounds, the fit's draws and the volume
 * doubling; an input its ends plus, if the choice flips, a bisection; an SLO search a doubling
 * and a bisection per search line.
 */
const HEARTBEAT_WEIGHT = 80;
const INPUT_WEIGHT = 3;
const SLO_WEIGHT = 12;
const FIT_WEIGHT = 12;

export interface RunUnitsInput {
  /** The scenario as run. */
  scenario: Scenario;
  baseDir: string;
  /** The run's trace (the pool's), so listing the sensitivity inputs costs no trace pass. */
  trace: TraceColumns | null;
  sensitivity: boolean;
  slo: boolean;
  fit: boolean;
}

/**
 * The heartbeat option groups as units (`heartbeat:<key>`), in the analysis's order, with their
 * weights: `run`'s first units and `breakeven heartbeat --shard`'s only ones.
 */
export function heartbeatUnits(scenario: Scenario): { units: string[]; weights: number[] } {
  const units = heartbeatGroups(scenario.options).map((g) => unitId('heartbeat', g.key));
  return { units, weights: units.map(() => HEARTBEAT_WEIGHT) };
}

/** The run's units in order, with their weights: what every shard and the merge agree on. */
export function runUnits(input: RunUnitsInput): { units: string[]; weights: number[] } {
  const { scenario } = input;
  const { units, weights } = heartbeatUnits(scenario);
  const add = (a: RunAnalysis, id: string, w: number): void => {
    units.push(unitId(a, id));
    weights.push(w);
  };
  if (input.sensitivity)
    for (const x of collect(scenario, input.baseDir, input.trace).inputs)
      add('sensitivity', x.id, INPUT_WEIGHT * x.keys.length * (x.choices?.length ?? 2));
  if (input.slo) for (const o of scenario.options) add('slo', o.key ?? o.id, SLO_WEIGHT);
  if (input.fit) add('fit', '', FIT_WEIGHT);
  const volume = scenario.breakeven?.volume;
  if (volume !== undefined) add('volume', '', volume.points * scenario.options.length);
  return { units, weights };
}

/** The filter of a set of unit ids. */
export function unitFilter(units: ReadonlySet<string>): UnitFilter {
  return (a, id) => units.has(unitId(a, id));
}

/** The results of `units` (each computed by this process) from its analyses. */
export function unitResults(units: readonly string[], a: RunAnalyses): UnitResult[] {
  return units.map((unit) => {
    const [analysis, id] = splitId(unit);
    const found = ((): unknown => {
      switch (analysis) {
        case 'heartbeat':
          // An option whose `never` is infeasible has no break-even: computed, and nothing to show.
          return a.breakeven.heartbeat.find((h) => h.option === id) ?? null;
        case 'sensitivity':
          return a.sensitivity?.inputs.find((x) => x.id === id);
        case 'slo':
          return a.slo?.options.find((o) => o.key === id);
        case 'fit':
          return a.fit;
        case 'volume':
          return a.breakeven.volume;
      }
    })();
    if (found === undefined) throw new Error(`run shard: no result for unit ${unit}`);
    return { unit, result: found };
  });
}

/**
 * The merged partials' results (`MergedSweep.outcomes`), checked against the unit list they
 * claim: result i must name unit i, else the partial was altered (exit 2).
 */
export function unitsInPlace(units: readonly string[], merged: readonly unknown[]): UnitResult[] {
  const results = merged as readonly UnitResult[];
  results.forEach((u, i) => {
    if (u.unit !== units[i])
      throw new InputError(
        `damaged servesim partial: unit ${i} is "${String(u.unit)}", the list says "${units[i]}"; run its shard again`,
      );
  });
  return [...results];
}

/**
 * The analyses of a run that computed no unit (`servesim merge`'s own) with every unit's result
 * put in its place, in the unsharded order; the SLO's cheapest option is chosen again over all.
 * `results[i]` is the result of `units[i]`.
 */
export function completeAnalyses(
  a: RunAnalyses,
  units: readonly string[],
  results: readonly unknown[],
  scenario: Scenario,
): RunAnalyses {
  const of = (analysis: RunAnalysis): unknown[] =>
    units.flatMap((u, i) => (splitId(u)[0] === analysis ? [results[i]] : []));
  const breakeven: BreakevenResult = {
    ...a.breakeven,
    heartbeat: of('heartbeat').filter((h) => h !== null) as BreakevenResult['heartbeat'],
  };
  const volume = of('volume');
  if (volume.length > 0) breakeven.volume = volume[0] as BreakevenResult['volume'];
  const slo = a.slo && { ...a.slo, options: of('slo') as SloResult['options'] };
  if (slo) slo.cheapest = cheapestMeeting(scenario.options, slo.options);
  const fit = of('fit');
  return {
    breakeven,
    slo,
    fit: fit.length > 0 ? (fit[0] as FitResult) : a.fit,
    sensitivity: a.sensitivity && {
      ...a.sensitivity,
      inputs: of('sensitivity') as SensitivityResult['inputs'],
    },
  };
}

/** The result's keys that the analyses add: the base run is everything else. */
const ANALYSIS_KEYS = new Set(['verdict', 'breakeven', 'rollout', 'slo', 'fit', 'sensitivity']);

/** SHA-256 of the base run's part of a result: equal on every shard (and in merge) of one run. */
export function baseDigest(result: RunResult): string {
  const base = Object.fromEntries(Object.entries(result).filter(([k]) => !ANALYSIS_KEYS.has(k)));
  return createHash('sha256').update(encode(base)).digest('hex');
}
