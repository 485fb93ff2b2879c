import { inputError } from '../../helpers/errors.js';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { runScenario } from '../../../src/compare/run.js';
import { parseScenarioText } from '../../../src/scenario/load.js';
import { Traffic } from '../../../src/scenario/schema.js';
import { syntheticStream } from '../../../src/traffic/synthetic.js';
import { MSG } from '../../../src/traffic/messages.js';
import { observedCopiesPerMinute, readBinnedSeries } from '../../../src/traffic/trace/binned.js';
import {
  formatHeader,
  parseHeader,
  REQUEST_COLUMNS,
  type TraceHeader,
} from '../../../src/traffic/trace/format.js';
import { TraceFileStream, type TraceSourceOptions } from '../../../src/traffic/trace/read.js';
import { summarizeTraceFile } from '../../../src/traffic/trace/stats.js';
import { TraceWriter, writeRequestTrace } from '../../../src/traffic/trace/write.js';
import type { ArrivalStream } from '../../../src/traffic/types.js';

/*
 * Trace files (design §6): header, streaming reader, lazy expansion of binned series, atomic
 * writer, `trace show` statistics, and `trace` components inside a scenario run. Statistical
 * checks use 5 standard deviations; every stream is seeded.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-trace-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
let n = 0;
const file = (text: string) => {
  const p = join(TMP, `f${n++}.csv`);
  writeFileSync(p, text);
  return p;
};

const REQ_HEAD =
  '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=requests source=test\nt_s,input_tokens,output_tokens,class\n';
const binHead = (period = 60, extra = '') =>
  `# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned period_s=${period}${extra} source=test\nt_s,requests,input_tokens,output_tokens\n`;

interface Req {
  t: number;
  in: number;
  out: number;
  cls: number;
}
function drain(path: string, opts: Partial<TraceSourceOptions> = {}): Req[] {
  const s = new TraceFileStream(path, { seed: 7, index: 0, ...opts });
  const r: Req[] = [];
  while (s.next()) r.push({ t: s.t, in: s.inputTokens, out: s.outputTokens, cls: s.cls });
  return r;
}
const error = inputError;

describe('trace file header', () => {
  it('round-trips, percent-encoding the source', () => {
    const h: TraceHeader = {
      start: '2026-11-02T00:00:00Z',
      kind: 'binned',
      periodSeconds: 300,
      class: 'batch',
      durationSeconds: 86400,
      source: 'cloudwatch:AWS/Bedrock:ModelId=arn:aws:bedrock:x/y z',
    };
    const line = formatHeader(h);
    expect(line).toBe(
      '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned period_s=300 class=batch duration_s=86400 source=cloudwatch%3AAWS%2FBedrock%3AModelId%3Darn%3Aaws%3Abedrock%3Ax%2Fy%20z',
    );
    expect(parseHeader(line, 'f')).toEqual({ ...h, startEpochSeconds: Date.UTC(2026, 10, 2) / 1000 });
  });

  it('ignores unknown keys and rejects what it cannot read', () => {
    expect(
      parseHeader('# servesim-trace v1 start=2026-11-02T00:00:00Z kind=requests future=1 source=x', 'f').kind,
    ).toBe('requests');
    expect(error(() => parseHeader('t_s,input_tokens', 'f')).message).toBe(`f:1: ${MSG.notATrace()}`);
    expect(error(() => parseHeader('# servesim-trace v1 kind=requests', 'f')).message).toContain('start=');
    expect(
      error(() => parseHeader('# servesim-trace v1 start=2026-11-02 kind=requests', 'f')).message,
    ).toContain('start=2026-11-02');
    expect(
      error(() => parseHeader('# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned', 'f')).message,
    ).toContain('period_s');
    expect(
      error(() => parseHeader('# servesim-trace v1 start=2026-11-02T00:00:00Z kind=csv', 'f')).message,
    ).toContain('kind=csv');
  });
});

describe('requests traces', () => {
  it('write and read back exactly to the microsecond', () => {
    const p = join(TMP, 'rt.csv');
    const w = new TraceWriter(p, REQUEST_COLUMNS, {
      start: '2026-11-02T00:00:00Z',
      kind: 'requests',
      source: 's',
    });
    const times = [0, 1e-6, 0.1 + 0.2, 59.9999996, 3599.5, 86399.123456, 1e7 + 0.25];
    times.forEach((t, i) => w.request(t, i * 1000, i, i % 2));
    w.commit();
    expect(readFileSync(p, 'utf8').split('\n').slice(2, 6)).toEqual([
      '0,0,0,interactive',
      '0.000001,1000,1,batch',
      '0.3,2000,2,interactive',
      '60,3000,3,batch',
    ]);
    expect(drain(p)).toEqual(
      times.map((t, i) => ({ t: Math.round(t * 1e6) / 1e6, in: i * 1000, out: i, cls: i % 2 })),
    );
  });

  it('reads BOM and CRLF, skips blank lines', () => {
    const p = file(`\ufeff${REQ_HEAD.replace(/\n/g, '\r\n')}1.5,10,2,batch\r\n\r\n2,3,4,interactive\r\n`);
    expect(drain(p)).toEqual([
      { t: 1.5, in: 10, out: 2, cls: 1 },
      { t: 2, in: 3, out: 4, cls: 0 },
    ]);
  });

  it('applies offset, limit and a class override', () => {
    const p = file(`${REQ_HEAD}0,1,1,batch\n10,1,1,batch\n20,1,1,interactive\n`);
    expect(drain(p, { offset: 5, limit: 25, cls: 'interactive' })).toEqual([
      { t: 5, in: 1, out: 1, cls: 0 },
      { t: 15, in: 1, out: 1, cls: 0 },
    ]);
  });

  it('draws tokens from a distribution when asked (SageMaker traces have none)', () => {
    const p = file(`${REQ_HEAD}0,0,0,interactive\n1,0,0,interactive\n`);
    const r = drain(p, {
      inputTokens: { dist: 'fixed', value: 300 },
      outputTokens: { dist: 'uniform', min: 10, max: 20 },
    });
    expect(r.map((x) => x.in)).toEqual([300, 300]);
    expect(r.every((x) => x.out >= 10 && x.out <= 20)).toBe(true);
  });

  it('names the line of unsorted rows, bad numbers and bad classes', () => {
    const unsorted = file(`${REQ_HEAD}5,1,1,batch\n4,1,1,batch\n`);
    expect(error(() => drain(unsorted)).message).toBe(`${unsorted}:4: ${MSG.unsorted(4, 5)}`);
    const neg = file(`${REQ_HEAD}5,-1,1,batch\n`);
    expect(error(() => drain(neg)).where).toBe(`${neg}:3`);
    const frac = file(`${REQ_HEAD}5,1.5,1,batch\n`);
    expect(error(() => drain(frac)).message).toContain('input_tokens "1.5"');
    const cls = file(`${REQ_HEAD}5,1,1,urgent\n`);
    expect(error(() => drain(cls)).message).toBe(`${cls}:3: ${MSG.badClass('urgent')}`);
    const cols = file('# servesim-trace v1 start=2026-11-02T00:00:00Z kind=requests source=x\ntime,in,out\n');
    expect(error(() => drain(cols)).message).toContain('found: time,in,out');
    expect(error(() => drain(file(''))).message).toContain('is empty');
    expect(error(() => drain(join(TMP, 'missing.csv'))).message).toContain(MSG.noSuchFile('trace'));
  });
});

describe('binned traces expand lazily', () => {
  /** Expanded requests grouped by bin index. */
  function perBin(path: string, period: number, seed = 7) {
    const bins = new Map<number, { n: number; in: number; out: number; ts: number[] }>();
    let prev = -Infinity;
    for (const r of drain(path, { seed })) {
      expect(r.t).toBeGreaterThanOrEqual(prev);
      prev = r.t;
      const b = Math.floor(r.t / period);
      const e = bins.get(b) ?? { n: 0, in: 0, out: 0, ts: [] };
      e.n++;
      e.in += r.in;
      e.out += r.out;
      e.ts.push(r.t);
      bins.set(b, e);
    }
    return bins;
  }

  it('keeps every bin’s count and token sums exactly, inside the bin, in order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gap: fc.integer({ min: 1, max: 3 }),
            requests: fc.integer({ min: 0, max: 40 }),
            perIn: fc.integer({ min: 0, max: 400 }),
            extraIn: fc.integer({ min: 0, max: 39 }),
            perOut: fc.integer({ min: 0, max: 90 }),
            extraOut: fc.integer({ min: 0, max: 39 }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        fc.integer({ min: 0, max: 1000 }),
        (rows, seed) => {
          let t = 0;
          const want = new Map<number, { n: number; in: number; out: number }>();
          const lines = rows.map((r) => {
            t += r.gap * 60;
            const tin = r.requests * r.perIn + (r.requests > 0 ? r.extraIn % r.requests : 0);
            const tout = r.requests * r.perOut + (r.requests > 0 ? r.extraOut % r.requests : 0);
            if (r.requests > 0) want.set(t / 60, { n: r.requests, in: tin, out: tout });
            return `${t},${r.requests},${tin},${tout}`;
          });
          const p = file(binHead() + lines.join('\n') + '\n');
          const got = perBin(p, 60, seed);
          expect(got.size).toBe(want.size);
          for (const [b, w] of want) {
            const g = got.get(b)!;
            expect([g.n, g.in, g.out]).toEqual([w.n, w.in, w.out]);
            expect(g.ts.every((x) => x >= b * 60 && x < (b + 1) * 60)).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('splits tokens evenly to the token: 25 over 10 requests → five get 2, five get 3', () => {
    const p = file(binHead() + '0,10,25,7\n');
    const r = drain(p);
    expect(r.map((x) => x.in).sort()).toEqual([2, 2, 2, 2, 2, 3, 3, 3, 3, 3]);
    expect(r.map((x) => x.out).sort()).toEqual([0, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('spreads a bin’s requests uniformly over it (mean within 5σ)', () => {
    const count = 100_000;
    const p = file(binHead() + `0,${count},0,0\n`);
    const s = new TraceFileStream(p, { seed: 11, index: 0 });
    let sum = 0;
    let firstHalf = 0;
    while (s.next()) {
      sum += s.t / 60;
      if (s.t < 30) firstHalf++;
    }
    // Uniform(0,1): mean 1/2, variance 1/12 → σ of the mean = sqrt(1/(12n)).
    expect(Math.abs(sum / count - 0.5)).toBeLessThan(5 * Math.sqrt(1 / (12 * count)));
    expect(Math.abs(firstHalf / count - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / count));
  });

  it('is the same for the same seed and differs for another', () => {
    const p = file(binHead() + '0,5,50,10\n120,3,30,6\n');
    expect(drain(p, { seed: 3 })).toEqual(drain(p, { seed: 3 }));
    expect(drain(p, { seed: 3 }).map((r) => r.t)).not.toEqual(drain(p, { seed: 4 }).map((r) => r.t));
    // Another component index is another random stream.
    expect(drain(p, { seed: 3, index: 1 }).map((r) => r.t)).not.toEqual(
      drain(p, { seed: 3 }).map((r) => r.t),
    );
  });

  it('gives binned requests the header class and honours offset and limit', () => {
    const p = file(binHead(60, ' class=batch') + '0,2,2,2\n60,2,2,2\n');
    expect(drain(p).every((r) => r.cls === 1)).toBe(true);
    const r = drain(p, { offset: 30, limit: 90 });
    expect(r.length).toBeGreaterThanOrEqual(2);
    expect(r.every((x) => x.t >= 30 && x.t < 90)).toBe(true);
  });

  it('rejects overlapping and unsorted bins with the line', () => {
    const overlap = file(binHead() + '0,1,1,1\n30,1,1,1\n');
    expect(error(() => drain(overlap)).message).toBe(`${overlap}:4: ${MSG.overlappingBins(30, 0, 60)}`);
    const bad = file(binHead() + '0,1.5,1,1\n');
    expect(error(() => drain(bad)).message).toContain('requests "1.5"');
  });

  it('reads a sparse series (missing bins are empty)', () => {
    const p = file(binHead() + '0,1,1,1\n600,1,1,1\n');
    const b = readBinnedSeries(p);
    expect(Array.from(b.t)).toEqual([0, 600]);
  });
});

describe('observed copies per minute', () => {
  it('spreads each period’s maximum over the minutes it covers', () => {
    const p = file(
      '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned period_s=300 source=x\nt_s,requests,input_tokens,output_tokens,model_copies\n0,5,5,5,1\n300,0,0,0,0\n600,9,9,9,2\n',
    );
    const o = observedCopiesPerMinute(p, 0, 16)!;
    expect(o.periodSeconds).toBe(300);
    expect(Array.from(o.perMinute)).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 0]);
    expect(Array.from(observedCopiesPerMinute(p, 120, 6)!.perMinute)).toEqual([0, 0, 1, 1, 1, 1]);
    expect(observedCopiesPerMinute(file(binHead() + '0,1,1,1\n'), 0, 5)).toBeNull();
  });
});

describe('atomic writes', () => {
  it('leaves neither the file nor a temporary when the stream fails midway', () => {
    const dir = join(TMP, 'atomic');
    mkdirSync(dir);
    const target = join(dir, 'trace.csv');
    let i = 0;
    const failing: ArrivalStream = {
      t: 0,
      inputTokens: 1,
      outputTokens: 1,
      cls: 0,
      next() {
        if (++i > 100_000) throw new InputError('boom');
        this.t = i;
        return true;
      },
    };
    expect(() =>
      writeRequestTrace(target, { start: '2026-11-02T00:00:00Z', kind: 'requests', source: 'x' }, failing),
    ).toThrow('boom');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('replaces an existing file only on commit', () => {
    const target = join(TMP, 'replace.csv');
    writeFileSync(target, 'old');
    const w = new TraceWriter(target, REQUEST_COLUMNS);
    w.request(1, 1, 1, 0);
    expect(readFileSync(target, 'utf8')).toBe('old');
    w.abort();
    expect(readFileSync(target, 'utf8')).toBe('old');
    const w2 = new TraceWriter(target, REQUEST_COLUMNS);
    w2.request(1, 2, 3, 0);
    w2.commit({ start: '2026-11-02T00:00:00Z', kind: 'requests', durationSeconds: 60, source: 'x' });
    expect(readFileSync(target, 'utf8')).toBe(
      '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=requests duration_s=60 source=x\nt_s,input_tokens,output_tokens,class\n1,2,3,interactive\n',
    );
    expect(existsSync(target)).toBe(true);
  });
});

describe('trace show statistics', () => {
  it('counts, per-hour profile in the zone, peak per minute and the longest gaps', () => {
    const p = file(
      '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=requests duration_s=86400 source=x\nt_s,input_tokens,output_tokens,class\n' +
        '32400,100,10,interactive\n32401,100,10,batch\n32402,200,20,interactive\n36000,50,5,interactive\n72000,1,1,batch\n',
    );
    const s = summarizeTraceFile(p, 'Europe/Berlin');
    expect(s.requests).toBe(5);
    expect(s.byClass.batch).toEqual({ requests: 2, inputTokens: 101, outputTokens: 11 });
    expect([s.inputTokens, s.outputTokens]).toEqual([451, 46]);
    expect(s.end).toBe('2026-11-03T00:00:00Z');
    expect(s.peakPerMinute).toBe(3);
    // Berlin is UTC+1 in November: 09:00Z → hour 10, 10:00Z → 11, 20:00Z → 21.
    expect(s.perHour[10]).toBe(3);
    expect(s.perHour[11]).toBe(1);
    expect(s.perHour[21]).toBe(1);
    expect(s.longestIdleGaps.map((g) => [g.from, g.seconds])).toEqual([
      ['2026-11-02T10:00:00Z', 36000],
      ['2026-11-02T09:00:02Z', 3598],
      ['2026-11-02T09:00:00Z', 1],
      ['2026-11-02T09:00:01Z', 1],
    ]);
  });

  it('binned: runs of empty bins are gaps of at least their length; copies and latency summarised', () => {
    const p = file(
      '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned period_s=60 source=x\nt_s,requests,input_tokens,output_tokens,throttles,model_copies,latency_ms\n' +
        '0,4,400,40,1,1,1000\n60,0,0,0,0,1,0\n120,0,0,0,0,0,0\n180,1,100,10,0,2,2000\n',
    );
    const s = summarizeTraceFile(p);
    expect(s.requests).toBe(5);
    expect(s.longestIdleGaps).toEqual([{ from: '2026-11-02T00:01:00Z', seconds: 120, atLeast: true }]);
    expect(s.throttles).toBe(1);
    expect(s.modelCopies).toEqual({ peak: 2, copyMinutes: 4 });
    expect(s.meanLatencyMs).toBe(1200);
    expect(s.peakPerMinute).toBe(4);
    expect(s.durationSeconds).toBe(240);
  });
});

describe('trace components in a scenario', () => {
  const yaml = (traffic: string) => `name: trace-mix
timezone: UTC
seed: 5
traffic:
  start: 2026-11-02T00:00
  days: 1
  components:
${traffic}
options:
  - id: fixed-fleet
    replicas: 2
    slotsPerReplica: 4
    hourlyPrice: 1
`;

  it('merges a trace (relative to the scenario file) with synthetic components', () => {
    const dir = join(TMP, 'scen');
    mkdirSync(join(dir, 'traces'), { recursive: true });
    writeFileSync(join(dir, 'traces', 'day.csv'), binHead() + '600,30,3000,600\n7200,10,1000,200\n');
    const text = yaml(
      '    - type: trace\n      file: traces/day.csv\n    - type: batch\n      at: "01:00"\n      count: 5\n',
    );
    const loaded = parseScenarioText(text, join(dir, 'scenario.yaml'));
    const r = runScenario(loaded).result;
    expect(r.trace.requests).toBe(45);
    expect(r.trace.byClass.interactive).toEqual({ requests: 40, inputTokens: 4000, outputTokens: 800 });
    expect(r.trace.byClass.batch.requests).toBe(5);
    expect(r.options[0]!.requests.arrived).toBe(45);
    expect(r).not.toHaveProperty('actualVsSimulated');
  });

  it('names the component and file when the trace is missing', () => {
    const text = yaml('    - type: trace\n      file: nowhere.csv\n');
    const loaded = parseScenarioText(text, join(TMP, 'scenario.yaml'));
    expect(() => runScenario(loaded)).toThrow(`${join(TMP, 'nowhere.csv')}: ${MSG.noSuchFile('trace')}`);
  });

  it('a generated trace replays the same requests as the scenario that generated it', () => {
    const traffic = Traffic.parse({
      start: '2026-11-02T00:00',
      days: 1,
      components: [
        { type: 'poisson', rate: '300/h', inputTokens: { dist: 'lognormal', median: 250, p90: 320 } },
        { type: 'batch', at: '09:00', count: 500, over: '10m' },
      ],
    });
    const out = join(TMP, 'gen.csv');
    const direct = syntheticStream(traffic, 'UTC', 9);
    writeRequestTrace(
      out,
      { start: direct.span.startUtcIso, kind: 'requests', durationSeconds: 86400, source: 'x' },
      direct,
    );
    const a = syntheticStream(traffic, 'UTC', 9);
    const b = syntheticStream(
      Traffic.parse({ start: '2026-11-02T00:00', days: 1, components: [{ type: 'trace', file: out }] }),
      'UTC',
      9,
    );
    let count = 0;
    while (a.next()) {
      expect(b.next()).toBe(true);
      // Written to the µs, read back onto the same 2^-19 s tick: exactly the generated time.
      expect(b.t).toBe(a.t);
      expect([b.inputTokens, b.outputTokens, b.cls]).toEqual([a.inputTokens, a.outputTokens, a.cls]);
      count++;
    }
    expect(b.next()).toBe(false);
    expect(count).toBeGreaterThan(7000);
  });
});
