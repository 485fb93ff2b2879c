import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * The chart workers and the life of the process (in a child process, as `servesim run` lives):
 * a renderer started and never used must not keep the process alive (a run that fails after
 * starting it exits at once), and a drawing in progress must (the process must not exit with
 * the report unwritten).
 */

const ROOT = join(import.meta.dirname, '..', '..');
const RENDER = pathToFileURL(join(ROOT, 'src', 'report', 'render.ts')).href;
const dir = mkdtempSync(join(tmpdir(), 'servesim-lifetime-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runScript(name: string, code: string) {
  const file = join(dir, name);
  writeFileSync(file, code);
  return spawnSync(process.execPath, ['--import', 'tsx', file], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('chart workers and the process', () => {
  it('an idle renderer does not keep the process alive', () => {
    const r = runScript(
      'idle.mts',
      `import { ChartRenderer } from '${RENDER}';\nChartRenderer.start();\nconsole.log('started');\n`,
    );
    expect(r.signal).toBeNull();
    expect([r.status, r.stdout.trim()]).toEqual([0, 'started']);
  });

  it('a pending drawing keeps it alive until the drawing is done', () => {
    const r = runScript(
      'pending.mts',
      `import { ChartRenderer } from '${RENDER}';
const r = ChartRenderer.start();
const [c] = await r.render([{ name: 'x', title: 'x', spec: { data: { values: [{ a: 1 }] }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } } }]);
console.log(c.svg.startsWith('<svg'), c.png.length > 100);
await r.close();
`,
    );
    expect([r.status, r.stdout.trim()]).toEqual([0, 'true true']);
  });
});
