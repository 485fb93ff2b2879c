import type { LatencySummary } from '../sim/latency.js';
import type { CostLine } from '../billing/lines.js';
import type { OptionFacts } from '../models/types.js';
import type { ClaimCheck } from './claims.js';
import type { SensitivityResult } from './sensitivity.js';

/** The result JSON of `servesim run` (design §8). Field order here is the order in the file. */
export interface RunResult {
  scenario: string;
  seed: number;
  region: string;
  generatedBy: { version: string };
  pricing: { book: string; bookDate: string; overrides: { id: string; price: number; was: number }[] };
  trace: TraceSummary;
  options: OptionResult[];
  assumptions: AssumptionRow[];
  /** The scenario's claims (e.g. the article's figures) measured on the simulation. */
  claims: ClaimCheck[];
  /** The break-even analyses (design §8; docs/breakeven.md): set by `servesim run`. */
  breakeven?: BreakevenResult;
  /** Which uncertain input can change the answer (docs/sensitivity.md): set by `servesim run --sensitivity`. */
  sensitivity?: SensitivityResult;
}

/** Design §8 `breakeven`. Fields marked "addition" go beyond the design's shape (docs/breakeven.md). */
export interface BreakevenResult {
  /** One entry per option of the scenario that scales to zero (accepts a heartbeat). */
  heartbeat: HeartbeatBreakeven[];
  /** The volume crossover; null unless asked for (`breakeven.volume` or `servesim breakeven volume`). */
  volume: VolumeBreakeven | null;
}

export interface HeartbeatVariant {
  /** `never`, `always, every 5m`, or ranges such as `09:00-17:00 weekdays, every 4m`. */
  schedule: string;
  /** USD over the simulated span. */
  cost: number;
  /** User requests that waited on a cold (or evicted) start. */
  coldStartHits: number;
  /** Seconds, nearest rank over interactive user requests; null without any. */
  p99Interactive: number | null;
  /** Addition: latency (s) of the trace's first user request; null without any. */
  firstCall: number | null;
}

/** A heartbeat as a scenario writes it (`options[].heartbeat`). */
export interface HeartbeatSetting {
  every: string;
  during: string[];
  days: 'all' | 'weekdays';
}

export interface HeartbeatBreakeven {
  option: string;
  /** Addition: the option's scale-to-zero time (s), the longest heartbeat interval that keeps it warm. */
  scaleToZeroSeconds: number;
  variants: HeartbeatVariant[];
  /** Added cost ÷ cold starts avoided of a heartbeat always on (cheapest interval); null if it avoids none. */
  costPerAvoidedColdStart: number | null;
  /** The lowest cost per avoided cold start of any schedule evaluated: below this value no heartbeat pays. */
  breakEvenColdStartValue: number | null;
  /** The schedule to use (`heartbeat` null = none); `schedule` names its entry in `variants`. */
  bestSchedule: { schedule: string; heartbeat: HeartbeatSetting | null; basis: string };
  /** Addition: with `breakeven.coldStartValue`, value of the cold starts avoided minus the added cost (USD). */
  verdict: { coldStartValue: number; alwaysNet: number; bestNet: number } | null;
  /**
   * Addition: the daily volume (this traffic shape, scaled) from which a heartbeat over the traffic's
   * own hours (`schedule`) adds under 2 % to the bill, i.e. traffic keeps the copy warm; null if not
   * reached within the volume range.
   */
  warmByTraffic: { schedule: string; requestsPerDay: number | null };
}

export interface VolumeBreakeven {
  /** Log-spaced daily volumes; `costs` in USD per day, null where an option is infeasible or loses too many requests. */
  points: { requestsPerDay: number; costs: Record<string, number | null>; cheapest: string | null }[];
  /** Where the cheapest option changes, interpolated linearly in log(volume) between the bracketing points. */
  crossovers: { from: string; to: string; requestsPerDay: number }[];
}

export interface ClassTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

export interface TraceSummary extends ClassTotals {
  start: string;
  durationSeconds: number;
  byClass: { interactive: ClassTotals; batch: ClassTotals };
}

export interface OptionResult {
  key: string;
  id: string;
  label: string;
  feasible: boolean;
  /** Serves a catalog model, not the scenario's weights: shown for comparison, never ranked cheapest. */
  baseline: boolean;
  reasons: string[];
  facts: OptionFacts;
  cost: { total: number; currency: 'USD'; lines: CostLine[] } | null;
  per1kRequests: number | null;
  per1MTokens: number | null;
  latency: {
    all: LatencySummary | null;
    interactive: LatencySummary | null;
    batch: LatencySummary | null;
    warm: LatencySummary | null;
    coldHit: LatencySummary | null;
  } | null;
  requests: {
    arrived: number;
    served: number;
    throttled: number;
    failed: number;
    heartbeats: number;
    coldStartHits: number;
  };
  capacity: {
    peakReplicas: number;
    replicaSeconds: number;
    coldStarts: number;
    billedUnitMinutes: number | null;
    utilization: number | null;
  } | null;
}

export interface AssumptionRow {
  option: string;
  name: string;
  value: number | string;
  unit: string;
  low: number | string | null;
  high: number | string | null;
  source: string;
  uncertain: boolean;
}
