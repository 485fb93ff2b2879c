import { z } from 'zod';
import { readShippedJson } from '../data.js';
import { line, type CostLine } from '../billing/lines.js';
import { MONTH_SECONDS } from '../billing/cmi.js';
import type { PriceBook, PriceEntry } from '../pricing/book.js';
import { ITEMS } from '../pricing/vocabulary.js';
import { catalogModel, MinuteQuotaPolicy, quotaFleet, TokenRateService } from './catalog.js';
import { provisionedFleet, provisionedGaps, provisionedUnits, TERM_LABEL } from './bedrock-provisioned.js';
import { perTokenCostSoFar } from './bedrock-on-demand.js';
import { optionObject } from './option-base.js';
import type { Assumption, ServingOption } from './types.js';
import { AS_CONFIGURED } from './slo-sizing.js';
import { complianceFacts } from './compliance.js';
import { feasibility, missingPrice } from './feasibility.js';
import { userTokens } from '../sim/record.js';
import { OPTION_DOCS } from './option-docs.js';
import { modelUnitFields, quotaFields, speedFields } from './per-token-fields.js';

/**
 * `bedrock-native-finetune`: the path the article recommends when Bedrock can fine-tune the base
 * model itself — a *different* model (a Bedrock family trained on the same data inside Bedrock),
 * so a baseline, never ranked cheapest. Served as Bedrock offers that family
 * (src/models/bedrock-native.json): Nova custom models per token through an on-demand custom
 * model deployment, any family through Provisioned Throughput (model units for a term, always
 * on). Both add custom-model storage per model-month. Training is billed once and is not part of
 * the serving bill.
 */

interface Family {
  id: string;
  catalogModel: string;
  name: string;
  serving: Serving[];
  regions: { fineTune: string[]; onDemand: string[] };
  note: string;
}
interface NativeFacts {
  sources: { fineTune: string; onDemand: string; onDemandNova: string; provisioned: string };
  families: Family[];
}
type Serving = 'on-demand' | 'provisioned';

let cache: NativeFacts | undefined;
function nativeFacts(): NativeFacts {
  cache ??= readShippedJson('src/models/bedrock-native.json') as NativeFacts;
  return cache;
}

const SERVICE = 'AmazonBedrock';

const doc = OPTION_DOCS.nativeFinetune;
const schema = optionObject('bedrock-native-finetune', {
  /** The Bedrock family fine-tuned on your data (default `nova-lite`). */
  baseModel: z
    .enum(nativeFacts().families.map((f) => f.id) as [string, ...string[]])
    .default('nova-lite')
    .describe(doc.baseModel(nativeFacts().families.map((f) => f.id))),
  /** `on-demand` (custom model deployment, Nova only) or `provisioned`; default the family's first. */
  serving: z.enum(['on-demand', 'provisioned']).optional().describe(doc.serving),
  /** Provisioned Throughput term: `none` (custom models may buy it hourly), `1m` or `6m`. */
  term: z.enum(['none', '1m', '6m']).default('none').describe(doc.term),
  ...modelUnitFields(doc),
  ...quotaFields(doc),
  ...speedFields(doc),
});
export type NativeFinetuneSettings = z.infer<typeof schema>;

function familyOf(s: NativeFinetuneSettings): Family {
  return nativeFacts().families.find((f) => f.id === s.baseModel)!;
}

function servingOf(s: NativeFinetuneSettings, f: Family): Serving {
  return s.serving ?? f.serving[0]!;
}

function tokenPrice(book: PriceBook, f: Family, region: string, kind: 'input' | 'output') {
  const item = kind === 'input' ? ITEMS.customModelInputTokens : ITEMS.customModelOutputTokens;
  return book.find(SERVICE, item, region, { model: f.name })[0];
}

function ptPrice(book: PriceBook, f: Family, region: string, term: string): PriceEntry | undefined {
  return book.find(SERVICE, ITEMS.provisionedThroughput, region, { model: f.name, term })[0];
}

function storagePrice(book: PriceBook, region: string): PriceEntry | undefined {
  return book.find(SERVICE, ITEMS.customModelStorage, region)[0];
}

export const bedrockNativeFinetune: ServingOption<NativeFinetuneSettings> = {
  // Per token: nothing to size; the SLO search checks it as configured.
  sloSizing: AS_CONFIGURED,
  id: 'bedrock-native-finetune',
  title: 'Bedrock-native fine-tune',
  baseline: true,
  service: SERVICE,
  schema,
  facts: () => ({
    baseSupport:
      'A Bedrock family (Nova, Llama 3.1…) fine-tuned inside Bedrock on the same data: a different model from your weights',
    opsSurface: 'Minimal: a customization job, then an on-demand deployment or Provisioned Throughput',
    costShape:
      'Per token (Nova on-demand deployment) or per model-unit-hour (Provisioned Throughput), + storage per model-month; training billed once, not here',
    versionRollback: {
      path: 'New customization job → new custom model → new deployment ARN in the caller config; rollback flips back',
      timeToTrafficSeconds: null,
    },
    compliance: complianceFacts('bedrock-native-finetune'),
  }),
  feasibility(_model, region, s, book) {
    const f = familyOf(s);
    const serving = servingOf(s, f);
    const src = nativeFacts().sources;
    const reasons: string[] = [];
    const missing: string[] = [];
    if (!f.serving.includes(serving))
      reasons.push(`${f.name} fine-tunes are not served ${serving} by Bedrock (${f.note}; ${src.onDemand})`);
    else if (serving === 'on-demand' && !f.regions.onDemand.includes(region))
      reasons.push(
        `on-demand custom model deployment is offered in ${f.regions.onDemand.join(', ')}, not ${region} (${src.onDemand})`,
      );
    else if (serving === 'provisioned' && !f.regions.fineTune.includes(region))
      reasons.push(
        `Bedrock fine-tunes ${f.name} in ${f.regions.fineTune.join(', ')} only; copying the custom model to ${region} is not modelled (${src.fineTune})`,
      );
    if (serving === 'on-demand') {
      for (const kind of ['input', 'output'] as const)
        if (!tokenPrice(book, f, region, kind))
          missing.push(missingPrice(`custom-model on-demand ${kind} tokens price for ${f.name}`, region));
    } else provisionedGaps(s, f.name, region, () => ptPrice(book, f, region, s.term), reasons, missing);
    if (!storagePrice(book, region)) missing.push(missingPrice('custom model storage price', region));
    return feasibility(reasons, missing);
  },
  prepare(ctx, s) {
    const f = familyOf(s);
    const serving = servingOf(s, f);
    const m = catalogModel(f.catalogModel, `options.${ctx.key}.baseModel`);
    const storage = storagePrice(ctx.book, ctx.region)!;
    const ttft = s.ttft ?? m.ttft;
    const tps = s.tokensPerSecond ?? m.tokensPerSecond;
    const assumptions: Assumption[] = [
      {
        name: 'model',
        value: `${f.name} fine-tuned inside Bedrock on the same data (a different model from the imported weights), served ${serving}`,
        unit: '',
        source: `Scenario setting; ${nativeFacts().sources.fineTune}`,
        uncertain: false,
      },
      {
        name: 'latency',
        value: `${ttft} s + output / ${tps} tok/s`,
        unit: '',
        source: s.ttft
          ? 'Scenario setting'
          : `Base ${f.name} figures (${m.latencySource}); a custom model is assumed as fast as its base`,
        uncertain: !s.ttft,
      },
      {
        name: 'storage',
        value: storage.price,
        unit: 'USD per model-month',
        source: storage.source,
        uncertain: storage.uncertain,
      },
      {
        name: 'training',
        value: 'not in the serving bill',
        unit: '',
        source:
          'A customization job is billed once per version (per token trained); it is not a serving cost',
        uncertain: false,
      },
    ];
    const storageLine = line(
      `Custom model storage (${f.name}, pro-rated)`,
      ctx.spanSeconds / MONTH_SECONDS,
      'model-months',
      storage.price,
    );
    const linear = (lines: CostLine[], tokenLines: CostLine[], arrivals: Int32Array) => (minutes: number) => {
      const out = perTokenCostSoFar(arrivals, tokenLines, minutes);
      const fixed = lines.reduce((a, l) => a + l.amount, 0);
      for (let i = 0; i < minutes; i++)
        out[i]! += (Math.min(60 * (i + 1), ctx.spanSeconds) / ctx.spanSeconds) * fixed;
      return out;
    };

    if (serving === 'on-demand') {
      const rpm = s.rpm ?? m.rpm;
      const tpm = s.tpm ?? m.tpm;
      const pin = tokenPrice(ctx.book, f, ctx.region, 'input')!;
      const pout = tokenPrice(ctx.book, f, ctx.region, 'output')!;
      assumptions.push(
        {
          name: 'token prices',
          value: `${pin.price} / ${pout.price}`,
          unit: 'USD per 1M input / output tokens',
          source: pin.source,
          uncertain: pin.uncertain || pout.uncertain,
        },
        {
          name: 'quotas',
          value: `${rpm} RPM, ${tpm} TPM`,
          unit: '',
          source:
            s.rpm && s.tpm
              ? 'Scenario setting'
              : `Assumed: the base ${f.name} on-demand quotas (${m.quotaSource}); custom model deployments' own quotas not found`,
          uncertain: !(s.rpm && s.tpm),
        },
        {
          name: 'batch requests',
          value: 'served on demand',
          unit: '',
          source:
            'Assumed: batch-class requests go through the same on-demand deployment (no batch-inference rate for custom models here)',
          uncertain: true,
        },
      );
      return {
        assumptions,
        reportsCapacity: false,
        fleet: quotaFleet(new TokenRateService(ttft, tps), new MinuteQuotaPolicy(rpm, tpm)),
        heartbeats: null,
        bill(record) {
          const tokens = [
            line(
              `Input tokens (${f.name} custom, on-demand)`,
              userTokens(record.tokensByClass.input) / 1e6,
              '1M input tokens',
              pin.price,
            ),
            line(
              `Output tokens (${f.name} custom, on-demand)`,
              userTokens(record.tokensByClass.output) / 1e6,
              '1M output tokens',
              pout.price,
            ),
          ];
          return {
            lines: [...tokens, storageLine],
            costSoFar: linear([storageLine], tokens, record.series.arrivals),
          };
        },
      };
    }

    const units = provisionedUnits(s, ptPrice(ctx.book, f, ctx.region, s.term));
    const hourly = units.hourly;
    assumptions.push(
      { name: 'term', value: TERM_LABEL[s.term], unit: '', source: 'Scenario setting', uncertain: false },
      ...units.assumptions,
    );
    return {
      assumptions,
      reportsCapacity: false,
      fleet: provisionedFleet(new TokenRateService(ttft, tps), units.capacity),
      heartbeats: null,
      bill(record) {
        const pt = line(
          `Provisioned Throughput (${f.name} custom, ${s.modelUnits} MU, ${TERM_LABEL[s.term]})`,
          (s.modelUnits * ctx.spanSeconds) / 3600,
          'model-unit-hours',
          hourly,
        );
        return { lines: [pt, storageLine], costSoFar: linear([pt, storageLine], [], record.series.arrivals) };
      },
    };
  },
};
