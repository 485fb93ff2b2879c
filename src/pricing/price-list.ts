import { z } from 'zod';
import { RuntimeError } from '../errors.js';
import { pathText } from '../schema-issues.js';

/**
 * One product of a Price List GetProducts response (`aws_v1` format). On the wire `PriceList` is
 * an array of JSON documents encoded as strings, one per product (aws-facts §7); the SDK hands
 * them back as String-like objects, so each is parsed with `JSON.parse(String(item))` and then
 * checked here. Only the fields servesim reads are required; anything else passes through.
 */

const Usd = z
  .string()
  .regex(/^\d+(\.\d+)?(e-?\d+)?$/i, { message: 'expected a non-negative decimal price' })
  .transform(Number);

const PriceDimensionSchema = z.looseObject({
  unit: z.string(),
  description: z.string().optional(),
  rateCode: z.string().optional(),
  beginRange: z.string().optional(),
  endRange: z.string().optional(),
  pricePerUnit: z.looseObject({ USD: Usd }),
});

const TermSchema = z.looseObject({
  effectiveDate: z.string().optional(),
  priceDimensions: z.record(z.string(), PriceDimensionSchema),
});

const PriceListProductSchema = z.looseObject({
  product: z.looseObject({
    sku: z.string().min(1),
    productFamily: z.string().optional(),
    attributes: z.record(z.string(), z.string()),
  }),
  serviceCode: z.string().optional(),
  terms: z.looseObject({
    OnDemand: z.record(z.string(), TermSchema).optional(),
  }),
  publicationDate: z.string().optional(),
});
export type PriceListProduct = z.infer<typeof PriceListProductSchema>;
export type PriceDimension = z.infer<typeof PriceDimensionSchema>;

/**
 * Parses one `PriceList` item. A response that is not what the API documents is not the user's
 * fault: RuntimeError (exit 1), naming the service, page and item and the first bad field.
 */
export function parsePriceListItem(item: unknown, where: string): PriceListProduct {
  let raw: unknown;
  try {
    raw = JSON.parse(String(item));
  } catch (e) {
    throw new RuntimeError(
      `unexpected Price List API response (${where}): the item is not a JSON document (${(e as Error).message})`,
    );
  }
  const parsed = PriceListProductSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RuntimeError(
      `unexpected Price List API response (${where}): ${pathText(issue.path) || 'the item'}: ${issue.message}`,
    );
  }
  return parsed.data;
}
