import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shippedPath } from '../../../src/data.js';
import { InputError } from '../../../src/errors.js';
import {
  decode,
  encode,
  fingerprint,
  PARTIAL_FORMAT,
  PARTIAL_VERSION,
  readPartial,
  writePartial,
  type ShardPartial,
} from '../../../src/planning/shard/partial.js';
import { SHIPPED_BOOK } from '../../../src/pricing/book.js';
import { scenarioFromObject } from '../../../src/scenario/load.js';
import { VERSION } from '../../../src/version.js';

/* The partial file (design §11.7): exact numbers, a fingerprint of the inputs, atomic and alone. */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-partial-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const scenario = (extra: Record<string, unknown> = {}) =>
  scenarioFromObject({
    name: 'fp',
    seed: 3,
    traffic: { components: [{ type: 'poisson', rate: '1/m', inputTokens: 100, outputTokens: 10 }] },
    options: [{ id: 'fixed-fleet', key: 'box', replicas: 1, serviceTime: '1s', hourlyPrice: 1 }],
    ...extra,
  }).scenario;

const partial = (over: Partial<ShardPartial> = {}): ShardPartial => ({
  format: PARTIAL_FORMAT,
  version: PARTIAL_VERSION,
  command: 'forecast',
  args: { seed: 3 },
  fingerprint: 'f'.repeat(64),
  servesim: VERSION,
  shard: 2,
  shards: 3,
  tasks: 4,
  frame: { scales: [1, 1.05] },
  outcomes: { '1': [] },
  ...over,
});

describe('encode / decode', () => {
  it('round-trips the numbers JSON cannot hold (NaN, ±Infinity, −0) and Float64Arrays', () => {
    const back = decode(
      encode({ a: NaN, b: Infinity, c: -Infinity, d: -0, e: 0.1 + 0.2, f: Float64Array.of(1, NaN) }),
    ) as Record<string, unknown>;
    expect(back.a).toBeNaN();
    expect(back.b).toBe(Infinity);
    expect(back.c).toBe(-Infinity);
    expect(Object.is(back.d, -0)).toBe(true);
    expect(back.e).toBe(0.30000000000000004);
    expect(back.f).toEqual(Float64Array.of(1, NaN));
  });

  it('keeps key order, so a decoded result serializes exactly as the original', () => {
    const doc = { z: 1, a: { y: [1, { b: 2, a: 3 }], x: null }, m: 'text' };
    expect(JSON.stringify(decode(encode(doc)))).toBe(JSON.stringify(doc));
    expect(encode(doc, true)).toBe('{"a":{"x":null,"y":[1,{"a":3,"b":2}]},"m":"text","z":1}');
  });
});

describe('fingerprint', () => {
  const base = fingerprint('forecast', { months: 12 }, scenario(), TMP);

  it('is SHA-256 hex, the same for the same inputs whatever their key order', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const reordered = Object.fromEntries(Object.entries(scenario()).reverse()) as ReturnType<typeof scenario>;
    expect(fingerprint('forecast', { months: 12 }, reordered, TMP)).toBe(base);
  });

  it('changes with the command, the arguments, the scenario (seed) and the price book', () => {
    expect(fingerprint('breakeven volume', { months: 12 }, scenario(), TMP)).not.toBe(base);
    expect(fingerprint('forecast', { months: 6 }, scenario(), TMP)).not.toBe(base);
    expect(fingerprint('forecast', { months: 12 }, scenario({ seed: 4 }), TMP)).not.toBe(base);
    // The shipped book under another name: same bytes, same fingerprint; one byte more, another.
    const shipped = readFileSync(shippedPath(SHIPPED_BOOK), 'utf8');
    writeFileSync(join(TMP, 'same.json'), shipped);
    writeFileSync(join(TMP, 'edited.json'), shipped + ' ');
    const withBook = (book: string) =>
      fingerprint('forecast', { months: 12 }, scenario({ pricing: { book } }), TMP);
    expect(withBook('same.json')).toBe(withBook('same.json'));
    expect(withBook('edited.json')).not.toBe(withBook('same.json'));
    expect(() => withBook('missing.json')).toThrow(InputError);
  });
});

describe('writePartial / readPartial', () => {
  it('writes partial-K-of-N.json beside other files, touching none of them, and reads it back', () => {
    const dir = join(TMP, 'shared');
    const p = partial({ outcomes: { '1': [{ key: 'box', cost: NaN } as never] } });
    writePartial(dir, partial({ shard: 1 }));
    writeFileSync(join(dir, 'other.txt'), 'x');
    const path = writePartial(dir, p);
    expect(path).toBe(join(dir, 'partial-2-of-3.json'));
    expect(readdirSync(dir).sort()).toEqual(['other.txt', 'partial-1-of-3.json', 'partial-2-of-3.json']);
    expect(readFileSync(join(dir, 'other.txt'), 'utf8')).toBe('x');
    const back = readPartial(path);
    expect(back.outcomes['1']![0]!.cost).toBeNaN();
    expect(encode(back)).toBe(encode(p));
  });

  it('refuses a file that is missing, not JSON, not a partial, of another version or damaged, naming it', () => {
    const file = (name: string, text: string): string => {
      writeFileSync(join(TMP, name), text);
      return join(TMP, name);
    };
    const cases: [string, string][] = [
      [join(TMP, 'none.json'), 'no such partial file'],
      [file('yaml.json', 'name: x'), 'not a servesim partial: not valid JSON'],
      [file('other.json', '{"months": []}'), `not a servesim partial (no "format": "${PARTIAL_FORMAT}")`],
      [file('v9.json', encode(partial({ version: 9 as never }))), 'partial format version 9'],
      [file('k.json', encode(partial({ shard: 4 }))), 'damaged servesim partial'],
      [file('cmd.json', encode(partial({ command: 'run' as never }))), 'damaged servesim partial'],
    ];
    for (const [path, text] of cases) {
      expect(() => readPartial(path)).toThrow(InputError);
      expect(() => readPartial(path)).toThrow(`${path}: ${text}`);
    }
  });
});
