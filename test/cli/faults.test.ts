import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { LIMIT_OPTIONS } from '../../src/commands/limit-flags.js';
import { wholeNumberFlag } from '../../src/commands/context.js';
import { forecastSettings, planForecast } from '../../src/planning/forecast/forecast.js';
import { checkScenarioWork, type WorkLimits } from '../../src/scenario/limits.js';
import { inScenarioFile, loadScenarioFile, scenarioFromObject } from '../../src/scenario/load.js';
import { parseGrowth } from '../../src/scenario/units.js';
import { slug } from '../../src/report/text/format.js';
import { importCsv } from '../../src/traffic/import/csv.js';
import { syntheticStream } from '../../src/traffic/synthetic.js';
import { TraceFileStream } from '../../src/traffic/trace/read.js';
import { traceWork } from '../../src/traffic/trace/work.js';

/*
 * The fault battery, in-process part (issue 17 item 5): fast-check generates malformed
 * scenarios, trace files, imports and flag values, and each goes through what the commands do
 * before and instead of simulating (load, the work limits, the trace and the import readers).
 * Every case must end in success or an `InputError` (exit 2) whose message is one line that
 * names where: the scenario file with its line, the trace file with its line, or the flag. Any
 * other exception is what the CLI turns into exit 1, and fails the test. Accepted inputs are also
 * carried through (the trace drained, the import written) under small limits, so each case is
 * bounded. The spawned part (faults-spawn.test.ts) covers hangs and memory.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-faults-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** Small limits: whatever passes is a little work. */
const SMALL: WorkLimits = { maxRequests: 50_000, maxDays: 40 };

let n = 0;
const fresh = (ext: string) => join(TMP, `c${n++}${ext}`);

/** What a case ended in: ok, or the InputError (anything else is rethrown: the test fails). */
function outcome(f: () => void): InputError | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
}

/** One stderr line of reasonable length. */
function oneLine(e: InputError): void {
  expect(e.message).not.toMatch(/[\r\n]/);
  expect(e.message.length).toBeLessThanOrEqual(700);
}

/** Values a careless user types where another was meant. */
const weird = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    0.5,
    1e12,
    1e15,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    '1e12/s',
    '1e15',
    '-5%',
    '1000%',
    '25:99',
    '24:00',
    '02:30',
    '医疗笔记 🚀',
    '...',
    'x'.repeat(5000),
    '9'.repeat(400),
    null,
    true,
    [],
    {},
    { dist: 'lognormal', median: 1e15, p90: 1e16 },
    { dist: 'uniform', min: 5, max: 1 },
  ),
  fc.integer({ min: -5, max: 100_000_000 }),
  fc.string({ maxLength: 12 }),
);

const BASE = {
  name: 'faults',
  timezone: 'America/New_York',
  traffic: {
    start: '2026-03-07T00:00',
    days: 2,
    components: [
      { type: 'poisson', rate: '20/h', from: '08:00', to: '18:00' },
      { type: 'batch', at: '09:00', count: 50, over: '10m' },
      { type: 'trickle', count: 10, from: '01:30', to: '03:30' },
    ],
  },
  options: [
    { id: 'bedrock-cmi', maxCopies: 4 },
    { id: 'self-hosted', instanceType: 'g5.2xlarge' },
  ],
  forecast: { months: 3, runs: 4 },
};

/** Every path to a leaf (and to each object, to replace it whole) of `v`. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [at];
  const here = at.length > 0 ? [at] : [];
  const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
  return [...here, ...entries.flatMap(([k, x]) => paths(x, [...at, k]))];
}
const LEAVES = paths(BASE);
/** Fields a user might add (valid names, so the schema reaches their values). */
const ADDED: (string | number)[][] = [
  ['traffic', 'end'],
  ['options', 0, 'slotsPerCopy'],
  ['options', 1, 'maxNodes'],
  ['model', 'contextLength'],
  ['traffic', 'components', 0, 'outputTokens'],
  ['traffic', 'components', 1, 'inputTokens'],
  ['breakeven', 'volume', 'to'],
  ['forecast', 'growth'],
];

function setAt(obj: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(obj) as Record<string | number, unknown>;
  let o = copy;
  for (const k of path.slice(0, -1)) {
    if (o[k] === null || typeof o[k] !== 'object') o[k] = {};
    o = o[k] as Record<string | number, unknown>;
  }
  o[path.at(-1)!] = value;
  return copy;
}

describe('fault battery, in-process (fast-check)', () => {
  it('malformed scenarios: accepted (and generated) or one line naming the file, line and field', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...LEAVES, ...ADDED), weird), { minLength: 1, maxLength: 3 }),
        (edits) => {
          const obj = edits.reduce<unknown>((o, [p, v]) => setAt(o, p, v), BASE);
          const file = fresh('.yaml');
          writeFileSync(file, stringify(obj));
          const e = outcome(() => {
            const loaded = loadScenarioFile(file);
            inScenarioFile(loaded, () => checkScenarioWork(loaded.scenario, loaded.baseDir, SMALL));
            const s = loaded.scenario;
            const folder = slug(s.name);
            expect(folder.length).toBeGreaterThan(0);
            expect(Buffer.byteLength(folder)).toBeLessThanOrEqual(80);
            // What `trace generate` does: the whole trace, time-ordered.
            const stream = syntheticStream(s.traffic, s.timezone, s.seed, loaded.baseDir);
            let prev = -Infinity;
            let count = 0;
            while (stream.next()) {
              expect(stream.t).toBeGreaterThanOrEqual(prev);
              prev = stream.t;
              count++;
            }
            // The estimate is an upper bound in spirit: at most 3× off for these components.
            expect(count).toBeLessThanOrEqual(3 * SMALL.maxRequests);
            // What `forecast` plans before it simulates.
            planForecast(loaded, { limits: SMALL });
          });
          if (e) {
            oneLine(e);
            // The file with its line, or (a check made when an option is built) the field path.
            const named =
              e.message.startsWith(`${file}:`) || /^(options|traffic|forecast)\.[\w.-]+: /.test(e.message);
            expect(named, e.message).toBe(true);
          }
        },
      ),
      { numRuns: 150, seed: 17 },
    );
  });

  it('malformed trace files: read or one line naming the file (and the line of a bad row)', () => {
    const header = fc.constantFrom(
      '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=requests',
      '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned period_s=60',
      '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned period_s=60 duration_s=1e12',
      '# servesim-trace v1 start=3026-11-02 kind=requests',
      '# servesim-trace v2',
      't_s,input_tokens,output_tokens',
      '',
    );
    const field = fc.oneof(
      fc.constantFrom('0', '1', '-1', '1e12', '1e15', '1e400', 'NaN', '', 'batch', 'x'.repeat(3000), '0.5'),
      fc.nat({ max: 10_000_000 }).map(String),
    );
    const row = fc.array(field, { minLength: 0, maxLength: 5 }).map((f) => f.join(','));
    fc.assert(
      fc.property(
        header,
        fc.constantFrom(
          't_s,input_tokens,output_tokens,class',
          't_s,requests,input_tokens,output_tokens',
          'a,b',
        ),
        fc.array(row, { maxLength: 8 }),
        (h, cols, rows) => {
          const file = fresh('.csv');
          writeFileSync(file, [h, cols, ...rows].join('\n') + '\n');
          const e = outcome(() => {
            const w = traceWork(file, SMALL.maxRequests);
            if (w.requests > SMALL.maxRequests) return;
            const s = new TraceFileStream(file, { seed: 1, index: 0 });
            for (let i = 0; s.next(); i++) expect(i).toBeLessThan(SMALL.maxRequests);
          });
          if (e) {
            oneLine(e);
            expect(e.message.startsWith(file)).toBe(true);
          }
        },
      ),
      { numRuns: 200, seed: 23 },
    );
  });

  it('malformed CSV imports: a trace, or one line naming file:line (or the file), and no file left behind', async () => {
    const cell = fc.oneof(
      fc.constantFrom(
        '2026-11-02T09:00:00Z',
        '3026-11-02T09:00:00Z',
        '1762074000',
        '1',
        '-1',
        '1e15',
        '',
        'batch',
        '"quoted, field"',
        '"unterminated',
        'x'.repeat(2000),
      ),
      fc.string({ maxLength: 6 }),
    );
    const line = fc.array(cell, { maxLength: 5 }).map((c) => c.join(','));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'timestamp,input_tokens,output_tokens',
          'timestamp,requests,input_tokens,output_tokens',
          'time,in,out',
          '',
        ),
        fc.array(line, { maxLength: 6 }),
        fc.boolean(),
        async (head, rows, allowGaps) => {
          const file = fresh('.csv');
          writeFileSync(file, [head, ...rows].join('\n'));
          const dir = fresh('');
          mkdirSync(dir);
          let e: InputError | undefined;
          try {
            await importCsv(file, { output: join(dir, 'trace.csv'), allowGaps });
          } catch (err) {
            if (!(err instanceof InputError)) throw err;
            e = err;
          }
          if (e) {
            oneLine(e);
            expect(e.message.startsWith(file)).toBe(true);
            expect(readdirSync(dir)).toEqual([]);
          } else expect(readdirSync(dir)).toEqual(['trace.csv']);
        },
      ),
      { numRuns: 120, seed: 31 },
    );
  });

  it('flag values: a number, or one line naming the flag', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.constantFrom(
        '1e9',
        '2e17',
        '0',
        '-1',
        '1.5',
        'Infinity',
        'NaN',
        '1e400',
        ' 7 ',
        '9'.repeat(400),
        '1000%',
        '-99%',
      ),
    );
    const scenario = scenarioFromObject(BASE).scenario;
    fc.assert(
      fc.property(text, (v) => {
        for (const [flag, coerce] of [
          ['--max-requests', LIMIT_OPTIONS['max-requests'].coerce],
          ['--max-days', LIMIT_OPTIONS['max-days'].coerce],
        ] as const) {
          const e = outcome(() => {
            const x = coerce(v);
            expect(Number.isFinite(x) && x >= 1).toBe(true);
          });
          if (e) {
            oneLine(e);
            expect(e.message.startsWith(flag)).toBe(true);
          }
        }
        const runs = outcome(() => {
          forecastSettings(scenario, { runs: wholeNumberFlag('runs')(v) });
        });
        if (runs) {
          oneLine(runs);
          expect(runs.message).toMatch(/^--runs/);
        }
        const g = parseGrowth(v);
        if (g !== undefined) {
          const growth = outcome(() => {
            forecastSettings(scenario, { growth: g, months: 600 });
          });
          if (growth) {
            oneLine(growth);
            expect(growth.message).toMatch(/^(--growth|forecast\.growth)/);
          }
        }
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});
