import {
  cpSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { interruptPoint, onInterrupt, removeOnInterrupt } from '../interrupt.js';
import { checkOutDir, makeDirs } from '../out-path.js';
import { VERSION } from '../version.js';

/*
 * The report folder appears whole or not at all (design §11, issue 17 item 3):
 *
 *   files ─► staging folder `.<name>.tmp-<pid>` beside the target (+ the old folder's files
 *   that are not this command's, + the marker) ─► target → `.<name>.old-<pid>`, staging → target
 *   ─► the old folder deleted
 *
 * A signal between the two renames puts the old folder back (src/interrupt.ts); a process killed
 * outright leaves hidden siblings that the next write into the folder sweeps up. Only a folder
 * servesim made — it holds the marker `.servesim-report` — is ever replaced; an empty folder,
 * or one holding only partial-K-of-N.json files of a sharded sweep, may be used; any other
 * existing folder is refused, exit 2: servesim never deletes a user's files.
 *
 * The marker lists which command wrote each file. A command replaces its own previous files (a
 * re-run without sensitivity drops the last run's sensitivity.*), and keeps every other file:
 * another command's report in the same folder (`run`, then `forecast`), shard partials, files
 * the user put there.
 */

/** The marker file of a folder servesim made. */
export const MARKER = '.servesim-report';

/** The marker's content: which command wrote each file of the folder. */
interface Manifest {
  servesim: string;
  files: Record<string, string>;
}

const PARTIAL = /^partial-\d+-of-\d+\.json$/;

/** The marker of `dir`, undefined when it has none or it cannot be read. */
export function readManifest(dir: string): Manifest | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Partial<Manifest>;
    return { servesim: String(m.servesim ?? ''), files: typeof m.files === 'object' ? { ...m.files } : {} };
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A report folder being written: checked when made, so a bad `--out` fails before any work. */
export class ReportFolder {
  readonly dir: string;
  private staging: string | undefined;
  private unstage: (() => void) | undefined;

  constructor(
    dir: string,
    readonly flag = '--out',
  ) {
    this.dir = resolve(dir);
    checkOutDir(this.dir, flag);
    this.checkReplaceable();
  }

  /** Refuses an existing folder that servesim did not make (see the top of this file). */
  private checkReplaceable(): void {
    if (!existsSync(this.dir)) return;
    const entries = readdirSync(this.dir);
    if (entries.includes(MARKER) || entries.every((e) => PARTIAL.test(e))) return;
    throw new InputError(
      `${this.dir} already holds files servesim did not write (it has no ${MARKER} marker), and servesim never replaces such a folder; give a new or empty folder`,
      this.flag,
    );
  }

  /** The staging folder, made on first use: files put here become part of the report on commit. */
  stage(): string {
    if (this.staging === undefined) {
      const parent = dirname(this.dir);
      makeDirs(parent);
      this.sweep();
      const stage = join(parent, `.${basename(this.dir)}.tmp-${process.pid}`);
      this.unstage = removeOnInterrupt(stage);
      rmSync(stage, { recursive: true, force: true });
      mkdirSync(stage);
      this.staging = stage;
    }
    return this.staging;
  }

  /**
   * Writes `files` (and whatever was staged) as `owner`'s part of the report and swaps the folder
   * in. On an error nothing changes: the staging folder is removed and the old folder stays.
   */
  commit(files: ReadonlyMap<string, string | Uint8Array>, owner: string): void {
    this.checkReplaceable();
    const stage = this.stage();
    try {
      for (const [name, content] of files) {
        interruptPoint();
        writeFileSync(join(stage, name), content);
      }
      const manifest: Manifest = { servesim: VERSION, files: {} };
      for (const name of readdirSync(stage)) manifest.files[name] = owner;
      this.carryOver(stage, manifest, owner);
      interruptPoint();
      const sorted = Object.fromEntries(Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : 1)));
      writeFileSync(join(stage, MARKER), JSON.stringify({ ...manifest, files: sorted }, null, 2) + '\n');
      this.swap(stage);
    } catch (e) {
      this.discard();
      throw e;
    }
  }

  /** Keeps `path`, a file of this folder the command read (a replayed trace.csv), as its own. */
  adopt(path: string): void {
    if (dirname(resolve(path)) !== this.dir) return;
    const to = join(this.stage(), basename(path));
    try {
      linkSync(path, to);
    } catch {
      cpSync(path, to);
    }
  }

  /** Removes the staging folder, if any. */
  discard(): void {
    if (this.staging !== undefined) rmSync(this.staging, { recursive: true, force: true });
    this.unstage?.();
    this.staging = undefined;
  }

  /** Copies into `stage` the old folder's entries that are not `owner`'s (hard links where possible). */
  private carryOver(stage: string, manifest: Manifest, owner: string): void {
    if (!existsSync(this.dir)) return;
    const old = readManifest(this.dir);
    for (const name of readdirSync(this.dir)) {
      if (name === MARKER || name in manifest.files) continue;
      const was = old?.files[name];
      if (was === owner) continue; // this command's previous file: stale, dropped
      interruptPoint();
      const from = join(this.dir, name);
      const to = join(stage, name);
      if (lstatSync(from).isFile())
        try {
          linkSync(from, to);
        } catch {
          cpSync(from, to);
        }
      else cpSync(from, to, { recursive: true, verbatimSymlinks: true });
      if (was !== undefined) manifest.files[name] = was;
    }
  }

  /** target → `.<name>.old-<pid>`, staging → target, old deleted; a signal in between restores. */
  private swap(stage: string): void {
    const target = this.dir;
    const old = join(dirname(target), `.${basename(target)}.old-${process.pid}`);
    const hasOld = existsSync(target) && readdirSync(target).length > 0;
    if (!hasOld) {
      // A missing or empty folder: one rename (over an empty folder, as rename(2) allows).
      interruptPoint();
      renameSync(stage, target);
      this.unstage?.();
      this.staging = undefined;
      return;
    }
    const restore = onInterrupt(() => {
      if (!existsSync(target) && existsSync(old)) renameSync(old, target);
      rmSync(old, { recursive: true, force: true });
    });
    try {
      interruptPoint();
      renameSync(target, old);
      interruptPoint();
      renameSync(stage, target);
      this.unstage?.();
      this.staging = undefined;
      interruptPoint();
      rmSync(old, { recursive: true, force: true });
    } catch (e) {
      if (!existsSync(target) && existsSync(old)) renameSync(old, target);
      throw e;
    } finally {
      restore();
    }
  }

  /**
   * Hidden siblings a killed servesim left (`.<name>.tmp-<pid>`, `.<name>.old-<pid>` of a pid
   * no longer running): a lone old folder is put back, the rest removed.
   */
  private sweep(): void {
    const parent = dirname(this.dir);
    const name = basename(this.dir);
    const re = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp|old)-(\\d+)$`);
    for (const entry of readdirSync(parent)) {
      const m = re.exec(entry);
      if (m === null || Number(m[2]) === process.pid || pidAlive(Number(m[2]))) continue;
      const path = join(parent, entry);
      if (m[1] === 'old' && !existsSync(this.dir)) renameSync(path, this.dir);
      else rmSync(path, { recursive: true, force: true });
    }
  }
}
