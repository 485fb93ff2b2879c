import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { readShippedJson, shippedPath } from '../data.js';

/**
 * The price book: every price servesim uses, each with region, unit, date and source (design §5,
 * "prices are data"). Options ask for an entry by service, item, region and labels; a scenario
 * may override any entry's price by id. Arithmetic never sees a price that is not in here.
 */

export const PriceEntrySchema = z.strictObject({
  id: z.string(),
  service: z.string(),
  item: z.string(),
  region: z.string(),
  /** The unit one `price` buys, plural as on the vendor's page: "CMU-minutes", "CMU-months". */
  unit: z.string(),
  price: z.number().nonnegative(),
  currency: z.literal('USD'),
  effectiveDate: z.string(),
  source: z.string(),
  uncertain: z.boolean().default(false),
  note: z.string().optional(),
  /** Extra keys an option selects on, e.g. {"cmuVersion": "pricing-example"}. */
  labels: z.record(z.string(), z.string()).default({}),
});
export type PriceEntry = z.infer<typeof PriceEntrySchema>;

export const PriceBookSchema = z.strictObject({
  /** Date the book was compiled (ISO date). Older than `STALE_DAYS` → a warning. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  description: z.string().optional(),
  entries: z.array(PriceEntrySchema),
});

export const STALE_DAYS = 120;

export interface PriceOverride {
  id: string;
  price: number;
  was: number;
}

export class PriceBook {
  readonly overrides: PriceOverride[] = [];
  constructor(
    readonly name: string,
    readonly date: string,
    readonly entries: PriceEntry[],
  ) {}

  get(id: string): PriceEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  /** Entries of one service and item in one region whose labels include `labels`. */
  find(service: string, item: string, region: string, labels: Record<string, string> = {}): PriceEntry[] {
    return this.entries.filter(
      (e) =>
        e.service === service &&
        e.item === item &&
        e.region === region &&
        Object.entries(labels).every(([k, v]) => e.labels[k] === v),
    );
  }

  /** Returns a copy with the scenario's overrides applied; an unknown id is an input error. */
  withOverrides(overrides: Record<string, number>): PriceBook {
    const book = new PriceBook(
      this.name,
      this.date,
      this.entries.map((e) => ({ ...e })),
    );
    for (const [id, price] of Object.entries(overrides)) {
      const e = book.entries.find((x) => x.id === id);
      if (!e)
        throw new InputError(
          `unknown price-book entry "${id}"; \`servesim prices show\` lists the ids`,
          `pricing.overrides.${id}`,
        );
      book.overrides.push({ id, price, was: e.price });
      e.source = `scenario override (book price ${e.price} USD from ${e.source})`;
      e.price = price;
    }
    return book;
  }

  /** Days between the book's date and `today` (ISO date); a positive number means older. */
  ageDays(today: string): number {
    return Math.floor((Date.parse(today) - Date.parse(this.date)) / 86400000);
  }
}

export const SHIPPED_BOOK = 'src/pricing/price-book.json';

/** Loads the shipped book, or a user's book file (validated; errors name the file and field). */
export function loadPriceBook(path?: string): PriceBook {
  let raw: unknown;
  const name = path ?? SHIPPED_BOOK;
  if (path === undefined) raw = readShippedJson(SHIPPED_BOOK);
  else {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new InputError(`cannot read price book: no such file`, path);
    }
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new InputError(`price book is not valid JSON (${(e as Error).message})`, path);
    }
  }
  const parsed = PriceBookSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`${issue.message}`, `${path ?? shippedPath(SHIPPED_BOOK)}: ${issue.path.join('.')}`);
  }
  return new PriceBook(name, parsed.data.date, parsed.data.entries);
}
