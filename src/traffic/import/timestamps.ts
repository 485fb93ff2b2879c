import { IANAZone } from 'luxon';
import { InputError } from '../../errors.js';

/* Reading the timestamps of imported rows (and of --start/--end flags) as Unix seconds. */

export const TIME_FORMATS = ['auto', 'iso', 'epoch-s', 'epoch-ms', 'relative-s', 'relative-ms'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

/** Default t = 0 for relative timestamps without `--start`: the scenario default start (design §5). */
export const DEFAULT_RELATIVE_START = Date.UTC(2026, 0, 5) / 1000;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** Two decimal digits at i, or −1. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Timestamps → Unix seconds. Formats: ISO-8601 (`T` or a space between date and time, any
 * number of fractional digits, `Z` or `±HH:MM`; without an offset the time is local to
 * `timezone`), epoch seconds, epoch milliseconds, or seconds/milliseconds relative to `start`.
 * `auto` decides from the first value: text → ISO; a number ≥ 1e11 → epoch ms; ≥ 1e8 → epoch s;
 * smaller → relative seconds (relative milliseconds must be asked for).
 */
export class TimestampParser {
  format: Exclude<TimeFormat, 'auto'> | undefined;
  private readonly zone: IANAZone | null;
  private cacheHour = NaN;
  private cacheOffset = 0;

  constructor(
    format: TimeFormat,
    timezone: string,
    private readonly relativeStart: number,
  ) {
    this.format = format === 'auto' ? undefined : format;
    if (!IANAZone.isValidZone(timezone))
      throw new InputError(
        `unknown time zone ${JSON.stringify(timezone)}: use an IANA name such as UTC or Europe/Berlin`,
        '--timezone',
      );
    this.zone = timezone === 'UTC' ? null : IANAZone.create(timezone);
  }

  /** Unix seconds, or NaN when the text does not parse in the format. */
  parse(text: string): number {
    const f = this.format ?? this.detect(text);
    if (f === 'iso') return this.iso(text);
    const v = text.length === 0 ? NaN : +text;
    if (!Number.isFinite(v)) return NaN;
    switch (f) {
      case 'epoch-s':
        return v;
      case 'epoch-ms':
        return v / 1000;
      case 'relative-s':
        return this.relativeStart + v;
      default:
        return this.relativeStart + v / 1000;
    }
  }

  private detect(text: string): Exclude<TimeFormat, 'auto'> {
    const v = text.trim() === '' ? NaN : +text;
    this.format = Number.isFinite(v) ? (v >= 1e11 ? 'epoch-ms' : v >= 1e8 ? 'epoch-s' : 'relative-s') : 'iso';
    return this.format;
  }

  /**
   * ISO fast path: rows of one hour share `YYYY-MM-DDTHH` and the zone suffix, so the instant of
   * that hour is cached and only `:MM:SS.fff` is read by hand (no regex, no Date per row).
   */
  private iso(text: string): number {
    const key = this.hourKey;
    const n = text.length;
    if (key !== '' && n >= 16 && text.charCodeAt(13) === 58 && text.startsWith(key)) {
      const mi = digits2(text, 14);
      let i = 16;
      let sec = 0;
      let frac = 0;
      if (i < n && text.charCodeAt(i) === 58) {
        sec = digits2(text, 17);
        i = 19;
        const c = text.charCodeAt(i);
        if (i < n && (c === 46 || c === 44)) {
          let v = 0;
          let k = 0;
          for (i++; i < n; i++, k++) {
            const d = text.charCodeAt(i) - 48;
            if (d < 0 || d > 9) break;
            if (k < 9) v = v * 10 + d;
          }
          frac = v / POW10[Math.min(k, 9)]!;
        }
      }
      if (
        mi >= 0 &&
        mi <= 59 &&
        sec >= 0 &&
        sec <= 60 &&
        n - i === this.zoneKey.length &&
        text.endsWith(this.zoneKey)
      )
        return this.hourBase + mi * 60 + sec + frac;
    }
    return this.isoSlow(text);
  }

  private hourKey = '';
  private zoneKey = '';
  private hourBase = 0;

  private isoSlow(text: string): number {
    const m = ISO.exec(text.trim());
    if (!m) return NaN;
    const mo = +m[2]!;
    const d = +m[3]!;
    const h = m[4] === undefined ? 0 : +m[4];
    const mi = m[5] === undefined ? 0 : +m[5];
    const s = m[6] === undefined ? 0 : +m[6];
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return NaN;
    const frac = m[7] === undefined ? 0 : +`0.${m[7]}`;
    const localMs = Date.UTC(+m[1]!, mo - 1, d, h, mi, s);
    if (new Date(localMs).getUTCDate() !== d && h < 24) return NaN; // 2026-02-31
    const zone = m[8];
    let offsetMs: number;
    if (zone === undefined) offsetMs = this.localOffset(localMs);
    else if (zone === 'Z' || zone === 'z') offsetMs = 0;
    else {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      offsetMs = sign * (+digits.slice(0, 2) * 60 + +(digits.slice(2) || '0')) * 60_000;
    }
    const t = (localMs - offsetMs) / 1000 + frac;
    if (m[4] !== undefined && text.length >= 16 && text.charCodeAt(13) === 58) {
      this.hourKey = text.slice(0, 13);
      this.zoneKey = zone ?? '';
      this.hourBase = t - (mi * 60 + s + frac);
    }
    return t;
  }

  /** The zone's offset for a local wall-clock reading (the earlier instant when it occurs twice). */
  private localOffset(localMs: number): number {
    if (this.zone === null) return 0;
    const hour = Math.floor(localMs / 3_600_000);
    if (hour === this.cacheHour) return this.cacheOffset;
    const z = this.zone;
    const guess = z.offset(localMs) * 60_000;
    const a = z.offset(localMs - guess) * 60_000;
    const b = z.offset(localMs - a) * 60_000;
    // Repeated hour: both offsets map back onto the reading; keep the earlier instant.
    const offset = a !== b && z.offset(localMs - b) * 60_000 === b ? Math.max(a, b) : b;
    this.cacheHour = hour;
    this.cacheOffset = offset;
    return offset;
  }
}
