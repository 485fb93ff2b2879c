import { rmSync } from 'node:fs';

/*
 * What an interrupted command must undo. Code that makes a temporary file or folder (a trace
 * writer's `.tmp`, a report folder's staging copy) registers how to undo it here and unregisters
 * once the temporary thing is gone or has become the real output. On SIGINT/SIGTERM src/cli.ts
 * runs `undoAll()` and exits: no temporary file outlives the command (issue 17 item 3).
 *
 * Writes are synchronous, so a signal is handled between two of them, never inside one; the
 * report folder's swap registers an undo that puts the old folder back if the signal comes
 * between its two renames.
 */

type Undo = () => void;

const pending = new Set<Undo>();

/** Registers `undo`; call the returned function when there is nothing left to undo. */
export function onInterrupt(undo: Undo): () => void {
  pending.add(undo);
  return () => void pending.delete(undo);
}

/** Registers removing `path` (a file or a folder) on interrupt; returns the unregistering function. */
export function removeOnInterrupt(path: string): () => void {
  return onInterrupt(() => rmSync(path, { recursive: true, force: true }));
}

/** Runs every pending undo, newest first; one that fails does not stop the others. */
export function undoAll(): void {
  for (const undo of [...pending].reverse()) {
    pending.delete(undo);
    try {
      undo();
    } catch {
      // Best effort: the process is ending; the next write sweeps what is left (report/folder.ts).
    }
  }
}

/**
 * A test hook (SERVESIM_TEST_INTERRUPT_AT=N): the Nth call raises SIGINT right there, so a test
 * can interrupt a command at every file operation of its report writer in turn. Inert otherwise.
 */
let ops = 0;
export function interruptPoint(): void {
  const at = process.env.SERVESIM_TEST_INTERRUPT_AT;
  if (at === undefined) return;
  if (++ops === Number(at)) process.emit('SIGINT', 'SIGINT');
}
