import { z } from 'zod';
import { Duration, PositiveDuration } from './fields.js';
import { DOCS } from './field-docs.js';

/*
 * The scenario's `rollout:` section (docs/rollout.md): new weights (v2) land in S3 at `at`; each
 * option readies them (import, endpoint launch, node + model load), both versions serve during
 * the evaluation, then a staged flip moves user traffic to v2, and v1 is retired `retireAfter`
 * the last stage. The analysis lives in src/planning/rollout/rollout.ts.
 */

const Share = z
  .number()
  .min(0, { message: 'a share of traffic is between 0 and 1 (0.1 = 10 %)' })
  .max(1, { message: 'a share of traffic is between 0 and 1 (0.1 = 10 %)' });

/** A local date-time with a time of day (`2026-01-05T14:00`), read in the scenario's timezone. */
const LocalDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, {
  message: 'expected a local date-time such as 2026-01-05T14:00',
});

const RolloutStage = z.strictObject({
  /** Share of user requests sent to v2 from this stage on (0–1). */
  share: Share.describe(DOCS.rolloutStage.share),
  /** The stage starts this long after the previous one (the first: after the evaluation ends). */
  after: Duration.default(0).describe(DOCS.rolloutStage.after),
});

const ImportTime = z
  .strictObject({
    low: PositiveDuration.describe(DOCS.importTime.low),
    /** The value simulated; default the middle of the band. */
    value: PositiveDuration.optional().describe(DOCS.importTime.value),
    high: PositiveDuration.describe(DOCS.importTime.high),
  })
  .superRefine((b, ctx) => {
    if (b.high < b.low)
      ctx.addIssue({ code: 'custom', path: ['high'], message: 'high must be at least low' });
    if (b.value !== undefined && (b.value < b.low || b.value > b.high))
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'value must lie between low and high' });
  });

export const RolloutSchema = z.strictObject({
  /**
   * When v2's weights are in S3: a local date-time (`2026-01-05T14:00`) or a duration from the
   * trace start (`14h`). Must fall inside the simulated span.
   */
  at: z.union([LocalDateTime, Duration]).describe(DOCS.rollout.at),
  /** Once v2 is ready, both versions serve for this long before the staged flip. */
  evaluation: Duration.describe(DOCS.rollout.evaluation),
  /** Share of user requests sent to v2 during the evaluation (a canary). Default 0. */
  evaluationShare: Share.default(0).describe(DOCS.rollout.evaluationShare),
  /** Calls the evaluation suite makes to v2, evenly spaced over the evaluation (billed, not user requests). */
  evaluationCalls: z.number().int().min(0).default(0).describe(DOCS.rollout.evaluationCalls),
  /** The staged flip after the evaluation. Default one stage: all traffic at once. */
  stages: z
    .array(RolloutStage)
    .min(1, { message: 'list at least one stage (e.g. {share: 1})' })
    .default([{ share: 1, after: 0 }])
    .describe(DOCS.rollout.stages),
  /** v1 is retired (deleted, torn down) this long after the last stage starts, if that stage sends all traffic to v2. Default 1h. */
  retireAfter: Duration.default(3600).describe(DOCS.rollout.retireAfter),
  /** A rollback decided this long after the last stage starts: how long until v1 serves again. Default 30m. */
  rollbackAfter: Duration.default(1800).describe(DOCS.rollout.rollbackAfter),
  /** Custom Model Import job time band (default 10–30 min: a measured 16 GB import took 10 min, the article says 20–30). */
  importTime: ImportTime.optional().describe(DOCS.rollout.importTime),
});
export type Rollout = z.infer<typeof RolloutSchema>;
