import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTrace, writeTrace } from '../../../src/traffic/trace/io.js';
import type { ArrivalStream } from '../../../src/traffic/types.js';

const TMP = mkdtempSync(join(tmpdir(), 'servesim-trace-io-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

type Row = [t: number, inputTokens: number, outputTokens: number, cls: number];

/** A stream over fixed rows. */
function streamOf(rows: Row[]): ArrivalStream {
  let i = -1;
  const s: ArrivalStream = {
    t: 0,
    inputTokens: 0,
    outputTokens: 0,
    cls: 0,
    next() {
      const r = rows[++i];
      if (r === undefined) return false;
      [s.t, s.inputTokens, s.outputTokens, s.cls] = r;
      return true;
    },
  };
  return s;
}

function rowsOf(s: ArrivalStream): Row[] {
  const rows: Row[] = [];
  while (s.next()) rows.push([s.t, s.inputTokens, s.outputTokens, s.cls]);
  return rows;
}

describe('writeTrace / readTrace', () => {
  it('round-trips a requests trace: header and every row (class 1 = batch)', () => {
    const rows: Row[] = [
      [0.5, 10, 1, 0],
      [1.25, 20, 2, 1],
      [60, 30, 3, 0],
    ];
    const path = join(TMP, 'day.trace');
    const header = { start: '2026-11-02T00:00:00Z', kind: 'requests' as const, source: 'test' };
    expect(writeTrace(path, header, streamOf(rows))).toBe(3);
    expect(readFileSync(path, 'utf8').split('\n')[0]).toMatch(
      /^# servesim-trace v1 start=2026-11-02T00:00:00Z kind=requests/,
    );

    const back = readTrace(path);
    expect(back.header).toMatchObject({ start: '2026-11-02T00:00:00Z', kind: 'requests', source: 'test' });
    expect(rowsOf(back)).toEqual(rows);
  });

  it('expands a binned trace by its seed: each bin keeps its count and token sums, inside its minute', () => {
    const path = join(TMP, 'binned.trace');
    writeFileSync(
      path,
      '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned period_s=60 source=test\n' +
        't_s,requests,input_tokens,output_tokens\n0,3,30,6\n60,2,21,4\n',
    );
    const rows = rowsOf(readTrace(path, 1));
    expect(rows.length).toBe(5);
    const [first, second] = [rows.slice(0, 3), rows.slice(3)];
    for (const [t] of first) expect(t >= 0 && t < 60).toBe(true);
    for (const [t] of second) expect(t >= 60 && t < 120).toBe(true);
    expect(first.reduce((s, r) => s + r[1], 0)).toBe(30);
    expect(second.reduce((s, r) => s + r[1], 0)).toBe(21);
    expect(second.reduce((s, r) => s + r[2], 0)).toBe(4);
    // The same seed gives the same requests; another seed other times.
    expect(rowsOf(readTrace(path, 1))).toEqual(rows);
    expect(rowsOf(readTrace(path, 2)).map((r) => r[0])).not.toEqual(rows.map((r) => r[0]));
  });
});
