import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventHeap } from '../../src/sim/heap.js';

/*
 * EventHeap must pop in (time, kind, push order) order — the engine's determinism and its event
 * order at equal times (design §3: completions, then arrivals, then scaling) rest on it. The
 * reference model is a plain array kept sorted by the same key with a stable comparison; the
 * payload carries the push index so every popped event can be identified.
 */

interface Ev {
  t: number;
  kind: number;
  seq: number;
}

function before(a: Ev, b: Ev): boolean {
  return a.t < b.t || (a.t === b.t && (a.kind < b.kind || (a.kind === b.kind && a.seq < b.seq)));
}

/** Times from a small set (many ties), occasionally any double in a range. */
const time = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 6 }).map((i) => i * 0.5) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 5, noNaN: true }) },
);
const kind = fc.integer({ min: 0, max: 2 });
const op = fc.oneof(
  { weight: 3, arbitrary: fc.record({ push: fc.constant(true), t: time, kind }) },
  { weight: 2, arbitrary: fc.record({ push: fc.constant(false) }) },
);

describe('EventHeap', () => {
  it('pops everything in (time, kind, push order) after pushing a batch', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ t: time, kind }), { maxLength: 300 }), (items) => {
        // Capacity 1 forces several grow() calls.
        const heap = new EventHeap(1);
        items.forEach((e, i) => heap.push(e.t, e.kind, i));
        const want = items.map((e, i) => ({ ...e, seq: i })).sort((a, b) => (before(a, b) ? -1 : 1));
        expect(heap.size).toBe(items.length);
        for (const w of want) {
          expect(heap.peekTime()).toBe(w.t);
          expect(heap.peekKind()).toBe(w.kind);
          heap.pop();
          expect([heap.t, heap.k, heap.p]).toEqual([w.t, w.kind, w.seq]);
        }
        expect(heap.size).toBe(0);
        expect(heap.peekTime()).toBe(Infinity);
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it('interleaved pushes and pops always pop the minimum so far', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const heap = new EventHeap(2);
        const model: Ev[] = [];
        let seq = 0;
        for (const o of ops) {
          if ('t' in o) {
            heap.push(o.t, o.kind, seq);
            model.push({ t: o.t, kind: o.kind, seq });
            seq++;
          } else if (model.length > 0) {
            let m = 0;
            for (let i = 1; i < model.length; i++) if (before(model[i]!, model[m]!)) m = i;
            const [w] = model.splice(m, 1);
            heap.pop();
            expect([heap.t, heap.k, heap.p]).toEqual([w!.t, w!.kind, w!.seq]);
          }
          expect(heap.size).toBe(model.length);
        }
      }),
      { numRuns: 300, seed: 2 },
    );
  });

  it('all-equal times and kinds pop in push order (FIFO), 10,000 events', () => {
    const heap = new EventHeap();
    for (let i = 0; i < 10_000; i++) heap.push(42, 1, i);
    const got: number[] = [];
    while (heap.size > 0) {
      heap.pop();
      got.push(heap.p);
    }
    expect(got).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
  });

  it('at one time, kind 0 pops before 1 before 2 whatever the push order', () => {
    const heap = new EventHeap();
    heap.push(5, 2, 0);
    heap.push(5, 1, 1);
    heap.push(5, 0, 2);
    heap.push(4.999, 2, 3);
    heap.push(5, 0, 4);
    const got: number[] = [];
    while (heap.size > 0) {
      heap.pop();
      got.push(heap.p);
    }
    expect(got).toEqual([3, 2, 4, 1, 0]);
  });
});
