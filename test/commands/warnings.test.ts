import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { warningLine } from '../../src/commands/warnings.js';
import { ROOT } from '../helpers/cli.js';

/** The SDK's text, as @aws-sdk/core 3.1164 emits it (dist-cjs/submodules/client/index.js). */
const SDK_TEXT = `NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)
versions published after the first week of January 2027
will require node >=22. You are running node v20.20.2.

To continue receiving updates to AWS services, bug fixes,
and security updates please upgrade to node >=22.

More information can be found at: https://a.co/c895JFp`;

describe('process warnings (issue 17 item 4)', () => {
  it("turns the SDK's 7-line Node-version warning into one line naming the Node it needs", () => {
    const line = warningLine(Object.assign(new Error(SDK_TEXT), { name: 'Warning' }));
    expect(line).not.toContain('\n');
    expect(line).toContain('Node 22 or later');
    expect(line).toContain(process.version);
  });

  it('keeps the first line of any other warning', () => {
    const w = Object.assign(new Error('something odd\nmore detail'), { name: 'ExperimentalWarning' });
    expect(warningLine(w)).toBe('warning: ExperimentalWarning: something odd');
  });

  it('prints it once, as one stderr line, in a real process', () => {
    const script = `
      const { installWarningLine } = await import('./src/commands/warnings.ts');
      installWarningLine((l) => process.stderr.write(l));
      process.emitWarning(${JSON.stringify(SDK_TEXT)});
      process.emitWarning(${JSON.stringify(SDK_TEXT)});`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^servesim: note: AWS SDK releases after January 2027 need Node 22/);
  });
});
