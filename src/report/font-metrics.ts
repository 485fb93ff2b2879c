import { readFileSync } from 'node:fs';
import { shippedPath } from '../data.js';

/*
 * Text widths measured from the shipped font (assets/fonts, the DejaVu Sans the PNGs are drawn
 * with), without a canvas: vega needs them to lay out labels (render.ts installs `measureText` in
 * its worker) and the chart specs use them to decide which labels fit (charts/*). No font library
 * is among the dependencies, so the two TrueType tables that give advance widths — `cmap`
 * (character → glyph) and `hmtx` (glyph → advance) — are read here (OpenType spec, "cmap" formats
 * 4 and 12, "hmtx"). Kerning (GPOS) is not applied: resvg kerns a few pairs ("AV", "Te") a pixel
 * or so closer, so a measured label is never narrower than drawn.
 */

/** Advance widths of one face: per BMP code point, in font units (0: not in the font). */
export interface FaceWidths {
  unitsPerEm: number;
  /** [code point] → advance in font units; 0 where the font has no glyph. */
  advances: Uint16Array;
  /** Advance of the missing glyph (glyph 0), used for characters the font lacks. */
  missing: number;
}

/** Regular and bold, as vega asks for them (`fontWeight` bold or ≥ 600 → bold). */
export interface FontWidths {
  regular: FaceWidths;
  bold: FaceWidths;
}

/** Reads the advance widths of a TrueType/OpenType font file's BMP characters. */
export function readFaceWidths(font: Buffer): FaceWidths {
  const tables = new Map<string, number>();
  const numTables = font.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    tables.set(font.toString('latin1', rec, rec + 4), font.readUInt32BE(rec + 8));
  }
  const at = (tag: string): number => {
    const o = tables.get(tag);
    if (o === undefined) throw new Error(`font has no ${tag} table`);
    return o;
  };
  const unitsPerEm = font.readUInt16BE(at('head') + 18);
  const numberOfHMetrics = font.readUInt16BE(at('hhea') + 34);
  const hmtx = at('hmtx');
  // Glyphs past numberOfHMetrics share the last advance (hmtx).
  const advanceOf = (glyph: number): number =>
    font.readUInt16BE(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1));
  const advances = new Uint16Array(0x10000);
  const set = (cp: number, glyph: number) => {
    if (cp < 0x10000 && glyph !== 0) advances[cp] = advanceOf(glyph);
  };
  const cmap = at('cmap');
  const sub = cmapSubtable(font, cmap);
  const format = font.readUInt16BE(sub);
  if (format === 4) {
    const segX2 = font.readUInt16BE(sub + 6);
    const ends = sub + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const ranges = deltas + segX2;
    for (let s = 0; s < segX2; s += 2) {
      const end = font.readUInt16BE(ends + s);
      const start = font.readUInt16BE(starts + s);
      const delta = font.readUInt16BE(deltas + s);
      const range = font.readUInt16BE(ranges + s);
      for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
        if (range === 0) set(cp, (cp + delta) & 0xffff);
        else {
          const g = font.readUInt16BE(ranges + s + range + 2 * (cp - start));
          set(cp, g === 0 ? 0 : (g + delta) & 0xffff);
        }
      }
    }
  } else if (format === 12) {
    const groups = font.readUInt32BE(sub + 12);
    for (let i = 0; i < groups; i++) {
      const g = sub + 16 + 12 * i;
      const start = font.readUInt32BE(g);
      const end = Math.min(font.readUInt32BE(g + 4), 0xffff);
      const glyph = font.readUInt32BE(g + 8);
      for (let cp = start; cp <= end; cp++) set(cp, glyph + cp - start);
    }
  } else throw new Error(`unsupported cmap format ${format}`);
  return { unitsPerEm, advances, missing: advanceOf(0) };
}

/** The Unicode subtable of a cmap: Windows full repertoire (3,10), else Windows BMP (3,1), else Unicode (0,*). */
function cmapSubtable(font: Buffer, cmap: number): number {
  const n = font.readUInt16BE(cmap + 2);
  let best = -1;
  let rank = 0;
  for (let i = 0; i < n; i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = font.readUInt16BE(rec);
    const encoding = font.readUInt16BE(rec + 2);
    const r =
      platform === 3 && encoding === 10 ? 3 : platform === 3 && encoding === 1 ? 2 : platform === 0 ? 1 : 0;
    if (r > rank) {
      rank = r;
      best = cmap + font.readUInt32BE(rec + 4);
    }
  }
  if (best < 0) throw new Error('font has no Unicode cmap');
  return best;
}

let shipped: FontWidths | undefined;

/** The shipped DejaVu Sans, regular and bold (read once). */
export function shippedFontWidths(): FontWidths {
  shipped ??= {
    regular: readFaceWidths(readFileSync(shippedPath('assets/fonts/DejaVuSans.ttf'))),
    bold: readFaceWidths(readFileSync(shippedPath('assets/fonts/DejaVuSans-Bold.ttf'))),
  };
  return shipped;
}

/**
 * Advance width of `text` in pixels at `fontSize`: the sum of its characters' advances (no
 * kerning), rounded up. Self-contained (no imports, no closures) because render.ts runs its
 * source in the SVG worker.
 * Example: "100" in DejaVu Sans (digits 1303 of 2048 units) at 10 px → 3 × 6.36 = 19.09 → 20.
 */
export function measureText(
  fonts: FontWidths,
  text: string,
  fontSize: number,
  weight?: string | number,
): number {
  const bold = weight === 'bold' || (typeof weight === 'number' && weight >= 600);
  const face = bold ? fonts.bold : fonts.regular;
  let units = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const a = cp < 0x10000 ? face.advances[cp]! : 0;
    units += a === 0 ? face.missing : a;
  }
  return Math.ceil((units * fontSize) / face.unitsPerEm);
}

/** Width (px) of `text` at `fontSize` in the shipped DejaVu Sans (bold for `weight` bold or ≥ 600). */
export function textWidth(text: string, fontSize: number, weight?: string | number): number {
  return measureText(shippedFontWidths(), text, fontSize, weight);
}
