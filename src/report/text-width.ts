/*
 * Text width without a canvas: vega needs it to lay out labels (render.ts installs it), and the
 * chart specs use it to decide which labels fit inside a bar (charts/cost-by-option.ts).
 */

/**
 * Estimated advance width of a text in DejaVu Sans, in pixels: per-class averages of the font's
 * advance widths (em fractions: digits 0.636, capitals ~0.70, lower case ~0.60, space and narrow
 * punctuation ~0.32); bold is ~8 % wider. Within a few percent on labels, which is what layout needs.
 */
export function textWidth(text: string, fontSize: number, weight?: string | number): number {
  let em = 0;
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') em += 0.636;
    else if (ch >= 'A' && ch <= 'Z') em += ch === 'I' ? 0.295 : ch === 'M' || ch === 'W' ? 0.9 : 0.7;
    else if ('iljft'.includes(ch)) em += 0.33;
    else if ('mw'.includes(ch)) em += 0.86;
    else if (ch >= 'a' && ch <= 'z') em += 0.6;
    else if (" .,:;'|!".includes(ch)) em += 0.32;
    else em += 0.6;
  }
  const bold = weight === 'bold' || (typeof weight === 'number' && weight >= 600);
  return Math.ceil(em * fontSize * (bold ? 1.08 : 1));
}
