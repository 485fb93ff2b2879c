import { describe, expect, it } from 'vitest';
import { bedrockNativeFinetune } from '../../src/models/bedrock-native-finetune.js';
import { loadPriceBook, PriceBook, type PriceEntry } from '../../src/pricing/book.js';
import { ModelSpecSchema } from '../../src/models/model-spec.js';
import { simulate } from '../../src/sim/engine.js';
import { cheapestKey } from '../../src/report/side-by-side.js';
import { defaultRun } from '../report/fixtures.js';
import { arrivals, context } from './fixtures.js';

/*
 * Issue 15 item 10: `bedrock-native-finetune`, a baseline — a Bedrock family fine-tuned inside
 * Bedrock on the same data, served as Bedrock serves that family. Prices here are hand-set so the
 * tests check arithmetic, not the shipped data.
 */

function e(id: string, item: string, unit: string, price: number, region: string, labels = {}): PriceEntry {
  return {
    id,
    service: 'AmazonBedrock',
    item,
    region,
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
  e('in', 'Custom model on-demand input tokens', '1M input tokens', 0.06, 'us-east-1', {
    model: 'Nova Lite',
  }),
  e('out', 'Custom model on-demand output tokens', '1M output tokens', 0.24, 'us-east-1', {
    model: 'Nova Lite',
  }),
  e('st', 'Custom model storage', 'model-months', 1.95, 'us-east-1'),
  e('st2', 'Custom model storage', 'model-months', 1.95, 'us-west-2'),
]);
const model = ModelSpecSchema.parse({});

function run(settings: Record<string, unknown>, times: number[], region = 'us-east-1', span = 86400) {
  const s = bedrockNativeFinetune.schema.parse({ id: 'bedrock-native-finetune', ...settings });
  expect(bedrockNativeFinetune.feasibility(model, region, s, book)).toEqual({ ok: true, reasons: [] });
  const p = bedrockNativeFinetune.prepare(context(span, { book, region, key: 'n' }), s);
  const record = simulate(p.fleet, arrivals(times, 0, 250, 60), null, span);
  return { record, bill: p.bill(record), assumptions: p.assumptions };
}

describe('bedrock-native-finetune', () => {
  it('is a baseline: never ranked cheapest', () => {
    expect(bedrockNativeFinetune.baseline).toBe(true);
  });

  it('Nova Lite on demand: 1,000 calls × (250 in, 60 out) tokens + one day of storage', () => {
    const { record, bill } = run(
      { baseModel: 'nova-lite' },
      Array.from({ length: 1000 }, (_, i) => i * 10),
    );
    expect(record.served).toBe(1000);
    const [input, output, storage] = bill.lines;
    // 250,000 input tokens = 0.25 M × $0.06 = $0.015
    expect(input!.amount).toBeCloseTo(0.015, 12);
    // 60,000 output tokens = 0.06 M × $0.24 = $0.0144
    expect(output!.amount).toBeCloseTo(0.0144, 12);
    // 24 h / 730 h = 0.032876… model-months × $1.95 = $0.0641096
    expect(storage!.quantity).toBeCloseTo(24 / 730, 12);
    expect(storage!.amount).toBeCloseTo(0.0641096, 6);
    // Cost so far ends at the total: $0.015 + $0.0144 + $0.0641096 = $0.0935096
    const so = bill.costSoFar(1440);
    expect(so[1439]).toBeCloseTo(0.0935096, 6);
  });

  it('keeps the base model’s on-demand quota: the 1,001st call in one minute is throttled', () => {
    // Nova Lite on-demand: 1,000 requests per minute (QT-2025-06, assumed for the custom deployment).
    const { record } = run(
      { baseModel: 'nova-lite' },
      Array.from({ length: 1001 }, (_, i) => i * 0.01),
    );
    expect(record.served).toBe(1000);
    expect(record.throttled).toBe(1);
  });

  it('a Llama fine-tune is served by Provisioned Throughput in us-west-2: MU-hours × the supplied price', () => {
    const { bill } = run(
      {
        baseModel: 'llama-3.1-8b-instruct',
        modelUnits: 2,
        pricePerModelUnitHour: 20,
        tokensPerMinutePerModelUnit: 100000,
      },
      [60],
      'us-west-2',
      12 * 3600,
    );
    const [pt, storage] = bill.lines;
    // 2 MU × 12 h = 24 MU-hours × $20 = $480, billed whether used or not.
    expect(pt!.quantity).toBe(24);
    expect(pt!.amount).toBeCloseTo(480, 9);
    // 12 h / 730 h × $1.95 = $0.0320548
    expect(storage!.amount).toBeCloseTo(0.0320548, 6);
  });

  it('names why it cannot serve, and what price is missing', () => {
    const parse = (x: Record<string, unknown>) =>
      bedrockNativeFinetune.schema.parse({ id: 'bedrock-native-finetune', ...x });
    // Llama fine-tunes have no on-demand deployment.
    const llamaOd = bedrockNativeFinetune.feasibility(
      model,
      'us-west-2',
      parse({ baseModel: 'llama-3.1-8b-instruct', serving: 'on-demand' }),
      book,
    );
    expect(llamaOd.ok).toBe(false);
    expect(llamaOd.reasons.join(' ')).toMatch(/not served on-demand by Bedrock/);
    // Nova on demand outside us-east-1 / us-west-2.
    const eu = bedrockNativeFinetune.feasibility(model, 'eu-west-1', parse({}), book);
    expect(eu.reasons.join(' ')).toMatch(/offered in us-east-1, us-west-2, not eu-west-1/);
    // Nova provisioned without a price: unpriced, and the capacity must be supplied.
    const pt = bedrockNativeFinetune.feasibility(model, 'us-east-1', parse({ serving: 'provisioned' }), book);
    expect(pt).toMatchObject({ ok: false, unpriced: true });
    expect(pt.reasons.join(' ')).toMatch(/pricePerModelUnitHour for Nova Lite/);
    expect(pt.reasons.join(' ')).toMatch(/tokensPerMinutePerModelUnit/);
    // The shipped book prices the Nova custom deployment in us-east-1 only: us-west-2 is unpriced.
    const w2 = bedrockNativeFinetune.feasibility(model, 'us-west-2', parse({}), loadPriceBook());
    expect(w2).toMatchObject({ ok: false, unpriced: true });
    expect(w2.reasons.join(' ')).toMatch(
      /custom-model on-demand input tokens price for Nova Lite in us-west-2/,
    );
  });

  it('in the default scenario it is a feasible baseline row whose bill is the trace’s tokens × the book’s prices', () => {
    const r = defaultRun().result;
    const o = r.options.find((x) => x.id === 'bedrock-native-finetune')!;
    expect(o).toMatchObject({ feasible: true, baseline: true });
    // Nothing throttled: the whole trace is served, so its token totals are billed.
    expect(o.requests.served).toBe(r.trace.requests);
    // Shipped book (us-east-1, assumed equal to base Nova Lite): $0.06 / 1M in, $0.24 / 1M out, $1.95 per model-month.
    const expected =
      (r.trace.inputTokens / 1e6) * 0.06 + (r.trace.outputTokens / 1e6) * 0.24 + (1.95 * 24) / 730;
    expect(o.cost!.total).toBeCloseTo(expected, 9);
    // Cheaper than every option that serves the imported weights — and still never the cheapest.
    expect(o.cost!.total).toBeLessThan(r.options.find((x) => x.key === 'cmi')!.cost!.total);
    expect(cheapestKey(r)).toBe('cmi');
    expect(o.facts.compliance.hipaaEligible).toBe('yes');
  });
});
