import { z } from 'zod';
import { line, type CostLine } from '../billing/lines.js';
import { Duration } from '../scenario/fields.js';
import { formatDuration } from '../scenario/units.js';
import type { PriceBook, PriceEntry } from '../pricing/book.js';
import { catalogModel, catalogModels, MinuteQuotaPolicy, quotaFleet, TokenRateService } from './catalog.js';
import { optionObject } from './option-base.js';
import type { Assumption, ServingOption } from './types.js';
import { AS_CONFIGURED } from './slo-sizing.js';
import { complianceFacts } from './compliance.js';
import { feasibility, missingPrice } from './feasibility.js';
import { userTokens } from '../sim/record.js';
import { RequestClass } from '../traffic/types.js';
import { OPTION_DOCS } from './option-docs.js';
import { quotaFields, speedFields } from './per-token-fields.js';

/**
 * `bedrock-on-demand`: a catalog model per token — the base Llama 3.1 8B (not the fine-tune), or
 * a model the fine-tune competes with. No fleet: requests are served at the model's latency,
 * throttled by RPM/TPM quotas. With `batchInference`, `batch` requests go through batch
 * inference: batch prices, no on-demand quota, and the job's turnaround as their latency.
 */

const doc = OPTION_DOCS.onDemand;
const schema = optionObject('bedrock-on-demand', {
  /** Catalog model id (see src/models/catalog-models.json). */
  model: z
    .enum(catalogModels().map((m) => m.id) as [string, ...string[]])
    .default('llama-3.1-8b-instruct')
    .describe(doc.model(catalogModels().map((m) => m.id))),
  /** `regional` or `global` cross-region endpoint (Claude: global is ~10 % cheaper). */
  endpoint: z.enum(['regional', 'global']).default('regional').describe(doc.endpoint),
  /** Price `batch` requests at the batch-inference rate. */
  batchInference: z.boolean().default(false).describe(doc.batchInference),
  /** Turnaround of a batch-inference job, reported as the batch requests' latency. */
  batchTurnaround: Duration.default(3600).describe(doc.batchTurnaround),
  ...quotaFields(doc),
  ...speedFields(doc),
});
export type BedrockOnDemandSettings = z.infer<typeof schema>;

function findPrice(
  book: PriceBook,
  model: string,
  region: string,
  endpoint: string,
  kind: 'input' | 'output',
  batch: boolean,
): PriceEntry | undefined {
  const item = `${batch ? 'Batch' : 'On-demand'} ${kind} tokens`;
  // Catalog models are priced under either Bedrock service code (Claude under FoundationModels).
  return book
    .find(['AmazonBedrock', 'AmazonBedrockFoundationModels'], item, region, { model })
    .find((x) => (x.labels.endpoint ?? 'regional') === endpoint);
}

function missingTokenPrice(model: string, endpoint: string, kind: string, batch: boolean, region: string) {
  return missingPrice(
    `${batch ? 'batch' : 'on-demand'} ${kind} tokens price for ${model} (${endpoint} endpoint)`,
    region,
    'pick another region or model, or supply a book with it (pricing.book)',
  );
}

/** A price `feasibility` found (prepare runs only for feasible options). */
function price(...args: Parameters<typeof findPrice>): PriceEntry {
  const e = findPrice(...args);
  if (!e) throw new Error(`internal: ${missingTokenPrice(args[1], args[3], args[4], args[5], args[2])}`);
  return e;
}

export const bedrockOnDemand: ServingOption<BedrockOnDemandSettings> = {
  // Per token: nothing to size; the SLO search checks it as configured.
  sloSizing: AS_CONFIGURED,
  id: 'bedrock-on-demand',
  title: 'Bedrock on-demand (per token)',
  baseline: true,
  service: (l) => (/Claude/.test(l.item) ? 'AmazonBedrockFoundationModels' : 'AmazonBedrock'),
  schema,
  facts: () => ({
    baseSupport: 'Catalog models only: serves a base or competing model, never your fine-tuned weights',
    opsSurface: 'None: call the API',
    costShape: 'Per input and output token (batch inference at half price for most models)',
    versionRollback: { path: 'Model id in the caller config', timeToTrafficSeconds: 0 },
    compliance: complianceFacts('bedrock-on-demand'),
  }),
  feasibility(_model, region, s, book) {
    const m = catalogModel(s.model, `options.${s.key ?? s.id}.model`);
    const missing: string[] = [];
    for (const batch of s.batchInference ? [false, true] : [false])
      for (const kind of ['input', 'output'] as const)
        if (!findPrice(book, m.name, region, s.endpoint, kind, batch))
          missing.push(missingTokenPrice(m.name, s.endpoint, kind, batch, region));
    return feasibility([], missing);
  },
  prepare(ctx, s) {
    const m = catalogModel(s.model, `options.${ctx.key}.model`);
    const rpm = s.rpm ?? m.rpm;
    const tpm = s.tpm ?? m.tpm;
    const p = (kind: 'input' | 'output', batch: boolean) =>
      price(ctx.book, m.name, ctx.region, s.endpoint, kind, batch);
    const assumptions: Assumption[] = [
      {
        name: 'model',
        value: `${m.name} (${m.note})`,
        unit: '',
        source: 'Scenario setting',
        uncertain: false,
      },
      {
        name: 'RPM quota',
        value: rpm,
        unit: 'requests per minute',
        source: s.rpm ? 'Scenario setting' : m.quotaSource,
        uncertain: !s.rpm && m.quotaUncertain,
      },
      {
        name: 'TPM quota',
        value: tpm,
        unit: 'tokens per minute',
        source: s.tpm ? 'Scenario setting' : m.quotaSource,
        uncertain: !s.tpm && m.quotaUncertain,
      },
      {
        name: 'quota windows',
        value:
          'fixed 1-minute windows; TPM counts admitted input + output tokens; throttled calls are not retried',
        unit: '',
        source:
          'Assumed reading of AWS quotas (Bedrock reserves maxTokens at request start; retries are the caller’s)',
        uncertain: true,
      },
      {
        name: 'time to first token',
        value: s.ttft ?? m.ttft,
        unit: 's',
        source: s.ttft ? 'Scenario setting' : m.latencySource,
        uncertain: !s.ttft && m.latencyUncertain,
      },
      {
        name: 'output speed',
        value: s.tokensPerSecond ?? m.tokensPerSecond,
        unit: 'tokens/s',
        source: s.tokensPerSecond ? 'Scenario setting' : m.latencySource,
        uncertain: !s.tokensPerSecond && m.latencyUncertain,
      },
    ];
    if (s.batchInference)
      assumptions.push({
        name: 'batch turnaround',
        value: formatDuration(s.batchTurnaround),
        unit: '',
        low: '15m',
        high: '24h',
        source:
          'Assumed: batch inference jobs complete within 24 h; reported as the batch requests’ latency, not interactive latency',
        uncertain: true,
      });
    return {
      assumptions,
      reportsCapacity: false,
      fleet: quotaFleet(
        new TokenRateService(
          s.ttft ?? m.ttft,
          s.tokensPerSecond ?? m.tokensPerSecond,
          s.batchInference ? s.batchTurnaround : -1,
        ),
        new MinuteQuotaPolicy(rpm, tpm, s.batchInference ? 1 : -1),
      ),
      heartbeats: null,
      bill(record) {
        const { input, output } = record.tokensByClass;
        const batchIn = s.batchInference ? input[RequestClass.batch]! : 0;
        const batchOut = s.batchInference ? output[RequestClass.batch]! : 0;
        const tag = `${m.name}${s.endpoint === 'global' ? ', global' : ''}`;
        const lines: CostLine[] = [
          line(
            `Input tokens (${tag}, on-demand)`,
            (userTokens(input) - batchIn) / 1e6,
            '1M input tokens',
            p('input', false).price,
            { lineId: 'input-tokens' },
          ),
          line(
            `Output tokens (${tag}, on-demand)`,
            (userTokens(output) - batchOut) / 1e6,
            '1M output tokens',
            p('output', false).price,
            { lineId: 'output-tokens' },
          ),
        ];
        if (s.batchInference) {
          lines.push(
            line(`Input tokens (${tag}, batch)`, batchIn / 1e6, '1M input tokens', p('input', true).price, {
              lineId: 'batch-input-tokens',
            }),
          );
          lines.push(
            line(
              `Output tokens (${tag}, batch)`,
              batchOut / 1e6,
              '1M output tokens',
              p('output', true).price,
              { lineId: 'batch-output-tokens' },
            ),
          );
        }
        return { lines, costSoFar: (minutes) => perTokenCostSoFar(record.series.arrivals, lines, minutes) };
      },
    };
  },
};

/**
 * Per-token cost accrues with traffic; without per-minute token sums the total is spread in
 * proportion to each minute's arrivals (exact at the end of the run).
 */
export function perTokenCostSoFar(
  arrivals: Int32Array,
  lines: readonly CostLine[],
  minutes: number,
): Float64Array {
  const total = lines.reduce((s, l) => s + l.amount, 0);
  let n = 0;
  for (let m = 0; m < Math.min(minutes, arrivals.length); m++) n += arrivals[m]!;
  const out = new Float64Array(minutes);
  let acc = 0;
  for (let m = 0; m < minutes; m++) {
    acc += n > 0 && m < arrivals.length ? (arrivals[m]! / n) * total : 0;
    out[m] = acc;
  }
  return out;
}
