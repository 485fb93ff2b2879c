import { ITEMS } from '../pricing/vocabulary.js';
import { z } from 'zod';
import type { FleetConfig } from '../sim/fleet.js';
import { line, type Commitment } from '../billing/lines.js';
import { readShippedJson } from '../data.js';
import type { PriceBook, PriceEntry } from '../pricing/book.js';
import { catalogModels, MinuteQuotaPolicy, quotaFleet, TokenRateService } from './catalog.js';
import { optionObject } from './option-base.js';
import type { Assumption, ServingOption } from './types.js';
import { count, MAX_COUNT, num } from './slo-sizing.js';
import { NO_UNCERTAIN_SETTINGS } from './uncertain-forms.js';
import { complianceFacts } from './compliance.js';
import { feasibility } from './feasibility.js';
import { OPTION_DOCS } from './option-docs.js';
import { modelUnitFields, speedFields } from './per-token-fields.js';

/**
 * `bedrock-provisioned`: Bedrock Provisioned Throughput — model units bought by the hour for a
 * term (no commitment, 1 month, 6 months), billed whether used or not. The serving path of models
 * fine-tuned inside Bedrock; imported models have no Provisioned Throughput. Each model unit
 * delivers a fixed tokens-per-minute capacity, which AWS shows only in its console: the scenario
 * supplies it (and the price where the book has none).
 */

export const TERM_LABEL = {
  none: 'no commitment',
  '1m': '1-month commitment',
  '6m': '6-month commitment',
} as const;

interface ProvisionedFacts {
  termMonths: { value: Record<'1m' | '6m', number>; source: string };
  hoursPerMonth: { value: number; low: number; high: number; unit: string; source: string };
}
let factsCache: ProvisionedFacts | undefined;
function ptFacts(): ProvisionedFacts {
  factsCache ??= readShippedJson('src/models/bedrock-provisioned.json') as ProvisionedFacts;
  return factsCache;
}

/**
 * The whole term of a commitment (issue 15 item 6): a term is bought whole, so the run bills the
 * span's amortised share and the option carries what the term costs.
 * Worked: 1 MU at $10 per MU-hour, 6 months of 730 h → 4,380 h → $43,800.
 */
export function commitmentOf(term: '1m' | '6m', modelUnits: number, hourly: number): Commitment {
  const f = ptFacts();
  const termMonths = f.termMonths.value[term];
  const termHours = termMonths * f.hoursPerMonth.value;
  return { term, termMonths, termHours, termTotal: modelUnits * hourly * termHours };
}

const doc = OPTION_DOCS.provisioned;
const schema = optionObject('bedrock-provisioned', {
  /** `none` (hourly, custom models only), `1m` or `6m`. */
  term: z.enum(['none', '1m', '6m']).default('none').describe(doc.term),
  ...modelUnitFields(doc),
  /** Latency of the served model. Default: the catalog figures of Llama 3.1 8B. */
  ...speedFields(doc),
});
export type ProvisionedSettings = z.infer<typeof schema>;

/** The settings every Provisioned Throughput path shares (this option and a Bedrock-native fine-tune). */
type UnitSettings = Pick<
  ProvisionedSettings,
  'term' | 'modelUnits' | 'pricePerModelUnitHour' | 'tokensPerMinutePerModelUnit'
>;

/**
 * What keeps a Provisioned Throughput path from being priced: no model-unit price (in the scenario
 * or, looked up only then, in the book) is `missing`; no per-unit capacity is a `reason`.
 */
export function provisionedGaps(
  s: UnitSettings,
  modelName: string,
  region: string,
  bookPrice: () => PriceEntry | undefined,
  reasons: string[],
  missing: string[],
): void {
  if (s.pricePerModelUnitHour === undefined && !bookPrice())
    missing.push(
      `price unknown — AWS shows model-unit prices only in its console: set pricePerModelUnitHour for ${modelName} (${TERM_LABEL[s.term]}) in ${region}`,
    );
  if (s.tokensPerMinutePerModelUnit === undefined)
    reasons.push('capacity unknown — set tokensPerMinutePerModelUnit from the Bedrock console');
}

/**
 * The model-unit-hour price (the scenario's, else the book's `entry`) and the tokens per minute
 * the units buy, with the two assumptions that state them. Called only for feasible options.
 * Worked: 2 MU × 10,000 tokens/min per MU → capacity 20,000 tokens per minute.
 */
export function provisionedUnits(
  s: UnitSettings,
  entry: PriceEntry | undefined,
): { hourly: number; capacity: number; assumptions: Assumption[] } {
  const hourly = s.pricePerModelUnitHour ?? entry!.price;
  const capacity = s.modelUnits * s.tokensPerMinutePerModelUnit!;
  return {
    hourly,
    capacity,
    assumptions: [
      {
        name: 'price',
        value: hourly,
        unit: 'USD per model-unit-hour',
        source: s.pricePerModelUnitHour ? 'Scenario setting' : entry!.source,
        uncertain: !s.pricePerModelUnitHour && entry!.uncertain,
      },
      {
        name: 'capacity',
        value: capacity,
        unit: 'tokens per minute',
        source:
          'Scenario setting (tokensPerMinutePerModelUnit × model units); requests over it throttle in fixed 1-minute windows',
        uncertain: false,
      },
    ],
  };
}

/** Model units throttle on tokens per minute only: no request quota. */
export function provisionedFleet(service: TokenRateService, capacity: number): FleetConfig {
  return quotaFleet(service, new MinuteQuotaPolicy(Number.MAX_SAFE_INTEGER, capacity));
}

function ptPrice(book: PriceBook, modelName: string, region: string, term: string): PriceEntry | undefined {
  return book.find('AmazonBedrock', ITEMS.provisionedThroughput, region, { model: modelName, term })[0];
}

/** The hours a term bills, with the band of calendar months. */
function termAssumption(term: '1m' | '6m'): Assumption {
  const f = ptFacts();
  const months = f.termMonths.value[term];
  return {
    name: 'commitment term',
    value: months * f.hoursPerMonth.value,
    unit: 'hours',
    low: months * f.hoursPerMonth.low,
    high: months * f.hoursPerMonth.high,
    source: `${f.termMonths.source}. ${f.hoursPerMonth.source}`,
    uncertain: false,
  };
}

export const bedrockProvisioned: ServingOption<ProvisionedSettings> = {
  uncertain: NO_UNCERTAIN_SETTINGS,
  sloSizing: {
    countSettings: ['modelUnits'],
    lines: (o) => [
      count('model units', (n) => ({ ...o, modelUnits: n }), 1, MAX_COUNT, num(o.modelUnits, 1), [
        'quota',
        'queueing',
      ]),
    ],
  },
  id: 'bedrock-provisioned',
  title: 'Bedrock Provisioned Throughput',
  service: 'AmazonBedrock',
  schema,
  facts: () => ({
    baseSupport:
      'Models fine-tuned inside Bedrock (Nova, Titan, Claude) and base models; not imported weights',
    opsSurface: 'Minimal: buy model units; AWS runs them',
    costShape: 'Per model-unit-hour for a term, always on',
    versionRollback: {
      path: 'New custom model version → new Provisioned Throughput → config flip',
      timeToTrafficSeconds: null,
    },
    compliance: complianceFacts('bedrock-provisioned'),
  }),
  feasibility(model, region, s, book) {
    const reasons: string[] = [];
    if (model.provenance === 'imported')
      reasons.push(
        'imported models have no Provisioned Throughput (AWS re:Post: use Custom Model Import); this path serves models fine-tuned inside Bedrock',
      );
    const missing: string[] = [];
    provisionedGaps(s, model.name, region, () => ptPrice(book, model.name, region, s.term), reasons, missing);
    return feasibility(reasons, missing);
  },
  prepare(ctx, s) {
    const base = catalogModels()[0]!;
    const units = provisionedUnits(s, ptPrice(ctx.book, ctx.model.name, ctx.region, s.term));
    const hourly = units.hourly;
    const assumptions: Assumption[] = [
      { name: 'term', value: TERM_LABEL[s.term], unit: '', source: 'Scenario setting', uncertain: false },
      { name: 'model units', value: s.modelUnits, unit: 'MUs', source: 'Scenario setting', uncertain: false },
      ...units.assumptions,
      ...(s.term === 'none' ? [] : [termAssumption(s.term)]),
      {
        name: 'latency',
        value: `${s.ttft ?? base.ttft} s + output / ${s.tokensPerSecond ?? base.tokensPerSecond} tok/s`,
        unit: '',
        source: s.ttft ? 'Scenario setting' : base.latencySource,
        uncertain: !s.ttft,
      },
    ];
    return {
      assumptions,
      reportsCapacity: false,
      fleet: provisionedFleet(
        new TokenRateService(s.ttft ?? base.ttft, s.tokensPerSecond ?? base.tokensPerSecond),
        units.capacity,
      ),
      heartbeats: null,
      bill() {
        const hours = (s.modelUnits * ctx.spanSeconds) / 3600;
        // A commitment is bought for its whole term; the line bills the span's share of it.
        const l = line(
          `Provisioned Throughput (${s.modelUnits} MU, ${s.term === 'none' ? TERM_LABEL.none : `amortised share of a ${TERM_LABEL[s.term]}`})`,
          hours,
          'model-unit-hours',
          hourly,
          { lineId: 'provisioned-throughput' },
        );
        return {
          lines: [l],
          ...(s.term === 'none' ? {} : { commitment: commitmentOf(s.term, s.modelUnits, hourly) }),
          costSoFar: (m) => {
            const out = new Float64Array(m);
            for (let i = 0; i < m; i++)
              out[i] = (Math.min(60 * (i + 1), ctx.spanSeconds) / ctx.spanSeconds) * l.amount;
            return out;
          },
        };
      },
    };
  },
};
