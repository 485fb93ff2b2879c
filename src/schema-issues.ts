import type { z } from 'zod';
import { echo } from './errors.js';

/*
 * What the input checks share when they turn a zod issue into a one-line message: the issue type,
 * the offending value looked up by the issue's path, that value described for the message, and
 * the path as text. The scenario (YAML) and the price book (JSON) word the rest differently.
 */

export type Issue = z.core.$ZodIssue;

/** The value at `path` inside `raw`; undefined when the path leaves the data (a missing field). */
export function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/**
 * A value as the message shows it after "got": scalars as JSON (`-1`, `"EUR"`), containers by kind,
 * in the words of the file's format — YAML `a mapping` and `nothing (an empty value)`, JSON
 * `an object` and `null`.
 */
export function describeValue(v: unknown, format: 'yaml' | 'json'): string {
  if (v === null) return format === 'yaml' ? 'nothing (an empty value)' : 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return format === 'yaml' ? 'a mapping' : 'an object';
  return echo(v);
}

/** A field path as dotted text: `options.0.heartbeat.every`; empty at the top level. */
export function pathText(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}
