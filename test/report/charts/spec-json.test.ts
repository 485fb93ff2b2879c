import { describe, expect, it } from 'vitest';
import { latencyCdf } from '../../../src/report/charts/latency-cdf.js';
import { specJson } from '../../../src/report/charts/spec-json.js';
import { defaultRun } from '../fixtures.js';
import { rowsOf } from './spec.js';

describe('specJson', () => {
  it('is the spec as JSON, one data row per line', () => {
    const spec = latencyCdf(defaultRun())!.spec;
    const text = specJson(spec);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(spec)));
    expect(text.endsWith('}\n')).toBe(true);
    const rowLines = text.split('\n').filter((l) => l.trimStart().startsWith('{"option"'));
    expect(rowLines.length).toBe(rowsOf(spec).length);
  });

  it('writes an empty data array as []', () => {
    const text = specJson({ data: { values: [] }, mark: 'point' });
    expect(text).toContain('"values": []');
    expect(JSON.parse(text)).toEqual({ data: { values: [] }, mark: 'point' });
  });
});
