import { describe, expect, it } from 'vitest';
import { sensitivityText } from '../../src/report/text/sensitivity.js';
import { runScenario } from '../../src/compare/run.js';
import { analyzeSensitivity } from '../../src/planning/sensitivity/sensitivity.js';
import { chartsOf } from '../../src/report/charts/index.js';
import { sensitivityTornado } from '../../src/report/charts/sensitivity-tornado.js';
import { reportHtml } from '../../src/report/html.js';
import { burst } from '../planning/sensitivity/fixtures.js';

/*
 * How the sensitivity result is shown: the tornado's data, the terminal section and the report
 * section, on the hand-worked burst (test/planning/sensitivity/fixtures.ts): slots per copy flips
 * the choice from cmi to the box below 7; the window rule and the CMU rate move cmi's cost;
 * the scale-in rule, scale in after, evict after idle and routing change nothing.
 */

type Json = Record<string, unknown>;

describe('sensitivity output', async () => {
  const loaded = burst();
  const out = runScenario(loaded);
  out.result.sensitivity = await analyzeSensitivity(loaded, { baseline: out.result.options }, { workers: 1 });
  const s = out.result.sensitivity;

  it('draws a tornado of the margin, sorted by its spread, flips in red, no-effect inputs left out', () => {
    const chart = sensitivityTornado(out)!;
    expect(chart.name).toBe('sensitivity');
    expect(chartsOf(out).map((c) => c.name)).toContain('sensitivity');
    const spec = chart.spec as unknown as { layer: Json[] };
    const bars = spec.layer[0]! as {
      data: { values: Json[] };
      encoding: { y: { sort: string[]; axis: Json } };
    };
    // Spreads of cmi − box: slots 7 copies × 2 windows × $0.785 = $10.99; window rule 5 windows ×
    // $0.785 = $3.93; CMU rate 10 windows × 10 CMU-minutes × (0.0785 − 0.05718) = $2.13.
    expect(bars.encoding.y.sort).toEqual([
      'slots per copy (bedrock-cmi) — flips',
      'window rule (bedrock-cmi)',
      'CMU rate (bedrock-cmi)',
    ]);
    const slots = bars.data.values.filter((r) => r.input === 'slots per copy (bedrock-cmi) — flips');
    const m0 = s.baseline.margin!;
    const low = slots.find((r) => r.end === 'low')!;
    expect(low.from).toBeCloseTo(m0, 4);
    expect(low.to).toBeCloseTo(s.inputs.find((x) => x.id === 'bedrock-cmi.slotsPerCopy')!.margin.low!, 4);
    expect(low.to as number).toBeGreaterThan(0);
    expect(low.label).toBe('4 requests');
    expect(JSON.stringify(bars.encoding.y.axis)).toContain('slots per copy (bedrock-cmi) — flips');
    // The flip line at 0 and the baseline margin are both drawn.
    const rules = spec.layer.filter((l) => (l.mark as Json).type === 'rule') as {
      data: { values: Json[] };
    }[];
    expect(rules.map((r) => r.data.values[0]!.at)).toEqual([expect.closeTo(m0, 4), 0]);
  });

  it('prints flips first, then swings, then the inputs with no effect in one line', () => {
    const text = sensitivityText(s);
    const flip = text.indexOf(s.inputs.find((x) => x.flips)!.sentence);
    const swings = text.indexOf("Largest swings of cmi's cost");
    const none = text.indexOf("No effect on any option's cost:");
    expect(flip).toBeGreaterThan(0);
    expect(swings).toBeGreaterThan(flip);
    expect(none).toBeGreaterThan(swings);
    expect(text.slice(none).split('\n')[0]).toBe(
      "No effect on any option's cost: scale-in rule (bedrock-cmi), scale in after (bedrock-cmi), evict after idle (bedrock-cmi), routing (bedrock-cmi).",
    );
  });

  it('puts a section with the sentences and the tornado in report.html', () => {
    const svg = { name: 'sensitivity', title: 'What could flip the choice', svg: '<svg id="t"></svg>' };
    const html = reportHtml(out, [svg], { today: out.book.date, staleDays: 9999 });
    const section = html.slice(html.indexOf('<section id="sensitivity">'));
    expect(section).toContain('the cheapest option becomes box if slots per copy (bedrock-cmi) is below 7');
    expect(section).toContain('id="chart-sensitivity"');
    // Shown once, in its own section, not again among the other charts.
    expect(html.split('id="chart-sensitivity"')).toHaveLength(2);
  });
});
