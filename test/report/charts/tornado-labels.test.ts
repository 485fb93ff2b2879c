import { describe, expect, it } from 'vitest';
import { labelDomain } from '../../../src/report/charts/sensitivity-tornado.js';
import { textWidth } from '../../../src/report/font-metrics.js';
import { NOTE_SIZE } from '../../../src/report/charts/style.js';

describe('tornado labels (labelDomain)', () => {
  it('puts every value label beside or inside its bar, within the plot, never over the input names', () => {
    const m0 = -20;
    const rows: Record<string, string | number>[] = [
      { from: m0, to: 8.7, label: '0.05 FTE' },
      { from: m0, to: -40, label: '300,000 USD per FTE-year' },
      { from: m0, to: -120, label: 'a long label on a long bar' },
      { from: m0, to: -19.9, label: '20 1-minute datapoints' },
      { from: m0, to: 35, label: '150,000 USD per FTE-year' },
    ];
    const missing = [{ at: m0, label: 'pricing-example: not ranked' }];
    const width = 360;
    const [lo, hi] = labelDomain(m0, rows, missing, width);
    const px = (v: number) => ((v - lo) / (hi - lo)) * width;
    for (const r of rows) {
      const w = textWidth(String(r.label), NOTE_SIZE) + 4;
      const [from, to] = [px(Number(r.from)), px(Number(r.to))];
      const right = to >= from;
      if (r.inside === 1) {
        // Inside: between the bar's two ends.
        expect(Math.abs(to - from), String(r.label)).toBeGreaterThanOrEqual(w);
      } else if (right) expect(to + w, String(r.label)).toBeLessThanOrEqual(width + 0.5);
      else expect(to - w, String(r.label)).toBeGreaterThanOrEqual(-0.5);
    }
    expect(px(m0) + textWidth(String(missing[0]!.label), NOTE_SIZE) + 4).toBeLessThanOrEqual(width + 0.5);
    expect(lo).toBeLessThanOrEqual(-120);
    expect(hi).toBeGreaterThanOrEqual(35);
  });

  it('puts a label inside a long bar when beside it would squeeze every bar', () => {
    // Bars −20 → −400 and −20 → 0: a 140-px label left of the long bar would need the axis to
    // reach about −630; inside the bar (about 260 px long) it fits.
    const rows: Record<string, string | number>[] = [
      { from: -20, to: -400, label: 'a label of moderate length' },
      { from: -20, to: 0, label: '5 s' },
    ];
    const [lo, hi] = labelDomain(-20, rows, [], 360);
    expect(rows.map((r) => r.inside)).toEqual([1, 0]);
    const unit = (hi - lo) / 360;
    expect((textWidth('a label of moderate length', NOTE_SIZE) + 8) * unit).toBeLessThanOrEqual(380);
    expect(lo).toBeGreaterThan(-450);
  });
});
