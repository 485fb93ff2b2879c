import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Shipped data files (price book, perf profiles, facts) live beside the code under src/ and are
 * read at run time from the package root, so `tsx src/...` and `node dist/src/...` see the same
 * files and users can read (and diff) them.
 */
let root: string | undefined;

export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'data.ts'))) return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('internal: servesim package root not found');
    dir = up;
  }
}

export function readShippedJson(relativePath: string): unknown {
  return JSON.parse(readFileSync(join(packageRoot(), relativePath), 'utf8'));
}

export function shippedPath(relativePath: string): string {
  return join(packageRoot(), relativePath);
}
