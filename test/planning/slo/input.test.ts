import { inputError } from '../../helpers/errors.js';
import { servesim, type CliOutcome } from '../../helpers/cli.js';
import { describe, expect, it } from 'vitest';
import { parseSloFlag } from '../../../src/commands/slo-flag.js';
import { parseScenarioText, scenarioFromObject } from '../../../src/scenario/load.js';

/*
 * Bad SLO input — in the scenario's `slo:` section or in `servesim run --slo` — is an InputError
 * naming the field (the CLI's exit 2), never a run with a made-up target.
 */

const withSlo = (slo: unknown) =>
  scenarioFromObject({
    name: 'slo-input',
    traffic: { components: [{ type: 'batch', at: '09:00', count: 3, class: 'interactive' }] },
    options: [{ id: 'fixed-fleet' }],
    slo,
  });

describe('the scenario’s slo section', () => {
  it('parses a percentile, a duration and a class (interactive by default)', () => {
    expect(withSlo({ percentile: 'p95', target: '2s' }).scenario.slo).toEqual({
      percentile: 'p95',
      target: 2,
      class: 'interactive',
    });
    expect(withSlo({ percentile: 'p99', target: '500ms', class: 'all' }).scenario.slo).toEqual({
      percentile: 'p99',
      target: 0.5,
      class: 'all',
    });
  });

  it('refuses an unknown percentile, with file, line and field', () => {
    const text = `name: x
traffic:
  components:
    - { type: batch, at: '09:00', count: 3 }
options:
  - id: fixed-fleet
slo: { percentile: p97, target: 2s }
`;
    const e = inputError(() => parseScenarioText(text, 'bad.yaml'));
    expect(e.message).toMatch(/^bad\.yaml:7:\d+: slo\.percentile: .*"p97"/);
  });

  it('refuses a target that is zero, negative or not a duration', () => {
    for (const target of ['0s', 0, '-2s', 'soon']) {
      const e = inputError(() => withSlo({ percentile: 'p95', target }));
      expect(e.where).toBe('slo.target');
    }
    expect(inputError(() => withSlo({ percentile: 'p95', target: '0s' })).message).toMatch(
      /greater than zero/,
    );
  });

  it('refuses an unknown class and an unknown field', () => {
    expect(inputError(() => withSlo({ percentile: 'p95', target: '2s', class: 'vip' })).where).toBe(
      'slo.class',
    );
    expect(inputError(() => withSlo({ percentile: 'p95', target: '2s', clas: 'all' })).where).toBe(
      'slo.clas',
    );
  });
});

describe('--slo', () => {
  it('reads p95=2s, p99=5s and a class', () => {
    expect(parseSloFlag('p95=2s')).toEqual({ percentile: 'p95', target: 2, class: 'interactive' });
    expect(parseSloFlag('p99=5s,class=all')).toEqual({ percentile: 'p99', target: 5, class: 'all' });
    expect(parseSloFlag(' P50=1.5s , class=batch ')).toEqual({
      percentile: 'p50',
      target: 1.5,
      class: 'batch',
    });
  });

  it('names what is wrong', () => {
    const cases: [unknown, string, RegExp][] = [
      ['p97=2s', '--slo percentile', /unknown percentile "p97"; use p50, p95, p99/],
      ['p95=0s', '--slo target', /greater than zero/],
      ['p95=-2s', '--slo target', /must be positive/],
      ['p95=fast', '--slo target', /"fast" is not a duration/],
      ['p95', '--slo', /expected <percentile>=<target>/],
      ['', '--slo', /needs a value/],
      ['p95=2s,class=vip', '--slo class', /unknown class "vip"/],
      ['p95=2s,region=x', '--slo', /unknown part "region=x"/],
      [['p95=2s', 'p99=3s'], '--slo', /more than once/],
    ];
    for (const [v, where, msg] of cases) {
      const e = inputError(() => parseSloFlag(v));
      expect(e.where, String(v)).toBe(where);
      expect(e.message).toMatch(msg);
    }
  });
});

describe('servesim run --slo with bad input (a child process, as a user runs it)', () => {
  const run = (...args: string[]): Promise<CliOutcome> => servesim(['run', ...args]);

  it('exits 2 with one line naming --slo and no output', async () => {
    const [percentile, target] = await Promise.all([
      run('scenarios/mmc.yaml', '--slo', 'p97=2s', '--out', '/nonexistent/never-written'),
      run('scenarios/mmc.yaml', '--slo', 'p95=0s', '--out', '/nonexistent/never-written'),
    ]);
    for (const [r, hint] of [
      [percentile, /^servesim: --slo percentile: unknown percentile "p97"/],
      [target, /^servesim: --slo target: target must be greater than zero/],
    ] as const) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toContain('    at ');
      const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(hint);
    }
  }, 30_000);
});
