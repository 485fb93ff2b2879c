import { z } from 'zod';
import { readShippedJson } from '../data.js';
import { InputError } from '../errors.js';
import {
  cmiCostSoFar,
  cmiInferenceLine,
  cmiStorageLine,
  InvokedWindows,
  MONTH_SECONDS,
  totalWindows,
  type CopyLife,
  type CopyMeter,
} from '../billing/cmi.js';
import { DurationDist, PositiveDuration } from '../scenario/fields.js';
import { formatDuration } from '../scenario/units.js';
import { describeDist, type Dist } from '../sim/dist.js';
import { Rng } from '../sim/rng.js';
import { describeHeartbeat, HeartbeatSchema, HeartbeatStream } from './heartbeat.js';
import { weightGB, type ModelSpec } from './model-spec.js';
import { CmiPolicy, SCALE_IN_RULES, type CmiParams, type ScaleInRule } from './cmi-policy.js';
import { fleetFields, optionObject, perfProfile, serviceModel } from './option-base.js';
import type { Assumption, ServingOption } from './types.js';
import { complianceFacts } from './compliance.js';
import { feasibility, missingPrice } from './feasibility.js';
import type { PriceBook, PriceEntry } from '../pricing/book.js';
import { OPTION_DOCS } from './option-docs.js';

/**
 * `bedrock-cmi`: Bedrock Custom Model Import, exactly as design §4 states it. Copies scale
 * 0..maxCopies; the last one goes away after `scaleToZeroAfter` without an arriving invocation;
 * the next call waits for a cold start (an evicted one after `evictAfter` idle). Extra copies
 * scale in by `scaleInRule` (an assumption that supersedes design §4.2's rule). Billing is per
 * copy in 5-minute windows anchored at its first call (src/billing/cmi.ts). The copies' scaling
 * policy is in cmi-policy.ts; this file holds the settings, checks, assumptions and the bill.
 */

interface Band {
  value: number;
  low: number;
  high: number;
  unit: string;
  source: string;
}
interface CmiFacts {
  regions: { value: string[]; source: string };
  architectures: { value: string[]; regionOnly: Record<string, string[]>; source: string };
  maxWeightGB: { value: number; source: string };
  maxContextTokens: { value: number; source: string };
  cmuAnchors: { value: { parameters: number; cmus: number; model: string }[]; source: string };
  defaults: Record<
    | 'slotsPerCopy'
    | 'maxCopies'
    | 'scaleToZeroAfter'
    | 'scaleInAfter'
    | 'scaleOutAfter'
    | 'copyLoadTime'
    | 'evictedColdStart'
    | 'evictAfter',
    Band
  > & {
    coldStart: { median: number; p90: number; low: number; high: number; unit: string; source: string };
    scaleInRule: {
      value: ScaleInRule;
      low: ScaleInRule;
      high: ScaleInRule;
      checkEvery: number;
      source: string;
    };
  };
}

let factsCache: CmiFacts | undefined;
function cmiFacts(): CmiFacts {
  factsCache ??= readShippedJson('src/models/bedrock-cmi.json') as CmiFacts;
  return factsCache;
}

/** Price-book versions tried in order when the scenario names none: AWS's own example first. */
const CMU_VERSION_PREFERENCE = ['pricing-example', '2026-quoted'];
const SERVICE = 'AmazonBedrock';
const INFERENCE_ITEM = 'Custom Model Import inference';
const STORAGE_ITEM = 'Custom Model Import storage';

const doc = OPTION_DOCS.cmi;
const schema = optionObject('bedrock-cmi', {
  /** Concurrent requests one copy serves (not published; default 8). */
  slotsPerCopy: z.number().int().positive().optional().describe(doc.slotsPerCopy),
  /** Upper bound on copies (default 4). */
  maxCopies: z
    .number()
    .int()
    .min(1, { message: 'maxCopies must be at least 1' })
    .optional()
    .describe(doc.maxCopies),
  /** CMUs per copy; default from the model size (8B → 2, 70B → 8). */
  cmusPerCopy: z.number().int().positive().optional().describe(doc.cmusPerCopy),
  /** Price-book label of the CMU rate (`pricing-example` $0.0785, `2026-quoted` $0.05718 in us-east-1). */
  cmuVersion: z.string().optional().describe(doc.cmuVersion),
  /** `active` (every window an active period touches) or `invoked` (windows with a started request). */
  windowRule: z.enum(['active', 'invoked']).default('active').describe(doc.windowRule),
  heartbeat: HeartbeatSchema.optional().describe(doc.heartbeat),
  scaleToZeroAfter: PositiveDuration.optional().describe(doc.scaleToZeroAfter),
  scaleInAfter: PositiveDuration.optional().describe(doc.scaleInAfter),
  /** When an extra copy goes: `load` (default; mean load over `scaleInAfter` fits in fewer copies) or `idle`. */
  scaleInRule: z.enum(SCALE_IN_RULES).optional().describe(doc.scaleInRule),
  scaleOutAfter: PositiveDuration.optional().describe(doc.scaleOutAfter),
  copyLoadTime: DurationDist.optional().describe(doc.copyLoadTime),
  coldStart: DurationDist.optional().describe(doc.coldStart),
  evictedColdStart: DurationDist.optional().describe(doc.evictedColdStart),
  evictAfter: PositiveDuration.optional().describe(doc.evictAfter),
  ...fleetFields,
}).superRefine((s, ctx) => {
  // Checked in the schema so the error points at the scenario's line.
  const scaleToZero = s.scaleToZeroAfter ?? cmiFacts().defaults.scaleToZeroAfter.value;
  if (s.heartbeat && s.heartbeat.every > scaleToZero)
    ctx.addIssue({
      code: 'custom',
      path: ['heartbeat', 'every'],
      message: `heartbeat every ${formatDuration(s.heartbeat.every)} is longer than the scale-to-zero time (${formatDuration(scaleToZero)}): the copy would go cold between beats and the heartbeat would keep nothing warm; use every ≤ ${formatDuration(scaleToZero)}`,
    });
});
export type CmiSettings = z.infer<typeof schema>;

/** Concurrent requests per copy when the scenario sets none (an assumption; `--fit` estimates it). */
export function defaultSlotsPerCopy(): number {
  return cmiFacts().defaults.slotsPerCopy.value;
}

/** CMUs per copy: the next documented anchor at or above the model's parameter count. */
export function cmusForModel(m: ModelSpec): number | undefined {
  return cmiFacts().cmuAnchors.value.find((a) => m.parameters <= a.parameters * 1.01)?.cmus;
}

function cmuPrice(book: PriceBook, region: string, version: string | undefined): PriceEntry | undefined {
  if (version !== undefined) return book.find(SERVICE, INFERENCE_ITEM, region, { cmuVersion: version })[0];
  for (const v of CMU_VERSION_PREFERENCE) {
    const e = book.find(SERVICE, INFERENCE_ITEM, region, { cmuVersion: v })[0];
    if (e) return e;
  }
  return book.find(SERVICE, INFERENCE_ITEM, region)[0];
}

/** The CMU rate versions the book has for a region (`cmuVersion` labels), cheapest first. */
export function cmuVersions(book: PriceBook, region: string): { label: string; price: number }[] {
  const seen = new Map<string, number>();
  for (const e of book.find(SERVICE, INFERENCE_ITEM, region))
    if (e.labels.cmuVersion !== undefined && !seen.has(e.labels.cmuVersion))
      seen.set(e.labels.cmuVersion, e.price);
  return [...seen].map(([label, price]) => ({ label, price })).sort((a, b) => a.price - b.price);
}

/** Validation that cannot live in the schema (it needs the price book and region): exit 2. */
function checkInput(region: string, s: CmiSettings, book: PriceBook, key: string): void {
  const facts = cmiFacts();
  if (!facts.regions.value.includes(region))
    throw new InputError(
      `Bedrock Custom Model Import is not offered in ${region}; it exists in ${facts.regions.value.join(', ')}`,
      'region',
    );
  if (s.cmuVersion !== undefined && cmuPrice(book, region, s.cmuVersion) === undefined) {
    const known = [
      ...new Set(book.find(SERVICE, INFERENCE_ITEM, region).map((e) => e.labels.cmuVersion ?? '')),
    ].filter(Boolean);
    throw new InputError(
      `unknown cmuVersion "${s.cmuVersion}" for ${region}; the price book has: ${known.join(', ') || 'none'}`,
      `options.${key}.cmuVersion`,
    );
  }
}

export const bedrockCmi: ServingOption<CmiSettings> = {
  id: 'bedrock-cmi',
  title: 'Bedrock Custom Model Import',
  service: SERVICE,
  schema,
  facts: () => ({
    baseSupport: 'Supported architectures only (Llama, Mistral, Mixtral, Flan, GPTBigCode, Qwen, GPT-OSS)',
    opsSurface: 'Minimal: AWS hosts, scales and patches; you manage weights and the caller config',
    costShape: 'Per CMU-minute in 5-minute windows per copy, plus storage per CMU-month',
    versionRollback: {
      path: 'New import → new model ARN → caller config flip; rollback flips back',
      // Measured import of a 16 GB Llama 8B took 10 minutes (aws-facts §1.6); evaluation not included.
      timeToTrafficSeconds: 600,
    },
    compliance: complianceFacts('bedrock-cmi'),
  }),
  // Copies always scale to zero; a call to a cold model waits for its copy (design §4.2).
  scaleToZero: (s) => ({
    afterSeconds: s.scaleToZeroAfter ?? cmiFacts().defaults.scaleToZeroAfter.value,
    whileCold: 'wait',
  }),
  feasibility(model, region, s, book) {
    const facts = cmiFacts();
    const reasons: string[] = [];
    checkInput(region, s, book, s.key ?? s.id);
    if (model.provenance === 'bedrock-native')
      reasons.push(
        'a model fine-tuned inside Bedrock is served by Bedrock itself (Provisioned Throughput), not imported',
      );
    if (!facts.architectures.value.includes(model.architecture))
      reasons.push(
        `architecture ${model.architecture} is not on the import list (${facts.architectures.value.join(', ')}); use SageMaker or self-hosting`,
      );
    const only = facts.architectures.regionOnly[model.architecture];
    if (only && !only.includes(region))
      reasons.push(`${model.architecture} imports only in ${only.join(', ')}`);
    if (weightGB(model) >= facts.maxWeightGB.value)
      reasons.push(
        `weights of ${weightGB(model).toFixed(1)} GB exceed the ${facts.maxWeightGB.value} GB import limit`,
      );
    if (model.contextLength > facts.maxContextTokens.value)
      reasons.push(
        `context of ${model.contextLength} tokens exceeds the import limit of ${facts.maxContextTokens.value}`,
      );
    if (s.cmusPerCopy === undefined && cmusForModel(model) === undefined)
      reasons.push('no documented CMU size at or above this model; set cmusPerCopy');
    const missing: string[] = [];
    if (cmuPrice(book, region, s.cmuVersion) === undefined)
      missing.push(missingPrice('CMU-minute price', region, 'supply a book with one (pricing.book)'));
    if (book.find(SERVICE, STORAGE_ITEM, region)[0] === undefined)
      missing.push(missingPrice('CMI storage price', region));
    return feasibility(reasons, missing);
  },
  prepare(ctx, s) {
    const d = cmiFacts().defaults;
    const profile = perfProfile(s.perfProfile ?? 'bedrock-cmi-llama-8b', `options.${ctx.key}.perfProfile`);
    const slots = s.slotsPerCopy ?? d.slotsPerCopy.value;
    const cmus = s.cmusPerCopy ?? cmusForModel(ctx.model)!;
    const rate = cmuPrice(ctx.book, ctx.region, s.cmuVersion)!;
    const storage = ctx.book.find(SERVICE, STORAGE_ITEM, ctx.region)[0]!;
    const coldStart: Dist = s.coldStart ?? {
      dist: 'lognormal',
      median: d.coldStart.median,
      p90: d.coldStart.p90,
    };
    const evicted: Dist = s.evictedColdStart ?? { dist: 'fixed', value: d.evictedColdStart.value };
    const copyLoad: Dist = s.copyLoadTime ?? { dist: 'fixed', value: d.copyLoadTime.value };
    const params: CmiParams = {
      maxCopies: s.maxCopies ?? d.maxCopies.value,
      scaleToZeroAfter: s.scaleToZeroAfter ?? d.scaleToZeroAfter.value,
      scaleInAfter: s.scaleInAfter ?? d.scaleInAfter.value,
      scaleInRule: s.scaleInRule ?? d.scaleInRule.value,
      checkEvery: d.scaleInRule.checkEvery,
      scaleOutAfter: s.scaleOutAfter ?? d.scaleOutAfter.value,
      evictAfter: s.evictAfter ?? d.evictAfter.value,
      coldStart,
      evictedColdStart: evicted,
      copyLoadTime: copyLoad,
    };
    const versionLabel = rate.labels.cmuVersion ?? rate.id;
    // Said out loud when the preferred label has no rate here (item 9: nothing borrowed silently).
    const fallback =
      s.cmuVersion === undefined && versionLabel !== CMU_VERSION_PREFERENCE[0]
        ? `no cmuVersion set and the book has no "${CMU_VERSION_PREFERENCE[0]}" rate for ${ctx.region}, so the ${ctx.region} "${versionLabel}" rate is used; `
        : '';
    const assumptions: Assumption[] = [
      band('slots per copy', slots, d.slotsPerCopy, s.slotsPerCopy),
      band('max copies', params.maxCopies, d.maxCopies, s.maxCopies),
      {
        name: 'CMUs per copy',
        value: cmus,
        unit: 'CMUs',
        source: s.cmusPerCopy ? 'Scenario setting' : cmiFacts().cmuAnchors.source,
        uncertain: s.cmusPerCopy === undefined && ctx.model.parameters > 8.2e9,
      },
      {
        name: 'CMU rate',
        value: rate.price,
        unit: 'USD per CMU-minute',
        low: 0.05718,
        high: 0.0785,
        source: `${fallback}${versionLabel}: ${rate.source}`,
        uncertain: rate.uncertain,
      },
      {
        name: 'window rule',
        value: s.windowRule,
        unit: '',
        source:
          s.windowRule === 'active'
            ? "AWS: 'billed in 5-minute windows from the first successful invocation' read as every window an active period touches; `invoked` is the other reading"
            : 'Scenario setting: only windows with a started request are billed',
        uncertain: true,
      },
      band('scale to zero after', params.scaleToZeroAfter, d.scaleToZeroAfter, s.scaleToZeroAfter),
      s.scaleInRule !== undefined
        ? {
            name: 'scale-in rule',
            value: s.scaleInRule,
            unit: '',
            source: 'Scenario setting',
            uncertain: false,
          }
        : {
            name: 'scale-in rule',
            value: params.scaleInRule,
            unit: '',
            low: d.scaleInRule.low,
            high: d.scaleInRule.high,
            source: d.scaleInRule.source,
            uncertain: true,
          },
      band('scale in after', params.scaleInAfter, d.scaleInAfter, s.scaleInAfter),
      band('scale out after', params.scaleOutAfter, d.scaleOutAfter, s.scaleOutAfter),
      distBand('copy load time', copyLoad, d.copyLoadTime, s.copyLoadTime),
      distBand('cold start', coldStart, d.coldStart, s.coldStart),
      distBand('evicted cold start', evicted, d.evictedColdStart, s.evictedColdStart),
      band('evict after idle', params.evictAfter, d.evictAfter, s.evictAfter),
      {
        name: 'idle before the trace',
        value: 'longer than evictAfter',
        unit: '',
        source: 'Assumed: the first call of the trace finds the model evicted',
        uncertain: true,
      },
      {
        name: 'routing',
        value: s.routing ?? 'pack',
        unit: '',
        source: 'Assumed: Bedrock fills a copy before using another (pack); not published',
        uncertain: true,
      },
      {
        name: 'perf profile',
        value: s.serviceTime ? `serviceTime ${describeDist(s.serviceTime, 's')}` : profile.id,
        unit: '',
        source: s.serviceTime ? 'Scenario setting' : profile.source,
        uncertain: s.serviceTime ? false : profile.uncertain,
      },
    ];
    if (s.heartbeat)
      assumptions.push({
        name: 'heartbeat',
        value: describeHeartbeat(s.heartbeat),
        unit: '',
        source: 'Scenario setting (heartbeats are billed invocations, not user requests)',
        uncertain: false,
      });
    const rule = s.windowRule;
    const meter: CopyMeter = { cmusPerCopy: cmus, pricePerCmuMinute: rate.price, rule };
    // The `invoked` rule bills windows with a started request: counted as the copies serve.
    const invoked = rule === 'invoked' ? new InvokedWindows() : null;
    return {
      assumptions,
      fleet: {
        slotsPerReplica: slots,
        routing: s.routing ?? 'pack',
        service: serviceModel(s.serviceTime, profile, ctx.seed, ctx.key),
        initialReplicas: 0,
        policy: new CmiPolicy(params, Rng.derive(ctx.seed, 'cold-start', ctx.key), invoked),
      },
      heartbeats: s.heartbeat ? new HeartbeatStream(s.heartbeat, ctx.calendar, ctx.spanSeconds) : null,
      bill(record) {
        const lives: CopyLife[] = record.replicas.map((r) => ({
          firstStartAt: r.firstStartAt,
          removedAt: r.removedAt,
          startWindows: invoked?.of(r.id) ?? 0,
        }));
        const windows = totalWindows(lives, rule);
        const inference = cmiInferenceLine(
          windows,
          cmus,
          rate.price,
          `${cmus} CMUs per copy, ${versionLabel}, ${rule} windows`,
        );
        const store = cmiStorageLine(cmus, ctx.spanSeconds, storage.price);
        return {
          lines: [inference, store],
          billedUnitMinutes: inference.quantity,
          copies: { meter, lives },
          costSoFar: (m) =>
            cmiCostSoFar(
              lives,
              rule,
              m,
              cmus * rate.price * 5,
              (cmus * storage.price) / MONTH_SECONDS,
              ctx.spanSeconds,
            ),
        };
      },
    };
  },
};

function band(name: string, value: number, d: Band, setting: unknown): Assumption {
  return setting !== undefined
    ? { name, value, unit: d.unit, source: 'Scenario setting', uncertain: false }
    : { name, value, unit: d.unit, low: d.low, high: d.high, source: d.source, uncertain: true };
}

function distBand(
  name: string,
  dist: Dist,
  d: { low: number; high: number; unit: string; source: string },
  setting: unknown,
): Assumption {
  return setting !== undefined
    ? { name, value: describeDist(dist, 's'), unit: '', source: 'Scenario setting', uncertain: false }
    : {
        name,
        value: describeDist(dist, 's'),
        unit: '',
        low: d.low,
        high: d.high,
        source: d.source,
        uncertain: true,
        dist,
      };
}
