import type { Band } from './bands.js';
import type { ForecastMonth } from './calendar.js';
import type { DrawnInput } from './inputs.js';

/* The forecast's result (forecast.json) and its frame: what the assembly reads besides outcomes. */

/** One row of forecast.json `months` and of forecast.csv (design §8): USD for the month. */
export interface ForecastRow extends Band {
  month: string;
  option: string;
}

export interface ForecastOptionInfo {
  option: string;
  id: string;
  /** Serves a catalog model instead of the scenario's weights: shown, never ranked cheapest. */
  baseline: boolean;
  /** False when any simulated day was infeasible: the option has no rows. */
  feasible: boolean;
  reasons: string[];
  /** Highest share of user requests throttled or failed on any simulated day; null if infeasible. */
  lossRate: number | null;
  /** `lossRate` above the scenario's `maxLossRate`: costed, flagged, never ranked cheapest. */
  lossExceeded: boolean;
}

export interface ForecastSettings {
  start: string;
  months: number;
  growth: number;
  runs: number;
  uncertainty: 'all' | 'none';
  sampleDays: number;
  volumePoints: number | 'all';
  /** Volumes each run simulates with growth: `one` (the others scaled, see `VolumeScaling`) or `all`. */
  runVolumes: 'one' | 'all';
  /** Runs that simulate the options no drawn input reaches (the others reuse them) or `all`. */
  seedOnlyRuns: number | 'all';
}

/**
 * How the runs' costs at the simulated volumes other than the one they simulate are estimated
 * (`runVolumes: one` with more than one volume): run r's AWS bill at volume v = its bill at the
 * pivot volume × (base AWS bill at v ÷ base AWS bill at the pivot), where "base" is the
 * scenario's own settings and seed; staff time does not depend on volume and is kept.
 */
export interface VolumeScaling {
  /** Index into `scales` of the volume every run simulates (the middle one). */
  pivot: number;
  /** [scale]: the base tasks of the weekday and the weekend day at that volume. */
  base: { weekday: number; weekend: number }[];
}

/** forecast.json: `months` is design §8; the other fields are additions (docs/forecast.md). */
export interface ForecastResult {
  months: ForecastRow[];
  scenario: string;
  seed: number;
  region: string;
  settings: ForecastSettings & {
    percentileMethod: 'nearest-rank';
    /**
     * Present when runs simulated one volume and the others were scaled (`runVolumes: one` with
     * growth): the volume factor each run simulated. Absent: every run simulated every volume.
     */
    scaledFromVolume?: number;
    /**
     * Present when the options no drawn input reaches were simulated in the first `runs` runs
     * only, the others reusing them in turn (`seedOnlyRuns`).
     */
    seedOnly?: { runs: number; options: string[] };
    /** Dates the representative days are simulated on (any regular day of the type is the same). */
    representativeDays: { weekday: string; weekend: string };
  };
  calendar: { month: string; days: number; weekdays: number; weekendDays: number; volumeFactor: number }[];
  /** The horizon's total per option: each run's months summed, then the percentiles. */
  totals: (Band & { option: string })[];
  /** Per month, the option with the lowest P50 among the ranked ones (null: none ranked). */
  cheapest: { month: string; option: string | null }[];
  options: ForecastOptionInfo[];
  /** The uncertain inputs each run drew (empty with `uncertainty: none`). */
  uncertainInputs: DrawnInput[];
  /**
   * Addition (issue 15 item 6): options bought for a term. Their months bill the term's monthly
   * instalment (a commitment month of `termHours / termMonths` hours, whatever the calendar
   * month's length), and their horizon total bills whole terms: `monthsAfterHorizon` months of
   * the last term fall after the horizon and are in `totals`, not in `months`.
   */
  commitments: {
    option: string;
    term: string;
    termMonths: number;
    terms: number;
    monthsAfterHorizon: number;
  }[];
}

/**
 * Everything `assembleForecast` needs besides the task outcomes, as plain data (a shard's
 * partial carries it, so `servesim merge` needs no scenario file). Task indices point into the
 * plan's task list.
 */
export interface ForecastFrame {
  /** The scenario as analysed (overrides applied), as far as the assembly reads it. */
  scenario: {
    name: string;
    seed: number;
    region: string;
    maxLossRate: number;
    options: { key: string; id: string }[];
  };
  settings: ForecastSettings;
  months: ForecastMonth[];
  representativeDays: { weekday: string; weekend: string };
  /** Simulated volumes, ascending (see `anchorScales`). */
  scales: number[];
  inputs: DrawnInput[];
  /**
   * [run][day][scale]: the task of the weekday, and of the weekend day (null: no option sees
   * weekends). With `split`, both are one task: its outcomes before `split` are the weekday's,
   * the rest the weekend day's. With `volumes`, each run's days hold the pivot volume only.
   */
  days: { weekday: number; weekend: number | null; split?: number }[][][];
  /** Present when runs simulate one volume and the others are scaled from the base tasks. */
  volumes?: VolumeScaling;
  /**
   * Present when only the first `runs` runs simulate the options `keys` (no drawn input reaches
   * them): run r ≥ `runs` takes their outcomes from run r mod `runs` (same day and volume).
   */
  seedOnly?: { runs: number; keys: string[] };
  /** [month][DST day]: the task of that day and of a regular day of its type at the month's volume. */
  dst: { odd: number; even: number }[][];
}
