import { describe, expect, it } from 'vitest';
import type { RunOutput } from '../../../src/compare/run.js';
import { costByOption, lineKind } from '../../../src/report/charts/cost-by-option.js';
import { textWidth } from '../../../src/report/font-metrics.js';
import { defaultRun, smallRun } from '../fixtures.js';
import type { Json } from './spec.js';

describe('costByOption', () => {
  it('names a segment in full or not at all (never cut short), and its kind is in the legend', () => {
    const out = defaultRun();
    const spec = costByOption(out)!.spec as {
      width: number;
      layer: { data: { values: Json[] } }[];
      encoding?: unknown;
    };
    const domainMax = JSON.stringify(spec).match(/"domain":\[0,([\d.]+)\]/)![1]!;
    const px = spec.width / Number(domainMax);
    const segments = spec.layer[0]!.data.values;
    expect(segments.length).toBe(
      out.result.options.flatMap((o) => o.cost?.lines ?? []).filter((l) => l.amount > 0).length,
    );
    const staffItems = new Set(
      out.result.options
        .flatMap((o) => o.cost?.lines ?? [])
        .flatMap((l) => (l.billedBy === 'staff' ? [l.item] : [])),
    );
    for (const seg of segments) {
      const kind = lineKind(String(seg.item));
      const full = staffItems.has(String(seg.item)) ? `staff: ${kind}` : kind;
      expect(seg.kind).toBe(full);
      expect([full, '']).toContain(seg.label);
      // Named exactly when the whole name fits (measured in the shipped font, 6 px each side).
      const fits = textWidth(full, 11) + 12 <= ((seg.to as number) - (seg.from as number)) * px;
      expect(seg.label === full, String(seg.item)).toBe(fits);
      if (seg.label !== '')
        expect(textWidth(String(seg.label), 11) + 12).toBeLessThanOrEqual(
          ((seg.to as number) - (seg.from as number)) * px,
        );
    }
    expect(segments.some((s) => s.label === 'CMU inference')).toBe(true);
    expect(segments.every((s) => !String(s.label).includes('…'))).toBe(true);
    // The legend: every kind drawn, each with one colour; staff time in grey, after the AWS kinds.
    const color = (
      spec.layer[0] as unknown as { encoding: { color: { scale: { domain: string[]; range: string[] } } } }
    ).encoding.color.scale;
    expect(new Set(color.domain)).toEqual(new Set(segments.map((s) => s.kind)));
    expect(color.domain.at(-1)).toBe('staff: Operations');
    expect(new Set(color.range).size).toBe(color.range.length);
  });

  it('draws a discount faint, back from the end of the positive lines', () => {
    const out = smallRun();
    const box = out.result.options[0]!;
    const discounted: RunOutput = {
      ...out,
      result: {
        ...out.result,
        options: [
          {
            ...box,
            cost: {
              ...box.cost!,
              total: 122.4,
              aws: 122.4,
              lines: [
                ...box.cost!.lines,
                {
                  item: 'Discount (15 %)',
                  quantity: 144,
                  unit: 'USD',
                  unitPrice: -0.15,
                  amount: -21.6,
                  billedBy: 'aws' as const,
                  lineId: 'discount',
                },
              ],
            },
          },
          ...out.result.options.slice(1),
        ],
      },
    };
    const spec = costByOption(discounted)!.spec as { layer: { data: { values: Json[] } }[] };
    expect(spec.layer[0]!.data.values.map((v) => [v.from, v.to, v.opacity])).toEqual([
      [0, 144, 1],
      [122.4, 144, 0.25],
    ]);
    expect(spec.layer[2]!.data.values[0]).toEqual({ option: 'box', at: 144, label: '$122.40' });
  });
});

describe('costByOption: AWS bill and staff time apart', () => {
  it('draws staff time after the AWS lines, as its own kind, and gives the AWS bill beside the total', () => {
    const out = defaultRun();
    const spec = costByOption(out)!.spec as { layer: { data: { values: Json[] } }[] };
    const sm = out.result.options.find((o) => o.key === 'sagemaker-realtime')!;
    const segs = spec.layer[0]!.data.values.filter((v) => v.option === 'sagemaker-realtime');
    // Instance usage first (solid), then the ops line from where it ends (pale).
    const [usage, ops] = sm.cost!.lines;
    expect(usage!.billedBy).toBe('aws');
    expect(ops!.billedBy).toBe('staff');
    expect(segs.map((v) => [v.from, v.kind])).toEqual([
      [0, 'Instance usage'],
      [Math.round(usage!.amount * 1e4) / 1e4, 'staff: Operations'],
    ]);
    const end = spec.layer[2]!.data.values.find((v) => v.option === 'sagemaker-realtime')!;
    // $39.57 AWS + $54.79 staff = $94.36 (the line amounts, rounded to cents).
    expect(end.label).toBe(`$${sm.cost!.total.toFixed(2)} ($${usage!.amount.toFixed(2)} AWS)`);
  });
});

describe('lineKind', () => {
  it('drops the bracketed details of a cost line', () => {
    expect(lineKind('Model storage (2 CMUs, pro-rated)')).toBe('Model storage');
    expect(lineKind('Instance usage (ml.g5.2xlarge, on-demand)')).toBe('Instance usage');
    expect(lineKind('EKS control plane')).toBe('EKS control plane');
  });
});
