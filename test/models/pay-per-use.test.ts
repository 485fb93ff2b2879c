import { describe, expect, it } from 'vitest';
import { sagemakerServerless } from '../../src/models/sagemaker-serverless.js';
import { bedrockOnDemand } from '../../src/models/bedrock-on-demand.js';
import { bedrockProvisioned } from '../../src/models/bedrock-provisioned.js';
import { sagemakerJumpstart } from '../../src/models/sagemaker-jumpstart.js';
import { PriceBook, type PriceEntry } from '../../src/pricing/book.js';
import { ModelSpecSchema } from '../../src/models/model-spec.js';
import { simulate } from '../../src/sim/engine.js';
import { arrivals, context } from './fixtures.js';
import type { ServingOption } from '../../src/models/types.js';

/** Hand-set prices so the tests check arithmetic, not the shipped data. */
function e(
  id: string,
  service: string,
  item: string,
  unit: string,
  price: number,
  labels: Record<string, string> = {},
): PriceEntry {
  return {
    id,
    service,
    item,
    region: 'us-east-1',
    unit,
    price,
    currency: 'USD',
    effectiveDate: '2026-11-01',
    source: 'test',
    uncertain: false,
    labels,
  };
}
const book = new PriceBook('test', '2026-11-01', [
  e('sl', 'AmazonSageMaker', 'Serverless inference compute', 'GB-seconds', 0.00002),
  // Data processed: a price the option needs (without it the option is unpriced, issue 15 item 9).
  e('slin', 'AmazonSageMaker', 'Serverless data processed in', 'GB', 0.016),
  e('slout', 'AmazonSageMaker', 'Serverless data processed out', 'GB', 0.016),
  e('in', 'AmazonBedrock', 'On-demand input tokens', '1M input tokens', 0.22, {
    model: 'Llama 3.1 8B Instruct',
    endpoint: 'regional',
  }),
  e('out', 'AmazonBedrock', 'On-demand output tokens', '1M output tokens', 0.22, {
    model: 'Llama 3.1 8B Instruct',
    endpoint: 'regional',
  }),
  e('bin', 'AmazonBedrock', 'Batch input tokens', '1M input tokens', 0.11, {
    model: 'Llama 3.1 8B Instruct',
    endpoint: 'regional',
  }),
  e('bout', 'AmazonBedrock', 'Batch output tokens', '1M output tokens', 0.11, {
    model: 'Llama 3.1 8B Instruct',
    endpoint: 'regional',
  }),
  e('pt', 'AmazonBedrock', 'Provisioned Throughput', 'model-unit-hours', 23.5, {
    model: 'Llama 2 70B',
    term: 'none',
  }),
]);

function run(
  option: ServingOption<{ id: string }>,
  settings: Record<string, unknown>,
  times: number[],
  opts: {
    span?: number;
    model?: Record<string, unknown>;
    cls?: number;
    inputTokens?: number;
    outputTokens?: number;
  } = {},
) {
  const span = opts.span ?? 86400;
  const model = ModelSpecSchema.parse(opts.model ?? {});
  const s = option.schema.parse({ id: option.id, ...settings });
  const feas = option.feasibility(model, 'us-east-1', s, book);
  expect(feas).toEqual({ ok: true, reasons: [] });
  const prepared = option.prepare(context(span, { book, model, key: 'x' }), s);
  const record = simulate(
    prepared.fleet,
    arrivals(times, opts.cls ?? 0, opts.inputTokens ?? 250, opts.outputTokens ?? 60),
    null,
    span,
  );
  return { record, lines: prepared.bill(record).lines };
}

const small = { parameters: 1e9, bytesPerParameter: 2 }; // a 2 GB model

describe('sagemaker-serverless', () => {
  it('1,000 calls × 800 ms at 6 GB = 800 s × the 6 GB per-second price', () => {
    const times = Array.from({ length: 1000 }, (_, i) => i * 10);
    const { lines, record } = run(
      sagemakerServerless,
      { memoryMB: 6144, serviceTime: '800ms', coldStart: '0s' },
      times,
      { model: small },
    );
    expect(record.served).toBe(1000);
    // 800 s × 6 GB = 4,800 GB-seconds × $0.00002 = $0.096 (= 800 s × $0.00012 per 6 GB-second)
    expect(lines[0]!.quantity).toBeCloseTo(4800, 6);
    expect(lines[0]!.amount).toBeCloseTo(0.096, 9);
  });

  it('provisioned concurrency is billed across idle hours', () => {
    // 2 containers × 6 GB × 86,400 s = 1,036,800 GB-seconds × $0.0000048 = $4.97664, no traffic at all.
    const { lines, record } = run(
      sagemakerServerless,
      { memoryMB: 6144, provisionedConcurrency: 2, provisionedConcurrencyPricePerGBSecond: 0.0000048 },
      [],
      { model: small },
    );
    expect(record.replicas).toHaveLength(2);
    const pc = lines.find((l) => l.item.startsWith('Provisioned concurrency'))!;
    expect(pc.quantity).toBe(1036800);
    expect(pc.amount).toBeCloseTo(4.97664, 9);
  });

  it('throttles beyond max concurrency', () => {
    // 5 calls at once, 10 s each, 3 containers at most: 2 throttled.
    const { record } = run(
      sagemakerServerless,
      { memoryMB: 4096, maxConcurrency: 3, serviceTime: '10s', coldStart: '1s' },
      [0, 0, 0, 0, 0],
      { model: small },
    );
    expect(record.throttled).toBe(2);
    expect(record.served).toBe(3);
    expect(record.coldStarts).toBe(3);
  });

  it('refuses the 16 GB model with the memory reason and accepts a 2 GB one', () => {
    const s = sagemakerServerless.schema.parse({ id: 'sagemaker-serverless' });
    const big = sagemakerServerless.feasibility(ModelSpecSchema.parse({}), 'us-east-1', s, book);
    expect(big.ok).toBe(false);
    expect(big.reasons.join(' ')).toMatch(/16\.1 GB .* exceed the 6 GB of memory/);
    expect(big.reasons.join(' ')).toMatch(/no GPU/);
    expect(sagemakerServerless.feasibility(ModelSpecSchema.parse(small), 'us-east-1', s, book).ok).toBe(true);
  });

  it('rejects a memory size that is not a serverless size', () => {
    expect(() => sagemakerServerless.schema.parse({ id: 'sagemaker-serverless', memoryMB: 5000 })).toThrow(
      /1024, 2048/,
    );
  });
});

describe('bedrock-on-demand', () => {
  it('1M input + 1M output tokens at catalog prices', () => {
    // 1,000 requests × 1,000 input and 1,000 output tokens, spread so no quota binds.
    const times = Array.from({ length: 1000 }, (_, i) => i * 60);
    const { lines, record } = run(bedrockOnDemand, { model: 'llama-3.1-8b-instruct' }, times, {
      inputTokens: 1000,
      outputTokens: 1000,
      span: 60000,
    });
    expect(record.throttled).toBe(0);
    expect(lines[0]!.quantity).toBeCloseTo(1, 12);
    expect(lines[0]!.amount + lines[1]!.amount).toBeCloseTo(0.44, 12);
  });

  it('a burst above the RPM quota throttles exactly the excess', () => {
    const times = Array.from({ length: 1000 }, (_, i) => 120 + i * 0.01); // all inside minute 2
    const { record } = run(
      bedrockOnDemand,
      { model: 'llama-3.1-8b-instruct', rpm: 800, tpm: 100000000 },
      times,
    );
    expect(record.throttled).toBe(200);
    expect(record.served).toBe(800);
  });

  it('a TPM quota admits requests until the next one would exceed it', () => {
    // 310 tokens each, 10,000 TPM: ⌊10,000 / 310⌋ = 32 admitted in the minute.
    const times = Array.from({ length: 50 }, (_, i) => i);
    const { record } = run(bedrockOnDemand, { rpm: 1000, tpm: 10000 }, times);
    expect(record.served).toBe(32);
    expect(record.throttled).toBe(18);
  });

  it('batch inference prices batch requests at the batch rate and reports the turnaround', () => {
    const times = Array.from({ length: 1000 }, (_, i) => i * 0.01);
    const { lines, record } = run(
      bedrockOnDemand,
      { batchInference: true, batchTurnaround: '2h', rpm: 1 },
      times,
      { cls: 1, inputTokens: 1000, outputTokens: 1000 },
    );
    expect(record.throttled).toBe(0); // batch jobs do not draw on the on-demand quota
    expect(lines[2]!.amount + lines[3]!.amount).toBeCloseTo(0.22, 12);
    expect(lines[0]!.amount + lines[1]!.amount).toBe(0);
    expect(record.latency.batch!.p50).toBe(7200);
  });

  it('rejects an unknown catalog model and quotas ≤ 0', () => {
    expect(() =>
      bedrockOnDemand.schema.parse({ id: 'bedrock-on-demand', model: 'claude-sonet-4.5' }),
    ).toThrow();
    expect(() => bedrockOnDemand.schema.parse({ id: 'bedrock-on-demand', rpm: 0 })).toThrow(/at least 1/);
  });

  it('is unpriced, naming the region and item, when a price is missing (the run goes on)', () => {
    const s = bedrockOnDemand.schema.parse({ id: 'bedrock-on-demand', model: 'nova-pro' });
    const f = bedrockOnDemand.feasibility(ModelSpecSchema.parse({}), 'us-east-1', s, book);
    expect(f).toMatchObject({ ok: false, unpriced: true });
    expect(f.reasons[0]).toMatch(/on-demand input tokens price for Nova Pro .* in us-east-1/);
  });
});

describe('bedrock-provisioned', () => {
  it('1 model unit × 24 h × the no-commit rate', () => {
    const { lines } = run(
      bedrockProvisioned,
      { term: 'none', modelUnits: 1, tokensPerMinutePerModelUnit: 100000 },
      [3600],
      { model: { name: 'Llama 2 70B', provenance: 'bedrock-native', parameters: 70e9 } },
    );
    expect(lines[0]!.quantity).toBe(24);
    expect(lines[0]!.amount).toBeCloseTo(24 * 23.5, 9);
  });

  it('is refused for imported weights and without a price or capacity', () => {
    const s = bedrockProvisioned.schema.parse({ id: 'bedrock-provisioned' });
    const f = bedrockProvisioned.feasibility(ModelSpecSchema.parse({}), 'us-east-1', s, book);
    expect(f.ok).toBe(false);
    expect(f.reasons.join(' ')).toMatch(/imported models have no Provisioned Throughput/);
    expect(f.reasons.join(' ')).toMatch(/price unknown — .*pricePerModelUnitHour/);
  });

  it('rejects an unknown term', () => {
    expect(() => bedrockProvisioned.schema.parse({ id: 'bedrock-provisioned', term: '3m' })).toThrow();
  });
});

describe('sagemaker-jumpstart', () => {
  it('is a row with the article’s reason for a bespoke fine-tune', () => {
    const s = sagemakerJumpstart.schema.parse({ id: 'sagemaker-jumpstart' });
    const f = sagemakerJumpstart.feasibility(ModelSpecSchema.parse({}), 'us-east-1', s, book);
    expect(f.ok).toBe(false);
    expect(f.reasons[0]).toMatch(/the training data is the point/);
  });
});
