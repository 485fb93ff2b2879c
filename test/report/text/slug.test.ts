import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { slug, SLUG_MAX } from '../../../src/report/text/format.js';

/** The fallback as design §11 states it, computed here independently of the code under test. */
const fallback = (name: string) =>
  `scenario-${createHash('sha256').update(Buffer.from(name, 'utf8')).digest('hex').slice(0, 8)}`;

describe('slug (design §7, §11)', () => {
  it('lower-cases and joins runs of other characters with one dash, none at the ends', () => {
    expect(slug('Medical Notes — Q3 (draft)')).toBe('medical-notes-q3-draft');
    expect(slug('  a..b  ')).toBe('a-b');
  });

  it('never returns an empty slug: a name of only other characters gets the hash fallback', () => {
    for (const name of ['医疗笔记 🚀', '...', '-', ' ']) {
      const s = slug(name);
      expect(s).toMatch(/^scenario-[0-9a-f]{8}$/);
      expect(s).toBe(fallback(name));
    }
    // Different names, different folders.
    expect(slug('医疗笔记')).not.toBe(slug('病历'));
  });

  it('is never longer than 80 bytes: a longer one gets the hash fallback', () => {
    const at = 'a'.repeat(SLUG_MAX);
    expect(slug(at)).toBe(at);
    const long = 'x'.repeat(5000);
    expect(slug(long)).toBe(fallback(long));
    expect(Buffer.byteLength(slug(long))).toBeLessThanOrEqual(80);
    expect(slug('b'.repeat(SLUG_MAX + 1))).toBe(fallback('b'.repeat(SLUG_MAX + 1)));
  });
});
