import { z } from 'zod';
import {
  Days,
  Duration,
  GrowthRate,
  HourRate,
  PositiveDuration,
  Rate,
  RequestClassName,
  TimeOfDay,
  TimeRange,
  TokenLength,
} from './fields.js';
import { optionSchemas } from '../models/registry.js';
import { HeartbeatSchema } from '../models/heartbeat.js';
import { ModelSpecSchema } from '../models/model-spec.js';
import { Discounts } from '../pricing/discounts.js';
import { RolloutSchema } from './rollout-section.js';
import { portfolioModelSchema } from './portfolio-section.js';
import { DOCS } from './field-docs.js';
import { isModelName } from '../traffic/trace/format.js';

/*
 * The scenario file (design §5): one strict schema that yields both the TypeScript type and the
 * JSON Schema printed by `servesim schema`. Each field's `.describe()` text (meaning, unit,
 * default), which that JSON Schema carries to editors, is in field-docs.ts.
 */

const tokenFields = {
  /** Input (prompt) tokens per request: a number or a distribution. Default 250. */
  inputTokens: TokenLength.default({ dist: 'fixed', value: 250 }).describe(DOCS.component.inputTokens),
  /** Output (completion) tokens per request. Default 60. */
  outputTokens: TokenLength.default({ dist: 'fixed', value: 60 }).describe(DOCS.component.outputTokens),
  /** Calendar: every day or weekdays only. Default all. */
  days: Days.default('all').describe(DOCS.component.days),
};

const PositiveRate = Rate.refine((r) => r > 0, { message: 'rate must be greater than zero' });
/**
 * 24 rates, one per local hour. Each non-zero one needs its unit: a bare number means per second,
 * so hourly counts written bare (`[…, 600, …]`) would silently ask for 3,600× the traffic.
 */
const HourlyProfile = z
  .array(HourRate)
  .length(24, { message: 'a per-hour profile has exactly 24 rates, one per local hour 00–23' })
  .refine((a) => a.some((r) => r > 0), { message: 'at least one hour must have a rate above zero' });

export const PoissonComponent = z
  .strictObject({
    type: z.literal('poisson').describe(DOCS.poisson.type),
    /** Requests per second (`2/s`, `120/m`, `1000/h`; a bare number is per second), or a list of 24 rates, one per local hour, each with its unit (`600/h`). */
    rate: z.union([PositiveRate, HourlyProfile]).describe(DOCS.poisson.rate),
    /** Optional local window of the day; outside it the rate is zero. */
    from: TimeOfDay.optional().describe(DOCS.poisson.from),
    to: TimeOfDay.optional().describe(DOCS.poisson.to),
    class: RequestClassName.default('interactive').describe(DOCS.poisson.class),
    ...tokenFields,
  })
  .refine((c) => c.from === undefined || c.to === undefined || c.to > c.from, {
    message: 'the window ends before it starts: `to` must be after `from`',
    path: ['to'],
  });

export const BatchComponent = z.strictObject({
  type: z.literal('batch').describe(DOCS.batch.type),
  /** Local time of day the batch starts. */
  at: TimeOfDay.describe(DOCS.batch.at),
  /** Requests in the batch, each day it runs. */
  count: z.number().int().positive().describe(DOCS.batch.count),
  /** The batch's requests are evenly spaced over this span. Default 0 (all at once). */
  over: Duration.default(0).describe(DOCS.batch.over),
  class: RequestClassName.default('batch').describe(DOCS.batch.class),
  ...tokenFields,
});

export const TrickleComponent = z
  .strictObject({
    type: z.literal('trickle').describe(DOCS.trickle.type),
    /** Requests each day, uniformly at random between `from` and `to`. */
    count: z.number().int().positive().describe(DOCS.trickle.count),
    from: TimeOfDay.describe(DOCS.trickle.from),
    to: TimeOfDay.describe(DOCS.trickle.to),
    class: RequestClassName.default('interactive').describe(DOCS.trickle.class),
    ...tokenFields,
  })
  .refine((c) => c.to > c.from, {
    message: 'the window ends before it starts: `to` must be after `from`',
    path: ['to'],
  });

/** Requests read from a trace file (design §6), merged with the other components. */
const TraceComponent = z.strictObject({
  type: z.literal('trace').describe(DOCS.trace.type),
  /** A servesim trace file; a relative path is read from the scenario file's folder. */
  file: z.string().min(1, { message: 'name the trace file' }).describe(DOCS.trace.file),
  /** Gives every request of the trace this class (default: the file's classes). */
  class: RequestClassName.optional().describe(DOCS.trace.class),
  /** Where the trace's t_s = 0 lands after the scenario's start. Default 0 (at the start). */
  offset: Duration.default(0).describe(DOCS.trace.offset),
  /** Replaces the file's input tokens with draws from this (e.g. SageMaker traces have none). */
  inputTokens: TokenLength.optional().describe(DOCS.trace.inputTokens),
  /** Replaces the file's output tokens with draws from this. */
  outputTokens: TokenLength.optional().describe(DOCS.trace.outputTokens),
  // --- trace model (issue 21 item 4) ---
  /** Only this model's rows of a multi-model trace (its `model` column); required when it has several. */
  model: z
    .string()
    .refine(isModelName, {
      message: 'a model name: 1–80 letters, digits, ".", "_" or "-", starting with a letter or digit',
    })
    .optional()
    .describe(DOCS.trace.model),
  // --- end trace model ---
});

export const TrafficComponent = z.discriminatedUnion('type', [
  PoissonComponent,
  BatchComponent,
  TrickleComponent,
  TraceComponent,
]);
export type TrafficComponent = z.infer<typeof TrafficComponent>;
export type TraceComponent = z.infer<typeof TraceComponent>;
export type PoissonComponent = z.infer<typeof PoissonComponent>;
export type BatchComponent = z.infer<typeof BatchComponent>;
export type TrickleComponent = z.infer<typeof TrickleComponent>;

const LocalDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/, {
  message: 'expected a local date-time such as 2026-01-05T00:00',
});

export const Traffic = z
  .strictObject({
    /** Local date-time (in `timezone`) of t = 0. Default 2026-01-05T00:00, a Monday. */
    start: LocalDateTime.default('2026-01-05T00:00').describe(DOCS.traffic.start),
    /** Whole days simulated. Default 1. Give `days` or `end`, not both. */
    days: z.number().int().positive().optional().describe(DOCS.traffic.days),
    /** Local date-time the trace ends (exclusive). */
    end: LocalDateTime.optional().describe(DOCS.traffic.end),
    /** The traffic; required without `models:`, absent with it (each model lists its own). */
    components: z
      .array(TrafficComponent)
      .min(1, { message: 'list at least one traffic component' })
      .optional()
      .describe(DOCS.traffic.components),
  })
  .refine((t) => t.days === undefined || t.end === undefined, {
    message: 'give either `days` or `end`, not both',
    path: ['end'],
  })
  // As loaded, `components` is always a list: a portfolio's is empty (its models hold the traffic).
  .transform((t) => ({ ...t, components: t.components ?? [] }));
export type Traffic = z.infer<typeof Traffic>;

/** One `models:` entry (src/scenario/portfolio-section.ts). */
export const PortfolioModel = portfolioModelSchema(TrafficComponent);
export type PortfolioModel = z.infer<typeof PortfolioModel>;

const Pricing = z.strictObject({
  /** Path of a price book (default: the shipped one). Relative paths are from the scenario file. */
  book: z.string().optional().describe(DOCS.pricing.book),
  /** Price overrides by price-book entry id, in the entry's unit. */
  overrides: z.record(z.string(), z.number().nonnegative()).default({}).describe(DOCS.pricing.overrides),
  /** Discounts by AWS Price List service code (`AmazonBedrock: 15%`), each shown as its own cost line. */
  discounts: Discounts.optional().describe(DOCS.pricing.discounts),
});

/** What a claim measures; see src/compare/claims.ts. */
const ClaimMetric = z.enum([
  'firstRequestLatency',
  'coldStarts',
  'p50',
  'p95',
  'p99',
  'peakReplicas',
  'billedUnitHours',
  'totalCost',
]);

/**
 * A figure someone asserts about this traffic (the article's, a vendor's, a colleague's), checked
 * against the simulation and reported side by side: where they disagree, the simulation wins.
 */
export const Claim = z.strictObject({
  /** Who says it, quoted: shown beside the simulated figure. */
  source: z.string().min(1).describe(DOCS.claim.source),
  /** Key of the option the claim is about. */
  option: z.string().describe(DOCS.claim.option),
  metric: ClaimMetric.describe(DOCS.claim.metric),
  /** The claimed figure: seconds (a duration) for latencies, a number otherwise. */
  value: z.union([z.number(), z.string()]).describe(DOCS.claim.value),
  /** Latency claims: which requests (default all user requests). */
  class: RequestClassName.optional().describe(DOCS.claim.class),
  /** `coldStarts`: count only those that began in this local range each day. */
  during: TimeRange.optional().describe(DOCS.claim.during),
  /** Relative difference still counted as agreement. Default 0.1 (10 %). */
  tolerance: z.number().min(0).default(0.1).describe(DOCS.claim.tolerance),
});
export type Claim = z.infer<typeof Claim>;

/** The volume sweep of `servesim breakeven volume` (requests per day, log-spaced). */
export const BreakevenVolume = z
  .strictObject({
    /** Lowest daily volume, requests/day. Default 100. */
    from: z.number().positive().default(100).describe(DOCS.volume.from),
    /** Highest daily volume, requests/day. Default 1,000,000. */
    to: z.number().positive().default(1_000_000).describe(DOCS.volume.to),
    /** Volumes simulated, log-spaced from `from` to `to` inclusive. Default 40. */
    points: z
      .number()
      .int()
      .min(2, { message: 'points must be at least 2 (the two ends of the range)' })
      .max(1000, { message: 'points is at most 1,000 (each is a simulation of every option)' })
      .default(40)
      .describe(DOCS.volume.points),
  })
  .superRefine((v, ctx) => {
    if (v.to === v.from)
      ctx.addIssue({
        code: 'custom',
        message: `the volume range is empty: from and to are both ${v.from} requests/day; make \`to\` greater than \`from\``,
        path: ['to'],
      });
    else if (v.to < v.from)
      ctx.addIssue({
        code: 'custom',
        message: `the volume range is not increasing: to (${v.to}) is below from (${v.from}) requests/day; swap them`,
        path: ['to'],
      });
  });

const ColdStartUsd = z
  .number()
  .min(0, { message: 'must not be negative: it is what one avoided cold start is worth to you, in USD' });

/** Break-even analyses (`servesim breakeven`, and sections of `servesim run`); see docs/breakeven.md. */
const Breakeven = z.strictObject({
  /**
   * What one avoided cold start (a user request of a counted class that would have waited on one)
   * is worth, in USD: one number for every counted class, or a per-class map (`{interactive: 0.5,
   * batch: 0}`; a class missing from the map is worth 0). Without it the best heartbeat schedule is
   * the cheapest that avoids as many counted cold starts as any.
   */
  coldStartValue: z
    .union([
      ColdStartUsd,
      z.strictObject({
        interactive: ColdStartUsd.optional().describe(DOCS.breakeven.interactive),
        batch: ColdStartUsd.optional().describe(DOCS.breakeven.batch),
      }),
    ])
    .optional()
    .describe(DOCS.breakeven.coldStartValue),
  heartbeat: z
    .strictObject({
      /** Heartbeat intervals to compare, each at most the option's scale-to-zero time. Default: 1/5, 3/5 and 5/5 of it. */
      intervals: z.array(PositiveDuration).min(1).optional().describe(DOCS.breakeven.intervals),
      /** Extra schedules to evaluate beside never, always and the best one. */
      schedules: z.array(HeartbeatSchema).default([]).describe(DOCS.breakeven.schedules),
      /**
       * Request classes whose cold starts count (avoided, cost per avoided, the best schedule).
       * Default `[interactive]`: the article's batch "doesn't care" about a cold start.
       */
      classes: z
        .array(z.enum(['interactive', 'batch']))
        .min(1, { message: 'list at least one class: interactive, batch' })
        .default(['interactive'])
        .transform((c) => [...new Set(c)].sort())
        .describe(DOCS.breakeven.classes),
      /** Minute grid the fitted schedule's range ends lie on: `1m` (default) or `5m`. */
      grid: z.enum(['1m', '5m']).default('1m').describe(DOCS.breakeven.grid),
    })
    .optional()
    .describe(DOCS.breakeven.heartbeat),
  /** Run the volume crossover (also in `servesim run`); `{}` for the defaults. */
  volume: BreakevenVolume.optional().describe(DOCS.breakeven.volume),
});
export type Breakeven = z.infer<typeof Breakeven>;

/** Latency percentiles an SLO can name (nearest rank, as in `latency`). */
export const SloPercentile = z.enum(['p50', 'p95', 'p99']);
/** Which user requests an SLO measures. */
export const SloClass = z.enum(['interactive', 'batch', 'all']);

/** A latency target (docs/slo.md): the cheapest setting of each option that meets it, cold starts included. */
export const Slo = z.strictObject({
  /** `p50`, `p95` or `p99` of latency (wait, cold start included, + service). */
  percentile: SloPercentile.describe(DOCS.slo.percentile),
  /** The most that percentile may be, e.g. `2s`. */
  target: PositiveDuration.describe(DOCS.slo.target),
  /** Requests it applies to: `interactive` (default), `batch` or `all`. */
  class: SloClass.default('interactive').describe(DOCS.slo.class),
});
export type Slo = z.infer<typeof Slo>;
/** A calendar month, `YYYY-MM`, between 1970 and 2199 (time zones have rules there). */
const Month = z.string().regex(/^(19[7-9]\d|2[01]\d\d)-(0[1-9]|1[0-2])$/, {
  message: 'expected a month from 1970-01 to 2199-12 such as 2026-01 (YYYY-MM)',
});

/** The monthly forecast (`servesim forecast`); see docs/forecast.md. */
export const Forecast = z.strictObject({
  /** Months forecast, from `start`. Default 12. */
  months: z
    .number()
    .int()
    .positive()
    .max(600, { message: 'months is at most 600 (50 years)' })
    .default(12)
    .describe(DOCS.forecast.months),
  /** First month, `YYYY-MM`. Default: the month of `traffic.start`. */
  start: Month.optional().describe(DOCS.forecast.start),
  /**
   * Growth of the volume per month, compounded: month m (0 = `start`) carries (1 + growth)^m × the
   * scenario's daily traffic. `0.05` or `"5%"`; negative for a decline. Default 0.
   */
  growth: GrowthRate.default(0).describe(DOCS.forecast.growth),
  /** Monte Carlo runs; each draws its own seeds (and uncertain inputs). Default 200. */
  runs: z.number().int().positive().default(200).describe(DOCS.forecast.runs),
  /**
   * `all`: every run also draws each uncertain input (an option assumption with a low/high band)
   * within its band; `none`: runs differ only in their seeds. Default all.
   */
  uncertainty: z.enum(['all', 'none']).default('all').describe(DOCS.forecast.uncertainty),
  /** Distinct representative days (own seeds) simulated per day type and run. Default 1. */
  sampleDays: z.number().int().positive().max(31).default(1).describe(DOCS.forecast.sampleDays),
  /**
   * With growth, the volumes simulated per run: this many, spread over the horizon (first and
   * last month included); the months between are interpolated linearly in volume. `all`
   * simulates every month's volume. Default 3.
   */
  volumePoints: z
    .union([
      z.number().int().min(2, { message: 'volumePoints must be at least 2 (or all)' }),
      z.literal('all'),
    ])
    .default(3)
    .describe(DOCS.forecast.volumePoints),
  /**
   * With growth, the volumes each run simulates: `one` (the middle simulated volume; a run's AWS
   * bill at the others is scaled by the ratio the scenario's own settings and seed give between
   * the two volumes — an approximation the output states) or `all` (each run simulates every
   * volume). Default all: the scaling is off by several % on a CMI band edge (docs/forecast.md),
   * so it is the user's choice, not the default.
   */
  runVolumes: z.enum(['one', 'all']).default('all').describe(DOCS.forecast.runVolumes),
  /**
   * When runs draw uncertain inputs: the runs that simulate the options no drawn input reaches
   * (they differ between runs only by the seed); the other runs reuse theirs in turn — an
   * approximation the output states. `all`: every run simulates every option. Default 20.
   */
  seedOnlyRuns: z
    .union([z.number().int().positive(), z.literal('all')])
    .default(20)
    .describe(DOCS.forecast.seedOnlyRuns),
});
export type Forecast = z.infer<typeof Forecast>;

const buildScenarioSchema = () =>
  z.strictObject({
    name: z.string().min(1).describe(DOCS.scenario.name),
    description: z.string().optional().describe(DOCS.scenario.description),
    region: z.string().default('us-east-1').describe(DOCS.scenario.region),
    /** IANA time zone of times of day and `traffic.start`. Default UTC. */
    timezone: z.string().default('UTC').describe(DOCS.scenario.timezone),
    seed: z.number().int().nonnegative().default(1).describe(DOCS.scenario.seed),
    model: ModelSpecSchema.default(ModelSpecSchema.parse({})).describe(DOCS.scenario.model),
    traffic: Traffic.describe(DOCS.scenario.traffic),
    options: z
      .array(z.discriminatedUnion('id', optionSchemas()))
      .min(1, { message: 'list at least one option' })
      .describe(DOCS.scenario.options),
    // --- portfolio (issue 21) ---
    /** A portfolio: several fine-tunes, each with its own traffic (docs/portfolio.md). Not with `model`. */
    models: z
      .array(PortfolioModel)
      .min(1, { message: 'list at least one model' })
      .optional()
      .describe(DOCS.scenario.models),
    // --- end portfolio ---
    pricing: Pricing.default(Pricing.parse({})).describe(DOCS.scenario.pricing),
    /** Options that throttle or fail more than this share of user requests are not ranked. Default 0. */
    maxLossRate: z.number().min(0).max(1).default(0).describe(DOCS.scenario.maxLossRate),
    /**
     * What "cheapest" is ranked on: `total` (AWS bill + staff time, the default) or `aws` (the AWS
     * bill alone, for a finance view); see docs/model.md, "Cost lines: AWS bill and staff time".
     */
    rankBy: z.enum(['total', 'aws']).default('total').describe(DOCS.scenario.rankBy),
    /** Figures to check against the simulation (e.g. the article's); reported, never enforced. */
    claims: z.array(Claim).default([]).describe(DOCS.scenario.claims),
    /** Break-even analyses: warm heartbeat and volume crossover (docs/breakeven.md). */
    breakeven: Breakeven.optional().describe(DOCS.scenario.breakeven),
    /** New weights at a time, an evaluation, a staged flip: rollout and rollback cost (docs/rollout.md). */
    rollout: RolloutSchema.optional().describe(DOCS.scenario.rollout),
    /** A latency SLO: the cheapest path under it per option (docs/slo.md; `servesim run --slo`). */
    slo: Slo.optional().describe(DOCS.scenario.slo),
    /** The monthly forecast with P10/P50/P90 bands (docs/forecast.md). */
    forecast: Forecast.optional().describe(DOCS.scenario.forecast),
  });
export const ScenarioSchema = buildScenarioSchema();
let built = { options: optionSchemas().length, schema: ScenarioSchema };
/** The scenario schema over the options registered now (registry.ts `registerOption` adds some). */
export function scenarioSchema(): typeof ScenarioSchema {
  const n = optionSchemas().length;
  if (n !== built.options) built = { options: n, schema: buildScenarioSchema() };
  return built.schema;
}
/** One entry of `options`, already validated by its option's own schema. */
export type ScenarioOption = { id: string; key?: string; label?: string } & Record<string, unknown>;
export type Scenario = Omit<z.infer<typeof ScenarioSchema>, 'options'> & { options: ScenarioOption[] };

// Re-exported so option files need only one import for their field types.
export { PositiveDuration };
