import type { z } from 'zod';
import type { Dist } from '../sim/dist.js';
import type { ModelSpec } from './model-spec.js';
import type { PriceBook } from '../pricing/book.js';
import type { FleetConfig } from '../sim/fleet.js';
import type { SimRecord } from '../sim/record.js';
import type { ArrivalStream } from '../traffic/types.js';
import type { Bill, Commitment, CostLine } from '../billing/lines.js';
import type { TraceCalendar } from '../traffic/calendar.js';
import type { ComplianceFacts } from './compliance.js';
import type { RolloutModel, SloSizing, UncertainSettings } from './hooks.js';

/** One modelling input that AWS does not publish (or publishes loosely), shown in `assumptions`. */
export interface Assumption {
  name: string;
  value: number | string;
  unit: string;
  low?: number | string;
  high?: number | string;
  source: string;
  uncertain: boolean;
  /**
   * The distribution in force when the value is one (cold starts, launch times): lets the
   * sensitivity and forecast analyses move its median across the band keeping its shape. Not
   * part of the result JSON.
   */
  dist?: Dist;
}

/** Static facts for the side-by-side comparison (the article's table columns). */
export interface OptionFacts {
  baseSupport: string;
  opsSurface: string;
  costShape: string;
  versionRollback: { path: string; timeToTrafficSeconds: number | null };
  /** HIPAA eligibility, PrivateLink, CloudTrail, weights location (src/models/compliance.json). */
  compliance: ComplianceFacts;
  /** Design §11: a commitment the option must be bought for (Provisioned Throughput terms); absent without one. */
  commitment?: Commitment;
}

export interface Feasibility {
  ok: boolean;
  reasons: string[];
  /**
   * Some reasons are prices the book lacks in this region (src/models/feasibility.ts): the option
   * is shown as unpriced with those reasons, never ranked, and never priced from elsewhere.
   */
  unpriced?: boolean;
}

/** What an option needs to know to prepare a run. */
export interface PrepareContext {
  model: ModelSpec;
  region: string;
  seed: number;
  /** The option's key in results (distinct per option instance). */
  key: string;
  book: PriceBook;
  /** Seconds of the simulated span (for storage pro-rating and always-on fleets). */
  spanSeconds: number;
  /** The trace's local calendar, for heartbeat schedules. */
  calendar: TraceCalendar;
  /** Mean tokens per user request of the trace (sizing defaults such as a scaling target). */
  meanTokens: { input: number; output: number };
}

/** A prepared option: everything the runner needs to simulate and bill it. */
export interface PreparedOption {
  assumptions: Assumption[];
  fleet: FleetConfig;
  /** False for options without a fleet of their own (per-token): `capacity` is null. Default true. */
  reportsCapacity?: boolean;
  /** Extra invocations the option adds (heartbeats), or null. */
  heartbeats: ArrivalStream | null;
  bill(record: SimRecord): Bill;
}

/**
 * A serving option (design §3): one file per option in src/models/, registered in registry.ts.
 * `S` is the option's parsed settings (from its own zod schema, which the scenario schema embeds).
 */
export interface ServingOption<
  S extends { id: string; key?: string | undefined; label?: string | undefined },
> {
  id: S['id'];
  /** Human name, e.g. "Bedrock Custom Model Import". */
  title: string;
  /** True when it serves a catalog model instead of the scenario's weights (a baseline, never ranked). */
  baseline?: boolean;
  /**
   * AWS Price List service code its cost lines bill under (`AmazonBedrock`), or one per line
   * (undefined for a line that is no AWS charge, e.g. ops). A scenario's `pricing.discounts` for
   * it adds a discount line (src/pricing/discounts.ts). Absent: no discount applies.
   */
  service?: string | ((line: CostLine) => string | undefined);
  /** Strict settings schema, including `id`, `key`, `label`. */
  schema: z.ZodType<S, unknown>;
  facts(model: ModelSpec): OptionFacts;
  feasibility(model: ModelSpec, region: string, settings: S, book: PriceBook): Feasibility;
  /** Resolves defaults, prices and the fleet policy. Called only when feasible. */
  prepare(ctx: PrepareContext, settings: S): PreparedOption;
  /**
   * With these settings, does the option scale to zero (and so take a `heartbeat`)? Null when it
   * never does. `whileCold`: what a user call that finds no replica meets — it `wait`s for a cold
   * start (a cold-start hit) or `fail`s (counted in `requests.failed`, as SageMaker answers with
   * an error until an instance is in service). For the heartbeat analyses.
   */
  scaleToZero?(settings: S): ScaleToZero | null;

  // Planning hooks (src/models/hooks.ts). An analysis that finds none says so in its output.
  /** How the SLO search sizes the option (`--slo`); absent: "does not support the SLO search". */
  sloSizing?: SloSizing;
  /** The settings behind its uncertain assumptions (sensitivity, forecast). */
  uncertain?: UncertainSettings;
  /** How it readies new weights (`rollout:`); absent: "rollout not modelled". */
  rollout?: RolloutModel<S>;
}

/** How an option scales to zero (see `ServingOption.scaleToZero`). */
export interface ScaleToZero {
  /** Idle seconds (no invocation) before the last replica goes. */
  afterSeconds: number;
  whileCold: 'wait' | 'fail';
}
