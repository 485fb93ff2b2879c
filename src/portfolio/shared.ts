import type { Bill } from '../billing/lines.js';
import type { TraceSummary } from '../compare/result.js';
import type { ModelSpec } from '../models/model-spec.js';
import type { Assumption } from '../models/types.js';
import type { PriceBook } from '../pricing/book.js';
import type { PortfolioModel, Scenario, ScenarioOption } from '../scenario/schema.js';
import type { SimRecord } from '../sim/record.js';
import type { TraceCalendar } from '../traffic/calendar.js';
import type { UserSource } from '../traffic/held.js';

/*
 * Options whose models share capacity (issue 21 item 2): SageMaker inference components on shared
 * instances, later a multi-LoRA node group. A per-model option runs each model through the
 * single-model pipeline and sums (src/portfolio/run.ts); a shared option gets every model's
 * traffic at once and returns one bill for the shared capacity, with each model's share split by
 * a rule it names. The portfolio run turns the outcome into the option's result exactly as it
 * does for per-model options (src/portfolio/combine.ts).
 *
 *   per model: { model name, spec, fine-tune, held trace, totals, seed }  ─┐
 *   the option's settings, prices, span, calendar                          ─┴► run() ─► { bill, record, perModel[] }
 */

/** One model of the portfolio as a shared option receives it. */
export interface SharedModelInput {
  /** The entry's `name`: what `perModel[].model` must carry. */
  model: string;
  spec: ModelSpec;
  fineTune: PortfolioModel['fineTune'];
  /** The model's user requests, generated once: each call returns a fresh stream over the same requests. */
  users: UserSource;
  /** Their totals (requests, tokens, by class). */
  trace: TraceSummary;
  /** The seed its traffic was drawn with (scenario seed + index); use it for the option's own draws. */
  seed: number;
}

/** What every model shares: the option entry and the run's prices, span and calendar. */
export interface SharedOptionContext {
  /** The scenario's entry for this option, as its option schema parsed it. */
  settings: ScenarioOption;
  key: string;
  /** The portfolio scenario as run (seed and region overrides applied). */
  scenario: Scenario;
  book: PriceBook;
  spanSeconds: number;
  calendar: TraceCalendar;
}

/** One model's share of a shared option's outcome. */
export interface SharedModelShare {
  model: string;
  /** This model's share of the bill by the option's `split` rule, `total = aws + staff`. */
  cost: { total: number; aws: number; staff: number };
  /** What happened to this model's requests (counts, latency accumulators) on the shared capacity. */
  record: SimRecord;
}

/** A shared option's outcome for the whole portfolio. */
export type SharedOutcome =
  | { feasible: false; reasons: string[] }
  | {
      feasible: true;
      /** Notes (as a feasible option's `reasons`). */
      reasons: string[];
      /** The whole bill: shared capacity billed once, plus any per-model lines. Lines need unique `lineId`s. */
      bill: Bill;
      /**
       * The option as one fleet: counts and latency over every model's requests, instances as
       * replicas (`mergeRecords` of the models' records does, when the instances are their replicas).
       */
      record: SimRecord;
      /** One entry per model, in the portfolio's order; the shares' totals add up to the bill's. */
      perModel: SharedModelShare[];
      assumptions: Assumption[];
    };

/** A serving option that hosts several models on shared capacity. */
export interface SharedPortfolioOption {
  /** The option id it runs (`sagemaker-inference-components`). */
  id: string;
  /**
   * How it splits shared costs among models, as `perModel[].split` states it, e.g.
   * `busy-copy-seconds` (each instance-second split by the reserved copies of each model on it).
   */
  split: string;
  run(models: readonly SharedModelInput[], ctx: SharedOptionContext): SharedOutcome;
  /**
   * Whether these settings share capacity (`self-hosted` does only with `multiLora`); absent:
   * always. When false the option runs one deployment per model.
   */
  applies?(settings: ScenarioOption): boolean;
}

const SHARED = new Map<string, SharedPortfolioOption>();

/** Makes a shared option run portfolios (the lead wires sagemaker-inference-components here). */
export function registerSharedOption(o: SharedPortfolioOption): void {
  SHARED.set(o.id, o);
}

/**
 * The shared option for an option id (and, given, its settings), if it has one; every other
 * option runs one deployment per model.
 */
export function sharedOption(id: string, settings?: ScenarioOption): SharedPortfolioOption | undefined {
  const o = SHARED.get(id);
  return o?.applies === undefined || settings === undefined || o.applies(settings) ? o : undefined;
}

/** The `split` of an option that runs one deployment per model: its own bill, nothing shared. */
export const OWN = 'own';
