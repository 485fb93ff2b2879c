import { inputError } from '../../helpers/errors.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { afterAll, describe, expect, it } from 'vitest';
import { breakevenCommand, registerBreakevenCommand } from '../../../src/commands/breakeven.js';
import type { GlobalFlags, Io } from '../../../src/commands/context.js';
import { parseScenarioText } from '../../../src/scenario/load.js';
import { everyTwentyMinutes } from '../../compare/fixtures.js';

/*
 * Bad break-even input is an InputError (the CLI's exit 2) naming the field; the command writes
 * breakeven.json and prints text, or the JSON alone with --json.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-breakeven-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const yaml = (breakeven: string): string => `name: bad
traffic:
  components:
    - { type: batch, at: '09:00', count: 24, over: 8h, class: interactive }
options:
  - id: bedrock-cmi
breakeven:
${breakeven}
`;

describe('bad break-even input', () => {
  it('refuses an empty volume range', () => {
    const e = inputError(() => parseScenarioText(yaml('  volume: { from: 1000, to: 1000 }'), 'bad.yaml'));
    expect(e.message).toMatch(/^bad\.yaml:8:\d+: breakeven\.volume\.to: the volume range is empty/);
  });

  it('refuses a decreasing volume range', () => {
    const e = inputError(() => parseScenarioText(yaml('  volume: { from: 5000, to: 100 }'), 'bad.yaml'));
    expect(e.message).toMatch(
      /breakeven\.volume\.to: the volume range is not increasing: to \(100\) is below from \(5000\)/,
    );
  });

  it('refuses a default range turned around by one end', () => {
    // `to` defaults to 1,000,000: a `from` above it is a decreasing range.
    const e = inputError(() => everyTwentyMinutes({ breakeven: { volume: { from: 2e6 } } }));
    expect(e.where).toBe('breakeven.volume.to');
  });

  it('refuses fewer than 2 points and non-positive volumes', () => {
    expect(inputError(() => everyTwentyMinutes({ breakeven: { volume: { points: 1 } } })).where).toBe(
      'breakeven.volume.points',
    );
    expect(inputError(() => everyTwentyMinutes({ breakeven: { volume: { from: 0 } } })).where).toBe(
      'breakeven.volume.from',
    );
  });

  it('refuses a negative cold-start value', () => {
    const e = inputError(() => parseScenarioText(yaml('  coldStartValue: -0.5'), 'bad.yaml'));
    expect(e.message).toMatch(/breakeven\.coldStartValue: must not be negative/);
  });

  it('refuses a negative heartbeat interval', () => {
    const e = inputError(() => everyTwentyMinutes({ breakeven: { heartbeat: { intervals: ['-4m'] } } }));
    expect(e.where).toBe('breakeven.heartbeat.intervals.0');
    expect(e.message).toMatch(/must not be negative/);
  });

  it('refuses a worker count that is not a whole number ≥ 1', async () => {
    for (const bad of ['0', 'two']) {
      let err: unknown;
      try {
        await registerBreakevenCommand(yargs(['breakeven', 'heartbeat', '--workers', bad]))
          .exitProcess(false)
          .fail((_msg, e) => {
            throw e;
          })
          .parseAsync();
      } catch (e) {
        err = e;
      }
      // yargs wraps errors from `coerce` (a YError); cli.ts turns those into exit 2.
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/--workers must be a whole number ≥ 1/);
    }
  });
});

describe('servesim breakeven', () => {
  const flags = (out: string, json: boolean): GlobalFlags => ({
    json,
    out,
    quiet: true,
    color: false,
    debug: false,
  });
  const io = () => {
    const o = { out: '', err: '' };
    const sink: Io = { out: (t) => void (o.out += t), err: (t) => void (o.err += t) };
    return { o, sink };
  };
  const scenario = join(TMP, 'hand.yaml');
  writeFileSync(
    scenario,
    `name: Hand heartbeat
traffic:
  components:
    - { type: batch, at: '09:00', count: 24, over: 8h, class: interactive }
options:
  - { id: bedrock-cmi, key: cmi, coldStart: 30s, evictedColdStart: 30s, serviceTime: 1s }
breakeven:
  coldStartValue: 5
  heartbeat: { intervals: [4m] }
  volume: { from: 10, to: 100, points: 2 }
`,
  );

  it('writes breakeven.json and prints the heartbeat section', async () => {
    const dir = join(TMP, 'text');
    const { o, sink } = io();
    await breakevenCommand('heartbeat', scenario, flags(dir, false), sink, 1);
    const doc = JSON.parse(readFileSync(join(dir, 'breakeven.json'), 'utf8'));
    expect(doc.scenario).toBe('Hand heartbeat');
    expect(Object.keys(doc.breakeven)).toEqual(['heartbeat']);
    // A minute before each request (breakeven-heartbeat.test.ts counts it by hand).
    expect(doc.breakeven.heartbeat[0].bestSchedule.heartbeat.during[0]).toBe('08:59-09:00');
    expect(doc.breakeven.heartbeat[0].wholeHourSchedule.schedule).toBe('09:00-17:00, every 4m');
    expect(o.out).toMatch(/Warm heartbeat — cmi/);
    expect(o.out).toMatch(/08:59-09:00, 09:19-09:20, .*, every 4m ★/);
    expect(o.out).toMatch(/heartbeat: \{ every: 4m, during: \['08:59-09:00', '09:19-09:20', /);
    expect(o.out).toMatch(/avoids 24 of 24 interactive cold-start hits/);
    expect(o.err).toBe('');
  });

  it('with --json prints exactly the file, for the volume analysis', async () => {
    const dir = join(TMP, 'json');
    const { o, sink } = io();
    await breakevenCommand('volume', scenario, flags(dir, true), sink, 1);
    expect(o.out).toBe(readFileSync(join(dir, 'breakeven.json'), 'utf8'));
    const doc = JSON.parse(o.out);
    expect(Object.keys(doc.breakeven)).toEqual(['volume']);
    expect(doc.breakeven.volume.points.map((p: { requestsPerDay: number }) => p.requestsPerDay)).toEqual([
      10, 100,
    ]);
  });
});
