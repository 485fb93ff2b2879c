import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { Traffic } from '../../../src/scenario/schema.js';
import { MSG } from '../../../src/traffic/messages.js';
import { syntheticStream } from '../../../src/traffic/synthetic.js';
import { observedCopiesPerMinute, readBinnedSeries } from '../../../src/traffic/trace/binned.js';
import { splitTraceByModel, traceModels, UNNAMED_MODEL } from '../../../src/traffic/trace/by-model.js';
import { isModelName } from '../../../src/traffic/trace/format.js';
import { readTrace, writeTrace } from '../../../src/traffic/trace/io.js';
import { TraceFileStream } from '../../../src/traffic/trace/read.js';
import { summarizeTraceFile } from '../../../src/traffic/trace/stats.js';
import { traceWork } from '../../../src/traffic/trace/work.js';

/*
 * The optional `model` column of the trace format (issue 21 item 4): old files read and rewrite
 * exactly as before; a multi-model file reads per model, splits per model, and a `trace`
 * component keeps one model's rows. Expected values are the rows written in each test.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-trace-model-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

let n = 0;
function file(text: string): string {
  const p = join(TMP, `t${n++}.csv`);
  writeFileSync(p, text);
  return p;
}

const REQ = '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=requests duration_s=60 source=test';
const BIN =
  '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned period_s=60 duration_s=180 source=test';

/** The requests of a stream as [t, in, out, cls, model]. */
function rows(s: TraceFileStream): number[][] {
  const out: number[][] = [];
  while (s.next()) out.push([s.t, s.inputTokens, s.outputTokens, s.cls, s.model]);
  return out;
}

/** The InputError `f` throws, with `text`: its message without the `where: ` prefix. */
function thrown(f: () => unknown): InputError & { text: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError)
      return Object.assign(e, { text: e.where ? e.message.slice(e.where.length + 2) : e.message });
    throw e;
  }
  throw new Error('expected an InputError');
}

/** The header's keys in the order writers put them: models= before source=. */
const withModels = (h: string, list: string) => h.replace(' source=', ` models=${list} source=`);

const MULTI = [
  withModels(REQ, 'a,b'),
  't_s,input_tokens,output_tokens,class,model',
  '0.5,100,20,interactive,a',
  '1,80,10,batch,b',
  '2,90,30,interactive,a',
  '2.25,70,5,interactive,b',
  '',
].join('\n');

describe('model names', () => {
  it('are 1–80 letters, digits, ".", "_" and "-", starting with a letter or digit', () => {
    expect(isModelName('notes-summary_v2.1')).toBe(true);
    expect(isModelName('a'.repeat(80))).toBe(true);
    expect(isModelName('a'.repeat(81))).toBe(false);
    for (const bad of ['', '-a', '.a', 'a b', 'a,b', 'a/b', 'é']) expect(isModelName(bad), bad).toBe(false);
  });
});

describe('a trace without the model column (the format before issue 21)', () => {
  const OLD = [REQ, 't_s,input_tokens,output_tokens,class', '0.5,10,1,interactive', '3,20,2,batch', ''].join(
    '\n',
  );

  it('reads with no models and model index 0, and rewrites byte for byte', () => {
    const p = file(OLD);
    const s = readTrace(p);
    expect(s.header.models).toBeUndefined();
    const out = join(TMP, 'old-again.csv');
    expect(writeTrace(out, s.header, s)).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe(OLD);
    expect(rows(new TraceFileStream(p, { seed: 0, index: 0 }))).toEqual([
      [0.5, 10, 1, 0, 0],
      [3, 20, 2, 1, 0],
    ]);
    expect(traceModels(p)).toEqual([]);
  });

  it('refuses a model selection: it holds one unnamed model', () => {
    const p = file(OLD);
    const e = thrown(() => new TraceFileStream(p, { seed: 0, index: 0, model: 'a' }));
    expect(e.text).toBe(MSG.noSuchModel('a', []));
  });

  it('splits into one entry under the unnamed model', () => {
    const { byModel } = splitTraceByModel(file(OLD));
    expect([...byModel.keys()]).toEqual([UNNAMED_MODEL]);
    const r = byModel.get(UNNAMED_MODEL)!;
    expect(r.kind === 'requests' && [...r.t]).toEqual([0.5, 3]);
  });
});

describe('a requests trace with a model column', () => {
  it('reads every row with its model index, and round-trips byte for byte', () => {
    const p = file(MULTI);
    const s = readTrace(p);
    expect(s.header.models).toEqual(['a', 'b']);
    const out = join(TMP, 'multi-again.csv');
    expect(writeTrace(out, s.header, s)).toBe(4);
    expect(readFileSync(out, 'utf8')).toBe(MULTI);
    expect(rows(new TraceFileStream(p, { seed: 0, index: 0 }))).toEqual([
      [0.5, 100, 20, 0, 0],
      [1, 80, 10, 1, 1],
      [2, 90, 30, 0, 0],
      [2.25, 70, 5, 0, 1],
    ]);
  });

  it('keeps one model’s rows when asked', () => {
    const p = file(MULTI);
    expect(rows(new TraceFileStream(p, { seed: 0, index: 0, model: 'b' }))).toEqual([
      [1, 80, 10, 1, 1],
      [2.25, 70, 5, 0, 1],
    ]);
  });

  it('without models= in the header, learns the names in order of appearance; a rewrite lists them', () => {
    const bare = MULTI.replace(' models=a,b', '').replace(/,a\n/g, ',x\n');
    const p = file(bare);
    expect(traceModels(p)).toEqual(['x', 'b']);
    const s = readTrace(p);
    const out = join(TMP, 'bare-again.csv');
    writeTrace(out, s.header, s);
    expect(readFileSync(out, 'utf8')).toBe(bare.replace(' source=', ' models=x,b source='));
  });

  it('refuses an unknown model: at once when the header lists the models, at the end otherwise', () => {
    const listed = file(MULTI);
    expect(thrown(() => new TraceFileStream(listed, { seed: 0, index: 0, model: 'c' })).text).toBe(
      MSG.noSuchModel('c', ['a', 'b']),
    );
    const unlisted = file(MULTI.replace(' models=a,b', ''));
    const e = thrown(() => rows(new TraceFileStream(unlisted, { seed: 0, index: 0, model: 'c' })));
    expect(e.text).toBe(MSG.noSuchModel('c', ['a', 'b']));
    expect(e.where).toBe(unlisted);
  });

  it('as one model’s traffic (oneModel) refuses a file holding several', () => {
    const p = file(MULTI);
    const e = thrown(() => new TraceFileStream(p, { seed: 0, index: 0, oneModel: true }));
    expect(e.text).toBe(MSG.severalModels(['a', 'b'], MSG.pickModel(false)));
    // Without the header's list, at the first row of a second model (line 4).
    const q = file(MULTI.replace(' models=a,b', ''));
    const e2 = thrown(() => rows(new TraceFileStream(q, { seed: 0, index: 0, oneModel: true })));
    expect(e2.where).toBe(`${q}:4`);
  });

  it('names the file and line of a bad model name, or one the header does not list', () => {
    const long = 'm'.repeat(81);
    for (const [bad, line] of [
      ['two words', 5],
      [long, 5],
      ['', 5],
    ] as const) {
      const lines = MULTI.split('\n');
      lines[line - 1] = lines[line - 1]!.replace(/,a$/, `,${bad}`);
      const p = file(lines.join('\n'));
      const e = thrown(() => rows(new TraceFileStream(p, { seed: 0, index: 0 })));
      expect(e.text).toBe(MSG.badModelName(bad));
      expect(e.where).toBe(`${p}:${line}`);
    }
    const p = file(MULTI.replace('2.25,70,5,interactive,b', '2.25,70,5,interactive,c'));
    const e = thrown(() => rows(new TraceFileStream(p, { seed: 0, index: 0 })));
    expect(e.text).toBe(MSG.modelNotListed('c', ['a', 'b']));
    expect(e.where).toBe(`${p}:6`);
    const h = file(MULTI.replace('models=a,b', 'models=a,b+c'));
    const eh = thrown(() => new TraceFileStream(h, { seed: 0, index: 0 }));
    expect(eh.where).toBe(`${h}:1`);
  });

  it('splits per model (name → rows)', () => {
    const { byModel } = splitTraceByModel(file(MULTI));
    expect([...byModel.keys()]).toEqual(['a', 'b']);
    const a = byModel.get('a')!;
    const b = byModel.get('b')!;
    if (a.kind !== 'requests' || b.kind !== 'requests') throw new Error('requests expected');
    expect([...a.t]).toEqual([0.5, 2]);
    expect([...a.inputTokens]).toEqual([100, 90]);
    expect([...b.t]).toEqual([1, 2.25]);
    expect([...b.cls]).toEqual([1, 0]);
    expect([...b.outputTokens]).toEqual([10, 5]);
  });

  it('summarizes one model, with every model’s totals', () => {
    const st = summarizeTraceFile(file(MULTI), 'UTC', 5, 'a');
    expect([st.model, st.requests, st.inputTokens]).toEqual(['a', 2, 190]);
    expect(st.byModel).toEqual([
      { model: 'a', requests: 2, inputTokens: 190, outputTokens: 50 },
      { model: 'b', requests: 2, inputTokens: 150, outputTokens: 15 },
    ]);
  });

  it('counts one model’s work for the limits', () => {
    const p = file(MULTI);
    expect(traceWork(p).requests).toBe(4);
    expect(traceWork(p, Infinity, 'b')).toMatchObject({ requests: 2, lastSeconds: 2.25 });
  });
});

const BINNED = [
  withModels(BIN, 'a,b'),
  't_s,requests,input_tokens,output_tokens,model_copies,model',
  '0,3,300,60,1,a',
  '0,2,100,20,1,b',
  '60,0,0,0,0,a',
  '60,5,500,100,2,b',
  '120,4,400,80,1,a',
  '',
].join('\n');

describe('a binned trace with a model column', () => {
  it('reads every bin with its model; bins of different models may share a t_s', () => {
    const s = readBinnedSeries(file(BINNED));
    expect(s.models).toEqual(['a', 'b']);
    expect([...s.model!]).toEqual([0, 1, 0, 1, 0]);
    expect([...s.t]).toEqual([0, 0, 60, 60, 120]);
    expect([...s.requests]).toEqual([3, 2, 0, 5, 4]);
  });

  it('reads one model’s bins, and expands only them', () => {
    const p = file(BINNED);
    const b = readBinnedSeries(p, 'b');
    expect(b.model).toBeNull();
    expect([...b.t]).toEqual([0, 60]);
    expect([...b.modelCopies!]).toEqual([1, 2]);
    const expanded = rows(new TraceFileStream(p, { seed: 1, index: 0, model: 'b' }));
    expect(expanded).toHaveLength(7);
    expect(expanded.reduce((x, r) => x + r[1]!, 0)).toBe(600);
    expect(expanded.every((r) => r[0]! >= 0 && r[0]! < 120)).toBe(true);
  });

  it('must be read one model at a time as a stream (its models’ bins overlap in time)', () => {
    const p = file(BINNED);
    expect(thrown(() => new TraceFileStream(p, { seed: 0, index: 0 })).text).toBe(
      MSG.severalModels(['a', 'b'], MSG.pickModel(true)),
    );
  });

  it('still refuses one model’s overlapping bins, and unsorted rows across models, at file:line', () => {
    const overlap = file(BINNED.replace('120,4,400,80,1,a', '90,4,400,80,1,a'));
    const e = thrown(() => readBinnedSeries(overlap));
    expect(e.text).toBe(MSG.overlappingBins(90, 60, 60));
    expect(e.where).toBe(`${overlap}:7`);
    const unsorted = file(BINNED.replace('60,5,500,100,2,b', '30,5,500,100,2,b'));
    const u = thrown(() => readBinnedSeries(unsorted));
    expect(u.text).toBe(MSG.unsorted(30, 60));
    expect(u.where).toBe(`${unsorted}:6`);
  });

  it('splits per model, counts one model’s work, and gives one model’s observed copies', () => {
    const p = file(BINNED);
    const { byModel } = splitTraceByModel(p);
    expect([...byModel.keys()]).toEqual(['a', 'b']);
    const a = byModel.get('a')!;
    expect(a.kind === 'binned' && [...a.requests]).toEqual([3, 0, 4]);
    expect(traceWork(p, Infinity, 'a')).toMatchObject({ requests: 7, lastSeconds: 180 });
    expect(traceWork(p).requests).toBe(14);
    const copies = observedCopiesPerMinute(p, 0, 3, 'b')!;
    expect([...copies.perMinute]).toEqual([1, 2, 0]);
    expect(() => observedCopiesPerMinute(p, 0, 3)).toThrow(InputError);
  });

  it('summarizes all models together (bins at one t_s as one) with per-model totals, or one model', () => {
    const p = file(BINNED);
    const all = summarizeTraceFile(p);
    expect(all.requests).toBe(14);
    expect(all.peakPerPeriod).toBe(5); // t=60: 0 + 5; t=0: 3 + 2
    expect(all.modelCopies).toEqual({ peak: 2, copyMinutes: 1 + 1 + 0 + 2 + 1 });
    expect(all.byModel).toEqual([
      { model: 'a', requests: 7, inputTokens: 700, outputTokens: 140 },
      { model: 'b', requests: 7, inputTokens: 600, outputTokens: 120 },
    ]);
    const b = summarizeTraceFile(p, 'UTC', 5, 'b');
    expect(b.model).toBe('b');
    expect(b.requests).toBe(7);
    expect(b.byModel).toHaveLength(2);
  });
});

describe('a trace component with `model:`', () => {
  const traffic = (component: Record<string, unknown>) =>
    Traffic.parse({ start: '2026-11-02T00:00', days: 1, components: [component] });

  it('replays only that model’s rows', () => {
    const p = file(MULTI);
    const s = syntheticStream(traffic({ type: 'trace', file: p, model: 'a' }), 'UTC', 1);
    const got: number[][] = [];
    while (s.next()) got.push([s.t, s.inputTokens, s.outputTokens, s.cls]);
    expect(got).toEqual([
      [0.5, 100, 20, 0],
      [2, 90, 30, 0],
    ]);
  });

  it('is required when the trace holds several models', () => {
    const p = file(MULTI);
    expect(() => syntheticStream(traffic({ type: 'trace', file: p }), 'UTC', 1)).toThrow(
      MSG.severalModels(['a', 'b'], MSG.pickModel(false)),
    );
  });

  it('must be a model name', () => {
    expect(() => traffic({ type: 'trace', file: 'x.csv', model: 'a b' })).toThrow(/model name/);
  });
});
