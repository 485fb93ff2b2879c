import { describe, expect, it } from 'vitest';
import { describeValue, pathText, valueAt } from '../src/schema-issues.js';

describe('schema issue helpers', () => {
  const raw = Object.freeze({ options: [{ id: 'x', heartbeat: { every: '5m' } }], empty: null });

  it('finds the value at a path, undefined once the path leaves the data', () => {
    expect(valueAt(raw, ['options', 0, 'heartbeat', 'every'])).toBe('5m');
    expect(valueAt(raw, ['options', 0, 'missing'])).toBeUndefined();
    expect(valueAt(raw, ['options', 0, 'id', 'deeper'])).toBeUndefined();
    expect(valueAt(raw, [])).toBe(raw);
  });

  it('describes a value in the words of the file format', () => {
    expect(describeValue(-1, 'json')).toBe('-1');
    expect(describeValue('EUR', 'yaml')).toBe('"EUR"');
    expect(describeValue(null, 'yaml')).toBe('nothing (an empty value)');
    expect(describeValue(null, 'json')).toBe('null');
    expect(describeValue({}, 'yaml')).toBe('a mapping');
    expect(describeValue({}, 'json')).toBe('an object');
    expect(describeValue([1], 'json')).toBe('a list');
  });

  it('writes a path dotted, empty at the top level', () => {
    expect(pathText(['options', 0, 'heartbeat'])).toBe('options.0.heartbeat');
    expect(pathText([])).toBe('');
  });
});
