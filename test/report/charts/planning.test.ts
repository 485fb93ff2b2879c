import { describe, expect, it } from 'vitest';
import { forecastBandsChart } from '../../../src/report/charts/forecast-bands.js';
import { heartbeatChart, rangeHours } from '../../../src/report/charts/heartbeat.js';
import { labelBoxes, placeLabels } from '../../../src/report/charts/place-labels.js';
import { volumeCrossoverChart } from '../../../src/report/charts/volume-crossover.js';
import { forecastFixture, heartbeatFixture, volumeFixture } from './planning-fixtures.js';
import { collect, type Json } from './spec.js';

/** Every inline data row of a spec (all layers and panels). */
function allRows(spec: unknown): Json[] {
  const out: Json[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Json;
      const d = o.data as { values?: Json[] } | undefined;
      if (d?.values) out.push(...d.values);
      for (const [k, v] of Object.entries(o)) if (k !== 'data') walk(v);
    }
  };
  walk(spec);
  return out;
}

describe('heartbeat chart', () => {
  const chart = heartbeatChart([heartbeatFixture()])!;
  const rows = allRows(chart.spec);

  it('puts each schedule at (cold starts avoided, added cost) against no heartbeat; equal points share one', () => {
    // never: 12 interactive hits at $10. always (1m and 5m): 0 hits, $40 → (12, +30);
    // 09:00-17:00: 2 hits, $15 → (10, +5), chosen; 22:00-02:00: 11 hits, $11 → (1, +1).
    // Batch hits (7 each) are not counted.
    const points = rows.filter((r) => 'chosen' in r).map((r) => [r.avoided, r.added, r.chosen]);
    expect(points).toEqual(
      expect.arrayContaining([
        [0, 0, false],
        [12, 30, false],
        [10, 5, true],
        [1, 1, false],
      ]),
    );
    expect(points).toHaveLength(4);
    const labels = rows.filter((r) => 'lx' in r).map((r) => r.label);
    expect(labels).toContain('★ 09:00-17:00, every 5m (+$5.00)');
    expect(labels).toContain('always, every 1m · always, every 5m (+$30.00)');
    expect(labels).toContain('break-even $0.50 per avoided cold start');
    expect(labels).toContain("a cold start's worth: $1.00 per avoided cold start");
  });

  it('draws the break-even and the value of a cold start as lines through the origin', () => {
    const lines = rows.filter((r) => 'line' in r);
    for (const [line, slope] of [
      ['break-even', 0.5],
      ['worth', 1],
    ] as const) {
      const mine = lines.filter((r) => r.line === line);
      expect(mine[0]).toMatchObject({ x: 0, y: 0 });
      expect(mine[1]!.y as number).toBeCloseTo(slope * (mine[1]!.x as number), 3);
    }
  });

  it('shows the hours the chosen and the whole-hour schedules keep warm', () => {
    const bars = rows.filter((r) => 'row' in r && 'from' in r);
    expect(bars).toEqual([
      { row: 'cmi: chosen', option: 'cmi', from: 9, to: 17, opacity: 1 },
      { row: 'cmi: whole hours', option: 'cmi', from: 9, to: 17, opacity: 0.4 },
    ]);
    const notes = rows.filter((r) => 'row' in r && 'at' in r).map((r) => r.label);
    expect(notes).toEqual(['weekdays, every 5m', 'every 5m']);
    expect(rangeHours('22:00-02:30')).toEqual([
      [22, 24],
      [0, 2.5],
    ]);
    expect(rangeHours('00:00-24:00')).toEqual([[0, 24]]);
  });

  it('has nothing to draw without an option that scales to zero', () => {
    expect(heartbeatChart([])).toBeNull();
  });
});

describe('placeLabels', () => {
  it('keeps twelve labels of one crowded corner apart and inside the plot', () => {
    const labels = Array.from({ length: 12 }, (_, i) => ({
      x: 200 + (i % 3) * 4,
      y: 150 + Math.floor(i / 3) * 3,
      text: `schedule ${i}, every 5m (+$${i}.00)`,
      fontSize: 10,
    }));
    const placed = placeLabels(labels, 480, 300);
    expect(placed.every((p) => p.clear)).toBe(true);
    const boxes = labelBoxes(labels, placed);
    for (const b of boxes) {
      expect(b.x0).toBeGreaterThanOrEqual(0);
      expect(b.x1).toBeLessThanOrEqual(480);
      expect(b.y0).toBeGreaterThanOrEqual(0);
      expect(b.y1).toBeLessThanOrEqual(300);
    }
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        const apart = a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0;
        expect(apart, `${i} and ${j}`).toBe(true);
      }
  });
});

describe('volume-crossover chart', () => {
  const chart = volumeCrossoverChart(volumeFixture())!;
  const spec = chart.spec as unknown as {
    layer: { data: { values: Json[] }; encoding?: Json; mark: Json }[];
  };

  it('draws each priced point on log axes, baselines dashed, infeasible points left out', () => {
    const line = spec.layer.find((l) => (l.mark as { type: string }).type === 'line')!;
    const pts = line.data.values;
    // 4 volumes × 3 options, less box at 10,000/day (null: infeasible there).
    expect(pts).toHaveLength(11);
    expect(pts.filter((p) => p.option === 'box').map((p) => p.perDay)).toEqual([10, 100, 1000]);
    expect(pts.filter((p) => p.baseline === true).map((p) => p.option)).toEqual(Array(4).fill('tokens'));
    expect(JSON.stringify(line.encoding)).toContain('"type":"log"');
    // Costs span 0.1–200 $/day (> 20×): the y axis is log too.
    expect(JSON.stringify(spec)).toContain('USD per day (log scale)');
  });

  it('marks and labels each crossover', () => {
    const rules = spec.layer.find((l) => (l.mark as { type: string }).type === 'rule')!;
    expect(rules.data.values.map((r) => [r.at, r.label])).toEqual([
      [316.2, 'cmi → box at 316/day'],
      [3162, 'box → cmi at 3,160/day'],
    ]);
    const texts = spec.layer
      .filter((l) => (l.mark as { type: string }).type === 'text')
      .flatMap((l) => l.data.values);
    expect(texts.map((t) => t.label).sort()).toEqual(['box → cmi at 3,160/day', 'cmi → box at 316/day']);
  });

  it('has nothing to draw without a priced point', () => {
    expect(volumeCrossoverChart({ points: [], crossovers: [], baselines: [] })).toBeNull();
  });
});

describe('forecast-bands chart', () => {
  const chart = forecastBandsChart(forecastFixture())!;
  const rows = (chart.spec as { data: { values: Json[] } }).data.values;

  it('draws a P10–P90 band and the P50 per option per month, baselines last and marked', () => {
    expect(rows).toHaveLength(9);
    expect([...new Set(rows.map((r) => r.panel))]).toEqual(['cmi', 'box', 'tokens (baseline)']);
    const feb = rows.find((r) => r.option === 'cmi' && r.t === Date.UTC(2026, 1, 1))!;
    expect([feb.p10, feb.p50, feb.p90]).toEqual([880, 1100, 1430]);
    const encodings = collect(chart.spec, 'encoding');
    expect(encodings.some((e) => (e.y as Json)?.field === 'p10' && (e.y2 as Json)?.field === 'p90')).toBe(
      true,
    );
  });

  it("gives each panel the horizon's total, P50 (P10–P90), in whole dollars", () => {
    const totals = rows.filter((r) => r.total !== '').map((r) => [r.option, r.total]);
    // cmi: 3,300 × (0.8, 1, 1.3) = 2,640, 3,300, 4,290.
    expect(totals).toEqual([
      ['cmi', '3 months: $3,300 ($2,640–$4,290)'],
      ['box', '3 months: $6,000 ($4,800–$7,800)'],
      ['tokens', '3 months: $90 ($72–$117)'],
    ]);
  });
});
