import type { PriceEntry } from './book.js';

/** What changed between two books, matched by entry id (what `prices refresh` prints). */
export interface BookDiff {
  added: PriceEntry[];
  removed: PriceEntry[];
  changed: PriceChange[];
  unchanged: number;
}

export interface PriceChange {
  id: string;
  unit: string;
  was: number;
  now: number;
  /** Relative change, (now − was) / was; null when `was` is 0. */
  relative: number | null;
}

/** Entries only in `after` (added), only in `before` (removed), and in both at another price. */
export function diffBooks(before: readonly PriceEntry[], after: readonly PriceEntry[]): BookDiff {
  const old = new Map(before.map((e) => [e.id, e]));
  const ids = new Set(after.map((e) => e.id));
  const diff: BookDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const e of after) {
    const was = old.get(e.id);
    if (was === undefined) diff.added.push(e);
    else if (was.price !== e.price)
      diff.changed.push({
        id: e.id,
        unit: e.unit,
        was: was.price,
        now: e.price,
        relative: was.price === 0 ? null : (e.price - was.price) / was.price,
      });
    else diff.unchanged++;
  }
  for (const e of before) if (!ids.has(e.id)) diff.removed.push(e);
  return diff;
}
