import { describe, expect, it } from 'vitest';
import { didYouMean, nearest } from '../src/nearest.js';

describe('nearest name', () => {
  const names = ['slotsPerCopy', 'maxCopies', 'cmuVersion'];
  it('suggests a name within a third of the word (at least 2 edits), case-insensitively', () => {
    expect(nearest('slotPerCopy', names)).toBe('slotsPerCopy'); // 1 edit
    expect(nearest('MAXCOPIES', names)).toBe('maxCopies'); // 0 edits ignoring case
    expect(nearest('cmuVrsn', names)).toBe('cmuVersion'); // 3 edits ≤ ceil(7/3) = 3
  });
  it('stays silent when nothing is close, or there is nothing to suggest', () => {
    expect(nearest('heartbeat', names)).toBeUndefined();
    expect(nearest('x', [])).toBeUndefined();
    expect(didYouMean('heartbeat', names, '.')).toBe('.');
    expect(didYouMean('maxCopys', names)).toBe('; did you mean "maxCopies"?');
  });
});
