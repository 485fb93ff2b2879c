/*
 * Colour difference for checking the option palette (style.ts): sRGB hex → CIE L*a*b* (D65) →
 * CIEDE2000 ΔE. ΔE ≈ 1 is the smallest difference an observer sees side by side; lines on a
 * chart want far more (the palette test asks for ≥ 10).
 */

/** CIE L*a*b* coordinates. */
export interface Lab {
  L: number;
  a: number;
  b: number;
}

/** `#rrggbb` → L*a*b* under D65 (IEC 61966-2-1 sRGB; CIE 15:2004 for the Lab transform). */
export function hexToLab(hex: string): Lab {
  const lin = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = [lin(1), lin(3), lin(5)];
  // sRGB → XYZ, normalised by the D65 white point (0.95047, 1, 1.08883).
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 / 116) * t + 16 / 116);
  return { L: 116 * f(y) - 16, a: 500 * (f(x) - f(y)), b: 200 * (f(y) - f(z)) };
}

const deg = Math.PI / 180;

/**
 * CIEDE2000 colour difference (kL = kC = kH = 1), as written out in G. Sharma, W. Wu, E. N. Dalal,
 * "The CIEDE2000 color-difference formula: implementation notes, supplementary test data, and
 * mathematical observations", Color Res. Appl. 30 (2005) — including their notes on the hue
 * angle's mean and difference when the two hues lie more than 180° apart.
 * Example: ciede2000({L:50,a:2.6772,b:-79.7751}, {L:50,a:0,b:-82.7485}) = 2.0425 (their pair 1).
 */
export function ciede2000(c1: Lab, c2: Lab): number {
  const C1 = Math.hypot(c1.a, c1.b);
  const C2 = Math.hypot(c2.a, c2.b);
  const Cbar7 = ((C1 + C2) / 2) ** 7;
  const G = 0.5 * (1 - Math.sqrt(Cbar7 / (Cbar7 + 25 ** 7)));
  const a1 = (1 + G) * c1.a;
  const a2 = (1 + G) * c2.a;
  const C1p = Math.hypot(a1, c1.b);
  const C2p = Math.hypot(a2, c2.b);
  const hue = (b: number, a: number) => {
    if (a === 0 && b === 0) return 0;
    const h = Math.atan2(b, a) / deg;
    return h < 0 ? h + 360 : h;
  };
  const h1 = hue(c1.b, a1);
  const h2 = hue(c2.b, a2);
  const dL = c2.L - c1.L;
  const dC = C2p - C1p;
  let dh = 0;
  if (C1p * C2p !== 0) {
    dh = h2 - h1;
    if (dh > 180) dh -= 360;
    else if (dh < -180) dh += 360;
  }
  const dH = 2 * Math.sqrt(C1p * C2p) * Math.sin((dh / 2) * deg);
  const Lbar = (c1.L + c2.L) / 2;
  const Cbar = (C1p + C2p) / 2;
  let hbar = h1 + h2;
  if (C1p * C2p !== 0) {
    if (Math.abs(h1 - h2) <= 180) hbar = (h1 + h2) / 2;
    else hbar = h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2;
  }
  const T =
    1 -
    0.17 * Math.cos((hbar - 30) * deg) +
    0.24 * Math.cos(2 * hbar * deg) +
    0.32 * Math.cos((3 * hbar + 6) * deg) -
    0.2 * Math.cos((4 * hbar - 63) * deg);
  const dTheta = 30 * Math.exp(-(((hbar - 275) / 25) ** 2));
  const Cbar7p = Cbar ** 7;
  const RC = 2 * Math.sqrt(Cbar7p / (Cbar7p + 25 ** 7));
  const SL = 1 + (0.015 * (Lbar - 50) ** 2) / Math.sqrt(20 + (Lbar - 50) ** 2);
  const SC = 1 + 0.045 * Cbar;
  const SH = 1 + 0.015 * Cbar * T;
  const RT = -Math.sin(2 * dTheta * deg) * RC;
  return Math.sqrt((dL / SL) ** 2 + (dC / SC) ** 2 + (dH / SH) ** 2 + RT * (dC / SC) * (dH / SH));
}

/** The smallest CIEDE2000 difference between any two of `hexes`, and which pair. */
export function closestPair(hexes: readonly string[]): { deltaE: number; pair: [string, string] } {
  let best = { deltaE: Infinity, pair: ['', ''] as [string, string] };
  const labs = hexes.map(hexToLab);
  for (let i = 0; i < hexes.length; i++)
    for (let j = i + 1; j < hexes.length; j++) {
      const d = ciede2000(labs[i]!, labs[j]!);
      if (d < best.deltaE) best = { deltaE: d, pair: [hexes[i]!, hexes[j]!] };
    }
  return best;
}
