import pc from 'picocolors';
import type { OptionResult, RankBasis, RunResult } from '../compare/result.js';
import { count, quantity, seconds, usd } from './text/format.js';
import { grid, type GridRow } from './text/table.js';
import { wrap } from './text/width.js';
import { rankedOptions } from '../compare/verdict.js';
import { commitmentText } from './table.js';

/**
 * The article's side-by-side table with numbers (design §7 `run`, `--details`; the short
 * comparison is text/run.ts): base-model support, ops surface, cost shape,
 *   cost for this scenario, warm and cold-hit latency, cold-start hits, throttled requests, and
 *   the version/rollback path with its time from weights-in-S3 to traffic, and compliance
 *   (HIPAA eligibility, PrivateLink, CloudTrail, where the weights live).
 * Latency is user requests only: wait (incl. cold start) + service.
 */

function p3(l: { p50: number; p95: number; p99: number } | null | undefined): string {
  return l ? `${seconds(l.p50)} / ${seconds(l.p95)} / ${seconds(l.p99)}` : '—';
}

function timeToTraffic(s: number | null): string {
  if (s === null) return 'yours to build';
  if (s === 0) return 'immediate';
  return `~${seconds(s)}`;
}

/**
 * The cheapest option that loses no more than `maxLossRate` of user requests (design §3), ranked
 * on `basis` (the total unless a scenario's `rankBy` says `aws`).
 */
export function cheapestKey(r: RunResult, maxLossRate = 0, basis: RankBasis = 'total'): string | undefined {
  return rankedOptions(r.options, basis, maxLossRate)[0]?.key;
}

/**
 * Each feasible option's cost lines, grouped by option: `item  amount  (quantity unit × price)`,
 * within `width` display columns (the item wraps first, then the table stacks).
 */
export function costLinesText(r: RunResult, width = Infinity): string {
  const rows: GridRow[] = [];
  for (const o of r.options) {
    if (!o.cost) continue;
    rows.push({ group: `${o.key}:` });
    for (const l of o.cost.lines)
      rows.push([l.item, usd(l.amount), `(${quantity(l.quantity)} ${l.unit} × ${l.unitPrice})`]);
    const c = o.facts.commitment;
    if (c)
      rows.push({
        group: `  the whole term must be bought: ${commitmentText(c)} at list price; the line above is this span's amortised share`,
      });
  }
  const columns = [
    { head: 'item', flex: true },
    { head: 'amount', right: true },
    { head: 'quantity × unit price' },
  ];
  return ['Cost lines:', ...grid(columns, rows, { width, indent: 4, groupIndent: 2 })].join('\n');
}

export function sideBySideRows(r: RunResult): string[][] {
  return r.options.map((o) => [
    o.label,
    o.feasible ? `✓ ${o.facts.baseSupport}` : `✗ ${o.reasons.join('; ')}`,
    o.facts.opsSurface,
    o.facts.costShape,
    o.feasible
      ? o.cost && o.cost.staff !== 0
        ? `${usd(o.cost.total)}: ${usd(o.cost.aws)} AWS + ${usd(o.cost.staff)} staff (${usd(o.per1kRequests)}/1k)`
        : `${usd(o.cost?.total)} (${usd(o.per1kRequests)}/1k)`
      : '—',
    o.feasible
      ? `warm ${p3(o.latency?.warm)}; cold-hit p95 ${o.latency?.coldHit ? seconds(o.latency.coldHit.p95) : '—'}`
      : '—',
    o.feasible
      ? `${count(o.requests.coldStartHitsByClass.interactive)} / ${count(o.requests.throttled)}`
      : '—',
    `${o.facts.versionRollback.path} (${timeToTraffic(o.facts.versionRollback.timeToTrafficSeconds)})`,
    complianceCell(o.facts.compliance),
  ]);
}

/** An option's compliance facts as the result carries them (HIPAA, PrivateLink, CloudTrail, weights). */
type Compliance = OptionResult['facts']['compliance'];
/** yes / no as a source says, uncertain where none was read. */
type Tri = Compliance['hipaaEligible'];

const MARK: Record<Tri, string> = { yes: '✓', no: '✗', uncertain: '?' };

/** Printed under the table (terminal and report.html). */
export const COMPLIANCE_LEGEND =
  'Compliance: ✓ yes, ✗ no, ? uncertain (no source read). CloudTrail means the inference call itself is recorded. Eligible is not compliant: a BAA and your own controls are still needed. Sources: results.json (facts.compliance.sources).';

/**
 * The compliance column: `HIPAA ✓ · PrivateLink ? · CloudTrail ✗ · weights: …` — ✓ yes, ✗ no,
 * ? uncertain (no source read); the sources are in results.json and report.html.
 */
function complianceCell(c: Compliance): string {
  return `HIPAA ${MARK[c.hipaaEligible]} · PrivateLink ${MARK[c.privateLink]} · CloudTrail ${MARK[c.cloudTrail]} · weights: ${c.weightsLocation}`;
}

/** Column heads of the article's side-by-side table (terminal and report.html). */
export const SIDE_BY_SIDE_HEAD = [
  'option',
  'base support',
  'ops surface',
  'cost shape',
  'cost (scenario)',
  'latency p50/p95/p99',
  'int. cold hits / throttled',
  'version / rollback',
  'compliance',
] as const;

/** The article's side-by-side table within `width` columns: one block per option when it does not fit. */
export function sideBySideTable(r: RunResult, color: boolean, width = 160): string {
  const c = color ? pc : pc.createColors(false);
  const columns = SIDE_BY_SIDE_HEAD.map((head) => ({ head }));
  const lines = grid(columns, sideBySideRows(r), { width, style: (h) => c.bold(h) });
  return `${lines.join('\n')}\n${wrap(COMPLIANCE_LEGEND, width, '  ', '  ').join('\n')}`;
}
