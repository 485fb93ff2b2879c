import Table from 'cli-table3';
import pc from 'picocolors';
import type { OptionResult, RankBasis, RunResult } from '../compare/result.js';
import { count, seconds, usd } from './text/format.js';
import { rankedOptions } from '../compare/verdict.js';
import { commitmentText } from './table.js';

/**
 * Two per-option views for the terminal, one row per option (design §7 `run`):
 * - the summary: cost, $/1k requests, latency and losses — what decides between options;
 * - the article's side-by-side table with numbers: base-model support, ops surface, cost shape,
 *   cost for this scenario, warm and cold-hit latency, cold-start hits, throttled requests, and
 *   the version/rollback path with its time from weights-in-S3 to traffic, and compliance
 *   (HIPAA eligibility, PrivateLink, CloudTrail, where the weights live).
 * Latency is user requests only: wait (incl. cold start) + service.
 */

const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

function p3(l: { p50: number; p95: number; p99: number } | null | undefined): string {
  return l ? `${seconds(l.p50)} / ${seconds(l.p95)} / ${seconds(l.p99)}` : '—';
}

/** Quantities keep three significant digits when small (0.000685 FTE-years, not 0). */
function qty(x: number): string {
  return Math.abs(x) > 0 && Math.abs(x) < 10 ? String(+x.toPrecision(3)) : count(x);
}

function losses(o: OptionResult): string {
  const { throttled, failed, arrived } = o.requests;
  if (throttled + failed === 0) return '0';
  const share = arrived > 0 ? ` (${(((throttled + failed) / arrived) * 100).toFixed(1)} %)` : '';
  return `${count(throttled)} thr, ${count(failed)} fail${share}`;
}

function timeToTraffic(s: number | null): string {
  if (s === null) return 'yours to build';
  if (s === 0) return 'immediate';
  return `~${seconds(s)}`;
}

/**
 * The total with the AWS bill beside it when staff time makes them differ: `$94.36 ($39.57)`;
 * `$80.98` when the whole total is on the AWS bill.
 */
function totalAndAws(cost: OptionResult['cost']): string {
  if (!cost) return '—';
  return cost.staff !== 0 ? `${usd(cost.total)} (${usd(cost.aws)})` : usd(cost.total);
}

function summaryRows(r: RunResult): string[][] {
  return r.options.map((o) =>
    o.feasible
      ? [
          o.baseline ? `${o.key} (baseline)` : o.key,
          totalAndAws(o.cost),
          usd(o.per1kRequests),
          p3(o.latency?.interactive),
          o.latency?.batch ? seconds(o.latency.batch.p95) : '—',
          count(o.requests.coldStartHitsByClass.interactive),
          losses(o),
          o.capacity ? count(o.capacity.peakReplicas) : '—',
        ]
      : [o.key, o.unpriced ? 'unpriced' : 'not feasible', '—', '—', '—', '—', '—', '—'],
  );
}

export function summaryTable(r: RunResult, color: boolean): string {
  const c = color ? pc : pc.createColors(false);
  const t = new Table({
    head: [
      'option',
      'total (AWS)',
      '$/1k',
      'interactive p50 / p95 / p99',
      'batch p95',
      'int. cold hits',
      'lost',
      'peak',
    ].map((h) => c.bold(h)),
    style: { head: [], border: [] },
    chars: COMPACT,
  });
  const cheapest = r.verdict ? r.verdict.cheapest : cheapestKey(r);
  for (const row of summaryRows(r))
    t.push(row[0] === cheapest ? [c.green(`${row[0]} ★`), ...row.slice(1)] : row);
  return t.toString();
}

/**
 * The cheapest option that loses no more than `maxLossRate` of user requests (design §3), ranked
 * on `basis` (the total unless a scenario's `rankBy` says `aws`).
 */
export function cheapestKey(r: RunResult, maxLossRate = 0, basis: RankBasis = 'total'): string | undefined {
  return rankedOptions(r.options, basis, maxLossRate)[0]?.key;
}

/** Each feasible option's cost lines, one per line: `key  item  amount (quantity unit × price)`. */
export function costLinesText(r: RunResult): string {
  const out: string[] = ['Cost lines:'];
  for (const o of r.options) {
    if (!o.cost) continue;
    for (const l of o.cost.lines)
      out.push(
        `  ${o.key.padEnd(22)} ${l.item.padEnd(58)} ${usd(l.amount).padStart(10)}  (${qty(l.quantity)} ${l.unit} × ${l.unitPrice})`,
      );
    const c = o.facts.commitment;
    if (c)
      out.push(
        `  ${' '.repeat(22)} the whole term must be bought: ${commitmentText(c)} at list price; the line above is this span's amortised share`,
      );
  }
  return out.join('\n');
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

export function sideBySideTable(r: RunResult, color: boolean, width = 160): string {
  const c = color ? pc : pc.createColors(false);
  const widths = [20, 22, 18, 16, 15, 20, 10, 22, 24];
  const scale = Math.min(1, (width - widths.length - 1) / widths.reduce((a, b) => a + b, 0));
  const t = new Table({
    head: SIDE_BY_SIDE_HEAD.map((h) => c.bold(h)),
    colWidths: widths.map((w) => Math.max(8, Math.floor(w * scale))),
    wordWrap: true,
    style: { head: [], border: [] },
  });
  for (const row of sideBySideRows(r)) t.push(row);
  return `${t.toString()}\n${COMPLIANCE_LEGEND}`;
}
