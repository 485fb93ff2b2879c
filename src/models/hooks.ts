import type { Dist } from '../sim/dist.js';
import type { PriceBook } from '../pricing/book.js';
import type { Heartbeat } from './heartbeat.js';
import type { ModelSpec } from './model-spec.js';
import type { Assumption } from './types.js';

/*
 * What a serving option tells the planning analyses about itself (docs/model.md, "Adding a
 * serving option"). Every hook is optional: an analysis that finds none says in its output that
 * the option does not support it, rather than guessing.
 */

/** An option entry as a scenario writes it (its settings, by name). */
export type OptionEntry = { id: string; key?: string; label?: string } & Record<string, unknown>;

// ---- sizing for the SLO search -------------------------------------------------------------------

/** What decides that a setting misses an SLO (docs/slo.md). */
export type SloBinding = 'cold start' | 'queueing' | 'service time' | 'quota' | 'memory' | 'infeasible';

/** One line of the SLO search: the entry at count n, for n in lo..hi, first tried at `start`. */
export interface SloLine {
  /** What the line fixes besides the count (`ml.g5.2xlarge, autoscaling to 4`), for notes. */
  label: string;
  at(n: number): OptionEntry;
  lo: number;
  hi: number;
  start: number;
  /** Failures a higher count can cure; any other failure ends the line. */
  fixes: readonly SloBinding[];
}

export interface SloSizingContext {
  model: ModelSpec;
  region: string;
  book: PriceBook;
  /** Bit h set = user requests arrive in local hour h. */
  hourMask: number;
  /** The option's scale-to-zero time (s) as configured; null if it never scales to zero. */
  scaleToZeroSeconds: number | null;
  /** A heartbeat schedule as notes name it (`09:00-17:00, every 5m`), from the planning side. */
  heartbeatLabel(hb: Heartbeat | undefined): string;
  /** The local-hour ranges (seconds of the day) of the hours set in `mask`. */
  hourRanges(mask: number): { from: number; to: number }[];
}

/**
 * How the SLO search sizes the option: a few lines, each a count searched on its own (copies,
 * instances, replicas…) with everything else fixed, cheapest-looking first. `countSettings`: the
 * settings a line's count sets (a cheaper miss that differs only in them was cured by capacity).
 */
export interface SloSizing {
  countSettings: readonly string[];
  lines(entry: OptionEntry, ctx: SloSizingContext): SloLine[];
}

// ---- uncertain inputs (sensitivity, forecast) ----------------------------------------------------

/** `fact`: a property of the world; `setting`: the scenario author's decision. */
export type InputRole = 'fact' | 'setting';

/**
 * An option setting whose value the option lists as uncertain (an assumption with a band). Keyed
 * by setting name in `UncertainSettings`; `assumption` names the row that carries its band.
 */
export interface UncertainSetting {
  assumption: string;
  /** `int`/`number`: the setting is that number; `dist`: a distribution whose median moves; `choice`. */
  form: 'int' | 'number' | 'dist' | 'choice';
  role: InputRole;
  /** Every value a `choice` setting can take, low first; a function when it depends on prices. */
  choices?: readonly string[] | ((book: PriceBook, region: string) => string[]);
  /** The choice in force, when the assumption's value is not its label (the CMU rate). */
  current?(a: Assumption, choices: readonly string[]): string;
  /** Uncertain even when the scenario sets it (the window rule: a reading of AWS's text). */
  always?: true;
  /**
   * Changes only the bill, never the simulation (ops effort, a rate, a billing rule): the
   * sensitivity analysis re-bills the run's records instead of simulating again.
   */
  billingOnly?: true;
}

export interface UncertainSettings {
  settings: Readonly<Record<string, UncertainSetting>>;
  /** Setting pairs a move may leave inverted (min above max): the other end follows. */
  minMax?: readonly (readonly [string, string])[];
}

// ---- rollout -------------------------------------------------------------------------------------

/** A duration as a setting gives it (a distribution) or a data file's band. */
export type DurationBand = Dist | { low: number; value: number; high: number };

/**
 * How the option readies new weights (docs/rollout.md):
 * - `second-model`: v2 is a second model beside v1 with its own copies, cold at its first call
 *   (Custom Model Import); the option gives the cold starts a rollback to v1 may meet.
 * - `second-fleet`: v2 is a second fleet of fixed size from the update until v1 is retired
 *   (blue/green); the option gives its readiness time, sizes and wording.
 */
export type RolloutModel<S> = SecondModelRollout<S> | SecondFleetRollout<S>;

export interface SecondModelRollout<S> {
  kind: 'second-model';
  /** Seconds a call to a scaled-to-zero v1 waits: a cold start, or a restore once evicted. */
  rollbackWaits(settings: S): { coldStart: number; evicted: number; evictAfter: number };
}

export interface SecondFleetRollout<S> {
  kind: 'second-fleet';
  /** Time until a new fleet serves (launch, or provision + model load). */
  ready(settings: S): DurationBand;
  /** A fleet size the scenario asks for v2 (0 or absent: as many as v1 had in service). */
  askedSize?(settings: S): number;
  /** The settings that fix the fleet at n. */
  fixedSize(n: number): Record<string, number>;
  /** Wording: the two fleets' names, the unit, and the texts of the rollback and the note. */
  names: { v1: string; v2: string; unit: string };
  rollbackRetired(retireAfter: string): string;
  rollbackLive: string;
  note(size: number, asked: boolean, ready: { low: number; value: number; high: number }): string;
}
