import { describe, expect, it } from 'vitest';
import { ColumnStream, materialize, onTickGrid, TICKS_PER_SECOND } from '../../src/traffic/columns.js';
import { RequestClass, type ArrivalStream } from '../../src/traffic/types.js';

interface Req {
  t: number;
  inputTokens: number;
  outputTokens: number;
  cls: number;
}

/** An ArrivalStream over an array. */
function streamOf(reqs: readonly Req[]): ArrivalStream {
  let i = -1;
  const s: ArrivalStream = {
    t: 0,
    inputTokens: 0,
    outputTokens: 0,
    cls: 0,
    next() {
      const r = reqs[++i];
      if (r === undefined) return false;
      Object.assign(s, r);
      return true;
    },
  };
  return s;
}

function drain(s: ArrivalStream): Req[] {
  const out: Req[] = [];
  while (s.next()) out.push({ t: s.t, inputTokens: s.inputTokens, outputTokens: s.outputTokens, cls: s.cls });
  return out;
}

const tick = 1 / TICKS_PER_SECOND;

describe('trace columns', () => {
  it('replay on-grid times, tokens and classes exactly, across chunks, long gaps and mixed classes', () => {
    const reqs: Req[] = [];
    // Chunk 1 (2^18 requests): all interactive, a tick apart, then a 3-hour gap (past 32 bits of ticks).
    for (let i = 0; i < 1 << 18; i++)
      reqs.push({ t: i * tick, inputTokens: i % 60000, outputTokens: 7, cls: 0 });
    const afterGap = 3 * 3600 + 12345 * tick;
    // Chunk 2: mixed classes, a wide token count, equal times, another long gap.
    reqs.push({ t: afterGap, inputTokens: 1, outputTokens: 2, cls: RequestClass.batch });
    reqs.push({ t: afterGap, inputTokens: 100_000, outputTokens: 3, cls: RequestClass.interactive });
    reqs.push({ t: afterGap + 0.5, inputTokens: 4, outputTokens: 5, cls: RequestClass.batch });
    reqs.push({ t: 40 * 86400 + 0.25, inputTokens: 6, outputTokens: 70_000, cls: RequestClass.interactive });
    const cols = materialize(streamOf(reqs), { shared: true })!;
    expect(cols.chunks.length).toBe(2);
    expect(cols.requests).toBe(reqs.length);
    // Uniform chunk: one class number, no column; mixed chunk: a column.
    expect(cols.chunks[0]!.cls).toBe(0);
    expect(cols.chunks[1]!.cls).toBeInstanceOf(Uint8Array);
    expect(cols.chunks[1]!.far.length).toBe(2); // the 3-hour and the 40-day gaps
    expect(cols.chunks[0]!.dt.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(drain(new ColumnStream(cols))).toEqual(reqs);
    // Totals per class, summed independently here.
    const batch = reqs.filter((r) => r.cls === RequestClass.batch);
    expect(cols.byClass[1]).toEqual({
      requests: 2,
      inputTokens: batch.reduce((a, r) => a + r.inputTokens, 0),
      outputTokens: batch.reduce((a, r) => a + r.outputTokens, 0),
    });
    // 4 B of gap + 2 + 2 of tokens per request in chunk 1; chunk 2: 4 + 4 + 4 + 1 each, 2 far entries.
    expect(cols.bytes).toBe((1 << 18) * 8 + 4 * 13 + 2 * 8);
  });

  it('a one-chunk trace takes one buffer of its own size; the next trace never touches it', () => {
    // 1,000 mixed-class requests with a long gap: 4 B of gap, 2 + 2 of tokens and 1 of class each,
    // one far entry (8 B); each array starts on 8 bytes: 4000 + 8 + 2000 + 2000 + 1000 = 9,008.
    const reqs: Req[] = [];
    for (let i = 0; i < 1000; i++)
      reqs.push({ t: i === 999 ? 9000 : i * 0.25, inputTokens: i + 1, outputTokens: 3, cls: i % 2 });
    const a = materialize(streamOf(reqs))!;
    const c = a.chunks[0]!;
    const buffers = new Set([c.dt.buffer, c.far.buffer, c.inputTokens.buffer, c.outputTokens.buffer]);
    expect(buffers.size).toBe(1);
    expect(c.dt.buffer.byteLength).toBe(4000 + 8 + 2000 + 2000 + 1000);
    // The scratch columns are reused: a second trace must leave the first one's arrays alone.
    const other = reqs.map((r) => ({ ...r, inputTokens: 7, cls: 0 }));
    materialize(streamOf(other));
    expect(drain(new ColumnStream(a))).toEqual(reqs);
  });

  it('hold an off-grid time as its nearest tick', () => {
    const cols = materialize(streamOf([{ t: 0.1, inputTokens: 1, outputTokens: 1, cls: 0 }]))!;
    const [r] = drain(new ColumnStream(cols));
    expect(r!.t).toBe(onTickGrid(0.1));
    expect(Math.abs(r!.t - 0.1)).toBeLessThanOrEqual(tick / 2);
  });

  it('a time written to the microsecond rounds back onto its own tick', () => {
    for (const k of [1, 3, 524287, 524289, 123456789, 2 ** 45 + 17]) {
      const t = k * tick;
      expect(onTickGrid(Math.round(t * 1e6) / 1e6)).toBe(t);
    }
  });

  it('give up past maxRequests', () => {
    const reqs = [0, 1, 2].map((t) => ({ t, inputTokens: 1, outputTokens: 1, cls: 0 }));
    expect(materialize(streamOf(reqs), { maxRequests: 2 })).toBeNull();
    expect(materialize(streamOf(reqs), { maxRequests: 3 })!.requests).toBe(3);
  });
});
