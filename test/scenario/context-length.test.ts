import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { runScenario } from '../../src/compare/run.js';
import { parseScenarioText } from '../../src/scenario/load.js';

/*
 * Issue 15 item 12: inputs longer than the model's context length. Llama 3.1's context is
 * 131,072 tokens; the issue's reproduction sent 200,000.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-context-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const scenario = (inputTokens: string) =>
  [
    'name: long inputs', //                     1
    'model: { contextLength: 131072 }', //      2
    'traffic:', //                              3
    '  components:', //                         4
    '    - type: poisson', //                   5
    '      rate: 1/m', //                       6
    `      inputTokens: ${inputTokens}`, //     7
    'options: [{ id: fixed-fleet }]', //        8
  ].join('\n') + '\n';

function refusal(text: string): InputError {
  try {
    parseScenarioText(text, 'long.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected the scenario to be refused');
}

describe('a component whose typical input is over the context length', () => {
  it('a fixed count above it exits 2, naming the field and its line', () => {
    const e = refusal(scenario('200000'));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(
      /^long\.yaml:7:\d+: traffic\.components\.0\.inputTokens: inputTokens 200000 is above/,
    );
    expect(e.message).toContain('model.contextLength 131072');
  });

  it("a distribution's median above it exits 2; a median below it runs", () => {
    // uniform 100,000–200,000: median (100,000 + 200,000) / 2 = 150,000 > 131,072.
    expect(refusal(scenario('{ dist: uniform, min: 100000, max: 200000 }')).message).toContain(
      'has its median (150000) above',
    );
    expect(refusal(scenario('{ dist: lognormal, median: 140000, p90: 180000 }')).exitCode).toBe(2);
    // Median 100,000 ≤ 131,072: accepted (its tail fails at run time, below).
    expect(() =>
      parseScenarioText(scenario('{ dist: lognormal, median: 100000, p90: 200000 }'), 'ok.yaml'),
    ).not.toThrow();
    // Exactly at the limit is allowed.
    expect(() => parseScenarioText(scenario('131072'), 'ok.yaml')).not.toThrow();
  });
});

describe('traced requests over the context length', () => {
  it('fail with that reason, counted apart, and are never served', () => {
    const trace = join(TMP, 'long.csv');
    writeFileSync(
      trace,
      '# servesim-trace v1 start=2026-11-02T00:00:00Z kind=requests source=test\n' +
        't_s,input_tokens,output_tokens,class\n' +
        '10,1000,50,interactive\n' + //    served
        '20,200000,50,interactive\n' + //  200,000 > 131,072: fails
        '30,131072,50,interactive\n' + //  exactly the context: served
        '40,131073,50,batch\n', //         one over: fails
    );
    const text = [
      'name: traced long inputs',
      'model: { contextLength: 131072 }',
      'traffic:',
      '  start: 2026-11-02T00:00',
      '  days: 1',
      '  components:',
      '    - type: trace',
      '      file: long.csv',
      'options:',
      '  - id: fixed-fleet',
      '    replicas: 1',
      '    slotsPerReplica: 4',
    ].join('\n');
    const r = runScenario(parseScenarioText(text, join(TMP, 'scenario.yaml'))).result;
    const q = r.options[0]!.requests;
    // 4 arrived: 2 served, 2 failed, both for their length.
    expect(q).toMatchObject({ arrived: 4, served: 2, throttled: 0, failed: 2, contextExceeded: 2 });
  });
});
