import { z } from 'zod';

/*
 * `servesim diff` (issue 20 item 2): what changed between two saved results, option by option and
 * cost line by cost line — across price books, scenarios and servesim versions. Options are
 * matched by key, cost lines by `lineId` (stable across wording and settings, docs/model.md), so
 * "the new heartbeat", "the new price book" or "last month's traffic" each show as the lines they
 * move. Pure: two parsed results in, a diff out (text/diff.ts prints it).
 */

/** What diff reads of a result: only these fields, checked, the rest ignored (any schema version). */
const Summary = z.object({ p50: z.number(), p95: z.number(), p99: z.number() }).passthrough();
const Line = z
  .object({
    item: z.string(),
    quantity: z.number(),
    unit: z.string(),
    unitPrice: z.number(),
    amount: z.number(),
    lineId: z.string().min(1),
    billedBy: z.enum(['aws', 'staff']).optional(),
  })
  .passthrough();
const Option = z
  .object({
    key: z.string(),
    feasible: z.boolean(),
    reasons: z.array(z.string()).default([]),
    cost: z
      .object({
        total: z.number(),
        aws: z.number().optional(),
        staff: z.number().optional(),
        lines: z.array(Line),
        monthly: z.object({ total: z.number() }).passthrough().optional(),
      })
      .passthrough()
      .nullable(),
    latency: z
      .object({ interactive: Summary.nullable().optional(), all: Summary.nullable().optional() })
      .passthrough()
      .nullable()
      .optional(),
    requests: z
      .object({
        coldStartHits: z.number(),
        coldStartHitsByClass: z.object({ interactive: z.number(), batch: z.number() }).optional(),
      })
      .passthrough(),
  })
  .passthrough();
export const DiffableResult = z
  .object({
    kind: z.enum(['run', 'replay']).optional(),
    scenario: z.string(),
    seed: z.number().optional(),
    region: z.string().optional(),
    trace: z.object({ start: z.string(), durationSeconds: z.number(), requests: z.number() }).passthrough(),
    options: z.array(Option),
  })
  .passthrough();
export type DiffableResult = z.infer<typeof DiffableResult>;
type ResultOption = DiffableResult['options'][number];

/** A number on both sides (null where that side has none) and new − base (null unless both). */
export interface Change {
  base: number | null;
  new: number | null;
  change: number | null;
}

export type Presence = 'both' | 'added' | 'removed';

export interface LineDiff {
  lineId: string;
  /** The new side's item text (the base's when removed). */
  item: string;
  status: Presence;
  amount: Change;
  /** Set when both sides have the line and its unit price differs (a price change, not usage). */
  unitPrice?: Change;
  quantity: Change;
  unit: string;
}

export interface OptionDiff {
  key: string;
  status: Presence;
  feasible: { base: boolean | null; new: boolean | null };
  /** Why the option is not feasible on the new side (or the base side, when only it has reasons). */
  reasons: string[];
  total: Change;
  aws: Change;
  staff: Change;
  monthly: Change;
  /** Interactive latency percentiles (all user requests when a side has no interactive class), s. */
  latency: { p50: Change; p95: Change; p99: Change; classes: 'interactive' | 'all' };
  coldStartHits: Change;
  /** Every line of either side, matched by `lineId`, in the new side's order then the removed. */
  lines: LineDiff[];
}

export interface ResultDiff {
  kind: 'diff';
  base: Side;
  new: Side;
  options: OptionDiff[];
  /** Options whose total, feasibility or presence differ. */
  changed: number;
}

export interface Side {
  file: string;
  scenario: string;
  kind: string;
  seed: number | null;
  region: string | null;
  start: string;
  days: number;
  requests: number;
}

export function diffResults(
  base: DiffableResult,
  next: DiffableResult,
  files: { base: string; new: string },
): ResultDiff {
  const keys = [...next.options.map((o) => o.key)];
  for (const o of base.options) if (!keys.includes(o.key)) keys.push(o.key);
  const options = keys.map((key) =>
    optionDiff(
      base.options.find((o) => o.key === key),
      next.options.find((o) => o.key === key),
      key,
    ),
  );
  return {
    kind: 'diff',
    base: side(base, files.base),
    new: side(next, files.new),
    options,
    changed: options.filter(
      (o) => o.status !== 'both' || o.feasible.base !== o.feasible.new || (o.total.change ?? 0) !== 0,
    ).length,
  };
}

function side(r: DiffableResult, file: string): Side {
  return {
    file,
    scenario: r.scenario,
    kind: r.kind ?? 'run',
    seed: r.seed ?? null,
    region: r.region ?? null,
    start: r.trace.start,
    days: r.trace.durationSeconds / 86400,
    requests: r.trace.requests,
  };
}

export function change(base: number | null | undefined, next: number | null | undefined): Change {
  const b = base ?? null;
  const n = next ?? null;
  return { base: b, new: n, change: b === null || n === null ? null : n - b };
}

function optionDiff(b: ResultOption | undefined, n: ResultOption | undefined, key: string): OptionDiff {
  const status: Presence = b && n ? 'both' : n ? 'added' : 'removed';
  const cb = b?.cost ?? null;
  const cn = n?.cost ?? null;
  const classes = latencyOf(b) === 'all' || latencyOf(n) === 'all' ? 'all' : 'interactive';
  const pick = (o: ResultOption | undefined) =>
    classes === 'all' ? o?.latency?.all : o?.latency?.interactive;
  const [lb, ln] = [pick(b), pick(n)];
  return {
    key,
    status,
    feasible: { base: b?.feasible ?? null, new: n?.feasible ?? null },
    reasons: (n && !n.feasible ? n.reasons : b && !b.feasible ? b.reasons : []) ?? [],
    total: change(cb?.total, cn?.total),
    aws: change(cb?.aws ?? (cb ? awsOf(cb.lines) : null), cn?.aws ?? (cn ? awsOf(cn.lines) : null)),
    staff: change(
      cb?.staff ?? (cb ? cb.total - awsOf(cb.lines) : null),
      cn?.staff ?? (cn ? cn.total - awsOf(cn.lines) : null),
    ),
    monthly: change(cb?.monthly?.total, cn?.monthly?.total),
    latency: {
      p50: change(lb?.p50, ln?.p50),
      p95: change(lb?.p95, ln?.p95),
      p99: change(lb?.p99, ln?.p99),
      classes,
    },
    coldStartHits: change(hits(b), hits(n)),
    lines: lineDiffs(cb?.lines ?? [], cn?.lines ?? []),
  };
}

/** `interactive` unless a side has latency but no interactive requests (then every user request). */
function latencyOf(o: ResultOption | undefined): 'interactive' | 'all' {
  return o?.latency && !o.latency.interactive && o.latency.all ? 'all' : 'interactive';
}

function hits(o: ResultOption | undefined): number | null {
  if (!o || !o.feasible) return null;
  return o.requests.coldStartHitsByClass?.interactive ?? o.requests.coldStartHits;
}

/** Results from before `billedBy` existed: every line is on the AWS bill but the ops line. */
function awsOf(lines: readonly z.infer<typeof Line>[]): number {
  return lines.reduce(
    (s, l) => s + ((l.billedBy ?? (l.lineId === 'ops' ? 'staff' : 'aws')) === 'aws' ? l.amount : 0),
    0,
  );
}

function lineDiffs(base: readonly z.infer<typeof Line>[], next: readonly z.infer<typeof Line>[]): LineDiff[] {
  const out: LineDiff[] = [];
  for (const n of next) {
    const b = base.find((l) => l.lineId === n.lineId);
    out.push({
      lineId: n.lineId,
      item: n.item,
      status: b ? 'both' : 'added',
      amount: change(b?.amount, n.amount),
      ...(b && b.unitPrice !== n.unitPrice ? { unitPrice: change(b.unitPrice, n.unitPrice) } : {}),
      quantity: change(b?.quantity, n.quantity),
      unit: n.unit,
    });
  }
  for (const b of base)
    if (!next.some((l) => l.lineId === b.lineId))
      out.push({
        lineId: b.lineId,
        item: b.item,
        status: 'removed',
        amount: change(b.amount, null),
        quantity: change(b.quantity, null),
        unit: b.unit,
      });
  return out;
}
