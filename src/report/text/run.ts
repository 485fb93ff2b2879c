import pc from 'picocolors';
import type { HeartbeatBreakeven, OptionResult, RunResult } from '../../compare/result.js';
import { count, pct, seconds, signedUsd, usd } from './format.js';
import { fitsSideBySide, grid, type GridColumn, type GridRow } from './table.js';
import { displayWidth, wrap } from './width.js';
import { fitText } from './fit.js';
import { rolloutText } from './rollout.js';
import { sloText } from './slo.js';
import { portfolioText } from './portfolio.js';

/*
 * What `servesim run` (and `replay`, and `merge` of a run) prints by default: one screen that
 * answers (issue 18) — the comparison, the verdict, the heartbeat answer, what could flip the
 * choice and the article's claims in one line each. Everything else is behind `--details`
 * (details.ts). Every line fits `width` display columns.
 */

export interface TextOptions {
  /** Display columns available (the terminal width). */
  width: number;
  color: boolean;
}

/**
 * `medical-notes — 30,200 requests over 1.00 days from …, us-east-1, seed 42`, broken (when it
 * must be) between its comma-separated parts, so that "seed 42" stays whole.
 */
export function headerText(r: RunResult, width: number, what = 'requests'): string {
  const days = (r.trace.durationSeconds / 86400).toFixed(2);
  const parts = [
    `${r.scenario} — ${count(r.trace.requests)} ${what} over ${days} days from ${r.trace.start}`,
    r.region,
    `seed ${r.seed}`,
  ];
  const lines: string[] = [];
  for (const [i, part] of parts.entries()) {
    const text = part + (i < parts.length - 1 ? ',' : '');
    const last = lines.at(-1);
    if (last !== undefined && displayWidth(`${last} ${text}`) <= width)
      lines[lines.length - 1] = `${last} ${text}`;
    else lines.push(...wrap(text, width, '  ', lines.length === 0 ? '' : '  '));
  }
  return lines.join('\n');
}

/**
 * The comparison's columns. Latency and cold-start hits are of interactive requests (what a user
 * waits on); a column added here (e.g. a monthly total) is one more entry and one more cell below.
 */
const COLUMNS: GridColumn[] = [
  { head: 'option' },
  { head: 'AWS\nbill', right: true },
  { head: 'total', right: true },
  { head: '30-day\nmonth', right: true },
  { head: '$/1k\nreq', right: true },
  { head: 'int.\np95', right: true },
  { head: 'cold\nhits', right: true },
  { head: 'lost', right: true },
];

/** A 30-day month in whole dollars from $100 (a forecast figure, not a bill to the cent): `$2,265`. */
function month(x: number | undefined): string {
  if (x === undefined) return '—';
  return Math.abs(x) >= 100 ? `$${Math.round(x).toLocaleString('en-US')}` : usd(x);
}

/** Throttled + failed user requests, with their share: `0`, `12 (0.4%)`. */
function lost(o: OptionResult): string {
  const n = o.requests.throttled + o.requests.failed;
  if (n === 0) return '0';
  return o.requests.arrived > 0 ? `${count(n)} (${pct(n / o.requests.arrived)})` : count(n);
}

function cells(o: OptionResult, name: string): string[] {
  return [
    name,
    usd(o.cost?.aws),
    usd(o.cost?.total),
    month(o.cost?.monthly?.total),
    usd(o.per1kRequests),
    seconds(o.latency?.interactive?.p95),
    count(o.requests.coldStartHitsByClass.interactive),
    lost(o),
  ];
}

/**
 * The comparison: the options that serve your fine-tune (★ the verdict's cheapest), then the
 * per-token baselines apart, then one line naming the options that are not feasible; a legend.
 */
export function comparisonText(r: RunResult, opts: TextOptions): string {
  const c = pc.createColors(opts.color);
  const cheapest = r.verdict?.cheapest ?? null;
  const feasible = r.options.filter((o) => o.feasible && o.cost !== null);
  const rows: GridRow[] = feasible
    .filter((o) => !o.baseline)
    .map((o) => cells(o, o.key === cheapest ? c.green(`${o.key} ★`) : o.key));
  const baselines = feasible.filter((o) => o.baseline);
  if (baselines.length > 0) {
    rows.push({ group: c.dim('per-token baselines (another model, not your fine-tune; not ranked):') });
    rows.push(...baselines.map((o) => cells(o, o.key)));
  }
  // Heads on one line when the terminal has room for them, else on two.
  const flat = COLUMNS.map((col) => ({ ...col, head: col.head.replace('\n', ' ') }));
  const columns = fitsSideBySide(flat, rows, opts.width) ? flat : COLUMNS;
  const lines = grid(columns, rows, { width: opts.width, rule: true, style: (h) => c.bold(h) });
  const out = [lines.join('\n')];
  const infeasible = r.options.filter((o) => !o.feasible || o.cost === null);
  if (infeasible.length > 0) {
    const unpriced = infeasible.filter((o) => o.unpriced).map((o) => o.key);
    const not = infeasible.filter((o) => !o.unpriced).map((o) => o.key);
    const parts = [
      ...(not.length > 0 ? [`not feasible: ${not.join(', ')}`] : []),
      ...(unpriced.length > 0 ? [`unpriced here: ${unpriced.join(', ')}`] : []),
    ];
    out.push(
      wrap(`${parts.join('; ')} (reasons: --details or the report).`, opts.width, '    ', '  ').join('\n'),
    );
  }
  const staff = r.options.some((o) => (o.cost?.staff ?? 0) !== 0);
  const legend =
    `${staff ? 'total = AWS bill + staff time (not billed by AWS); ' : ''}` +
    '30-day month: the 30 days from the start, each costed by its day type; ' +
    "int. p95: interactive requests' 95th percentile, wait (incl. cold start) + service; " +
    'cold hits: interactive requests that waited on a cold start; lost: throttled + failed.';
  out.push(c.dim(wrap(legend, opts.width, '  ', '  ').join('\n')));
  return out.join('\n');
}

/** The longest of `candidates` (most detailed first) that wraps into at most `max` lines. */
function within(candidates: string[], opts: TextOptions, max: number): string {
  for (const t of candidates) {
    const lines = wrap(t, opts.width, '  ');
    if (lines.length <= max) return lines.join('\n');
  }
  // None fits (a very narrow terminal): the shortest, cut at `max` lines.
  return wrap(candidates.at(-1)!, opts.width, '  ').slice(0, max).join('\n');
}

/** The heartbeat break-even of the cheapest option in at most two lines; '' when it has none. */
export function heartbeatAnswer(r: RunResult, opts: TextOptions): string {
  const key = r.verdict?.cheapest;
  const h: HeartbeatBreakeven | undefined = key
    ? r.breakeven?.heartbeat.find((x) => x.keys.includes(key))
    : undefined;
  if (!h) return '';
  const cls = h.classes.join('+');
  const head = `Heartbeat (${h.option}):`;
  const b = h.bestSchedule;
  const never = h.variants[0]!;
  const hits = h.classes.reduce((s, k) => s + never.coldStartHitsByClass[k], 0);
  const avoids = (schedule: string) =>
    `${head} ${schedule} avoids ${count(b.avoided)} of ${count(hits)} ${cls} cold starts for ${signedUsd(b.addedCost)}${b.costPerAvoided === null ? '' : ` (${signedUsd(b.costPerAvoided)} each)`}.`;
  const during = b.heartbeat?.during ?? [];
  // A schedule fitted on a fine grid can list many windows: name the first and last instead.
  const short =
    b.heartbeat === null || during.length < 2
      ? undefined
      : avoids(
          `${during.length} windows from ${during[0]!.split('-')[0]} to ${during.at(-1)!.split('-').at(-1)}, every ${b.heartbeat.every} (--details),`,
        );
  const main = b.heartbeat === null ? `${head} none — ${b.basis}.` : avoids(b.schedule);
  const be = h.breakEvenColdStartValue;
  // At or below 0 the break-even comes from some schedule that lowers the bill: the table says which.
  const pays =
    be === null || be <= 0 ? '' : ` It pays once an avoided cold start is worth more than ${usd(be)}.`;
  const always =
    h.costPerAvoidedColdStart === null
      ? ''
      : ` Always on: ${usd(h.costPerAvoidedColdStart)} per avoided cold start.`;
  return within([main + pays + always, main + pays, main, ...(short ? [short + pays, short] : [])], opts, 2);
}

/** What could flip the choice, from the sensitivity analysis, in at most three lines. */
export function flipsAnswer(r: RunResult, opts: TextOptions): string {
  const s = r.sensitivity;
  if (!s)
    return within(
      [`Could flip it: not analysed (${r.models ? 'not yet for a portfolio' : 'sensitivity was skipped'}).`],
      opts,
      1,
    );
  if (s.baseline.cheapest === null) return '';
  const flips = s.inputs.filter((x) => x.flips).map((x) => x.sentence);
  if (flips.length === 0)
    return within(
      [
        `Could flip it: nothing — no uncertain input flips the choice within its band (${s.inputs.length} moved; --details).`,
        'Could flip it: nothing within the input bands.',
      ],
      opts,
      3,
    );
  const candidates: string[] = [];
  for (let n = flips.length; n >= 1; n--) {
    const more = flips.length - n;
    candidates.push(
      `Could flip it: ${flips.slice(0, n).join('; ')}${more > 0 ? `; and ${more} more (--details)` : ''}.`,
    );
  }
  return within(candidates, opts, 3);
}

/** `Claims: 4 of 5 do not hold — see --details or the report.` ('' without claims). */
export function claimsAnswer(r: RunResult, opts: TextOptions): string {
  const n = r.claims.length;
  if (n === 0) return '';
  const failed = r.claims.filter((c) => c.holds === false).length;
  const unknown = r.claims.filter((c) => c.holds === null).length;
  const what =
    failed === 0
      ? `all ${n} hold${unknown > 0 ? ` (${unknown} not measurable)` : ''}`
      : `${failed} of ${n} do not hold`;
  return within([`Claims: ${what} — see --details or the report.`], opts, 2);
}

/** The verdict paragraph, wrapped. */
export function verdictText(r: RunResult, opts: TextOptions): string {
  if (!r.verdict) return '';
  const c = pc.createColors(opts.color);
  const [first, ...rest] = wrap(`Verdict: ${r.verdict.text}`, opts.width);
  return [first!.replace('Verdict:', c.bold('Verdict:')), ...rest].join('\n');
}

/**
 * The analyses a user opts into (a scenario's `rollout:`, `--slo`, `--fit`): asked for, so shown
 * whole, not only with --details. The default scenario has none.
 */
export function optInText(r: RunResult, width: number): string {
  let t = '';
  if (r.rollout) t += rolloutText(r.rollout, width);
  if (r.slo) t += sloText(r.slo, width);
  if (r.fit) t += fitText(r.fit, width);
  return t.replace(/^\n+|\n+$/g, '');
}

/** The default (short) output of a run: the sections above, blank-line separated. */
export function shortRunText(r: RunResult, opts: TextOptions): string {
  const parts = [
    comparisonText(r, opts),
    portfolioText(r, opts),
    verdictText(r, opts),
    [heartbeatAnswer(r, opts), flipsAnswer(r, opts), claimsAnswer(r, opts)]
      .filter((x) => x !== '')
      .join('\n'),
    optInText(r, opts.width),
  ];
  return parts.filter((x) => x !== '').join('\n\n') + '\n';
}
