import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { BreakevenResult, RunResult } from '../compare/result.js';
import { InputError } from '../errors.js';
import type { ForecastResult } from '../planning/forecast/result.js';
import type { ModelCountBreakeven } from '../planning/breakeven/models-result.js';
import { SCHEMA_VERSION, VERSION } from '../version.js';
import type { Chart } from './charts/chart.js';
import { MARKER, readManifest } from './folder.js';
import { META_FILE, parseMeta, type ReportMeta } from './report-meta.js';

/*
 * A saved report folder read back for `servesim report` (rerender.ts draws it again):
 *
 *   folder ─► marker (.servesim-report: which command wrote each file) ─► the command that wrote
 *   report.html ─► its data file (results.json | breakeven.json | forecast.json): kind, schemaVersion
 *   ─► for a run: report-meta.json, the charts' .vl.json specs, the files kept as they are (timeline.csv)
 *
 * Anything missing, unreadable or of a newer schemaVersion is bad input naming the file (exit 2).
 */

/** The commands whose report folders can be re-rendered, and the data file each writes. */
const DATA_FILE = {
  run: 'results.json',
  replay: 'results.json',
  breakeven: 'breakeven.json',
  forecast: 'forecast.json',
} as const;

type Owner = keyof typeof DATA_FILE;
const isOwner = (x: unknown): x is Owner => typeof x === 'string' && Object.hasOwn(DATA_FILE, x);

interface Saved {
  /** The folder, resolved. */
  dir: string;
  /** The command that wrote the report (the marker's owner of its files). */
  owner: Owner;
  /**
   * Files of the report kept byte for byte (not derived from the data file): name → path. Read
   * only when the folder is written again (a replayed trace may be large).
   */
  kept: Map<string, string>;
  /** The data file as parsed (results.json, breakeven.json or forecast.json). */
  doc: Record<string, unknown>;
}

/** A run's or replay's folder. */
export interface SavedRun extends Saved {
  kind: 'run' | 'replay';
  result: RunResult;
  meta: ReportMeta;
  /** The charts in report order, their specs read from `<name>.vl.json`. */
  charts: Chart[];
}

export interface SavedBreakeven extends Saved {
  kind: 'breakeven';
  header: { scenario: string; seed: number; region: string };
  analysis: 'heartbeat' | 'volume' | 'models';
  result: BreakevenResult;
  /** `servesim breakeven models` (its `breakeven.models`); absent for the other analyses. */
  models?: ModelCountBreakeven;
}

export interface SavedForecast extends Saved {
  kind: 'forecast';
  result: ForecastResult;
}

export type SavedReport = SavedRun | SavedBreakeven | SavedForecast;

/** Files a re-render writes itself, by the command that wrote the folder; the rest of its files are kept. */
function derivedFile(owner: Owner, name: string, chartNames: readonly string[]): boolean {
  const charts = chartNames.flatMap((c) => [`${c}.vl.json`, `${c}.svg`, `${c}.png`]);
  const own: Record<Owner, string[]> = {
    run: ['results.json', 'costs.csv', META_FILE],
    replay: ['results.json', 'costs.csv', META_FILE],
    breakeven: ['breakeven.json'],
    forecast: ['forecast.json', 'forecast.csv'],
  };
  return name === 'report.html' || own[owner].includes(name) || charts.includes(name);
}

/** The error of a report file that cannot be read: missing, or the system's reason. */
function readError(path: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  return new InputError(
    code === 'ENOENT'
      ? 'missing: the report folder lacks this file; write the report again'
      : `cannot read (${code ?? 'error'})`,
    path,
  );
}

function readText(dir: string, name: string): string {
  const path = join(dir, name);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw readError(path, e);
  }
}

/** Whether the file at `path` starts with `text` (read no further: a timeline may be large). */
function startsWith(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw readError(path, e);
  }
  try {
    const head = Buffer.alloc(Buffer.byteLength(text));
    const n = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n).toString('utf8') === text;
  } finally {
    closeSync(fd);
  }
}

function readJson(dir: string, name: string): Record<string, unknown> {
  const path = join(dir, name);
  let doc: unknown;
  try {
    doc = JSON.parse(readText(dir, name));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`not valid JSON (${(e as Error).message})`, path);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new InputError('not a JSON object', path);
  return doc as Record<string, unknown>;
}

/** The command that wrote the folder's report: the owner of report.html, else of its only data file. */
function ownerOf(dir: string, files: Record<string, string>): Owner {
  const html = files['report.html'];
  if (html !== undefined) {
    if (isOwner(html)) return html;
    throw new InputError(
      `its report.html was written by \`${html}\`, whose reports \`servesim report\` does not re-render (run, replay, breakeven, forecast)`,
      dir,
    );
  }
  const data = Object.entries(files).filter(([f, by]) => isOwner(by) && DATA_FILE[by] === f);
  if (data.length === 1) return data[0]![1] as Owner;
  throw new InputError(
    data.length === 0
      ? 'no report to re-render: the folder has none of results.json, breakeven.json, forecast.json from run, replay, breakeven or forecast'
      : `several reports and no report.html to tell which: ${data.map(([f]) => f).join(', ')}`,
    dir,
  );
}

/** `kind` and `schemaVersion` of a data file: the expected kind, a version this build reads. */
function checkVersion(doc: Record<string, unknown>, path: string, kinds: readonly string[]): void {
  const { kind, schemaVersion: v } = doc;
  if (typeof kind !== 'string' || !kinds.includes(kind))
    throw new InputError(
      kind === undefined
        ? `has no "kind": written by a servesim too old to re-render (run the command again), or not a servesim result`
        : `unknown kind ${JSON.stringify(kind)} (expected ${kinds.join(' or ')})`,
      path,
    );
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new InputError('"schemaVersion" must be a whole number ≥ 1', path);
  if (v > SCHEMA_VERSION)
    throw new InputError(
      `schemaVersion ${v} is newer than this servesim (${VERSION}) reads (${SCHEMA_VERSION}); upgrade servesim to re-render it`,
      path,
    );
}

/** Each field of `doc` named in `want` has its type, or the file is damaged. */
function checkFields(doc: Record<string, unknown>, path: string, want: Record<string, string>): void {
  for (const [field, type] of Object.entries(want)) {
    const v = doc[field];
    const ok = type === 'array' ? Array.isArray(v) : typeof v === type && v !== null;
    if (!ok)
      throw new InputError(
        `"${field}" must be ${type === 'array' ? 'a list' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`}`,
        path,
      );
  }
}

/** Reads a report folder that `run`, `replay`, `breakeven` or `forecast` wrote. */
export function readReportFolder(folder: string): SavedReport {
  const dir = resolve(folder);
  if (!existsSync(dir)) throw new InputError('no such report folder', dir);
  if (!statSync(dir).isDirectory())
    throw new InputError('not a folder: give the report folder (the one holding report.html)', dir);
  if (!existsSync(join(dir, MARKER)))
    throw new InputError(`not a servesim report folder (it has no ${MARKER} marker)`, dir);
  const manifest = readManifest(dir);
  if (manifest === undefined)
    throw new InputError('cannot read the marker; write the report again', join(dir, MARKER));
  const owner = ownerOf(dir, manifest.files);
  const file = DATA_FILE[owner];
  const path = join(dir, file);
  const doc = readJson(dir, file);
  const ownFiles = Object.keys(manifest.files).filter((f) => manifest.files[f] === owner);
  const keep = (chartNames: readonly string[]) =>
    new Map(
      ownFiles
        .filter((f) => !derivedFile(owner, f, chartNames))
        .map((f) => {
          if (!existsSync(join(dir, f))) throw readError(join(dir, f), { code: 'ENOENT' });
          return [f, join(dir, f)] as const;
        }),
    );

  if (owner === 'breakeven') {
    checkVersion(doc, path, ['breakeven']);
    checkFields(doc, path, { scenario: 'string', seed: 'number', region: 'string', breakeven: 'object' });
    const b = doc.breakeven as Partial<BreakevenResult> & { models?: ModelCountBreakeven };
    const header = {
      scenario: doc.scenario as string,
      seed: doc.seed as number,
      region: doc.region as string,
    };
    if (b.models !== undefined) {
      if (typeof b.models !== 'object' || b.models === null || !Array.isArray(b.models.points))
        throw new InputError('"breakeven.models" must be an object with "points" (a list)', path);
      return {
        kind: 'breakeven',
        dir,
        owner,
        kept: keep(['model-count-crossover']),
        header,
        analysis: 'models',
        result: { heartbeat: [], volume: null },
        models: b.models,
        doc,
      };
    }
    const analysis = b.heartbeat !== undefined ? 'heartbeat' : 'volume';
    if (
      analysis === 'heartbeat'
        ? !Array.isArray(b.heartbeat)
        : typeof b.volume !== 'object' || b.volume === null
    )
      throw new InputError(
        '"breakeven" must hold "heartbeat" (a list), "volume" or "models" (an object)',
        path,
      );
    const result: BreakevenResult = { heartbeat: b.heartbeat ?? [], volume: b.volume ?? null };
    return {
      kind: 'breakeven',
      dir,
      owner,
      kept: keep(['heartbeat', 'volume-crossover']),
      header,
      analysis,
      result,
      doc,
    };
  }
  if (owner === 'forecast') {
    checkVersion(doc, path, ['forecast']);
    checkFields(doc, path, { scenario: 'string', seed: 'number', region: 'string', months: 'array' });
    const { kind: _k, schemaVersion: _v, ...rest } = doc;
    return {
      kind: 'forecast',
      dir,
      owner,
      kept: keep(['forecast-bands']),
      result: rest as unknown as ForecastResult,
      doc,
    };
  }

  // run and replay write the same files; the result's kind says which (a merged run is `run`).
  checkVersion(doc, path, ['run', 'replay']);
  checkFields(doc, path, { scenario: 'string', trace: 'object', options: 'array', assumptions: 'array' });
  const meta = parseMeta(readText(dir, META_FILE), join(dir, META_FILE));
  const charts = meta.charts.map((c) => {
    const spec = readJson(dir, `${c.name}.vl.json`) as unknown as TopLevelSpec;
    return { name: c.name, title: c.title, spec };
  });
  const kept = keep(charts.map((c) => c.name));
  // A run's folder always has its series; their text is kept as it is (no simulation to redo it).
  const timeline = join(dir, 'timeline.csv');
  if (!kept.has('timeline.csv')) kept.set('timeline.csv', timeline);
  if (!startsWith(timeline, 'minute,option,'))
    throw new InputError('not a timeline (its header must start minute,option,)', timeline);
  return {
    kind: doc.kind as 'run' | 'replay',
    dir,
    owner,
    kept,
    doc,
    result: doc as unknown as RunResult,
    meta,
    charts,
  };
}
