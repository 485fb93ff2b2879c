import { accessSync, constants, mkdirSync, statfsSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from './errors.js';

/*
 * Output paths checked before any work (issue 17 item 3): `--out DIR` and `-o FILE` must lead to
 * a writable folder on a real file system. A file where a folder is wanted, a folder where a
 * file is wanted, an unwritable folder or a kernel pseudo-file-system (/proc, /sys: Node's
 * recursive mkdir loops forever there) is bad input naming the flag, exit 2, before simulating.
 */

/** statfs `f_type` of Linux pseudo file systems no report belongs on (linux/magic.h). */
const PSEUDO_FS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1021994, 'devtmpfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0x62656570, 'configfs'],
  [0xde5e81e4, 'efivarfs'],
]);

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The path itself or its nearest ancestor that exists, with its stats. */
function nearestExisting(path: string): { path: string; stats: Stats } {
  for (let p = resolve(path); ; p = dirname(p)) {
    const stats = statOrUndefined(p);
    if (stats !== undefined) return { path: p, stats };
    if (dirname(p) === p) throw new InputError(`${path}: no part of the path exists`);
  }
}

/** Throws unless `folder` (an existing folder) is writable and on a real file system. */
function checkWritableFolder(folder: string, given: string, flag: string): void {
  if (process.platform === 'linux') {
    const fs = PSEUDO_FS.get(statfsSync(folder).type);
    if (fs !== undefined)
      throw new InputError(
        `${given} is on the kernel's ${fs} pseudo file system, where no file can be written; give a path under a real folder`,
        flag,
      );
  }
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch {
    throw new InputError(
      `${given}: the folder ${folder} is not writable; give a path you can write to`,
      flag,
    );
  }
}

/** `--out DIR`: a folder, or a path whose nearest existing part is a writable folder. */
export function checkOutDir(dir: string, flag = '--out'): void {
  const { path, stats } = nearestExisting(dir);
  if (!stats.isDirectory())
    throw new InputError(
      path === resolve(dir)
        ? `${dir} is a file, not a folder; give a folder path (a new or empty one, or a servesim report folder)`
        : `${dir}: ${path} is a file, not a folder`,
      flag,
    );
  // The report folder is swapped in by renames inside its parent: both must be writable.
  checkWritableFolder(path, dir, flag);
  if (path === resolve(dir)) checkWritableFolder(dirname(path), dir, flag);
}

/** `-o FILE`: not a folder, and its folder (or the nearest existing part of it) is writable. */
export function checkOutFile(file: string, flag = '--output'): void {
  const full = resolve(file);
  const own = statOrUndefined(full);
  if (own?.isDirectory())
    throw new InputError(`${file} is a folder; give a file path such as ${file}/trace.csv`, flag);
  const { path, stats } = nearestExisting(dirname(full));
  if (!stats.isDirectory()) throw new InputError(`${file}: ${path} is a file, not a folder`, flag);
  checkWritableFolder(path, file, flag);
}

/**
 * Creates `dir` and its missing parents one level at a time: `mkdirSync(…, {recursive: true})`
 * never returns on /proc (Node loops on its ENOENT), a plain mkdir fails at once.
 */
export function makeDirs(dir: string): void {
  const full = resolve(dir);
  const missing: string[] = [];
  for (let p = full; statOrUndefined(p) === undefined && dirname(p) !== p; p = dirname(p)) missing.push(p);
  for (const p of missing.reverse())
    try {
      mkdirSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
}
