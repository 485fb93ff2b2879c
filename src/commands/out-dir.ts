import { resolve } from 'node:path';
import { checkOutDir } from '../out-path.js';
import { ReportFolder } from '../report/folder.js';
import { slug } from '../report/text/format.js';
import type { GlobalFlags } from './context.js';

/*
 * Where a command's report goes, checked before any work (issue 17 item 3): `--out DIR`, else
 * `reports/<slug of the scenario's name>/`. A bad --out is exit 2 naming it, not an error after
 * the simulation.
 */

/** What a report folder holds: its default name says so, so no command overwrites another's report.html. */
export type ReportKind =
  'run' | 'replay' | 'forecast' | 'breakeven heartbeat' | 'breakeven volume' | 'breakeven models';

/**
 * The name a command's default folder is slugged from: `run` writes `reports/<scenario>/`, the
 * others `reports/<scenario>-<kind>/` (`medical-notes-forecast`, `medical-notes-breakeven-volume`).
 */
export function folderName(scenario: string, kind: ReportKind): string {
  return kind === 'run' ? scenario : `${scenario} ${kind}`;
}

/** The report folder of `name` (see `folderName`), resolved. */
export function reportDir(flags: GlobalFlags, name: string): string {
  return resolve(flags.out ?? `reports/${slug(name)}`);
}

/** Opens (and so checks) the report folder: a file, an unwritable path or a user's folder → exit 2. */
export function openReportFolder(flags: GlobalFlags, name: string): ReportFolder {
  return new ReportFolder(reportDir(flags, name));
}

/** A shard writes one partial file into the folder: the folder must be writable, nothing more. */
export function checkShardDir(flags: GlobalFlags, name: string): void {
  checkOutDir(reportDir(flags, name));
}
