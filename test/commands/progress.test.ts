import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/commands/progress.js';

describe('Progress', () => {
  it('writes one line per logged step when not on a terminal', () => {
    const lines: string[] = [];
    const p = new Progress(2, 'lines', (t) => lines.push(t));
    p.tick('simulated a (1/2)');
    p.tick('simulated b (2/2)');
    p.addSteps(1);
    p.tick('rendered chart (1/1)', false);
    p.stop();
    expect(lines).toEqual(['  simulated a (1/2)\n', '  simulated b (2/2)\n']);
  });

  it('writes nothing when off (--quiet, --json)', () => {
    const lines: string[] = [];
    const p = new Progress(1, 'off', (t) => lines.push(t));
    p.tick('simulated a (1/1)');
    p.stop();
    expect(lines).toEqual([]);
  });

  it('shows no bar for work shorter than its delay', () => {
    const lines: string[] = [];
    const p = new Progress(3, 'bar', (t) => lines.push(t), 60_000);
    p.tick('step');
    p.tick('step');
    p.stop();
    expect(lines).toEqual([]);
  });
});
