/*
 * Numbers and words as charts print them: the data of a chart is rounded here (not results.json),
 * and subtitles are wrapped here because vega does not wrap.
 */

/** `x` rounded to `digits` decimals. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** `x` to `digits` significant digits. */
export function sig(x: number, digits: number): number {
  return Number(x.toPrecision(digits));
}

/** Greedy word wrap at `width` characters (subtitles: vega does not wrap). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** `n` of `d` as a percentage: `12.5%`, `<0.1%`, `0%`; `—` when `d` is 0. */
export function pctText(n: number, d: number): string {
  if (d === 0) return '—';
  const p = (n / d) * 100;
  return `${p === 0 ? '0' : p < 0.1 ? '<0.1' : p.toFixed(1)}%`;
}

/** USD with cents and thousands separators: `$1,234.50`. */
export function usdLabel(x: number): string {
  return `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** The simulated span in words: `day`, `2.5 days`, `6 hours`. */
export function spanText(days: number): string {
  if (days === 1) return 'day';
  if (days >= 1) return `${+days.toFixed(2)} days`;
  return `${+(days * 24).toFixed(2)} hours`;
}
