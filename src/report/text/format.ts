import { createHash } from 'node:crypto';
import { wrap } from './width.js';
import type { HeartbeatSetting, SensitivityInput } from '../../compare/result.js';

/** Number formatting for terminal and CSV output. Rounding happens only here, when printing. */

/**
 * `x` with at least `digits` significant digits — so an amount that is not 0 never reads 0 — and no
 * more decimals than it needs, thousands separated. Example: sig(0.000274) → "0.000274",
 * sig(0.0121) → "0.0121", sig(26.14) → "26.1", sig(1460) → "1,460".
 */
export function sig(x: number, digits = 3): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  // Whole digits are never dropped: 123,456 stays 123,456, not 123,000.
  const whole = Math.max(1, Math.floor(Math.log10(Math.abs(x))) + 1);
  return x.toLocaleString('en-US', { maximumSignificantDigits: Math.min(21, Math.max(digits, whole)) });
}

/**
 * Dollars to the cent; an amount below a cent (but not 0) with two significant digits, so it never
 * reads $0.00. Examples: usd(94.357) → "$94.36", usd(0.0027) → "$0.0027", usd(0.000012) → "$0.000012".
 */
export function usd(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (x !== 0 && Math.abs(x) < 0.01) return `${x < 0 ? '-' : ''}$${sig(Math.abs(x), 2)}`;
  return `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Latency: `0.25 ms`, `793 ms`, `1.32 s`, `3.8 min`, `2.5 h` (a time that is not 0 never reads 0). */
export function seconds(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (x !== 0 && x < 0.0005) return `${sig(x * 1000, 2)} ms`;
  if (x < 1) return `${(x * 1000).toFixed(0)} ms`;
  if (x < 120) return `${x.toFixed(2)} s`;
  if (x < 7200) return `${(x / 60).toFixed(1)} min`;
  return `${(x / 3600).toFixed(1)} h`;
}

/** A count: `1,460`; a fraction keeps one decimal, or more when it would otherwise read 0 (`0.04`). */
export function count(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (x !== 0 && Math.abs(x) < 0.05) return sig(x, 1);
  return x.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** A quantity of a billing unit (`0.000274 FTE-years`, `7.69 1M input tokens`, `1,460 CMU-minutes`). */
export function quantity(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  return Math.abs(x) >= 100 ? count(x) : sig(x);
}

/** A share: `12.5%`; one that is not 0 never reads 0.0% (`0.003%`). */
export function pct(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (x !== 0 && Math.abs(x) < 0.0005) return `${sig(x * 100, 1)}%`;
  return `${(x * 100).toFixed(1)}%`;
}

/** The longest slug, in bytes (it is ASCII): a folder name well inside every file system's 255. */
export const SLUG_MAX = 80;

/**
 * A scenario name as a folder name (design §7, §11): lower-cased, every run of characters outside
 * a-z0-9 turned into `-`, none at either end. A name that leaves nothing (`"医疗笔记 🚀"`, `"..."`)
 * or more than `SLUG_MAX` characters becomes `scenario-` and the first 8 hex digits of the name's
 * SHA-256 instead: never an empty slug (files straight into reports/) nor one too long to create.
 */
export function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (s !== '' && s.length <= SLUG_MAX) return s;
  return `scenario-${createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8)}`;
}

/** `text` broken at spaces into lines of at most `width` display columns (a longer word is cut). */
export function wrapText(text: string, width: number, indent = ''): string {
  return wrap(text, width, indent, indent).join('\n');
}

/** USD with its sign: `+$1.57`, `−$0.52` (a true minus sign). */
export function signedUsd(x: number): string {
  return x < 0 ? `−${usd(-x)}` : `+${usd(x)}`;
}

/** `8`, `45`, `0.0758`, `151,000`: 3 significant digits, thousands separated. */
function num(v: number): string {
  return v.toLocaleString('en-US', { maximumSignificantDigits: 3 });
}

/** `8 requests`, `45 s`, `0.1 FTE`, `active`. */
export function valueText(v: number | string, unit: string): string {
  if (typeof v === 'string') return v;
  return unit ? `${num(v)} ${unit}` : num(v);
}

/** `4–16 requests`, `active vs invoked`. */
export function bandText(r: Pick<SensitivityInput, 'low' | 'high' | 'unit' | 'choices'>): string {
  if (r.choices !== undefined) return r.choices.map((c) => c.value).join(' vs ');
  if (typeof r.low !== 'number' || typeof r.high !== 'number') return `${r.low}–${r.high}`;
  return `${num(r.low)}–${num(r.high)}${r.unit ? ` ${r.unit}` : ''}`;
}

/** `maxCopies 2, heartbeat every 5m 08:00-17:00 (all)`. */
export function describeSettings(s: Record<string, unknown>): string {
  return Object.entries(s)
    .map(([k, v]) => {
      if (v === null) return `no ${k}`;
      if (k === 'heartbeat') {
        const h = v as HeartbeatSetting;
        return `heartbeat every ${h.every} ${h.during.join(', ')}${h.days === 'weekdays' ? ' weekdays' : ''}`;
      }
      return `${k} ${String(v)}`;
    })
    .join(', ');
}
