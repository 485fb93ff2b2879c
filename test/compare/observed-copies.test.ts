import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { observedCopies } from '../../src/compare/run.js';

/*
 * The run reads the observed side of the actual-vs-simulated CMI bill (design §4 item 7) from the
 * first `trace` component with `model_copies`; billing then works on what it read
 * (test/billing/actual-cmi.test.ts).
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-observed-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const HEADER = (period: number, source: string) =>
  `# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned period_s=${period} source=${source}\n`;

describe('observed copies', () => {
  it('reads model_copies per minute of the span, with the trace’s period, offset and source', () => {
    writeFileSync(
      join(TMP, 'cw.csv'),
      HEADER(60, 'cloudwatch%3Atest') +
        't_s,requests,input_tokens,output_tokens,model_copies\n' +
        '0,5,5,5,1\n60,5,5,5,1\n120,5,5,5,2\n180,0,0,0,1\n240,0,0,0,1\n300,0,0,0,1\n360,0,0,0,0\n',
    );
    // A 420 s span is 7 minutes: the seven rows, one a minute.
    const o = observedCopies([{ type: 'trace', file: 'cw.csv', offset: 0 }], TMP, 420)!;
    expect(Array.from(o.perMinute)).toEqual([1, 1, 2, 1, 1, 1, 0]);
    expect(o).toMatchObject({ periodSeconds: 60, offset: 0, source: 'cloudwatch:test' });
  });

  it('spreads a 300 s bin over the five minutes it covers', () => {
    writeFileSync(
      join(TMP, 'cw300.csv'),
      HEADER(300, 'x') + 't_s,requests,input_tokens,output_tokens,model_copies\n0,3,3,3,1\n300,0,0,0,0\n',
    );
    const o = observedCopies([{ type: 'trace', file: 'cw300.csv', offset: 0 }], TMP, 600)!;
    expect(Array.from(o.perMinute)).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(o.periodSeconds).toBe(300);
  });

  it('skips components without model_copies; null when none has them', () => {
    const plain = join(TMP, 'plain.csv');
    writeFileSync(plain, HEADER(60, 'x') + 't_s,requests,input_tokens,output_tokens\n0,1,1,1\n');
    expect(observedCopies([{ type: 'trace', file: plain, offset: 0 }], TMP, 60)).toBeNull();
    expect(observedCopies([], TMP, 60)).toBeNull();
    const o = observedCopies(
      [
        { type: 'trace', file: plain, offset: 0 },
        { type: 'trace', file: 'cw.csv', offset: 0 },
      ],
      TMP,
      120,
    );
    expect(o?.source).toBe('cloudwatch:test');
  });
});
