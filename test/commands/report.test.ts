import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlobalFlags } from '../../src/commands/context.js';
import { breakevenCommand } from '../../src/commands/breakeven.js';
import { forecastCommand } from '../../src/commands/forecast.js';
import { replayCommand } from '../../src/commands/replay.js';
import { reportCommand } from '../../src/commands/report.js';
import { runCommand } from '../../src/commands/run.js';
import { traceGenerate } from '../../src/commands/trace/generate.js';
import { ReportFolder } from '../../src/report/folder.js';
import { captureIo } from '../helpers/cli.js';

/*
 * `servesim report <folder>` (issue 20 item 3), in process: a folder that run, replay, breakeven
 * heartbeat or forecast wrote is printed and written again without simulating. The expected bytes
 * are the original command's own output and files. Each folder is first stripped of everything a
 * re-render draws (report.html, the charts' SVG and PNG, the CSVs derived from the result), so an
 * equal folder proves they were drawn again, not copied.
 */

const TMP = mkdtempSync(join(tmpdir(), 'servesim-report-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const TINY_YAML = `name: tiny rerender
description: A morning's trickle through a fixed fleet and a model import.
timezone: Europe/Berlin
traffic:
  components:
    - { type: batch, at: '09:00', count: 40, over: 2h, class: interactive, inputTokens: 250, outputTokens: 60 }
options:
  - { id: fixed-fleet, key: box, replicas: 1, serviceTime: 1s, hourlyPrice: 1.5 }
  - { id: bedrock-cmi, key: cmi }
forecast: { runs: 3, uncertainty: none }
`;
const SCENARIO = join(TMP, 'tiny.yaml');
writeFileSync(SCENARIO, TINY_YAML);

/** What the CLI gives a command printing its table to a pipe (80 columns, no colour). */
const flags = (over: Partial<GlobalFlags> = {}): GlobalFlags => ({
  json: false,
  quiet: true,
  color: false,
  debug: false,
  width: 80,
  ...over,
});

/** What `servesim report <dir>` with `over` prints. */
async function report(dir: string, over: Partial<GlobalFlags> = {}): Promise<string> {
  const io = captureIo();
  await reportCommand(dir, flags(over), io);
  expect(io.stderr).toBe('');
  return io.stdout;
}

/** Every file of `dir` (the marker too), by name. */
function contents(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f))]),
  );
}

/** `report <copy of dir without what a re-render draws> --out <new>` wrote every file of `dir`. */
async function expectSameFolder(dir: string): Promise<void> {
  const copy = `${dir}-stripped`;
  cpSync(dir, copy, { recursive: true });
  for (const f of readdirSync(copy))
    if (/\.(svg|png|html)$/.test(f) || f === 'costs.csv' || f === 'forecast.csv') rmSync(join(copy, f));
  const out = `${dir}-again`;
  await report(copy, { out });
  const want = contents(dir);
  const got = contents(out);
  expect([...got.keys()]).toEqual([...want.keys()]);
  for (const [f, bytes] of want) expect(got.get(f)!.equals(bytes), f).toBe(true);
}

describe('servesim report of a run folder', () => {
  const RUN = join(TMP, 'run');
  const printed = captureIo();
  beforeAll(() => runCommand(SCENARIO, flags({ out: RUN }), printed, { sensitivity: true }));

  it('writes the same folder again: report.html, every chart (spec, SVG, PNG), the CSVs, results.json', async () => {
    // Every chart a run draws, the sensitivity and heartbeat ones included.
    expect(readdirSync(RUN).filter((f) => f.endsWith('.png')).length).toBe(6);
    await expectSameFolder(RUN);
  });

  it('prints what run printed; --format json, csv, html print results.json, costs.csv, report.html', async () => {
    expect(printed.stdout).toContain(`Report: ${join(RUN, 'report.html')}`);
    expect(await report(RUN)).toBe(printed.stdout);
    expect(await report(RUN, { json: true })).toBe(readFileSync(join(RUN, 'results.json'), 'utf8'));
    expect(await report(RUN, { format: 'csv' })).toBe(readFileSync(join(RUN, 'costs.csv'), 'utf8'));
    expect(await report(RUN, { format: 'html' })).toBe(readFileSync(join(RUN, 'report.html'), 'utf8'));
  });
});

describe('servesim report of replay and planning folders', () => {
  it('replay: the folder again (its trace too), the --details text, the trace where it now is', async () => {
    const dir = join(TMP, 'replay');
    traceGenerate(SCENARIO, join(TMP, 'trace.csv'), flags(), captureIo());
    // A trace replayed from its report folder stays in it, as replay's own.
    new ReportFolder(dir).commit(new Map([['trace.csv', readFileSync(join(TMP, 'trace.csv'))]]), 'replay');
    const printed = captureIo();
    await replayCommand(
      { trace: join(dir, 'trace.csv'), scenario: SCENARIO, sensitivity: false },
      flags({ out: dir, details: true }),
      printed,
    );
    expect(printed.stdout).toContain(`Trace: ${join(dir, 'trace.csv')}`);
    // --details: the sparklines of traffic against ready copies, drawn from the saved timeline.csv.
    expect(printed.stdout).toContain('Traffic vs ready copies');
    expect(await report(dir, { details: true })).toBe(printed.stdout);
    await expectSameFolder(dir);
    // Written elsewhere (`expectSameFolder`), the trace went with it: the table names its new place.
    expect(await report(`${dir}-again`, { details: true })).toBe(
      printed.stdout.replaceAll(dir, `${dir}-again`),
    );
  });

  it('breakeven heartbeat: the folder again, the printed analysis; --format csv is refused', async () => {
    const dir = join(TMP, 'heartbeat');
    const printed = captureIo();
    await breakevenCommand('heartbeat', SCENARIO, flags({ out: dir }), printed);
    await expectSameFolder(dir);
    expect(await report(dir)).toBe(printed.stdout);
    expect(await report(dir, { json: true })).toBe(readFileSync(join(dir, 'breakeven.json'), 'utf8'));
    await expect(report(dir, { format: 'csv' })).rejects.toThrow('a breakeven report has no CSV');
    await expect(report(dir, { details: true })).rejects.toThrow(
      '--details: for run and replay reports only',
    );
  });

  it('forecast: the folder again, the printed table, forecast.csv', async () => {
    const dir = join(TMP, 'forecast');
    const printed = captureIo();
    await forecastCommand(SCENARIO, flags({ out: dir }), printed, { months: 2 });
    await expectSameFolder(dir);
    expect(await report(dir)).toBe(printed.stdout);
    expect(await report(dir, { format: 'csv' })).toBe(readFileSync(join(dir, 'forecast.csv'), 'utf8'));
  });
});
