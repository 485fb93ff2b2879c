import { describe, expect, it } from 'vitest';
import { STALE_DAYS } from '../../src/pricing/book.js';
import { usd } from '../../src/report/text/format.js';
import { reportHtml } from '../../src/report/html.js';
import { linkify, scopeSvgIds, type HtmlChart } from '../../src/report/html-parts.js';
import { defaultRun, smallRun } from './fixtures.js';

const charts: HtmlChart[] = [
  {
    name: 'cost-by-option',
    title: 'Cost per option',
    svg: '<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>',
  },
  {
    name: 'latency-cdf',
    title: 'Latency CDF',
    svg: '<svg xmlns="http://www.w3.org/2000/svg"><clipPath id="clip1"/><g clip-path="url(#clip1)"/></svg>',
  },
];

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86400_000).toISOString().slice(0, 10);
}

describe('reportHtml (default scenario)', () => {
  const out = defaultRun();
  const fresh = reportHtml(out, charts, { today: out.book.date, staleDays: STALE_DAYS });

  it('is one self-contained page: no script, no stylesheet or image to fetch', () => {
    expect(fresh.startsWith('<!doctype html>')).toBe(true);
    expect(fresh).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|@import|url\(http/i);
    // Every link is either a file next to the report or a source's web address.
    for (const [, href] of fresh.matchAll(/href="([^"]*)"/g))
      expect(href, href).toMatch(/^(https?:\/\/|[\w.-]+\.(json|csv|svg|png)$|#)/);
  });

  it('holds the comparison, the claims, every chart inline and the assumptions', () => {
    expect(count(fresh, '<table class="comparison">')).toBe(1);
    expect(count(fresh, '<table class="claims">')).toBe(1);
    expect(count(fresh, '<table class="assumptions">')).toBe(1);
    // The article's side-by-side table: one row per option, its nine columns.
    expect(count(fresh, '<table class="side-by-side">')).toBe(1);
    const side = fresh.slice(
      fresh.indexOf('<table class="side-by-side">'),
      fresh.indexOf('</table>', fresh.indexOf('<table class="side-by-side">')),
    );
    expect(count(side, '<tr>')).toBe(out.result.options.length + 1);
    expect(count(side, '<th>version / rollback</th>')).toBe(1);
    // Issue 15 item 10: the compliance column, one cell per option, and its sources below.
    expect(count(side, '<th>compliance</th>')).toBe(1);
    expect(count(side, '<td>HIPAA ')).toBe(out.result.options.length);
    expect(fresh).toContain('<summary>Compliance sources</summary>');
    expect(count(fresh, '<figure class="chart"')).toBe(2);
    expect(fresh).toContain('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>');
    // Every option is named once in the comparison: a row if it has a cost, a line of the list if not.
    for (const o of out.result.options)
      expect(fresh).toContain(o.cost ? `${o.key}` : `<li id="why-${o.key}"><strong>${o.key}</strong>`);
    // The details table: one column per option with a cost.
    const priced = out.result.options.filter((o) => o.cost !== null);
    const details = fresh.slice(fresh.indexOf('<table class="details">'));
    const head = details.slice(0, details.indexOf('</thead>'));
    for (const o of priced)
      expect(head, o.key).toMatch(new RegExp(`>${o.key}(</th>| <span class="tag base">)`));
    const totals = details.match(/<tr class="total"><th scope="row">total cost<\/th>(.*?)<\/tr>/)![1]!;
    expect(totals.split('<td>').length - 1).toBe(priced.length);
    for (const o of priced) expect(totals).toContain(`<td>${usd(o.cost!.total)}</td>`);
    for (const c of out.result.claims) expect(fresh).toContain(c.source.replace(/'/g, '&#39;'));
  });

  it('says why each failing claim does not hold, on a row under it', () => {
    const claims = fresh.slice(
      fresh.indexOf('<table class="claims">'),
      fresh.indexOf('</table>', fresh.indexOf('<table class="claims">')),
    );
    const failing = out.result.claims.filter((c) => c.holds === false);
    expect(failing.length).toBeGreaterThan(0);
    expect(count(claims, '<tr class="reason">')).toBe(failing.length);
    for (const c of failing)
      expect(claims).toContain(
        `<strong>Why:</strong> ${c.reason!.replace(/'/g, '&#39;').replace(/"/g, '&#34;')}</td>`,
      );
  });

  it('shows the AWS bill and the staff time beside the total in the details', () => {
    const details = fresh.slice(fresh.indexOf('<table class="details">'));
    const priced = out.result.options.filter((o) => o.cost !== null);
    for (const [name, part] of [
      ['AWS bill', 'aws'],
      ['staff time (not billed by AWS)', 'staff'],
    ] as const) {
      const row = details.match(
        new RegExp(`<th scope="row">${name.replace(/[()]/g, '\\$&')}</th>(.*?)</tr>`),
      )![1]!;
      expect(row.split('<td>').length - 1, name).toBe(priced.length);
      for (const o of priced) expect(row, name).toContain(`<td>${usd(o.cost![part])}</td>`);
    }
  });

  it('marks every uncertain assumption UNCERTAIN and links its sources', () => {
    const uncertain = out.result.assumptions.filter((a) => a.uncertain).length;
    expect(uncertain).toBeGreaterThan(0);
    expect(count(fresh, '<tr class="uncertain">')).toBe(uncertain);
    // One badge per uncertain row, one in the explanation above the table.
    expect(count(fresh, '<span class="badge">UNCERTAIN</span>')).toBe(uncertain + 1);
    expect(fresh).toContain(
      '<a href="https://aws.amazon.com/bedrock/pricing/">https://aws.amazon.com/bedrock/pricing/</a>',
    );
  });

  it("states the price book's date, and warns only when the book is stale", () => {
    expect(fresh).toContain(`dated ${out.book.date}`);
    expect(fresh).not.toContain('class="warning"');
    const today = addDays(out.book.date, STALE_DAYS + 1);
    const stale = reportHtml(out, charts, { today, staleDays: STALE_DAYS });
    expect(stale).toContain(`the price book is ${STALE_DAYS + 1} days old`);
    expect(stale).toContain('servesim prices refresh');
  });

  it('prints: an A4 page rule and charts kept whole', () => {
    expect(fresh).toContain('@page { size: A4');
    expect(fresh).toMatch(/@media print \{/);
    expect(fresh).toContain('figure.chart { margin: 18px 0; break-inside: avoid;');
  });

  it('scopes SVG ids per chart, so inline charts never share a clip path', () => {
    expect(fresh).toContain('<clipPath id="latency-cdf-clip1"/><g clip-path="url(#latency-cdf-clip1)"/>');
  });
});

describe('reportHtml (small scenario)', () => {
  const html = reportHtml(smallRun(), [], { today: '2026-01-01', staleDays: STALE_DAYS });

  it('escapes what the scenario names', () => {
    expect(html).toContain('<title>servesim: Small &#60;test&#62; &#38; &#34;quotes&#34;</title>');
    expect(html).not.toContain('<test>');
  });

  it('lists an infeasible option with its reason, and no chart section without charts', () => {
    expect(html).not.toMatch(/<td[^>]*>no —/);
    expect(html).toMatch(
      /<li id="why-cmi"><strong>cmi<\/strong> <span class="label">[^<]+<\/span> — architecture GPT2LMHeadModel is not on the import list/,
    );
    expect(html).not.toContain('id="charts"');
  });
});

describe('linkify', () => {
  it('links web addresses without their trailing punctuation and escapes the rest', () => {
    expect(linkify('AWS (https://aws.amazon.com/bedrock/pricing/). <b>')).toBe(
      'AWS (<a href="https://aws.amazon.com/bedrock/pricing/">https://aws.amazon.com/bedrock/pricing/</a>). &#60;b&#62;',
    );
    expect(linkify('no address')).toBe('no address');
  });
});

describe('scopeSvgIds', () => {
  it('prefixes ids and their url(#…) and href="#…" references', () => {
    expect(scopeSvgIds('<g id="a"><use href="#a"/><path fill="url(#g1)"/></g>', 'c')).toBe(
      '<g id="c-a"><use href="#c-a"/><path fill="url(#c-g1)"/></g>',
    );
  });
});

describe('reportHtml planning sections', () => {
  const base = smallRun();
  const opts = { today: base.book.date, staleDays: STALE_DAYS };
  it('are absent unless their analysis ran', () => {
    const html = reportHtml(base, [], opts);
    for (const id of ['slo', 'rollout', 'fit']) expect(html).not.toContain(`<section id="${id}">`);
  });
  it('show the SLO search, the rollout and the fit, one row per option', () => {
    const out = {
      ...base,
      result: {
        ...base.result,
        slo: {
          percentile: 'p95' as const,
          target: 2,
          class: 'interactive' as const,
          cheapest: 'box',
          options: [
            {
              key: 'box',
              meets: false,
              configured: { cost: 72, achieved: 3.1 },
              best: { settings: { replicas: 3 }, cost: 108, achieved: 1.2 },
              binding: 'queueing' as const,
              note: 'three replicas keep the queue short',
            },
          ],
        },
        rollout: {
          at: 50_400,
          evaluationSeconds: 3600,
          stages: [{ share: 1, afterSeconds: 0 }],
          options: [
            {
              key: 'box',
              applicable: false,
              timeToTraffic: null,
              timeline: null,
              oneVersionCost: null,
              twoVersionCost: null,
              extraCost: null,
              lines: [],
              rollback: { path: '', seconds: null },
              note: 'a fixed fleet has no modelled rollout',
            },
          ],
        },
      },
    };
    const html = reportHtml(out, [], opts);
    const slo = html.slice(
      html.indexOf('<section id="slo">'),
      html.indexOf('</section>', html.indexOf('<section id="slo">')),
    );
    expect(slo).toContain('p95 ≤ 2s over interactive requests');
    expect(slo).toContain('Cheapest path: <strong>box</strong>');
    expect(count(slo, '<tr>')).toBe(2);
    expect(slo).toContain('<td class="num">$108.00</td>');
    const rollout = html.slice(html.indexOf('<section id="rollout">'));
    expect(rollout).toContain('a fixed fleet has no modelled rollout');
  });
});
