import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ECHO_MAX, InputError } from '../../../src/errors.js';
import { importCsv } from '../../../src/traffic/import/csv.js';
import { importJsonl } from '../../../src/traffic/import/jsonl.js';
import { MAX_GAP_DAYS } from '../../../src/traffic/import/rows.js';
import { MAX_BUFFERED_ROWS, RequestSink } from '../../../src/traffic/import/request-sink.js';
import { BinSink, MAX_BINS } from '../../../src/traffic/import/bin-sink.js';
import { MSG } from '../../../src/traffic/messages.js';
import { MAX_LINE_BYTES } from '../../../src/traffic/trace/lines.js';
import { TraceFileStream } from '../../../src/traffic/trace/read.js';
import { traceWork } from '../../../src/traffic/trace/work.js';
import { inputError } from '../../helpers/errors.js';

/*
 * Issue 17 item 1 for imports and trace files: a gap of more than 31 days between rows is refused
 * (naming the line; --allow-gaps accepts it), a line longer than 1 MiB is refused without being
 * buffered, echoed values are cut to 80 characters, and a refused import leaves no file.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-bounds-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

let n = 0;
/** A fresh, empty output folder per test, so "no file left behind" can be checked. */
const outDir = () => {
  const d = join(TMP, `o${n++}`);
  mkdirSync(d);
  return d;
};
const input = (name: string, text: string) => {
  const p = join(TMP, name);
  writeFileSync(p, text);
  return p;
};

async function rejection(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('gaps between rows', () => {
  // A typo'd year: 3026 after 2026 is 365,242 days later (1000 years of 365.2425 days).
  const rows = 'timestamp,input_tokens,output_tokens\n2026-11-02T09:00:00Z,10,5\n3026-11-02T09:00:00Z,10,5\n';

  it('refuses a gap over 31 days, naming the line and --allow-gaps, and writes nothing', async () => {
    const file = input('gap.csv', rows);
    const dir = outDir();
    const e = await rejection(importCsv(file, { output: join(dir, 'trace.csv') }));
    expect(e.message).toBe(
      `${file}:3: ${MSG.gap(365_242, '2026-11-02T09:00:00Z', '3026-11-02T09:00:00Z', MAX_GAP_DAYS)}`,
    );
    expect(e.message).toContain('--allow-gaps');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('accepts it with allowGaps, and accepts exactly 31 days without', async () => {
    const dir = outDir();
    const s = await importCsv(input('gap2.csv', rows), { output: join(dir, 'trace.csv'), allowGaps: true });
    expect(s.requests).toBe(2);
    const month =
      'timestamp,input_tokens,output_tokens\n2026-01-01T00:00:00Z,1,1\n2026-02-01T00:00:00Z,1,1\n';
    await expect(
      importCsv(input('month.csv', month), { output: join(outDir(), 'trace.csv') }),
    ).resolves.toMatchObject({
      requests: 2,
    });
    const over = 'timestamp,input_tokens,output_tokens\n2026-01-01T00:00:00Z,1,1\n2026-02-01T00:00:01Z,1,1\n';
    await rejection(importCsv(input('over.csv', over), { output: join(outDir(), 'trace.csv') }));
  });

  it('applies to binned rows and to JSONL', async () => {
    const binned = 'timestamp,requests,input_tokens,output_tokens\n0,1,1,1\n60,1,1,1\n9000000,1,1,1\n';
    const e = await rejection(
      importCsv(input('bin.csv', binned), { output: join(outDir(), 'trace.csv'), timeFormat: 'epoch-s' }),
    );
    expect(e.where).toBe(`${join(TMP, 'bin.csv')}:4`);
    const jsonl =
      '{"timestamp": 0, "input_length": 1, "output_length": 1}\n{"timestamp": 3000000, "input_length": 1, "output_length": 1}\n';
    const j = await rejection(
      importJsonl(input('gap.jsonl', jsonl), { output: join(outDir(), 'trace.csv'), timeFormat: 'epoch-s' }),
    );
    expect(j.where).toBe(`${join(TMP, 'gap.jsonl')}:2`);
  });
});

describe('long lines and devices', () => {
  it('a 200 MB line (a sparse file of NULs) is refused at line 1 by every reader', async () => {
    const big = join(TMP, 'line200.csv');
    writeFileSync(big, '');
    truncateSync(big, 200 * 1024 * 1024);
    const msg = `${big}:1: ${MSG.lineTooLong(1, MAX_LINE_BYTES)}`;
    expect((await rejection(importCsv(big, { output: join(outDir(), 'a.csv') }))).message).toBe(msg);
    expect((await rejection(importJsonl(big, { output: join(outDir(), 'b.csv') }))).message).toBe(msg);
    expect(inputError(() => traceWork(big)).message).toBe(msg);
    expect(inputError(() => new TraceFileStream(big, { seed: 1, index: 0 })).message).toBe(msg);
  });

  it('a long row after a good header is refused at its own line', async () => {
    const file = input(
      'late.csv',
      `timestamp,input_tokens,output_tokens\n0,1,1\n${'9'.repeat(MAX_LINE_BYTES + 10)}\n`,
    );
    const e = await rejection(
      importCsv(file, { output: join(outDir(), 'trace.csv'), timeFormat: 'epoch-s' }),
    );
    expect(e.where).toBe(`${file}:3`);
  });

  it.skipIf(!existsSync('/dev/zero'))('/dev/zero as a trace ends with a clear error, not a hang', () => {
    expect(inputError(() => traceWork('/dev/zero')).message).toBe(
      `/dev/zero:1: ${MSG.lineTooLong(1, MAX_LINE_BYTES)}`,
    );
    expect(inputError(() => new TraceFileStream('/dev/zero', { seed: 1, index: 0 })).where).toBe(
      '/dev/zero:1',
    );
  });
});

describe('echoed values are cut to 80 characters', () => {
  it('a 200,000-character timestamp comes back as its first characters and its length', async () => {
    const field = 'x'.repeat(200_000);
    const file = input('wide.csv', `timestamp,input_tokens,output_tokens\n${field},1,1\n`);
    const e = await rejection(importCsv(file, { output: join(outDir(), 'trace.csv') }));
    expect(e.message.length).toBeLessThan(400);
    expect(e.message).toContain('(200,000 characters)');
    const quoted = /timestamp ("x+…")/.exec(e.message)![1]!;
    expect(quoted.length).toBeLessThanOrEqual(ECHO_MAX);
  });

  it('a wide header lists its columns cut to size', async () => {
    const cols = Array.from({ length: 5000 }, (_, i) => `column_${i}`).join(',');
    const file = input('cols.csv', `${cols}\n1,2,3\n`);
    const e = await rejection(importCsv(file, { output: join(outDir(), 'trace.csv') }));
    expect(e.message.length).toBeLessThan(600);
    expect(e.message).toContain('(5000 in all)');
  });
});

describe('the reorder buffer is bounded whatever --reorder-window says', () => {
  it('stops at the bound, naming the line and --reorder-window, and leaves no file', () => {
    const dir = outDir();
    // A 10-year window over rows a second apart would hold them all; the bound here is 10 rows.
    const sink = new RequestSink(join(dir, 'trace.csv'), { reorderWindow: 3.15e8, maxBuffered: 10 });
    for (let i = 0; i < 10; i++) sink.add(1e9 + i, 1, 1, 0, i + 2, 'log.csv');
    const e = inputError(() => sink.add(1e9 + 10, 1, 1, 0, 12, 'log.csv'));
    expect(e.message).toBe(`log.csv:12: ${MSG.bufferFull(10, 3.15e8)}`);
    sink.abort();
    expect(readdirSync(dir)).toEqual([]);
    // The default bound: 4,000,000 rows of 25 bytes, 100 MB.
    expect(MAX_BUFFERED_ROWS * 25).toBe(100_000_000);
  });
});

describe('binned imports are bounded', () => {
  it('refuses more bins than 2,000,000 (a gap accepted with --allow-gaps), naming --period, and writes nothing', async () => {
    const dir = outDir();
    const rows =
      'timestamp,requests,input_tokens,output_tokens\n2026-11-02T09:00:00Z,1,1,1\n3026-11-02T09:00:00Z,1,1,1\n';
    const e = await rejection(
      importCsv(input('gapbin.csv', rows), { output: join(dir, 'trace.csv'), allowGaps: true }),
    );
    // 365,242 days of 60 s bins from 09:00 to 09:00: 365,242 × 1,440 + 1 = 525,948,481.
    expect(e.message).toBe(`--period: ${MSG.tooManyBins(525_948_481, 60, MAX_BINS)}`);
    expect(readdirSync(dir)).toEqual([]);
    // A period of a day makes it 365,243 bins: within the bound.
    const s = await importCsv(input('gapbin2.csv', rows), {
      output: join(outDir(), 'trace.csv'),
      allowGaps: true,
      periodSeconds: 86_400,
    });
    expect(s.requests).toBe(2);
  });

  it('holds at most its bound of rows', () => {
    const sink = new BinSink(
      join(outDir(), 'trace.csv'),
      60,
      undefined,
      { throttles: false, modelCopies: false },
      3,
    );
    for (let i = 0; i < 3; i++) sink.add(i * 60, 1, 1, 1, 0, 0, `f:${i + 2}`);
    expect(inputError(() => sink.add(180, 1, 1, 1, 0, 0, 'f:5')).message).toBe(
      `f:5: ${MSG.tooManyBinnedRows(3)}`,
    );
  });
});
