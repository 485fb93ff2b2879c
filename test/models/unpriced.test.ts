import { describe, expect, it } from 'vitest';
import { OPTIONS } from '../../src/models/registry.js';
import { bedrockCmi } from '../../src/models/bedrock-cmi.js';
import { bedrockOnDemand } from '../../src/models/bedrock-on-demand.js';
import { sagemakerServerless } from '../../src/models/sagemaker-serverless.js';
import { selfHosted } from '../../src/models/self-hosted.js';
import { sagemakerRealtime } from '../../src/models/sagemaker-realtime.js';
import { loadPriceBook } from '../../src/pricing/book.js';
import { ModelSpecSchema } from '../../src/models/model-spec.js';
import { context } from './fixtures.js';

/*
 * Issue 15 item 9: a price the book lacks in the scenario's region makes that option unpriced —
 * `ok: false`, `unpriced: true`, a reason naming the missing price — instead of stopping the run,
 * and no price from another region or CMU label is used without saying so.
 */

const book = loadPriceBook();
const model = ModelSpecSchema.parse({});

describe('unpriced options', () => {
  it('per-token options no longer throw; each missing token price is a reason', () => {
    const s = bedrockOnDemand.schema.parse({ id: 'bedrock-on-demand', batchInference: true });
    const f = bedrockOnDemand.feasibility(model, 'us-west-2', s, book);
    expect(f.ok).toBe(false);
    expect(f.unpriced).toBe(true);
    // on-demand input, output, batch input, batch output: 2 × 2 missing prices.
    expect(f.reasons).toHaveLength(4);
    expect(f.reasons[0]).toMatch(
      /^unpriced: the price book has no on-demand input tokens price for Llama 3.1 8B Instruct .* in us-west-2/,
    );
  });

  it('serverless and the instance fleets name the instance or meter that has no price', () => {
    const sl = sagemakerServerless.schema.parse({ id: 'sagemaker-serverless', memoryMB: 6144 });
    const fs = sagemakerServerless.feasibility(model, 'us-west-2', sl, book);
    expect(fs.unpriced).toBe(true);
    // Too big for serverless as well: the model reasons stay, the price reasons are added.
    expect(fs.reasons.some((r) => r.includes('exceed the 6 GB of memory'))).toBe(true);
    expect(fs.reasons.some((r) => r.includes('no Serverless compute price in us-west-2'))).toBe(true);

    const sh = selfHosted.schema.parse({ id: 'self-hosted', instanceType: 'g5.2xlarge' });
    const fh = selfHosted.feasibility(model, 'us-west-2', sh, book);
    expect(fh).toMatchObject({ ok: false, unpriced: true });
    expect(fh.reasons.join(' ')).toMatch(/EC2 price for g5\.2xlarge in us-west-2/);
    expect(fh.reasons.join(' ')).toMatch(/EKS control-plane price in us-west-2/);

    const rt = sagemakerRealtime.schema.parse({ id: 'sagemaker-realtime', instanceType: 'ml.g5.2xlarge' });
    expect(sagemakerRealtime.feasibility(model, 'us-west-2', rt, book)).toMatchObject({
      ok: false,
      unpriced: true,
    });
    // The one SageMaker price the book has in us-west-2 (ml.g6.xlarge) prices that type there;
    // its neighbour ml.g6e.xlarge is not priced from it.
    const g6 = sagemakerRealtime.schema.parse({ id: 'sagemaker-realtime', instanceType: 'ml.g6.xlarge' });
    expect(sagemakerRealtime.feasibility(model, 'us-west-2', g6, book)).toEqual({ ok: true, reasons: [] });
    const g6e = sagemakerRealtime.schema.parse({ id: 'sagemaker-realtime', instanceType: 'ml.g6e.xlarge' });
    expect(sagemakerRealtime.feasibility(model, 'us-west-2', g6e, book).unpriced).toBe(true);
  });

  it('an option that cannot serve the model is not called unpriced when all its prices exist', () => {
    const f = bedrockCmi.feasibility(
      { ...model, provenance: 'bedrock-native' },
      'us-east-1',
      bedrockCmi.schema.parse({ id: 'bedrock-cmi' }),
      book,
    );
    expect(f.ok).toBe(false);
    expect(f.unpriced).toBeUndefined();
  });

  it('every registered option reports missing prices as reasons in a region the book lacks', () => {
    // eu-west-3 has no entry at all in the shipped book; CMI is not offered there (exit 2 stays).
    for (const o of OPTIONS) {
      if (o.id === 'bedrock-cmi' || o.id === 'fixed-fleet') continue;
      const s = o.schema.parse({ id: o.id });
      const f = o.feasibility(model, 'eu-west-3', s, book);
      expect(f.ok, o.id).toBe(false);
    }
  });

  it('CMI in us-west-2 bills the us-west-2 rate and says which label it fell back to', () => {
    const cmi = bedrockCmi.schema.parse({ id: 'bedrock-cmi' });
    expect(bedrockCmi.feasibility(model, 'us-west-2', cmi, book).ok).toBe(true);
    const p = bedrockCmi.prepare(context(86400, { region: 'us-west-2' }), cmi);
    const rate = p.assumptions.find((a) => a.name === 'CMU rate')!;
    // us-west-2 has only the "2026-quoted" $0.05718 rate; us-east-1's "pricing-example" $0.0785 is not borrowed.
    expect(rate.value).toBe(0.05718);
    expect(rate.source).toMatch(
      /no "pricing-example" rate for us-west-2, so the us-west-2 "2026-quoted" rate is used/,
    );
  });
});
