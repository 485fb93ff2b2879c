import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadPriceBook,
  parsePriceBook,
  PriceBook,
  PriceBookSchema,
  SHIPPED_BOOK,
  STALE_DAYS,
  entryStalenessWarning,
  staleEntries,
  stalenessWarning,
  writePriceBookFile,
  type PriceEntry,
} from '../../src/pricing/book.js';
import { ID_PATTERN, isServiceCode, ITEMS, slug, UNITS } from '../../src/pricing/vocabulary.js';
import { InputError } from '../../src/errors.js';
import { shippedPath } from '../../src/data.js';

const TMP = mkdtempSync(join(tmpdir(), 'servesim-book-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const shipped = loadPriceBook();
const raw = JSON.parse(readFileSync(shippedPath(SHIPPED_BOOK), 'utf8')) as {
  entries: Record<string, unknown>[];
};

/** Runs `f`, expects an InputError, returns its message. */
function inputError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).exitCode).toBe(2);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

function bookFile(name: string, entries: unknown[]): string {
  const path = join(TMP, name);
  writeFileSync(path, JSON.stringify({ date: '2026-11-01', entries }));
  return path;
}

const good = (over: Partial<PriceEntry> = {}): PriceEntry => ({
  id: 'ec2.g5-xlarge.us-east-1',
  service: 'AmazonEC2',
  item: ITEMS.ec2Instance,
  region: 'us-east-1',
  unit: UNITS.instanceHours,
  price: 1.006,
  currency: 'USD',
  effectiveDate: '2026-08-17',
  source: 'test',
  uncertain: false,
  labels: { instanceType: 'g5.xlarge' },
  ...over,
});

describe('the shipped price book', () => {
  it('passes its schema as written (not only after defaults)', () => {
    expect(
      PriceBookSchema.safeParse(JSON.parse(readFileSync(shippedPath(SHIPPED_BOOK), 'utf8'))).success,
    ).toBe(true);
  });

  it('gives every entry a source and an effective date, explicitly', () => {
    for (const e of raw.entries) {
      expect(typeof e.source === 'string' && e.source.trim().length > 10, `${String(e.id)} source`).toBe(
        true,
      );
      expect(e.effectiveDate, `${String(e.id)} effectiveDate`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(typeof e.uncertain, `${String(e.id)} uncertain`).toBe('boolean');
    }
  });

  it('follows the id scheme <family>.<meter>.<region>[.<variant>], ids unique', () => {
    const ids = shipped.entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of shipped.entries) {
      expect(e.id).toMatch(ID_PATTERN);
      expect(e.id.split('.')[2], e.id).toBe(e.region);
      expect(isServiceCode(e.service), e.id).toBe(true);
      expect(Object.values(ITEMS), e.id).toContain(e.item);
      expect(Object.values(UNITS), e.id).toContain(e.unit);
    }
  });

  it('keeps the Custom Model Import ids the CMI option and its tests rely on', () => {
    expect(shipped.get('bedrock-cmi.inference.us-east-1.pricing-example')?.price).toBe(0.0785);
    expect(shipped.get('bedrock-cmi.inference.us-east-1.2026-quoted')?.price).toBe(0.05718);
    expect(shipped.get('bedrock-cmi.inference.eu-central-1.2026-quoted')?.price).toBe(0.07144);
    expect(shipped.get('bedrock-cmi.storage.us-east-1')?.price).toBe(1.95);
  });

  it('holds the prices the options look up (aws-facts.md figures)', () => {
    const price = (id: string) => shipped.get(id)?.price;
    // Token prices per 1M (aws-facts §2).
    expect(price('bedrock-ondemand.llama-3-1-8b-instruct-input.us-east-1')).toBe(0.22);
    expect(price('bedrock-batch.llama-3-1-70b-instruct-output.us-east-1')).toBe(0.36);
    expect(price('bedrock-ondemand.nova-micro-output.us-east-1')).toBe(0.14);
    expect(price('bedrock-ondemand.claude-sonnet-4-5-input.us-east-1.global')).toBe(3);
    expect(price('bedrock-ondemand.claude-sonnet-4-5-output.us-east-1')).toBe(16.5);
    expect(price('bedrock-ondemand.claude-haiku-4-5-input.us-east-1')).toBe(1.1);
    // SageMaker and EC2 per hour, after the June 2025 P-instance cut for EC2 (aws-facts §0.5, §3, §5).
    expect(price('sagemaker-realtime.ml-g5-2xlarge.us-east-1')).toBe(1.515);
    expect(price('ec2.p5-48xlarge.us-east-1')).toBe(55.04);
    expect(price('ec2.p4d-24xlarge.us-east-1')).toBe(21.957642);
    expect(price('eks.control-plane.us-east-1.standard')).toBe(0.1);
    expect(price('sagemaker-serverless.compute.us-east-1')).toBe(0.00002);
    // Label lookups as the options make them.
    expect(
      shipped.find('AmazonSageMaker', ITEMS.realtimeInstance, 'us-east-1', { instanceType: 'ml.g6e.xlarge' }),
    ).toHaveLength(1);
    expect(
      shipped.find('AmazonBedrock', ITEMS.provisionedThroughput, 'us-east-1', { term: '6m' })[0]?.price,
    ).toBe(13.08);
  });

  it('flags what the references flag as uncertain, and every estimate', () => {
    const uncertain = (id: string) => shipped.get(id)?.uncertain;
    expect(uncertain('sagemaker-realtime.ml-p5-48xlarge.us-east-1')).toBe(true); // pre-cut, unconfirmed
    expect(uncertain('sagemaker-realtime.ml-p4d-24xlarge.us-east-1')).toBe(true);
    expect(uncertain('sagemaker-realtime.ml-g6-xlarge.us-east-1')).toBe(true);
    expect(uncertain('sagemaker-serverless.compute.us-east-1')).toBe(true);
    expect(uncertain('bedrock-cmi.inference.us-east-1.pricing-example')).toBe(true);
    expect(uncertain('ec2.g5-xlarge.us-east-1')).toBe(false);
    for (const e of shipped.entries)
      if (/^Estimate/.test(e.source)) expect(e.uncertain, `${e.id} is an estimate`).toBe(true);
  });

  it('has prices for us-east-1, and us-west-2 / eu-central-1 where the references do', () => {
    const regions = new Set(shipped.entries.map((e) => e.region));
    expect([...regions].sort()).toEqual(['eu-central-1', 'eu-west-1', 'us-east-1', 'us-west-2']);
  });
});

describe('slug and ids', () => {
  it('turns AWS names into id segments', () => {
    expect(slug('Llama 3.1 8B Instruct')).toBe('llama-3-1-8b-instruct');
    expect(slug('ml.g5.xlarge')).toBe('ml-g5-xlarge');
    expect(slug(' Claude Sonnet 4.5 ')).toBe('claude-sonnet-4-5');
  });
});

describe('a book that fails its schema', () => {
  it('names the entry (index and id) and the field: a negative price', () => {
    const path = bookFile('negative.json', [good(), good({ id: 'ec2.g6-xlarge.us-east-1', price: -1 })]);
    const msg = inputError(() => loadPriceBook(path));
    expect(msg).toContain(path);
    expect(msg).toContain('entry 1 (id "ec2.g6-xlarge.us-east-1")');
    expect(msg).toContain('field "price"');
    expect(msg).toContain('a price cannot be negative, got -1');
  });

  it('names a missing source and an empty one', () => {
    const { source: _, ...noSource } = good();
    expect(inputError(() => loadPriceBook(bookFile('nosource.json', [noSource])))).toMatch(
      /entry 0 \(id "ec2\.g5-xlarge\.us-east-1"\), field "source": missing/,
    );
    expect(inputError(() => loadPriceBook(bookFile('empty.json', [good({ source: '  ' })])))).toContain(
      'every price needs a source',
    );
  });

  it('rejects a bad date, a bad region, another currency and an unknown field', () => {
    expect(
      inputError(() =>
        parsePriceBook({ date: '2026-11-01', entries: [good({ effectiveDate: 'May 2025' })] }, 'b'),
      ),
    ).toContain('field "effectiveDate": expected an ISO date');
    expect(
      inputError(() => parsePriceBook({ date: '2026-11-01', entries: [good({ region: 'US East' })] }, 'b')),
    ).toContain('expected an AWS region code');
    expect(
      inputError(() =>
        parsePriceBook({ date: '2026-11-01', entries: [{ ...good(), currency: 'EUR' }] }, 'b'),
      ),
    ).toContain('field "currency": expected "USD", got "EUR"');
    expect(
      inputError(() => parsePriceBook({ date: '2026-11-01', entries: [{ ...good(), prise: 1 }] }, 'b')),
    ).toContain('unknown field "prise" (did you mean "price"?)');
  });

  it('rejects duplicate ids, naming both entries', () => {
    expect(
      inputError(() => parsePriceBook({ date: '2026-11-01', entries: [good(), good()] }, 'b')),
    ).toContain('entry 1 (id "ec2.g5-xlarge.us-east-1"), field "id": duplicate id; entry 0 has the same id');
  });

  it('rejects a file that is missing or not JSON', () => {
    expect(inputError(() => loadPriceBook(join(TMP, 'nope.json')))).toContain('no such file');
    const bad = join(TMP, 'bad.json');
    writeFileSync(bad, '{ "date": ');
    expect(inputError(() => loadPriceBook(bad))).toContain('not valid JSON');
  });
});

describe('overrides', () => {
  it('replace a price by id and record what it was', () => {
    const b = shipped.withOverrides({ 'bedrock-cmi.storage.us-east-1': 0 });
    expect(b.get('bedrock-cmi.storage.us-east-1')?.price).toBe(0);
    expect(b.overrides).toEqual([{ id: 'bedrock-cmi.storage.us-east-1', price: 0, was: 1.95 }]);
    expect(b.get('bedrock-cmi.storage.us-east-1')?.source).toMatch(
      /^scenario override \(book price 1.95 USD/,
    );
    // The original book is untouched.
    expect(shipped.get('bedrock-cmi.storage.us-east-1')?.price).toBe(1.95);
  });

  it('naming an unknown id is an input error that suggests the nearest id', () => {
    const msg = inputError(() => shipped.withOverrides({ 'bedrock-cmi.storage.us-east-2': 1 }));
    expect(msg).toContain('pricing.overrides.bedrock-cmi.storage.us-east-2');
    expect(msg).toContain('did you mean "bedrock-cmi.storage.us-east-1"?');
  });

  it('a negative price is an input error', () => {
    expect(inputError(() => shipped.withOverrides({ 'ec2.g5-xlarge.us-east-1': -0.5 }))).toContain(
      'a price cannot be negative',
    );
  });
});

describe('staleness', () => {
  const book = new PriceBook('b', '2026-01-01', []);
  it(`warns only when the book is older than ${STALE_DAYS} days`, () => {
    expect(STALE_DAYS).toBe(90); // the threshold
    expect(book.ageDays('2026-04-01')).toBe(90);
    expect(stalenessWarning(book, '2026-04-01')).toBeUndefined();
    expect(stalenessWarning(book, '2026-04-02')).toBe(
      'the price book is 91 days old (2026-01-01, older than 90 days); run `servesim prices refresh`',
    );
  });

  it('per entry, against the book’s own date: more than 12 months older warns (issue 15 item 7)', () => {
    const at = (id: string, effectiveDate: string) =>
      ({ ...loadPriceBook().entries[0]!, id, effectiveDate }) as PriceEntry;
    // Book 2026-11-25 → cut-off 12 calendar months before, 2025-11-25.
    const entries = [
      at('a', '2024-03-13'), // the example: stale
      at('b', '2025-11-24'), // one day past the cut-off: stale
      at('c', '2025-11-25'), // exactly 12 months: not stale
      at('d', '2026-11-25'),
    ];
    const b = new PriceBook('b', '2026-11-25', entries);
    expect(staleEntries(b).map((e) => e.id)).toEqual(['a', 'b']);
    expect(entryStalenessWarning(b)).toBe(
      '2 price entries are more than 12 months older than the book (dated 2026-11-25); the oldest is a (2024-03-13). `servesim prices show` marks them "old"; check their sources or refresh them',
    );
    expect(entryStalenessWarning(b, [entries[2]!, entries[3]!])).toBeUndefined();
    // A book dated 2026-03-31: the cut-off is 2025-03-31.
    expect(
      staleEntries(new PriceBook('m', '2026-03-31', [at('e', '2025-03-30'), at('f', '2025-03-31')])).map(
        (e) => e.id,
      ),
    ).toEqual(['e']);
  });
});

describe('writing a book', () => {
  it('writes atomically and reads back the same entries', () => {
    const path = join(TMP, 'written.json');
    writePriceBookFile(path, { date: '2026-11-02', entries: [good()] });
    const b = loadPriceBook(path);
    expect(b.date).toBe('2026-11-02');
    expect(b.entries).toEqual([good()]);
  });

  it('a missing folder is an input error and leaves nothing behind', () => {
    expect(
      inputError(() =>
        writePriceBookFile(join(TMP, 'no', 'such', 'b.json'), { date: '2026-11-02', entries: [] }),
      ),
    ).toContain('no such folder');
  });
});
