import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * Every "design §N" in the code, tests, benchmarks and notes must name a section of
 * docs/design.md, so a reader can follow it. Forms in use: `design §3`, `design §4.2`,
 * `design §4 item 7` (= §4.7), `design §4 items 1–4`, `design §7–§8`, `design §3, §5`,
 * `design §8 / §10`. Other documents' sections (`aws-facts §6`) are not design's.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DESIGN = 'docs/design.md';
const SCANNED_DIRS = ['src', 'test', 'bench', 'docs'];
const SCANNED_FILES = ['README.md'];
const TEXT = /\.(ts|js|json|md|ya?ml)$/;
/** This file's own examples are the parser's inputs, not citations. */
const SELF = 'test/docs/design-refs.test.ts';

const START = /\bdesign(?:\.md)?\s+(?=§)/gi;
const ONE = /§\s?(\d+)(?:\.(\d+))?(?:\s+items?\s+(\d+)(?:\s*[–-]\s*(\d+))?)?/y;
const SEPARATOR = /\s*(,|\/|–|-|and)\s*(?=§)/y;

interface Citation {
  section: string;
  /** Offset of the word "design" that starts the citation. */
  index: number;
}

/** The design sections `text` cites, with ranges expanded; `§4 item 7` is section 4.7. */
function citations(text: string): Citation[] {
  const out: Citation[] = [];
  for (const m of text.matchAll(START)) {
    const push = (section: string) => out.push({ section, index: m.index });
    let at = m.index + m[0].length;
    let rangeFrom: number | null = null;
    for (;;) {
      ONE.lastIndex = at;
      const t = ONE.exec(text);
      if (!t) break;
      const major = Number(t[1]);
      if (rangeFrom !== null) for (let n = rangeFrom + 1; n < major; n++) push(String(n));
      if (t[2] !== undefined) push(`${major}.${t[2]}`);
      else if (t[3] !== undefined) {
        const last = Number(t[4] ?? t[3]);
        for (let k = Number(t[3]); k <= last; k++) push(`${major}.${k}`);
      } else push(String(major));
      at = ONE.lastIndex;
      SEPARATOR.lastIndex = at;
      const s = SEPARATOR.exec(text);
      if (!s) break;
      rangeFrom = s[1] === '–' || s[1] === '-' ? major : null;
      at = SEPARATOR.lastIndex;
    }
  }
  return out;
}

/** Section numbers of the headings `## 4. …`, `### 4.2 …` of a markdown text. */
function headings(markdown: string): string[] {
  return [...markdown.matchAll(/^#{2,4}\s+(\d+(?:\.\d+)?)[.\s]/gm)].map((m) => m[1]!);
}

/** `file:line: design §N` for each citation in `files` that `sections` lacks. */
function dangling(files: ReadonlyMap<string, string>, sections: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const [file, text] of files) {
    for (const c of citations(text)) {
      if (sections.has(c.section)) continue;
      const line = text.slice(0, c.index).split('\n').length;
      out.push(`${file}:${line}: design §${c.section}`);
    }
  }
  return out;
}

function scannedFiles(): Map<string, string> {
  const paths = [
    ...SCANNED_DIRS.flatMap((dir) =>
      readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).map((p) => join(dir, p)),
    ),
    ...SCANNED_FILES,
  ]
    .map((p) => p.split('\\').join('/'))
    .filter((p) => TEXT.test(p) && p !== DESIGN && p !== SELF)
    .sort();
  return new Map(paths.map((p) => [p, readFileSync(join(ROOT, p), 'utf8')]));
}

const sections = (text: string) => citations(text).map((c) => c.section);

describe('reading citations', () => {
  it('reads each form in use', () => {
    expect(sections('(design §3)')).toEqual(['3']);
    expect(sections('Design §8 `breakeven`')).toEqual(['8']);
    expect(sections("design §4.2's rule")).toEqual(['4.2']);
    expect(sections('(design §4 item 7)')).toEqual(['4.7']);
    expect(sections('(design §4 items 1–4; scale-in)')).toEqual(['4.1', '4.2', '4.3', '4.4']);
    expect(sections('(issue 9; design §7–§8; docs)')).toEqual(['7', '8']);
    expect(sections('(design §3, §5)')).toEqual(['3', '5']);
    expect(sections('(design §8 / §10)')).toEqual(['8', '10']);
    expect(sections('(design §4 item 5, §11)')).toEqual(['4.5', '11']);
  });

  it("ignores other documents' sections and a bare design", () => {
    expect(sections('(aws-facts §6) toolchain.md §3 design review, §4')).toEqual([]);
    expect(sections('(design §5, "prices are data")')).toEqual(['5']);
  });

  it('names the file and line of a citation the document lacks', () => {
    const files = new Map([['src/x.ts', 'one\n// design §3 and design §4 item 9\n']]);
    expect(dangling(files, new Set(['3', '4', '4.1']))).toEqual(['src/x.ts:2: design §4.9']);
  });
});

describe('docs/design.md', () => {
  const design = readFileSync(join(ROOT, DESIGN), 'utf8');
  const numbers = headings(design);

  it('numbers each section once', () => {
    expect(numbers.length).toBeGreaterThanOrEqual(11);
    expect(numbers.filter((n, i) => numbers.indexOf(n) !== i)).toEqual([]);
  });

  it('has a section for every "design §N" in src/, test/, bench/, docs/ and the README', () => {
    const files = scannedFiles();
    // Guard against a scan that finds nothing and so passes vacuously (there are about 90).
    const count = [...files.values()].reduce((n, text) => n + citations(text).length, 0);
    expect(count).toBeGreaterThan(50);
    expect(dangling(files, new Set(numbers))).toEqual([]);
  });
});
