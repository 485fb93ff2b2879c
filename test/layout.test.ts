import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The layout the code keeps (docs/design.md §2, issue 19): small modules, a run core of at most
 * five files, and no import circle that spans folders. The folder boundaries themselves are
 * lint rules (eslint.config.js); these are the checks a linter cannot express.
 */

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative imports of each source file, as absolute .ts paths (type-only imports included). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deps = [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)]
      .map((m) => resolve(dirname(f), m[1]!.replace(/\.js$/, '.ts')))
      .filter((d) => known.has(d));
    graph.set(f, deps);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) out.push(c);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('source layout', () => {
  const files = tsFiles(SRC);

  it('keeps every module at 450 lines or fewer', () => {
    const long = files
      .map((f) => ({ file: relative(ROOT, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > 450);
    expect(long).toEqual([]);
  });

  it('keeps src/compare/ to the run core (at most 5 files)', () => {
    expect(tsFiles(join(SRC, 'compare')).length).toBeLessThanOrEqual(5);
  });

  it('has no import circle spanning more than one folder', () => {
    const spanning = circles(importGraph(files))
      .filter((c) => new Set(c.map((f) => dirname(f))).size > 1)
      .map((c) => c.map((f) => relative(ROOT, f)).sort());
    expect(spanning).toEqual([]);
  });

  it('finds a circle when there is one (the check can fail)', () => {
    const a = join(SRC, 'x', 'a.ts');
    const b = join(SRC, 'y', 'b.ts');
    const c = join(SRC, 'y', 'c.ts');
    const found = circles(
      new Map([
        [a, [b]],
        [b, [c]],
        [c, [a]],
      ]),
    );
    expect(found.map((x) => x.sort())).toEqual([[a, b, c].sort()]);
    expect(
      circles(
        new Map([
          [a, [b]],
          [b, []],
        ]),
      ),
    ).toEqual([]);
  });
});
