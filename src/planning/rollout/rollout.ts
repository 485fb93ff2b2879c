import { line, totalOf, type CostLine, type Bill } from '../../billing/lines.js';
import type { SecondFleetRollout, SecondModelRollout } from '../../models/hooks.js';
import { optionById } from '../../models/registry.js';
import type { PriceBook } from '../../pricing/book.js';
import { withDiscounts } from '../../pricing/discounts.js';
import type { Rollout } from '../../scenario/rollout-section.js';
import type { Scenario, ScenarioOption } from '../../scenario/schema.js';
import { formatDuration } from '../../scenario/units.js';
import type { ReplicaLife } from '../../sim/record.js';
import { distBand } from '../../sim/dist.js';
import { Rng } from '../../sim/rng.js';
import { TraceCalendar } from '../../traffic/calendar.js';
import { EvenCalls, mergeStreams, ShareGate, TrafficSplit } from '../../traffic/split.js';
import type { ArrivalStream } from '../../traffic/types.js';
import {
  importBand,
  rolloutAt,
  rolloutTimeline,
  shiftBand,
  type Band3,
  type RolloutTimeline,
} from './plan.js';
import type { RolloutOption, RolloutResult, TraceSummary } from '../../compare/result.js';
import { runOption, type RunOutput, type StreamHook } from '../../compare/run.js';

/*
 * Rollout and rollback cost (docs/rollout.md). Per option that serves your weights:
 *
 *   one version:  the option over the span, all traffic on v1 (as `servesim run`)
 *   two versions: v1 on the requests the seeded split leaves it ⊕ v2 on its share and the
 *                 evaluation calls, each its own simulated fleet; extra = two − one
 *
 * How v2 comes up is the option's `rollout` hook (src/models/hooks.ts): a second model beside v1
 * (CMI: own copies, own 5-minute windows, starts cold; storage runs for v2 from its import and for
 * v1 until it is retired), or a second fleet of fixed size from the update until v1 is retired
 * (SageMaker blue/green, self-hosted). An option without the hook is "not modelled".
 */

export interface RolloutContext {
  scenario: Scenario;
  book: PriceBook;
  calendar: TraceCalendar;
  trace: TraceSummary;
  baseDir: string;
}

/** The rollout of a finished run (its scenario, price book and trace), for `servesim run`. */
export function rolloutOfRun(out: RunOutput, baseDir: string): RolloutResult {
  return analyzeRollout({
    scenario: out.scenario,
    book: out.book,
    calendar: new TraceCalendar(out.scenario.traffic, out.scenario.timezone),
    trace: out.result.trace,
    baseDir,
  });
}

/** The analysis of the scenario's `rollout:` section; InputError for a rollout outside the span. */
export function analyzeRollout(ctx: RolloutContext): RolloutResult {
  const r = ctx.scenario.rollout;
  if (r === undefined) throw new Error('internal: analyzeRollout without a rollout section');
  const at = rolloutAt(r, ctx.calendar);
  return {
    at,
    evaluationSeconds: r.evaluation,
    stages: r.stages.map((s) => ({ share: s.share, afterSeconds: s.after })),
    options: ctx.scenario.options.map((o) => optionRollout(ctx, r, at, o)),
  };
}

function optionRollout(ctx: RolloutContext, r: Rollout, at: number, o: ScenarioOption): RolloutOption {
  const option = optionById(o.id)!;
  const key = o.key ?? o.id;
  const { model, region } = ctx.scenario;
  const path = option.facts(model).versionRollback.path;
  if (option.baseline === true)
    return notApplicable(
      key,
      path,
      'not applicable: a per-token catalog model, not your weights — a new version is a new model id in the caller config, with nothing to import, launch or run twice',
    );
  const feas = option.feasibility(model, region, o, ctx.book);
  if (!feas.ok)
    return notApplicable(
      key,
      path,
      `not applicable: the option cannot serve this model (${feas.reasons.join('; ')})`,
    );
  const how = option.rollout;
  if (how?.kind === 'second-model') return secondModelRollout(ctx, r, at, o, how);
  if (how?.kind === 'second-fleet') return secondFleetRollout(ctx, r, at, o, how);
  // No rollout model (hooks.ts `RolloutModel`): the option does not support the analysis.
  return notApplicable(key, path, `not modelled for ${option.title}: ${path}`);
}

function notApplicable(key: string, path: string, note: string): RolloutOption {
  return {
    key,
    applicable: false,
    timeToTraffic: null,
    timeline: null,
    oneVersionCost: null,
    twoVersionCost: null,
    extraCost: null,
    lines: [],
    rollback: { path, seconds: null },
    note,
  };
}

// ---- the simulations ----------------------------------------------------------------------------

type Run = ReturnType<typeof runOption>;

function simulateWith(ctx: RolloutContext, o: ScenarioOption, hook?: StreamHook): Run {
  return runOption(
    ctx.scenario,
    o,
    ctx.book,
    ctx.calendar.span.durationSeconds,
    ctx.calendar,
    ctx.trace,
    ctx.baseDir,
    hook,
  );
}

/** Streams of the two versions: both splits draw from the same seeded stream, so each request goes to one. */
interface Sides {
  v1: StreamHook;
  v2: StreamHook;
  /** Last invocation v1 received at or before the rollback decision. */
  v1LastBefore(): number;
}

function sides(ctx: RolloutContext, r: Rollout, tl: RolloutTimeline, key: string): Sides {
  const rng = (): Rng => Rng.derive(ctx.scenario.seed, 'rollout-split', key);
  let users1: TrafficSplit | undefined;
  let beats1: ShareGate | null = null;
  const tr = ctx.trace;
  const evalCalls = (): ArrivalStream | null =>
    r.evaluationCalls > 0
      ? new EvenCalls(
          tl.ready,
          tl.evaluationEnd,
          r.evaluationCalls,
          Math.max(1, Math.round(tr.requests > 0 ? tr.inputTokens / tr.requests : 250)),
          Math.max(1, Math.round(tr.requests > 0 ? tr.outputTokens / tr.requests : 60)),
        )
      : null;
  return {
    v1: (users, hb) => {
      users1 = new TrafficSplit(users, tl.schedule, rng(), 'v1', tl.rollbackAt);
      beats1 = hb && new ShareGate(hb, tl.schedule, 'v1', tl.rollbackAt);
      return { users: users1, heartbeats: beats1 };
    },
    v2: (users, hb) => ({
      users: new TrafficSplit(users, tl.schedule, rng(), 'v2'),
      heartbeats: mergeStreams(hb && new ShareGate(hb, tl.schedule, 'v2'), evalCalls()),
    }),
    v1LastBefore: () => Math.max(users1?.lastKept ?? -Infinity, beats1?.lastKept ?? -Infinity),
  };
}

/** The bill's lines without discount lines (they are recomputed on the rebuilt lines). */
function rawLines(run: Run): CostLine[] {
  return (run.run.bill?.lines ?? []).filter((l) => !(l.unit === 'USD' && l.unitPrice < 0));
}

/**
 * Lines of one part of the two-version run: discounted as the option's bill is, items prefixed
 * and line ids prefixed by `idPrefix` (`v1-cmi-inference`), so ids stay unique across parts.
 */
function part(
  ctx: RolloutContext,
  o: ScenarioOption,
  prefix: string,
  idPrefix: string,
  lines: CostLine[],
): CostLine[] {
  const bill: Bill = { lines, costSoFar: (m) => new Float64Array(m) };
  const discounted = withDiscounts(bill, optionById(o.id)!.service, ctx.scenario.pricing.discounts);
  return discounted.lines.map((l) => ({
    ...l,
    item: `${prefix} · ${l.item}`,
    lineId: `${idPrefix}-${l.lineId}`,
  }));
}

function costs(one: Run, lines: CostLine[]) {
  const oneVersionCost = one.result.cost!.total;
  const twoVersionCost = totalOf(lines);
  return { oneVersionCost, twoVersionCost, extraCost: twoVersionCost - oneVersionCost, lines };
}

function timeToTraffic(r: Rollout, ready: Band3): Band3 {
  return shiftBand(ready, r.evaluation + r.stages[0]!.after);
}

/** t as hours:minutes after the trace start, `t+17:20`. */
function clock(t: number): string {
  const m = Math.round(t / 60);
  return `t+${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

// ---- Custom Model Import -------------------------------------------------------------------------

/** v2 as a second model beside v1 (Custom Model Import: a second imported model). */
function secondModelRollout(
  ctx: RolloutContext,
  r: Rollout,
  at: number,
  o: ScenarioOption,
  m: SecondModelRollout<ScenarioOption>,
): RolloutOption {
  const key = o.key ?? o.id;
  const span = ctx.calendar.span.durationSeconds;
  const imp = importBand(r);
  const tl = rolloutTimeline(r, at, imp.value, span, key);
  const s = sides(ctx, r, tl, key);
  const one = simulateWith(ctx, o);
  const v1 = simulateWith(ctx, o, s.v1);
  const v2 = simulateWith(ctx, { ...o, key: `${key}-v2` }, s.v2);
  // Storage accrues while a model exists: v1 until retired, v2 from its import on.
  const v1End = Math.min(tl.retire ?? span, span);
  const storage = (l: CostLine, from: number, to: number): CostLine =>
    l.unit === 'CMU-months'
      ? line(
          `${l.item}, ${clock(from)} to ${clock(to)}`,
          (l.quantity * (to - from)) / span,
          l.unit,
          l.unitPrice,
          { billedBy: l.billedBy, lineId: l.lineId },
        )
      : l;
  const lines = [
    ...part(
      ctx,
      o,
      'v1',
      'v1',
      rawLines(v1).map((l) => storage(l, 0, v1End)),
    ),
    ...part(
      ctx,
      o,
      'v2',
      'v2',
      rawLines(v2).map((l) => storage(l, tl.ready, span)),
    ),
  ];

  const { coldStart, evicted, evictAfter } = m.rollbackWaits(o);
  const tRb = tl.rollbackAt;
  let rollback: RolloutOption['rollback'];
  if (tl.retire !== null && tRb >= tl.retire)
    rollback = {
      path: `v1 was deleted ${formatDuration(r.retireAfter)} after the flip: re-import v1's weights (${formatDuration(imp.value)}) and wait for its first load (${formatDuration(evicted)})`,
      seconds: imp.value + evicted,
    };
  else if (liveAt(v1.run.record?.replicas ?? [], tRb))
    rollback = { path: "flip the caller config back to v1's model ARN; a v1 copy is still warm", seconds: 0 };
  else {
    const idle = tRb - s.v1LastBefore();
    const isEvicted = idle > evictAfter;
    rollback = {
      path: `flip the caller config back to v1's model ARN; v1 has scaled to zero (idle ${idle === Infinity ? 'since before the trace' : `${Math.round(idle / 60)} min`}), so the first call waits ${isEvicted ? 'for an evicted model to be restored' : 'a cold start'}`,
      seconds: isEvicted ? evicted : coldStart,
    };
  }
  return {
    key,
    applicable: true,
    timeToTraffic: timeToTraffic(r, imp),
    timeline: { ready: tl.ready, evaluationEnd: tl.evaluationEnd, flip: tl.flip, retire: tl.retire },
    ...costs(one, lines),
    rollback,
    note: `v2 is a second imported model: its own copies and 5-minute windows, cold at its first call; import ${formatDuration(imp.value)} (band ${formatDuration(imp.low)}–${formatDuration(imp.high)}). v2 served ${v2.result.requests.served} user requests and ${v2.result.requests.heartbeats} evaluation calls and heartbeats.`,
  };
}

function liveAt(replicas: readonly ReplicaLife[], t: number): boolean {
  return replicas.some((x) => x.readyAt <= t && t < x.removedAt);
}

// ---- SageMaker blue/green and a second self-hosted fleet ----------------------------------------

/** Instance-seconds of the replicas inside [from, to): what a fleet that exists only then bills. */
export function clippedSeconds(replicas: readonly ReplicaLife[], from: number, to: number): number {
  let s = 0;
  for (const x of replicas) s += Math.max(0, Math.min(x.removedAt, to) - Math.max(x.requestedAt, from));
  return s;
}

/** v2 as a second fleet of fixed size beside v1 (SageMaker blue/green, a second self-hosted fleet). */
function secondFleetRollout(
  ctx: RolloutContext,
  r: Rollout,
  at: number,
  o: ScenarioOption,
  m: SecondFleetRollout<ScenarioOption>,
): RolloutOption {
  const key = o.key ?? o.id;
  const span = ctx.calendar.span.durationSeconds;
  const given = m.ready(o);
  const ready: Band3 = 'dist' in given ? distBand(given) : given;
  const tl = rolloutTimeline(r, at, ready.value, span, key);
  const one = simulateWith(ctx, o);
  const live = (one.run.record?.replicas ?? []).filter((x) => x.requestedAt <= at && at < x.removedAt).length;
  const asked = m.askedSize?.(o) ?? 0;
  const green = asked > 0 ? asked : Math.max(1, live);
  const s = sides(ctx, r, tl, key);
  const v1 = simulateWith(ctx, o, s.v1);
  const v2 = simulateWith(ctx, { ...o, ...m.fixedSize(green), key: `${key}-v2` }, s.v2);

  const end = tl.retire ?? Infinity;
  const instance = (l: CostLine) => l.unit === 'instance-hours';
  const clip = (run: Run, from: number, to: number): CostLine[] =>
    rawLines(run)
      .filter(instance)
      .map((l) =>
        line(l.item, clippedSeconds(run.run.record!.replicas, from, to) / 3600, l.unit, l.unitPrice, {
          billedBy: l.billedBy,
          lineId: l.lineId,
        }),
      );
  const { v1: v1Name, v2: v2Name, unit } = m.names;
  const lines = [
    ...part(ctx, o, `${v1Name} to ${end === Infinity ? 'the end' : clock(end)}`, 'v1', clip(v1, 0, end)),
    ...part(
      ctx,
      o,
      `${v2Name}, ${green} ${unit}${green === 1 ? '' : 's'} from ${clock(at)}`,
      'v2',
      clip(v2, at, end),
    ),
    ...(end === Infinity
      ? []
      : part(ctx, o, `v2 as the only fleet from ${clock(end)}`, 'v2-only', clip(one, end, Infinity))),
    // Ops, the EKS control plane: one of each whether one version runs or two.
    ...part(
      ctx,
      o,
      'shared',
      'shared',
      rawLines(one).filter((l) => !instance(l)),
    ),
  ];
  const retired = tl.retire !== null && tl.rollbackAt >= tl.retire;
  const rollback = retired
    ? { path: m.rollbackRetired(formatDuration(r.retireAfter)), seconds: ready.value }
    : { path: m.rollbackLive, seconds: 0 };
  return {
    key,
    applicable: true,
    timeToTraffic: timeToTraffic(r, ready),
    timeline: { ready: tl.ready, evaluationEnd: tl.evaluationEnd, flip: tl.flip, retire: tl.retire },
    ...costs(one, lines),
    rollback,
    note: m.note(green, asked > 0, ready),
  };
}
