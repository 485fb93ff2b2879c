import { describe, expect, it } from 'vitest';
import { STALE_DAYS } from '../../src/pricing/book.js';
import { seconds, usd } from '../../src/report/text/format.js';
import { reportHtml } from '../../src/report/html.js';
import { withNaturalHeight, type HtmlChart } from '../../src/report/html-parts.js';
import { decideVerdict } from '../../src/compare/verdict.js';
import type { BreakevenResult, HeartbeatBreakeven, OptionResult } from '../../src/compare/result.js';
import type { RunOutput } from '../../src/compare/run.js';
import { defaultRun, smallRun } from './fixtures.js';

/*
 * report.html answers first (issue 18 item 2): the verdict opens the page, the ranked options are
 * a table with the cheapest marked, baselines sit apart, infeasible options are a list, and the
 * heartbeat break-even has its section.
 */

const svg = (w: number, h: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect/></svg>`;
const chart = (name: string, h = 300): HtmlChart => ({ name, title: name, svg: svg(600, h) });

/** The text between the first `open` and the next `close` after it. */
function slice(html: string, open: string, close: string): string {
  const at = html.indexOf(open);
  expect(at, open).toBeGreaterThanOrEqual(0);
  return html.slice(at, html.indexOf(close, at));
}

/** The default run with its verdict, as `servesim run` decides it. */
function withVerdict(out: RunOutput): RunOutput {
  const verdict = decideVerdict(out.result, out.scenario.rankBy, out.scenario.maxLossRate);
  return { ...out, result: { ...out.result, verdict } };
}

/** The comparison table's row of an option (from its key to the end of the row). */
function rowOf(html: string, key: string): string {
  const table = slice(html, '<table class="comparison">', '</table>');
  const at = table.search(new RegExp(`>${key}(?=[ <])`));
  expect(at, key).toBeGreaterThanOrEqual(0);
  return table.slice(at, table.indexOf('</tr>', at));
}

const opts = (out: RunOutput) => ({ today: out.book.date, staleDays: STALE_DAYS });

describe('report.html opens with the answer', () => {
  const out = withVerdict(defaultRun());
  const html = reportHtml(out, [chart('cost-by-option')], opts(out));
  const r = out.result;

  it('puts the verdict right under the title, then the comparison, before anything else', () => {
    const body = html.slice(html.indexOf('<body>'));
    const order = ['<h1>', '<section id="verdict"', '<section id="comparison">', '<section id="run">'];
    const at = order.map((s) => body.indexOf(s));
    expect(at.every((x) => x >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // Nothing but the title between the body's start and the verdict.
    expect(body.slice(0, at[1]).replace(/<h1>[^<]*<\/h1>|<\/?(body|header)>|\s/g, '')).toBe('');
    expect(slice(html, '<section id="verdict"', '</section>')).toContain(r.verdict!.text.slice(0, 40));
  });

  it('ranks the options that serve the fine-tune cheapest first and marks the cheapest ★', () => {
    const ranked = slice(html, '<tbody class="ranked">', '</tbody>');
    const keys = [...ranked.matchAll(/<th scope="row">(?:<span[^>]*><\/span>)?([\w-]+)/g)].map((m) => m[1]!);
    const byKey = new Map(r.options.map((o) => [o.key, o]));
    // Every ranked row serves the fine-tune, and the totals never fall going down the table.
    for (const k of keys) expect(byKey.get(k)?.feasible && !byKey.get(k)?.baseline, k).toBe(true);
    const totals = keys.map((k) => byKey.get(k)!.cost!.total);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(keys.length).toBe(r.options.filter((o) => o.feasible && !o.baseline).length);
    // One ★, on the verdict's cheapest, the first row.
    expect(html.split('★ cheapest')).toHaveLength(2);
    expect(keys[0]).toBe(r.verdict!.cheapest);
    expect(ranked).toMatch(
      new RegExp(
        `<tr class="cheapest"><td class="num">1</td><th scope="row">.*${keys[0]} <span class="tag best">★ cheapest</span>`,
      ),
    );
    expect(ranked).toContain(`${r.verdict!.runnerUp} <span class="tag">runner-up</span>`);
  });

  it('sets the per-token baselines apart, under the ranked options, each labelled', () => {
    const baselines = r.options.filter((o) => o.feasible && o.baseline);
    expect(baselines.length).toBeGreaterThan(0);
    const group = slice(html, '<tbody class="baselines">', '</tbody>');
    expect(html.indexOf('<tbody class="baselines">')).toBeGreaterThan(html.indexOf('<tbody class="ranked">'));
    expect(group).toContain('Baselines — serve another model');
    expect(group.split('baseline — serves another model')).toHaveLength(baselines.length + 1);
    for (const o of baselines) expect(group).toContain(`${o.key} <span class="tag base">`);
    expect(slice(html, '<tbody class="ranked">', '</tbody>')).not.toContain('baseline');
  });

  it('lists the options that cannot serve, with why, instead of giving them columns', () => {
    const infeasible = r.options.filter((o) => !o.feasible);
    expect(infeasible.length).toBeGreaterThan(0);
    const table = slice(html, '<table class="comparison">', '</table>');
    const list = slice(html, '<h3 id="not-feasible">Not feasible, and why</h3>', '</ul>');
    for (const o of infeasible) {
      expect(table).not.toContain(`>${o.key}<`);
      expect(list).toContain(`<li id="why-${o.key}"><strong>${o.key}</strong>`);
      expect(list).toContain(o.reasons[0]!.replace(/'/g, '&#39;').slice(0, 30));
    }
    // The details table has no column for them either: no dashes for what cannot run.
    const details = slice(html, '<table class="details">', '</thead>');
    for (const o of infeasible) expect(details).not.toContain(`>${o.key}<`);
    // bedrock-provisioned has no model-unit price in the book: its line says so.
    const unpriced = infeasible.filter((o) => o.unpriced);
    expect(unpriced.length).toBeGreaterThan(0);
    for (const o of unpriced)
      expect(list).toMatch(
        new RegExp(`<strong>${o.key}</strong> <span class="label">[^<]*</span> — unpriced in ${r.region}: `),
      );
  });

  it('shows the AWS bill, the staff time and their total apart on every row', () => {
    const withStaff = r.options.filter((o) => o.feasible && o.cost!.staff > 0);
    expect(withStaff.length).toBeGreaterThan(0);
    for (const o of r.options.filter((x) => x.feasible)) {
      const cells = [...rowOf(html, o.key).matchAll(/<td class="num[^"]*">([^<]*)<\/td>/g)];
      const [aws, staff, total] = cells.map((m) => m[1]);
      expect([aws, staff, total], o.key).toEqual([usd(o.cost!.aws), usd(o.cost!.staff), usd(o.cost!.total)]);
      // total = aws + staff (design §11), to the cent.
      expect(Math.round((o.cost!.aws + o.cost!.staff) * 100)).toBe(Math.round(o.cost!.total * 100));
    }
    expect(html).toContain('<th scope="row">AWS bill</th>');
    expect(html).toContain('<th scope="row">staff time (not billed by AWS)</th>');
  });

  it('names the class of every latency column, and the side-by-side agrees with the comparison', () => {
    const head = slice(html, '<table class="comparison">', '</thead>');
    expect(head).toContain('<th class="num">interactive p95</th>');
    expect(head).toContain('<th class="num">interactive cold-start hits</th>');
    const side = slice(html, '<table class="side-by-side">', '</table>');
    expect(side).toContain('<th>latency p50 / p95 / p99, by class</th>');
    for (const o of r.options.filter((x) => x.feasible && x.latency?.interactive)) {
      const l = o.latency!.interactive!;
      // The same interactive p95 in both tables.
      expect(side, o.key).toContain(`interactive ${seconds(l.p50)} / ${seconds(l.p95)} / ${seconds(l.p99)}`);
      expect(rowOf(html, o.key)).toContain(`<td class="num">${seconds(l.p95)}</td>`);
    }
    expect(side).not.toMatch(/<td>warm /);
    const details = slice(html, '<table class="details">', '</table>');
    expect(details).toContain('<th scope="row">interactive p50 / p95 / p99</th>');
    expect(details).toContain('<th scope="row">batch p50 / p95 / p99</th>');
  });

  it("gives the trace's times in the scenario's zone with the offset", () => {
    const run = slice(html, '<section id="run">', '</section>');
    // medical-notes starts at local midnight in America/New_York, in winter: EST, UTC−5.
    expect(out.scenario.timezone).toBe('America/New_York');
    expect(run).toContain(
      '2026-01-05 00:00 EST (UTC−05:00) to 2026-01-06 00:00 EST (UTC−05:00), America/New_York',
    );
    expect(html).not.toMatch(/\d{2}:\d{2}:\d{2}(\.\d+)?Z/);
  });
});

describe('the comparison with an option over the loss limit', () => {
  const base = defaultRun();
  // sagemaker-realtime loses 10 of its requests: over maxLossRate 0, so it is not ranked.
  const options = base.result.options.map((o): OptionResult =>
    o.key === 'sagemaker-realtime' ? { ...o, requests: { ...o.requests, throttled: 10 } } : o,
  );
  const out = withVerdict({ ...base, result: { ...base.result, options } });
  const html = reportHtml(out, [], opts(out));

  it('shows it under the ranked ones, unnumbered, saying why it is not ranked', () => {
    const ranked = slice(html, '<tbody class="ranked">', '</tbody>');
    const rows = ranked.split('</tr>').filter((x) => x.includes('<tr'));
    const last = rows.at(-1)!;
    expect(last).toContain('<tr class="lossy"><td class="num"></td>');
    // 10 of 30,200 arrivals = 0.033 %.
    const arrived = options.find((o) => o.key === 'sagemaker-realtime')!.requests.arrived;
    expect(arrived).toBe(30_200);
    expect(last).toContain(
      'sagemaker-realtime <span class="tag lossy">not ranked — loses 0.033 % (limit 0 %)</span>',
    );
    expect(last).toContain('<td class="num">10 (0.033 %)</td>');
    expect(out.result.verdict!.runnerUp).not.toBe('sagemaker-realtime');
  });
});

/** A heartbeat analysis worked by hand: never $10 with 4 hits; always $20, none; 09-17 $12, none. */
function breakeven(): BreakevenResult {
  const v = (schedule: string, cost: number, hits: number) => ({
    schedule,
    cost,
    coldStartHits: hits + 2,
    coldStartHitsByClass: { interactive: hits, batch: 2 },
    p99Interactive: hits > 0 ? 60 : 1.5,
    firstCall: 60,
  });
  const h: HeartbeatBreakeven = {
    option: 'cmi',
    keys: ['cmi'],
    scaleToZeroSeconds: 300,
    classes: ['interactive'],
    gridSeconds: 60,
    method: { search: 'whole-trace', searchDays: 1, note: '' },
    variants: [v('never', 10, 4), v('always, every 5m', 20, 0), v('09:00-17:00, every 5m', 12, 0)],
    costPerAvoidedColdStart: 2.5,
    breakEvenColdStartValue: 0.5,
    bestSchedule: {
      schedule: '09:00-17:00, every 5m',
      heartbeat: { every: '5m', during: ['09:00-17:00'], days: 'all' },
      basis: 'the cheapest schedule that avoids as many interactive cold starts as any',
      addedCost: 2,
      avoided: 4,
      costPerAvoided: 0.5,
      daysRun: 1,
      fittedTo: '2026-01-05 (Mon)',
    },
    wholeHourSchedule: { schedule: '09:00-17:00, every 5m', heartbeat: null },
    uncounted: { classes: ['batch'], hitsNever: 2, hitsBest: 2, slowestLongerBy: null },
    verdict: null,
    warmByTraffic: { schedule: '09:00-17:00, every 5m', requestsPerDay: 5000 },
  };
  return { heartbeat: [h], volume: null };
}

describe('<section id="heartbeat">', () => {
  const base = smallRun();
  const out = { ...base, result: { ...base.result, breakeven: breakeven() } };

  it('gives the chosen schedule, its added cost and the cold starts it avoids, and the schedules priced', () => {
    const html = reportHtml(out, [], opts(out));
    const s = slice(html, '<section id="heartbeat">', '</section>');
    // $12 − $10 = +$2.00 for 4 − 0 = 4 avoided: +$0.50 each.
    expect(s).toContain(
      '<strong>Best (★): 09:00-17:00, every 5m</strong> — avoids 4 of 4 interactive cold-start hits for <strong>+$2.00</strong> over the span (+$0.50 each).',
    );
    expect(s).toContain("heartbeat: { every: 5m, during: ['09:00-17:00'], days: all }");
    expect(s.split('<tr')).toHaveLength(1 + 1 + 3);
    expect(s).toContain(
      '<tr class="best"><td>09:00-17:00, every 5m ★</td><td class="num">$12.00</td><td class="num">+$2.00</td><td class="num">0</td><td class="num">4</td>',
    );
    expect(s).toContain('<td>always, every 5m</td><td class="num">$20.00</td><td class="num">+$10.00</td>');
    expect(s).toContain('A heartbeat always on costs $2.50 per avoided interactive cold start.');
    expect(s).toContain(
      'Break-even: a heartbeat pays once an avoided interactive cold start is worth more than $0.50 (09:00-17:00, every 5m)',
    );
    expect(s).toContain('Traffic keeps it warm by itself from about 5,000 requests/day');
    // Schedules are local times of the scenario's zone.
    expect(s).toContain('Schedule hours are local to Europe/Berlin');
    expect(s).not.toContain('<figure');
  });

  it('embeds the heartbeat chart when the chart set has one, and only there', () => {
    const html = reportHtml(out, [chart('heartbeat'), chart('cost-by-option')], opts(out));
    const s = slice(html, '<section id="heartbeat">', '</section>');
    expect(s).toContain('<figure class="chart" id="chart-heartbeat">');
    expect(html.split('id="chart-heartbeat"')).toHaveLength(2);
    expect(slice(html, '<section id="charts">', '</section>')).toContain('id="chart-cost-by-option"');
  });

  it('says so when no option scales to zero, and is absent when the break-even did not run', () => {
    const none = { ...out, result: { ...out.result, breakeven: { heartbeat: [], volume: null } } };
    expect(slice(reportHtml(none, [], opts(none)), '<section id="heartbeat">', '</section>')).toContain(
      'No option of this scenario scales to zero',
    );
    expect(reportHtml(base, [], opts(base))).not.toContain('<section id="heartbeat">');
  });
});

describe('charts and print', () => {
  const out = smallRun();
  const html = reportHtml(out, [chart('cost-by-option', 456)], opts(out));

  it('draws each chart the full column wide, a tall one no taller than a screen or itself', () => {
    expect(html).toContain(
      'figure.chart svg { width: 100%; height: auto; max-height: max(100vh, var(--natural-height, 100vh));',
    );
    expect(html).toContain('<svg style="--natural-height: 456px" xmlns=');
    expect(withNaturalHeight('<svg width="10" height="20.5">')).toBe(
      '<svg style="--natural-height: 20.5px" width="10" height="20.5">',
    );
    // An SVG with a style of its own, or no height, is left alone.
    expect(withNaturalHeight('<svg style="x" height="20">')).toBe('<svg style="x" height="20">');
    expect(withNaturalHeight('<svg width="10">')).toBe('<svg width="10">');
  });

  it('prints headings with what follows and each chart whole on one page', () => {
    const print = html.slice(html.indexOf('@media print'));
    expect(print).toContain('h2, h3 { break-after: avoid; page-break-after: avoid; }');
    expect(print).toContain(
      '.keep, section#run, figure.chart { break-inside: avoid; page-break-inside: avoid; }',
    );
    // A4 is 297 mm, 269 mm inside the 14 mm margins: a chart of 200 mm leaves room for its heading.
    expect(html).toContain('@page { size: A4; margin: 14mm; }');
    expect(print).toContain('figure.chart svg { max-height: 200mm; }');
  });
});

describe('the comparison ranked on the AWS bill (rankBy: aws)', () => {
  const base = defaultRun();
  const out = withVerdict({ ...base, scenario: { ...base.scenario, rankBy: 'aws' } });
  const html = reportHtml(out, [], opts(out));

  it('orders by the AWS bill, marks that column, and says so', () => {
    const ranked = slice(html, '<tbody class="ranked">', '</tbody>');
    const bills = [...ranked.matchAll(/<td class="num ranked">\$([\d,.]+)<\/td>/g)].map((m) =>
      Number(m[1]!.replace(/,/g, '')),
    );
    expect(bills.length).toBe(out.result.options.filter((o) => o.feasible && !o.baseline).length);
    expect(bills).toEqual([...bills].sort((a, b) => a - b));
    // The first ranked row's bold figure is its AWS bill, not its total.
    const first = out.result.options.find((o) => o.key === out.result.verdict!.cheapest)!;
    expect(first.cost!.staff).toBeGreaterThan(0);
    expect(rowOf(html, first.key)).toContain(`<td class="num ranked">${usd(first.cost!.aws)}</td>`);
    expect(html).toContain('ranked on the AWS bill alone');
  });

  it('shows the 30-day month beside the span, its method on hover; a dash where there is none', () => {
    const out = withVerdict(defaultRun());
    const cmi = out.result.options.find((o) => o.key === 'cmi')!;
    const monthly = { total: 1234.5, aws: 1234.5, staff: 0, method: '30 days from 2026-01-05 <by day type>' };
    const options = out.result.options.map((o) => (o === cmi ? { ...o, cost: { ...o.cost!, monthly } } : o));
    const withMonthly = { ...out, result: { ...out.result, options } };
    const html = reportHtml(withMonthly, [], opts(withMonthly));
    expect(slice(html, '<table class="comparison">', '</thead>')).toContain(
      '<th class="num">30-day month</th>',
    );
    expect(rowOf(html, 'cmi')).toContain(
      '<td class="num" title="30 days from 2026-01-05 &#60;by day type&#62;">$1,234.50</td>',
    );
    expect(rowOf(html, 'sagemaker-realtime')).toContain('<td class="num">—</td>');
  });
});
