import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { COLUMN_ALIASES } from '../../../src/traffic/import/columns.js';
import { importCsv } from '../../../src/traffic/import/csv.js';
import { importJsonl } from '../../../src/traffic/import/jsonl.js';
import type { ImportOptions } from '../../../src/traffic/import/rows.js';
import { TimestampParser } from '../../../src/traffic/import/timestamps.js';
import { MSG } from '../../../src/traffic/messages.js';
import { readBinnedSeries } from '../../../src/traffic/trace/binned.js';
import { TraceFileStream } from '../../../src/traffic/trace/read.js';

/*
 * CSV and JSONL importers on small fixtures (test/fixtures/traces, described in its README) and
 * on generated files. Expected values are read off the fixtures by hand.
 */

const FIX = resolve(import.meta.dirname, '../../fixtures/traces');
const TMP = mkdtempSync(join(tmpdir(), 'servesim-import-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

let n = 0;
const out = () => join(TMP, `o${n++}`, 'trace.csv');
const input = (name: string, text: string) => {
  const p = join(TMP, name);
  writeFileSync(p, text);
  return p;
};

interface Req {
  t: number;
  in: number;
  out: number;
  cls: number;
}
function requests(path: string): Req[] {
  const s = new TraceFileStream(path, { seed: 1, index: 0 });
  const r: Req[] = [];
  while (s.next()) r.push({ t: s.t, in: s.inputTokens, out: s.outputTokens, cls: s.cls });
  return r;
}

async function fails(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

function noTemps(output: string): void {
  const dir = join(output, '..');
  if (!existsSync(dir)) return; // never created
  expect(readdirSync(dir)).toEqual([]);
}

describe('CSV import', () => {
  it('reads BOM, CRLF and quoted fields; sorts rows not yet written; keeps duplicates', async () => {
    const o = out();
    const s = await importCsv(join(FIX, 'requests-bom-crlf.csv'), { output: o });
    expect(s.kind).toBe('requests');
    expect(s.rows).toBe(5);
    // 09:00:00.5 comes after 09:00:01.25, and 09:02+01:00 (= 08:02Z) after all of them; neither
    // is older than a row already written, so both are sorted in.
    expect(s.reordered).toBe(2);
    expect(s.duplicateTimestamps).toBe(1);
    expect(s.columns).toEqual({
      time: 'timestamp',
      input: 'input_tokens',
      output: 'output_tokens',
      class: 'class',
    });
    expect(s.ignoredColumns).toEqual(['user', 'prompt']);
    expect(s.start).toBe('2026-11-02T08:02:00Z'); // 09:02+01:00 = 08:02Z is the earliest
    expect(requests(o)).toEqual([
      { t: 0, in: 60, out: 15, cls: 1 },
      { t: 3480, in: 120, out: 30, cls: 0 },
      { t: 3480, in: 80, out: 20, cls: 1 },
      { t: 3480.5, in: 50, out: 10, cls: 0 },
      { t: 3481.25, in: 200, out: 40, cls: 0 },
    ]);
    // Privacy: nothing of the prompt column reaches the trace.
    expect(readFileSync(o, 'utf8')).not.toMatch(/chest|plain|sorted|u1/);
  });

  it('reads the Azure layout: space-separated, 7 fractional digits, no zone (UTC)', async () => {
    const o = out();
    const s = await importCsv(join(FIX, 'azure-style.csv'), { output: o });
    expect(s.columns).toMatchObject({ time: 'TIMESTAMP', input: 'ContextTokens', output: 'GeneratedTokens' });
    expect(s.start).toBe('2023-11-16T18:15:00Z');
    const r = requests(o);
    expect(r.map((x) => x.t)).toEqual([46.68059, 50.995169, 51, 62.123457]);
    expect(r.map((x) => x.in)).toEqual([374, 396, 879, 91]);
  });

  it('reads zone-less timestamps in --timezone', async () => {
    const o = out();
    const s = await importCsv(join(FIX, 'azure-style.csv'), { output: o, timezone: 'America/New_York' });
    expect(s.start).toBe('2023-11-16T23:15:00Z'); // EST = UTC−5
  });

  it('reads the BurstGPT layout: seconds from the start (auto: relative), --start sets t = 0', async () => {
    const o = out();
    const s = await importCsv(join(FIX, 'burstgpt-style.csv'), {
      output: o,
      start: Date.UTC(2026, 10, 2) / 1000,
    });
    expect(s.timeFormat).toBe('relative-s');
    expect(s.columns).toMatchObject({ input: 'Request tokens', output: 'Response tokens' });
    expect(s.start).toBe('2026-11-02T00:00:00Z');
    expect(requests(o).map((x) => [x.t, x.in, x.out])).toEqual([
      [5, 472, 18],
      [45, 1087, 251],
      [118, 417, 276],
      [118, 1360, 64],
    ]);
  });

  it('uses explicit column names and a delimiter', async () => {
    const p = input('semi.csv', 'when;prompt_tok;gen_tok\n2026-11-02T00:00:10Z;5;6\n');
    const o = out();
    const s = await importCsv(p, {
      output: o,
      delimiter: ';',
      columns: { time: 'when', input: 'prompt_tok', output: 'gen_tok' },
    });
    expect(s.requests).toBe(1);
    expect(requests(o)).toEqual([{ t: 10, in: 5, out: 6, cls: 0 }]);
  });

  it('reads epoch seconds and epoch milliseconds', async () => {
    const sec = await importCsv(
      input('es.csv', 'ts,input_tokens,output_tokens\n1793577600,1,1\n1793577601.5,1,1\n'),
      {
        output: out(),
      },
    );
    expect(sec.timeFormat).toBe('epoch-s');
    expect(sec.start).toBe('2026-11-02T00:00:00Z');
    const ms = await importCsv(input('ems.csv', 'ts,input_tokens,output_tokens\n1793577600000,1,1\n'), {
      output: out(),
    });
    expect(ms.timeFormat).toBe('epoch-ms');
    expect(ms.start).toBe('2026-11-02T00:00:00Z');
  });

  it('imports binned rows: summed per period, copies by maximum, empty bins written as zeros', async () => {
    const o = out();
    const s = await importCsv(join(FIX, 'binned.csv'), { output: o });
    expect(s.kind).toBe('binned');
    expect(s.duplicateTimestamps).toBe(0);
    expect([s.requests, s.inputTokens, s.outputTokens]).toEqual([23, 5750, 1380]);
    const b = readBinnedSeries(o);
    expect(b.periodSeconds).toBe(60);
    expect(Array.from(b.t)).toEqual([0, 60, 120, 180, 240]);
    expect(Array.from(b.requests)).toEqual([10, 6, 0, 0, 7]);
    expect(Array.from(b.modelCopies!)).toEqual([1, 2, 0, 0, 1]);
    expect(b.throttles).toBeNull();
  });

  it('rejects rows out of order beyond the reorder window, naming the line', async () => {
    const p = input(
      'late.csv',
      'timestamp,input_tokens,output_tokens\n2026-11-02T00:10:00Z,1,1\n2026-11-02T01:00:00Z,1,1\n2026-11-02T00:00:00Z,1,1\n',
    );
    const o = out();
    const e = await fails(importCsv(p, { output: o, reorderWindow: 60 }));
    expect(e.where).toBe(`${p}:4`);
    expect(e.message).toContain('--reorder-window');
    noTemps(o);
    // 01:00 pushed 00:10 out of a 60 s window, so 00:00 came too late; a wider window sorts it.
    const ok = await importCsv(p, { output: out(), reorderWindow: 3600 });
    expect(ok.reordered).toBe(1);
  });

  it('lists the columns found when a needed one is missing', async () => {
    const p = input('cols.csv', 'when,tokens_in,tokens_out,prompt\n2026-11-02T00:00:00Z,1,1,hi\n');
    const e = await fails(importCsv(p, { output: out() }));
    expect(e.message).toBe(
      `${p}: ${MSG.missingColumn('timestamp', COLUMN_ALIASES.time, ['when', 'tokens_in', 'tokens_out', 'prompt'], '--time-column')}`,
    );
    const e2 = await fails(importCsv(p, { output: out(), columns: { time: 'when', input: 'nope' } }));
    expect(e2.message).toContain(
      '--input-column "nope" is not a column of the file; columns found: when, tokens_in',
    );
  });

  it.each([
    ['negative', '-5', MSG.badTokens('input_tokens', '-5')],
    ['non-numeric', 'many', MSG.badTokens('input_tokens', 'many')],
    ['fractional', '2.5', MSG.badTokens('input_tokens', '2.5')],
    ['empty', '', MSG.badTokens('input_tokens', '')],
  ])('rejects %s tokens with the row', async (_, value, message) => {
    const p = input(
      `tok-${_}.csv`,
      `timestamp,input_tokens,output_tokens\n2026-11-02T00:00:00Z,1,1\n2026-11-02T00:00:01Z,${value},1\n`,
    );
    const o = out();
    const e = await fails(importCsv(p, { output: o }));
    expect(e.message).toBe(`${p}:3: ${message}`);
    noTemps(o);
  });

  it('rejects an unparseable timestamp with the row and the formats accepted', async () => {
    const p = input(
      'ts.csv',
      'timestamp,input_tokens,output_tokens\n2026-11-02T00:00:00Z,1,1\nyesterday,1,1\n',
    );
    const e = await fails(importCsv(p, { output: out() }));
    expect(e.message).toBe(`${p}:3: ${MSG.badTimestamp('yesterday', 'iso')}`);
    const bad = input('ts2.csv', 'timestamp,input_tokens,output_tokens\n2026-02-31T00:00:00Z,1,1\n');
    await fails(importCsv(bad, { output: out() }));
  });

  it('rejects an empty file, a header without rows and a missing file', async () => {
    const empty = input('empty.csv', '');
    expect((await fails(importCsv(empty, { output: out() }))).message).toContain('is empty');
    const headerOnly = input('header.csv', 'timestamp,input_tokens,output_tokens\n');
    expect((await fails(importCsv(headerOnly, { output: out() }))).message).toBe(
      `${headerOnly}: ${MSG.noRows('input')}`,
    );
    const missing = join(TMP, 'nope.csv');
    expect((await fails(importCsv(missing, { output: out() }))).message).toBe(
      `${missing}: ${MSG.noSuchFile('CSV')}`,
    );
  });

  it('reports a CSV syntax error (unclosed quote)', async () => {
    const p = input(
      'quote.csv',
      'timestamp,input_tokens,output_tokens,prompt\n2026-11-02T00:00:00Z,1,1,"never closed\n',
    );
    const o = out();
    const e = await fails(importCsv(p, { output: o }));
    expect(e.message).toContain('CSV syntax error');
    noTemps(o);
  });

  it('streams a 200k-row file with a bounded reorder buffer', async () => {
    const p = join(TMP, 'big.csv');
    const lines = ['timestamp,input_tokens,output_tokens,prompt'];
    const t0 = Date.UTC(2026, 10, 2);
    for (let i = 0; i < 200_000; i++)
      lines.push(
        `${new Date(t0 + i * 400 + (i % 10 === 3 ? -900 : 0)).toISOString()},${100 + (i % 50)},${i % 30},"text, ${i}"`,
      );
    writeFileSync(p, lines.join('\n') + '\n');
    lines.length = 0;
    const o = out();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
    const s = await importCsv(p, { output: o });
    clearInterval(sampler);
    expect(s.rows).toBe(200_000);
    expect(s.reordered).toBe(20_000); // every tenth row is 0.9 s early
    // 300 s window at 2.5 rows/s: the buffer holds about 750 rows, whatever the file's length.
    expect(s.peakBuffered).toBeLessThan(800);
    expect(heapPeak - heapBefore).toBeLessThan(64 * 2 ** 20);
    let count = 0;
    let sorted = true;
    let prev = -1;
    const st = new TraceFileStream(o, { seed: 1, index: 0 });
    while (st.next()) {
      if (st.t < prev) sorted = false;
      prev = st.t;
      count++;
    }
    expect(count).toBe(200_000);
    expect(sorted).toBe(true);
  });
});

describe('JSONL import', () => {
  it('reads the Mooncake layout (relative milliseconds), ignores other fields and blank lines', async () => {
    const o = out();
    const s = await importJsonl(join(FIX, 'mooncake-style.jsonl'), { output: o, timeFormat: 'relative-ms' });
    expect(s.columns).toEqual({ time: 'timestamp', input: 'input_length', output: 'output_length' });
    expect(s.ignoredColumns).toEqual(['hash_ids']);
    expect(s.duplicateTimestamps).toBe(1);
    expect(requests(o)).toEqual([
      { t: 0, in: 6955, out: 52, cls: 0 },
      { t: 0, in: 6472, out: 26, cls: 0 },
      { t: 27.482, in: 6955, out: 3, cls: 0 },
      { t: 30.535, in: 6472, out: 27, cls: 0 },
    ]);
  });

  it('names the line of invalid JSON, a non-object and a null token count', async () => {
    const good = '{"timestamp":"2026-11-02T00:00:00Z","input_tokens":1,"output_tokens":1}\n';
    const bad = input('bad.jsonl', `${good}{"timestamp": oops}\n`);
    expect((await fails(importJsonl(bad, { output: out() }))).where).toBe(`${bad}:2`);
    const arr = input('arr.jsonl', `${good}[1,2]\n`);
    expect((await fails(importJsonl(arr, { output: out() }))).message).toBe(`${arr}:2: ${MSG.notAnObject()}`);
    const nul = input(
      'nul.jsonl',
      `${good}{"timestamp":"2026-11-02T00:00:01Z","input_tokens":null,"output_tokens":1}\n`,
    );
    expect((await fails(importJsonl(nul, { output: out() }))).where).toBe(`${nul}:2`);
    const empty = input('empty.jsonl', '');
    expect((await fails(importJsonl(empty, { output: out() }))).message).toContain('is empty');
  });
});

describe('timestamps', () => {
  it('the cached ISO fast path agrees with Date.parse on random instants, offsets and fractions', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            ms: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
            offsetMin: fc.constantFrom(0, 60, -300, 330, 345),
            sep: fc.constantFrom('T', ' '),
            zulu: fc.boolean(),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (rows) => {
          // One parser over all rows, so later rows hit the cache left by earlier ones.
          const p = new TimestampParser('iso', 'UTC', 0);
          for (const r of rows) {
            const local = new Date(r.ms + r.offsetMin * 60_000).toISOString().slice(0, 23);
            const sign = r.offsetMin < 0 ? '-' : '+';
            const a = Math.abs(r.offsetMin);
            const zone =
              r.offsetMin === 0 && r.zulu
                ? 'Z'
                : `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
            const text = local.replace('T', r.sep) + zone;
            expect(p.parse(text)).toBeCloseTo(r.ms / 1000, 6);
          }
        },
      ),
    );
  });

  it('resolves local times across a DST change (America/New_York, 2026-11-01)', () => {
    const p = new TimestampParser('iso', 'America/New_York', 0);
    expect(p.parse('2026-11-01T00:30:00')).toBe(Date.UTC(2026, 10, 1, 4, 30) / 1000); // EDT
    expect(p.parse('2026-11-01T01:30:00')).toBe(Date.UTC(2026, 10, 1, 5, 30) / 1000); // first 01:30 (EDT)
    expect(p.parse('2026-11-01T03:30:00')).toBe(Date.UTC(2026, 10, 1, 8, 30) / 1000); // EST
  });
});

describe('import options', () => {
  it('--class sets the class of every request; binned --class batch goes in the header', async () => {
    const o = out();
    await importCsv(join(FIX, 'azure-style.csv'), { output: o, cls: 'batch' });
    expect(requests(o).every((r) => r.cls === 1)).toBe(true);
    const b = out();
    const opts: ImportOptions = { output: b, cls: 'batch', periodSeconds: 300 };
    const s = await importCsv(join(FIX, 'binned.csv'), opts);
    expect(s.periodSeconds).toBe(300);
    expect(readFileSync(b, 'utf8').split('\n')[0]).toContain('kind=binned period_s=300 class=batch');
    expect(readBinnedSeries(b).requests[0]).toBe(23);
  });
});
