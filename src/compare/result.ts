import type { ByClass, LatencyByGroup, RequestCounts } from '../sim/record.js';
import type { CostLine, OptionCost } from '../billing/lines.js';
import type { OptionFacts } from '../models/types.js';
import type { InputRole, SloBinding } from '../models/hooks.js';
import type { ActualVsSimulatedOption } from '../billing/actual-cmi.js';
import type { Claim } from '../scenario/schema.js';
import type { ModelShare, PortfolioModelSummary } from '../portfolio/result-types.js';

/** The result JSON of `servesim run` (design §8). Field order here is the order in the file. */
export interface RunResult {
  kind: 'run' | 'replay'; // which command wrote it (`run` for `runScenario`)
  schemaVersion: number; // the result shape's version (src/version.ts, docs/model.md)
  scenario: string;
  seed: number;
  region: string;
  generatedBy: { version: string };
  pricing: { book: string; bookDate: string; overrides: { id: string; price: number; was: number }[] };
  trace: TraceSummary;
  /** The answer first (design §11): cheapest, runner-up, the heartbeat, a paragraph; set by `servesim run`. */
  verdict?: Verdict;
  options: OptionResult[];
  assumptions: AssumptionRow[];
  /** The scenario's claims (e.g. the article's figures) measured on the simulation. */
  claims: ClaimCheck[];
  /** The break-even analyses (design §8; docs/breakeven.md): set by `servesim run`. */
  breakeven?: BreakevenResult;
  /** The rollout analysis (docs/rollout.md): present only when the scenario has `rollout:`. */
  rollout?: RolloutResult;
  /** The cheapest path under a latency SLO (docs/slo.md): present only when an SLO is given. */
  slo?: SloResult;
  /** Addition: `slotsPerCopy` fitted to observed copies (docs/traces.md); only with `--fit`. */
  fit?: FitResult;
  /** Which uncertain input can change the answer (docs/sensitivity.md): set by `servesim run` (unless `--no-sensitivity`). */
  sensitivity?: SensitivityResult;
  /** Issue 21: a portfolio's models (`models:` scenarios only; docs/portfolio.md). */
  models?: PortfolioModelSummary[];
}

/** Addition (docs/rollout.md): new weights, two versions side by side, the flip and the rollback. */
export interface RolloutResult {
  /** Weights in S3, seconds from the trace start. */
  at: number;
  evaluationSeconds: number;
  stages: { share: number; afterSeconds: number }[];
  options: RolloutOption[];
}

export interface RolloutOption {
  key: string;
  /** False for per-token baselines, infeasible options and options without a modelled rollout (`note` says why). */
  applicable: boolean;
  /** Seconds from weights-in-S3 to the first stage of the flip (import or launch + evaluation). */
  timeToTraffic: { low: number; value: number; high: number } | null;
  /** Seconds from the trace start, with the readiness band's value. */
  timeline: { ready: number; evaluationEnd: number; flip: number; retire: number | null } | null;
  /** USD over the span: one version only, and two versions side by side. */
  oneVersionCost: number | null;
  twoVersionCost: number | null;
  /** twoVersionCost − oneVersionCost. */
  extraCost: number | null;
  /** The two-version run's cost lines (items prefixed by the version); they sum to twoVersionCost. */
  lines: CostLine[];
  rollback: { path: string; seconds: number | null };
  note: string;
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
  /** User requests that waited on a cold (or evicted) start, every class. */
  coldStartHits: number;
  /** `coldStartHits` by class; the analysis counts only `HeartbeatBreakeven.classes`. */
  coldStartHitsByClass: ByClass<number>;
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

/** A request class whose cold starts a heartbeat analysis can count. */
export type UserClass = 'interactive' | 'batch';

export interface HeartbeatBreakeven {
  option: string;
  /** Keys of every scenario entry analysed as this option (those differing only in heartbeat). */
  keys: string[];
  /** Addition: the option's scale-to-zero time (s), the longest heartbeat interval that keeps it warm. */
  scaleToZeroSeconds: number;
  /** The classes whose cold-start hits count (`breakeven.heartbeat.classes`, default interactive). */
  classes: UserClass[];
  /** Seconds between the points a fitted schedule's ranges may start and end on (60 or 300). */
  gridSeconds: number;
  /** Addition (issue 16): where the schedules were searched, and the sentence saying so. */
  method: HeartbeatMethod;
  variants: HeartbeatVariant[];
  /** Added cost ÷ counted cold starts avoided of a heartbeat always on (cheapest interval); null if it avoids none. */
  costPerAvoidedColdStart: number | null;
  /** The lowest cost per avoided counted cold start of any schedule evaluated: below this value no heartbeat pays. */
  breakEvenColdStartValue: number | null;
  /**
   * The schedule to use (`heartbeat` null = none); `schedule` names its entry in `variants`.
   * `avoided` counts the counted classes only; `fittedTo` says which trace days it was fitted to.
   */
  bestSchedule: {
    schedule: string;
    heartbeat: HeartbeatSetting | null;
    basis: string;
    addedCost: number;
    avoided: number;
    costPerAvoided: number | null;
    /** Days of the span the schedule runs (weekdays only for `days: weekdays`). */
    daysRun: number;
    fittedTo: string;
  };
  /** The best schedule made of whole local hours (the search of earlier versions), for comparison. */
  wholeHourSchedule: { schedule: string; heartbeat: HeartbeatSetting | null };
  /**
   * Cold-start hits of the classes not counted, without a heartbeat and with the best schedule, and
   * how much longer (s) their slowest request takes without it.
   */
  uncounted: { classes: UserClass[]; hitsNever: number; hitsBest: number; slowestLongerBy: number | null };
  /** Addition: with `breakeven.coldStartValue`, value of the counted cold starts avoided minus the added cost (USD). */
  verdict: {
    coldStartValue: number | Partial<Record<UserClass, number>>;
    alwaysNet: number;
    bestNet: number;
  } | null;
  /**
   * Addition: the daily volume (this traffic shape, scaled) from which a heartbeat over the traffic's
   * own hours (`schedule`) adds under 2 % to the bill, i.e. traffic keeps the copy warm; null if not
   * reached within the volume range.
   */
  warmByTraffic: { schedule: string; requestsPerDay: number | null };
}

/**
 * How a heartbeat analysis searched: on the whole trace, on its first days (long traces; the
 * variants shown always run on the whole trace), or not at all when the copy never went back to zero.
 */
export interface HeartbeatMethod {
  search: 'whole-trace' | 'first-days' | 'nothing-to-keep-warm';
  /** Days the schedules were searched on (0 when not searched). */
  searchDays: number;
  /** Empty for `whole-trace`. */
  note: string;
}

export interface VolumeBreakeven {
  /** Log-spaced daily volumes; `costs` in USD per day, null where an option is infeasible or loses too many requests. */
  points: { requestsPerDay: number; costs: Record<string, number | null>; cheapest: string | null }[];
  /** Where the cheapest option changes, interpolated linearly in log(volume) between the bracketing points. */
  crossovers: { from: string; to: string; requestsPerDay: number }[];
  /** Addition: keys of the per-token baselines, priced in `costs` for comparison but never `cheapest`. */
  baselines: string[];
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
  /**
   * Present (true) when the price book lacks a price the option needs in this region: the option
   * is also `feasible: false` (never ranked) and `reasons` name each missing price.
   */
  unpriced?: true;
  /** Serves a catalog model, not the scenario's weights: shown for comparison, never ranked cheapest. */
  baseline: boolean;
  reasons: string[];
  facts: OptionFacts;
  cost: OptionCost | null;
  per1kRequests: number | null;
  per1MTokens: number | null;
  /** User requests: all, by class, warm and cold-start hits (src/sim/record.ts). */
  latency: LatencyByGroup | null;
  /** The simulation's counts (src/sim/record.ts) and two additions. */
  requests: RequestCounts & {
    /** Addition (issue 15): user requests longer than the model's context length, failed (part of `failed`). */
    contextExceeded?: number;
    /** Addition: the worst latency (s) of a cold-start hit of each class; null without any. */
    coldStartWorstLatency: ByClass<number | null>;
  };
  capacity: {
    peakReplicas: number;
    replicaSeconds: number;
    /** Loads started while the option had no replica (cold and evicted starts). */
    coldStarts: number;
    /** The subset of `coldStarts` that restored an evicted model (CMI). */
    evictedColdStarts: number;
    /** Replicas loaded while another was live (scale-out, replacements); not cold starts. */
    scaleOutLoads: number;
    billedUnitMinutes: number | null;
    utilization: number | null;
  } | null;
  /** Issue 21: each model's share of this option (`models:` scenarios only). */
  perModel?: ModelShare[];
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

/** Why an option's setting cannot get cheaper (or cannot meet the target at all); docs/slo.md. */
export type { SloBinding };

/** `slo` of the run result: per option the cheapest setting that meets the target. */
export interface SloResult {
  percentile: 'p50' | 'p95' | 'p99';
  /** Seconds. */
  target: number;
  class: 'interactive' | 'batch' | 'all';
  options: SloOption[];
  /** Key of the cheapest option with a setting that meets the target (baselines never); null if none. */
  cheapest: string | null;
}

export interface SloOption {
  key: string;
  /** The option as the scenario configures it meets the target. */
  meets: boolean;
  /** Addition: the option as configured (null when infeasible): USD over the span and its percentile (s). */
  configured: { cost: number; achieved: number | null } | null;
  /** The cheapest setting found that meets it (`settings`: only those that differ from the scenario's). */
  best: { settings: Record<string, unknown>; cost: number; achieved: number | null } | null;
  /** What keeps it from being cheaper (or from meeting the target at all); null when nothing cheaper was tried. */
  binding: SloBinding | null;
  note: string;
}

/**
 * Claims vs simulation: each claim of the scenario is measured on the simulated run of its
 * option and reported as agreeing (within its tolerance) or not. The point is honesty: where a
 * claim does not survive a simulation of its own inputs, the output says so.
 */
export interface ClaimCheck {
  source: string;
  option: string;
  metric: Claim['metric'];
  claimed: number;
  simulated: number | null;
  unit: string;
  holds: boolean | null;
  detail: string;
  /**
   * Only when the claim does not hold: the mechanism, what the run recorded and the assumption
   * (with its band) that drives it (claim-reasons.ts).
   */
  reason?: string;
}

/** One candidate's match with the observed copies. */
export interface FitCandidate {
  slotsPerCopy: number;
  /** The measure minimized (`FIT_MEASURE`), copy-minutes. */
  mismatchCopyMinutes: number;
  /** Σ (simulated − observed) copy-minutes: > 0 the simulation runs more copies than observed. */
  netCopyMinutes: number;
  /** Simulated − actual CMU-minutes, both billed by the per-minute rule (design §4 item 7). */
  billedCmuMinuteDifference: number;
  /** Most simulated copies in any minute. */
  peakCopies: number;
}

export interface FitOption {
  key: string;
  /** The value the run used: the option's `slotsPerCopy`, else the default. */
  baseline: number;
  best: number;
  /** Every evaluated candidate with the best's mismatch (the best among them by the tie-break). */
  tied: number[];
  atBest: FitCandidate;
  atBaseline: FitCandidate;
  /** Every candidate evaluated, by slots. */
  candidates: FitCandidate[];
  /** Most copies observed in any minute, and the option's `maxCopies` (a fit above it is capped). */
  observedPeakCopies: number;
  maxCopies: number | null;
  /** The actual-vs-simulated bill at the fitted value. */
  actualVsSimulated: ActualVsSimulatedOption;
}

/** The `fit` field of the result JSON (present only with `--fit`). */
export interface FitResult {
  measure: string;
  tieBreak: string;
  /** The bill rule of `actualVsSimulated`. */
  rule: string;
  /** The trace's `source=` and period. */
  trace: string;
  periodSeconds: number;
  range: { from: number; to: number };
  options: FitOption[];
  /** bedrock-cmi options not fitted (infeasible), with why. */
  skipped: { key: string; reasons: string[] }[];
}

/** An optional latency target the baseline-cheapest option must keep as inputs move. */
export interface SloCheck {
  percentile: 'p50' | 'p95' | 'p99';
  /** Seconds. */
  target: number;
  /** Which user requests: `interactive`, `batch` or `all`. */
  class: 'interactive' | 'batch' | 'all';
}

/** USD over the span per option key; null where it is infeasible or loses more than maxLossRate. */
export type Costs = Record<string, number | null>;

export type Effect = 'none' | 'cost' | 'choice';

export interface SensitivityInput {
  id: string;
  label: string;
  optionId: string;
  role: InputRole;
  unit: string;
  keys: string[];
  base: number | string;
  low: number | string;
  high: number | string;
  costs: { low: Costs; high: Costs };
  cheapestAt: { low: string | null; high: string | null };
  /** Choice inputs: every choice (base included), in the order of the input's choices. */
  choices?: { value: string; costs: Costs; cheapest: string | null }[];
  /** USD: highest minus lowest cost of the baseline-cheapest option over base and the values tried. */
  swing: number;
  /**
   * USD: the baseline-cheapest option's cost minus the best alternative's at each end (< 0: it is
   * still the cheapest; > 0: the choice flips); null where it, or every alternative, is not ranked.
   */
  margin: { low: number | null; high: number | null };
  flips: boolean;
  /** The value where the choice flips (the first side in `thresholds`); null without a numeric flip. */
  threshold: number | null;
  /**
   * Per flipping side: the choice flips below (`below`) or above (`above`) `value`, to `to`.
   * Integers: `value` is the last value that keeps the baseline choice. Reals: the middle of the
   * last bracket, within ± `thresholdTolerance` × band / 2.
   */
  thresholds: { side: 'below' | 'above'; value: number; to: string | null }[];
  effect: Effect;
  /** With an SLO: the percentile (s) of the baseline-cheapest option at each end; breaks = met at base, missed at an end. */
  slo: { low: number | null; high: number | null; breaks: boolean } | null;
  sentence: string;
}

/** Addition (issue 16): how the analysis simulated the inputs' ends, and the sentence saying so. */
export interface SensitivitySimulated {
  on: 'whole-trace' | 'representative-days';
  /** The representative days (empty for `whole-trace`): local date, type, days of the span each stands for. */
  days: { date: string; weekday: boolean; weight: number }[];
  /** Empty when there is nothing to say. */
  note: string;
}

export interface SensitivityResult {
  method: 'one-at-a-time';
  simulated: SensitivitySimulated;
  maxLossRate: number;
  /** Real thresholds are found to this fraction of the input's band. */
  thresholdTolerance: number;
  /** `margin`: the cheapest option's cost minus the runner-up's (≤ 0), null without both. */
  baseline: { cheapest: string | null; runnerUp: string | null; costs: Costs; margin: number | null };
  /** The SLO checked on the baseline-cheapest option, with its value at baseline; null without one. */
  slo: (SloCheck & { option: string | null; value: number | null; met: boolean | null }) | null;
  inputs: SensitivityInput[];
  /** Options the analysis cannot move (no `uncertain` hook), one plain sentence each; absent when none. */
  unsupported?: string[];
}

/**
 * `fact`: something about the world servesim cannot know (how many requests a copy serves at once,
 * how long a cold start takes, which CMU rate AWS bills). `setting`: a default servesim chose for a
 * setting the scenario left out (max copies, min instances) — a decision, not a fact; the forecast
 * draws only facts.
 */
export type { InputRole };

export interface Verdict {
  /** Key of the cheapest ranked option: never a baseline, an infeasible option or one losing more than maxLossRate. */
  cheapest: string | null;
  /** Key of the next cheapest ranked option; null if there is none. */
  runnerUp: string | null;
  basis: RankBasis;
  /** The heartbeat break-even of the cheapest option, for the counted classes; null when it has none. */
  heartbeat: {
    option: string;
    schedule: string;
    setting: HeartbeatSetting;
    /** USD over the span. */
    addedCost: number;
    avoided: number;
    costPerAvoided: number | null;
  } | null;
  /** A short paragraph to paste into a design review. */
  text: string;
}

/** What options are ranked on (scenario `rankBy`): the total, or the AWS bill without staff time. */
export type RankBasis = 'total' | 'aws';

/** The heartbeat's added cost counts as "about zero" below this share of the bill without it. */
export const WARM_BY_TRAFFIC_SHARE = 0.02;

/** Cold-start hits of the given classes. */
export function countedHits(
  r: { coldStartHitsByClass: Record<UserClass, number> },
  classes: readonly UserClass[],
): number {
  let n = 0;
  for (const c of classes) n += r.coldStartHitsByClass[c];
  return n;
}
