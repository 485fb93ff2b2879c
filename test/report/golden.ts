import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect } from 'vitest';

/*
 * Golden files: report formats compared byte for byte (they check format, not arithmetic — the
 * numbers are tested elsewhere). They change only deliberately: `UPDATE_GOLDEN=1 npx vitest run
 * test/report` rewrites them; a missing golden file fails (it is never created silently).
 */

export const GOLDEN_DIR = join(import.meta.dirname, '..', 'golden');
export const UPDATING = process.env.UPDATE_GOLDEN === '1';

export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  const shown = relative(process.cwd(), file);
  if (UPDATING) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file))
    throw new Error(
      `golden file ${shown} is missing; create it deliberately: UPDATE_GOLDEN=1 npx vitest run test/report`,
    );
  const expected = readFileSync(file, 'utf8');
  if (actual !== expected) {
    // Show the first differing line rather than two 50 kB strings.
    const a = actual.split('\n');
    const e = expected.split('\n');
    let i = 0;
    while (i < a.length && a[i] === e[i]) i++;
    expect(
      { line: i + 1, actual: a[i], expected: e[i] },
      `${shown} differs; if the change is intended: UPDATE_GOLDEN=1 npx vitest run test/report`,
    ).toEqual({ line: i + 1, actual: e[i], expected: e[i] });
  }
}
