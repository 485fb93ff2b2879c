import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { nearest } from '../nearest.js';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { describeValue, pathText, valueAt, type Issue } from '../schema-issues.js';
import { readShippedJson, shippedPath } from '../data.js';
import { REGION_PATTERN } from './vocabulary.js';

/**
 * The price book: every price servesim uses, each with region, unit, date and source (design §5,
 * "prices are data"). Options ask for an entry by service, item, region and labels; a scenario
 * may override any entry's price by id. Arithmetic never sees a price that is not in here.
 * Ids, items and units follow src/pricing/vocabulary.ts; docs/prices.md describes the file.
 */

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected an ISO date such as 2026-01-31' });

const PriceEntrySchema = z.strictObject({
  /** Unique id, `<family>.<meter>.<region>[.<variant>]` (vocabulary.ts); overrides name it. */
  id: z.string().min(1),
  /** AWS Price List service code (`AmazonBedrock`, `AmazonEC2`, ...); discounts are keyed by it. */
  service: z.string().min(1),
  item: z.string().min(1),
  region: z.string().regex(REGION_PATTERN, { message: 'expected an AWS region code such as us-east-1' }),
  /** The unit one `price` buys, plural as on the vendor's page: "CMU-minutes", "CMU-months". */
  unit: z.string().min(1),
  price: z
    .number()
    .refine(Number.isFinite, { message: 'a price must be a finite number' })
    .refine((p) => p >= 0, { message: 'a price cannot be negative' }),
  currency: z.literal('USD'),
  /** The date the source gives for the price (or, for an undated source, the date it was read). */
  effectiveDate: IsoDate,
  /** Where the number comes from: a URL, or for an estimate its rationale. Never empty. */
  source: z.string().trim().min(1, { message: 'every price needs a source (a URL or its rationale)' }),
  /** The references could not confirm the figure; reports show it as uncertain. */
  uncertain: z.boolean().default(false),
  note: z.string().optional(),
  /** Extra keys an option selects on, e.g. {"cmuVersion": "pricing-example"}. */
  labels: z.record(z.string(), z.string()).default({}),
  /**
   * Set by `prices refresh` (its date) when the refresh of this entry's region did not return it:
   * the price, source and date are still the older ones. Absent on entries a refresh returned.
   */
  notRefreshed: IsoDate.optional(),
});
export type PriceEntry = z.infer<typeof PriceEntrySchema>;

export const PriceBookSchema = z
  .strictObject({
    /** Date the book was compiled (ISO date). Older than `STALE_DAYS` → a warning. */
    date: IsoDate,
    description: z.string().optional(),
    entries: z.array(PriceEntrySchema),
  })
  .superRefine((book, ctx) => {
    const first = new Map<string, number>();
    book.entries.forEach((e, i) => {
      const j = first.get(e.id);
      if (j === undefined) first.set(e.id, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['entries', i, 'id'],
          message: `duplicate id; entry ${j} has the same id`,
        });
    });
  });
/** A price book file as written (the JSON document). */
export type PriceBookFile = z.input<typeof PriceBookSchema>;

/** A book older than this many days draws a warning (stderr and report, never results.json). */
export const STALE_DAYS = 90;

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
    readonly description?: string,
  ) {}

  get(id: string): PriceEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  /**
   * Entries of one service (or any of several) and item in one region whose labels include
   * `labels`: the one way options look prices up.
   */
  find(
    service: string | readonly string[],
    item: string,
    region: string,
    labels: Record<string, string> = {},
  ): PriceEntry[] {
    const services: readonly string[] = typeof service === 'string' ? [service] : service;
    return this.entries.filter(
      (e) =>
        services.includes(e.service) &&
        e.item === item &&
        e.region === region &&
        Object.entries(labels).every(([k, v]) => e.labels[k] === v),
    );
  }

  /**
   * Returns a copy with the scenario's overrides applied (price in the entry's unit). An unknown
   * id (with the nearest id suggested) or a negative price is an input error.
   */
  withOverrides(overrides: Readonly<Record<string, number>>): PriceBook {
    const book = new PriceBook(
      this.name,
      this.date,
      this.entries.map((e) => ({ ...e, labels: { ...e.labels } })),
      this.description,
    );
    for (const [id, price] of Object.entries(overrides)) {
      const where = `pricing.overrides.${id}`;
      const e = book.entries.find((x) => x.id === id);
      if (!e) {
        const near = nearest(
          id,
          book.entries.map((x) => x.id),
        );
        throw new InputError(
          `unknown price-book entry "${id}"` +
            (near ? `; did you mean "${near}"?` : '') +
            ' (`servesim prices show` lists the ids)',
          where,
        );
      }
      if (!Number.isFinite(price) || price < 0)
        throw new InputError(`a price cannot be negative or infinite, got ${price}`, where);
      book.overrides.push({ id, price, was: e.price });
      e.source = `scenario override (book price ${e.price} USD from ${e.source})`;
      e.price = price;
      // The user vouches for their own figure.
      e.uncertain = false;
    }
    return book;
  }

  /** Days between the book's date and `today` (ISO date); a positive number means older. */
  ageDays(today: string): number {
    return Math.floor((Date.parse(today) - Date.parse(this.date)) / 86400000);
  }

  /** The book as a file (what `prices refresh` writes). */
  toFile(): PriceBookFile {
    return {
      date: this.date,
      ...(this.description !== undefined ? { description: this.description } : {}),
      entries: this.entries,
    };
  }
}

/** An entry more than this many months older than its book draws a warning (issue 15 item 7). */
const ENTRY_STALE_MONTHS = 12;

/**
 * Entries dated more than `ENTRY_STALE_MONTHS` calendar months before the book's own date: a
 * book refreshed today can still carry old figures (other regions, entries a refresh kept).
 * Worked: an entry of 2024-03-13 in a book of 2026-11-25 (cut-off 2025-11-25) is stale; one of
 * 2025-11-25 is not.
 */
export function staleEntries(
  book: Pick<PriceBook, 'date' | 'entries'>,
  entries = book.entries,
): PriceEntry[] {
  const cutoff = monthsBefore(book.date, ENTRY_STALE_MONTHS);
  return entries.filter((e) => e.effectiveDate < cutoff);
}

/** The ISO date `months` calendar months before `date` (day clamped to the month's length). */
function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The per-entry staleness warning over `entries` (default all), or undefined when none is stale. */
export function entryStalenessWarning(
  book: Pick<PriceBook, 'date' | 'entries'>,
  entries = book.entries,
): string | undefined {
  const stale = staleEntries(book, entries).sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : 1));
  if (stale.length === 0) return undefined;
  const oldest = stale[0]!;
  return `${stale.length} price entr${stale.length === 1 ? 'y is' : 'ies are'} more than ${ENTRY_STALE_MONTHS} months older than the book (dated ${book.date}); the oldest is ${oldest.id} (${oldest.effectiveDate}). \`servesim prices show\` marks them "old"; check their sources or refresh them`;
}

/** The entries of one region (what a run in it can use). */
export function regionEntries(book: Pick<PriceBook, 'entries'>, region: string): PriceEntry[] {
  return book.entries.filter((e) => e.region === region);
}

/** The staleness warning for a book read on `today`, or undefined while it is fresh. */
export function stalenessWarning(book: PriceBook, today: string): string | undefined {
  const age = book.ageDays(today);
  return age > STALE_DAYS
    ? `the price book is ${age} days old (${book.date}, older than ${STALE_DAYS} days); run \`servesim prices refresh\``
    : undefined;
}

export const SHIPPED_BOOK = 'src/pricing/price-book.json';

/** Loads the shipped book, or a user's book file (validated; errors name the file, entry and field). */
export function loadPriceBook(path?: string): PriceBook {
  if (path === undefined)
    return parsePriceBook(readShippedJson(SHIPPED_BOOK), SHIPPED_BOOK, shippedPath(SHIPPED_BOOK));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? 'cannot read price book: no such file'
        : `cannot read price book (${code ?? 'error'})`,
      path,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`price book is not valid JSON (${(e as Error).message})`, path);
  }
  return parsePriceBook(raw, path, path);
}

/**
 * Validates a parsed book. Errors name the entry (index and id) and the field, e.g.
 * `book.json: entry 3 (id "ec2.g5-xlarge.us-east-1"), field "price": a price cannot be negative, got -1`.
 */
export function parsePriceBook(raw: unknown, name: string, where: string = name): PriceBook {
  const parsed = PriceBookSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const shown = issues.slice(0, 3).map((i) => describeIssue(i, raw));
    const more = issues.length > 3 ? `; and ${issues.length - 3} more problem(s)` : '';
    throw new InputError(`invalid price book: ${shown.join('; ')}${more}`, where);
  }
  return new PriceBook(name, parsed.data.date, parsed.data.entries, parsed.data.description);
}

function describeIssue(issue: Issue, raw: unknown): string {
  const path = [...issue.path];
  const got = valueAt(raw, path);
  let who: string;
  let field: PropertyKey[];
  if (path[0] === 'entries' && typeof path[1] === 'number') {
    const id = (valueAt(raw, ['entries', path[1], 'id']) as unknown) ?? undefined;
    who = `entry ${path[1]}${typeof id === 'string' ? ` (id "${id}")` : ''}`;
    field = path.slice(2);
  } else {
    who = '';
    field = path;
  }
  if (issue.code === 'unrecognized_keys') {
    const valid =
      path[0] === 'entries' ? Object.keys(PriceEntrySchema.shape) : ['date', 'description', 'entries'];
    const names = issue.keys.map((k) => {
      const near = nearest(k, valid);
      return `"${k}"${near !== undefined ? ` (did you mean "${near}"?)` : ''}`;
    });
    return `${who ? who + ': ' : ''}unknown field ${names.join(', ')}; valid fields: ${valid.join(', ')}`;
  }
  const fieldName = pathText(field);
  const prefix = [who, fieldName ? `field "${fieldName}"` : ''].filter(Boolean).join(', ');
  return `${prefix || '(top level)'}: ${issueMessage(issue, got)}`;
}

function issueMessage(issue: Issue, got: unknown): string {
  if (issue.code === 'invalid_type')
    return got === undefined
      ? `missing (expected ${issue.expected})`
      : `expected ${issue.expected}, got ${describeValue(got, 'json')}`;
  if (issue.code === 'invalid_value')
    return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(got, 'json')}`;
  if (issue.code === 'custom' && issue.message.startsWith('duplicate')) return issue.message;
  return got === undefined || typeof got === 'object'
    ? issue.message
    : `${issue.message}, got ${describeValue(got, 'json')}`;
}

/**
 * Writes a book file atomically (temp file + rename in the same folder), so a failed write never
 * leaves a half-written book behind.
 */
export function writePriceBookFile(path: string, file: PriceBookFile): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, JSON.stringify(file, null, 2) + '\n');
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? 'cannot write the price book: no such folder'
        : `cannot write the price book (${code ?? (e as Error).message})`,
      path,
    );
  }
}
