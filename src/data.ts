import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Shipped data files (price book, perf profiles, facts) live beside the code under src/ and are
 * read at run time from the package root, so `tsx src/...` and `node dist/src/...` see the same
 * files and users can read (and diff) them. The package ships them (package.json `files`), so an
 * installed servesim reads them from node_modules/servesim/src/ the same way.
 */
let root: string | undefined;

export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (isServesimRoot(dir)) return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('internal: servesim package root not found');
    dir = up;
  }
}

/** The folder holding servesim's own package.json (an installed package has no src/*.ts to look for). */
function isServesimRoot(dir: string): boolean {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'servesim';
  } catch {
    return false;
  }
}

export function readShippedJson(relativePath: string): unknown {
  return JSON.parse(readFileSync(join(packageRoot(), relativePath), 'utf8'));
}

export function shippedPath(relativePath: string): string {
  return join(packageRoot(), relativePath);
}
