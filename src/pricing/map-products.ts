import type { PriceEntry } from './book.js';
import type { PriceDimension, PriceListProduct } from './price-list.js';
import { entryId, ITEMS, UNITS, type Item, type ServiceCode } from './vocabulary.js';

/**
 * Price List rows → price-book entries. Each on-demand price dimension of a product is mapped by
 * its unit (and the product's attributes and usage type) onto one of the book's items, or skipped
 * with a reason. A unit servesim does not know is skipped and reported (`unknownUnit`), never
 * guessed. Token prices become per 1M tokens whatever the API's denominator (AmazonBedrock
 * publishes per 1K, AmazonBedrockFoundationModels per 1M).
 */

export interface Skipped {
  service: string;
  sku: string;
  unit: string;
  reason: string;
  /** True when the unit itself is one servesim does not map (reported prominently). */
  unknownUnit: boolean;
}

export interface MapContext {
  service: ServiceCode;
  /** The region asked for; rows of other regions are skipped. */
  region: string;
  /** ISO date of the refresh (the entries' source date, and their date when a term has none). */
  today: string;
}

export interface Mapped {
  entries: PriceEntry[];
  skipped: Skipped[];
}

/** Per-1M multiplier of each token unit the API uses. */
const TOKEN_UNITS: Readonly<Record<string, number>> = {
  '1k tokens': 1000,
  '1000 tokens': 1000,
  '1m tokens': 1,
  'million tokens': 1,
  millionbatchinputtokens: 1,
  millionbatchoutputtokens: 1,
};
const HOUR_UNITS = new Set(['hrs', 'hr', 'hour', 'hours']);
const CMU_MINUTE_UNITS = new Set(['custom model unit per min', 'custom model unit per minute']);
const MONTH_UNITS = new Set([
  'model/month',
  'custom model unit per month',
  'custom model unit/month',
  'custom model unit-month',
  'cmu-month',
  'cmu-months',
]);
const GB_UNITS = new Set(['gb', 'gigabytes']);
const SECOND_UNITS = new Set(['second', 'seconds']);
const GB_SECOND_UNITS = new Set(['gb-second', 'gb-seconds', 'gb-sec', 'gb seconds']);

const MARKETPLACE_SUFFIX = ' (Amazon Bedrock Edition)';

type Meter = Omit<
  PriceEntry,
  'id' | 'service' | 'region' | 'currency' | 'effectiveDate' | 'source' | 'uncertain'
> & {
  id: string;
  item: Item;
};
/** A dimension maps to a meter, or to the reason it is skipped. */
type Verdict = Meter | { skip: string; unknownUnit?: boolean };

export function mapProduct(p: PriceListProduct, ctx: MapContext): Mapped {
  const out: Mapped = { entries: [], skipped: [] };
  const attrs = p.product.attributes;
  const sku = p.product.sku;
  const terms = Object.values(p.terms.OnDemand ?? {});
  const skip = (unit: string, reason: string, unknownUnit = false) =>
    out.skipped.push({ service: ctx.service, sku, unit, reason, unknownUnit });
  if (terms.length === 0) {
    skip('', 'no on-demand price (reserved or savings terms only)');
    return out;
  }
  const region = attrs.regionCode;
  for (const term of terms) {
    for (const dim of Object.values(term.priceDimensions)) {
      if (region === undefined) {
        skip(dim.unit, 'no regionCode attribute');
        continue;
      }
      if (region !== ctx.region) {
        skip(dim.unit, `another region (${region})`);
        continue;
      }
      if (dim.beginRange !== undefined && Number(dim.beginRange) > 0) {
        skip(dim.unit, `a higher usage tier (from ${dim.beginRange}); the book keeps the first tier`);
        continue;
      }
      const v = classify(ctx.service, attrs, dim, region);
      if ('skip' in v) {
        skip(dim.unit, v.skip, v.unknownUnit ?? false);
        continue;
      }
      const effective = /^\d{4}-\d{2}-\d{2}/.exec(term.effectiveDate ?? '')?.[0] ?? ctx.today;
      const description = dim.description?.trim();
      out.entries.push({
        id: v.id,
        service: ctx.service,
        item: v.item,
        region,
        unit: v.unit,
        price: v.price,
        currency: 'USD',
        effectiveDate: effective,
        source: `AWS Price List API GetProducts ${ctx.service} ${ctx.today}`,
        uncertain: false,
        note: `sku ${sku}${dim.rateCode ? `, rate ${dim.rateCode}` : ''}${description ? `: ${description}` : ''}`,
        labels: v.labels,
      });
    }
  }
  return out;
}

function classify(
  service: ServiceCode,
  attrs: Record<string, string>,
  dim: PriceDimension,
  region: string,
): Verdict {
  const unit = dim.unit.trim().toLowerCase().replace(/\s+/g, ' ');
  const price = dim.pricePerUnit.USD;
  // Everything that describes the row, squashed for substring tests ("Reserved_1Month" → "reserved1month").
  const text = squash(
    [
      attrs.usagetype,
      attrs.inferenceType,
      attrs.tokenType,
      attrs.feature,
      attrs.batch === 'true' || attrs.batch === 'Yes' ? 'batch' : '',
      dim.description,
    ].join(' '),
  );
  switch (service) {
    case 'AmazonBedrock':
    case 'AmazonBedrockService':
    case 'AmazonBedrockFoundationModels':
      return bedrock(service, attrs, unit, text, price, region);
    case 'AmazonSageMaker':
      return sagemaker(attrs, unit, text, price, region);
    case 'AmazonEC2':
      return ec2(attrs, unit, price, region);
    case 'AmazonEKS':
      return eks(unit, text, price, region);
  }
}

function bedrock(
  service: ServiceCode,
  attrs: Record<string, string>,
  unit: string,
  text: string,
  price: number,
  region: string,
): Verdict {
  const model =
    service === 'AmazonBedrockFoundationModels'
      ? attrs.servicename?.replace(MARKETPLACE_SUFFIX, '').trim()
      : (attrs.model ?? attrs.titanModel);
  if (CMU_MINUTE_UNITS.has(unit)) {
    const arch = attrs.architectureName ?? attrs.architecture ?? model;
    if (!arch) return { skip: 'a Custom Model Import rate without an architecture' };
    const version = attrs.customModelUnitsVersion ?? attrs.cmuVersion;
    const label = `price-list-${arch}${version ? `-${version}` : ''}`;
    const id = entryId('bedrock-cmi', 'inference', region, label);
    return {
      id,
      item: ITEMS.cmiInference,
      unit: UNITS.cmuMinutes,
      price,
      labels: { cmuVersion: id.split('.')[3]!, architecture: arch },
    };
  }
  if (MONTH_UNITS.has(unit) || /custom model unit.*month/.test(unit)) {
    if (text.includes('customization')) {
      if (!model) return { skip: 'a custom-model storage rate without a model' };
      return {
        id: entryId('bedrock-custom', `${model}-storage`, region),
        item: ITEMS.customModelStorage,
        unit: UNITS.modelMonths,
        price,
        labels: { model },
      };
    }
    if (unit.includes('custom model unit') || /custommodelimport|modelstorage|custommodelunit/.test(text))
      return {
        id: entryId('bedrock-cmi', 'storage', region),
        item: ITEMS.cmiStorage,
        unit: UNITS.cmuMonths,
        price,
        labels: {},
      };
    return { skip: 'a monthly Bedrock rate servesim does not use' };
  }
  if (HOUR_UNITS.has(unit)) {
    if (!/provisionedthroughput|reserved|commit/.test(text))
      return { skip: 'an hourly Bedrock rate that is not Provisioned Throughput' };
    if (!model) return { skip: 'a Provisioned Throughput rate without a model' };
    const term = /1month/.test(text)
      ? '1m'
      : /6month/.test(text)
        ? '6m'
        : /\dmonth/.test(text)
          ? undefined
          : 'none';
    if (term === undefined) return { skip: 'a Provisioned Throughput term servesim does not model' };
    return {
      id: entryId('bedrock-pt', model, region, term === 'none' ? 'no-commit' : term),
      item: ITEMS.provisionedThroughput,
      unit: UNITS.modelUnitHours,
      price,
      labels: { model, term },
    };
  }
  const per1M = TOKEN_UNITS[unit];
  if (per1M !== undefined) {
    if (!model) return { skip: 'a token rate without a model name' };
    if (/cache/.test(text)) return { skip: 'prompt-cache tokens (not modelled)' };
    if (/latencyoptimi|priority|flex|customization|training/.test(text))
      return { skip: 'a service tier servesim does not model (latency-optimized, priority, flex, training)' };
    const direction = /input/.test(text + squash(unit))
      ? 'input'
      : /output/.test(text + squash(unit))
        ? 'output'
        : undefined;
    if (direction === undefined) return { skip: 'a token rate that is neither input nor output' };
    const batch = /batch/.test(text + squash(unit));
    const endpoint = /global/.test(text) ? 'global' : /geo|crossregion/.test(text) ? 'geo' : 'regional';
    const item = batch
      ? direction === 'input'
        ? ITEMS.batchInputTokens
        : ITEMS.batchOutputTokens
      : direction === 'input'
        ? ITEMS.inputTokens
        : ITEMS.outputTokens;
    return {
      id: entryId(
        batch ? 'bedrock-batch' : 'bedrock-ondemand',
        `${model}-${direction}`,
        region,
        endpoint === 'regional' ? undefined : endpoint,
      ),
      item,
      unit: direction === 'input' ? UNITS.inputTokens : UNITS.outputTokens,
      price: round(price * per1M),
      labels: { model, endpoint },
    };
  }
  return { skip: `unknown unit "${unit}"`, unknownUnit: true };
}

function sagemaker(
  attrs: Record<string, string>,
  unit: string,
  text: string,
  price: number,
  region: string,
): Verdict {
  if (HOUR_UNITS.has(unit)) {
    const type = attrs.instanceName ?? attrs.instanceType;
    const hosting =
      attrs.component?.toLowerCase() === 'hosting' || /host/.test(squash(attrs.usagetype ?? ''));
    if (!type?.startsWith('ml.') || !hosting)
      return {
        skip: `a SageMaker instance that is not a real-time hosting instance (${attrs.component ?? 'no component'})`,
      };
    return {
      id: entryId('sagemaker-realtime', type, region),
      item: ITEMS.realtimeInstance,
      unit: UNITS.instanceHours,
      price,
      labels: { instanceType: type },
    };
  }
  const serverless = /serverless/.test(text);
  if (GB_UNITS.has(unit)) {
    const dir = /bytesin|datain|processedin/.test(text)
      ? 'in'
      : /bytesout|dataout|processedout/.test(text)
        ? 'out'
        : undefined;
    if (dir === undefined) return { skip: 'a per-GB SageMaker rate that is not data processed' };
    const item = serverless
      ? dir === 'in'
        ? ITEMS.serverlessDataIn
        : ITEMS.serverlessDataOut
      : dir === 'in'
        ? ITEMS.realtimeDataIn
        : ITEMS.realtimeDataOut;
    return {
      id: entryId(serverless ? 'sagemaker-serverless' : 'sagemaker-realtime', `data-${dir}`, region),
      item,
      unit: UNITS.gb,
      price,
      labels: { direction: dir },
    };
  }
  if (SECOND_UNITS.has(unit) || GB_SECOND_UNITS.has(unit)) {
    if (!serverless) return { skip: 'a per-second SageMaker rate that is not Serverless Inference' };
    if (/provisioned/.test(text)) return { skip: 'Serverless provisioned concurrency (not modelled yet)' };
    let perGbSecond = price;
    if (!GB_SECOND_UNITS.has(unit)) {
      const gb = memoryGB(attrs);
      if (gb === undefined) return { skip: 'a Serverless per-second rate without a memory size' };
      perGbSecond = price / gb;
    }
    return {
      id: entryId('sagemaker-serverless', 'compute', region),
      item: ITEMS.serverlessCompute,
      unit: UNITS.gbSeconds,
      price: round(perGbSecond),
      labels: {},
    };
  }
  return { skip: `unknown unit "${unit}"`, unknownUnit: true };
}

function ec2(attrs: Record<string, string>, unit: string, price: number, region: string): Verdict {
  if (!HOUR_UNITS.has(unit)) return { skip: `unknown unit "${unit}"`, unknownUnit: true };
  const type = attrs.instanceType;
  if (!type) return { skip: 'an hourly EC2 rate without an instance type' };
  // The query filters on these already; checked again so a loose response cannot slip in.
  const want: Record<string, string> = {
    operatingSystem: 'Linux',
    tenancy: 'Shared',
    preInstalledSw: 'NA',
    capacitystatus: 'Used',
  };
  for (const [k, v] of Object.entries(want))
    if (attrs[k] !== undefined && attrs[k] !== v)
      return { skip: `not Linux, shared, on-demand (${k} ${attrs[k]})` };
  return {
    id: entryId('ec2', type, region),
    item: ITEMS.ec2Instance,
    unit: UNITS.instanceHours,
    price,
    labels: { instanceType: type },
  };
}

function eks(unit: string, text: string, price: number, region: string): Verdict {
  if (!HOUR_UNITS.has(unit)) return { skip: `unknown unit "${unit}"`, unknownUnit: true };
  const support = /extendedsupport/.test(text)
    ? 'extended'
    : /percluster/.test(text)
      ? 'standard'
      : undefined;
  if (support === undefined) return { skip: 'an hourly EKS rate that is not the control plane' };
  return {
    id: entryId('eks', 'control-plane', region, support),
    item: ITEMS.eksControlPlane,
    unit: UNITS.clusterHours,
    price,
    labels: { support },
  };
}

function memoryGB(attrs: Record<string, string>): number | undefined {
  const m =
    /mem-?(\d+(?:\.\d+)?)\s*gb/i.exec(attrs.usagetype ?? '') ??
    /(\d+(?:\.\d+)?)\s*gb/i.exec(attrs.memory ?? '');
  const gb = m ? Number(m[1]) : NaN;
  return gb > 0 ? gb : undefined;
}

function squash(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Drops binary noise from unit conversions (0.00022 × 1000 = 0.22000000000000003). */
function round(x: number): number {
  return Number(x.toPrecision(12));
}
