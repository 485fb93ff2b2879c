import { InputError } from '../../errors.js';
import type { Heartbeat } from '../../models/heartbeat.js';
import type { ScaleToZero } from '../../models/types.js';
import { optionById } from '../../models/registry.js';
import type { ScenarioOption } from '../../scenario/schema.js';
import { formatDuration } from '../../scenario/units.js';
import { fitSchedule, fittedToText, pooled } from './schedule-fit.js';
import { labelOf, rangesOf, settingOf, variantOf, withHeartbeat } from './schedules.js';
import {
  countedHits,
  WARM_BY_TRAFFIC_SHARE,
  type HeartbeatBreakeven,
  type HeartbeatVariant,
  type UserClass,
} from '../../compare/result.js';
import type { TrafficShape, VariantOutcome } from '../sweep/sweep.js';
import type { SweepPool } from '../sweep/pool.js';

/*
 * Warm-heartbeat break-even (issue 8, design §4 item 5), per option that scales to zero:
 *
 *   never, always (each interval) ─► the cheapest interval ─► one-hour schedules, always-minus-one-hour
 *     ─► hours that pay alone / hours whose removal pays ─► local search, one hour toggled at a time
 *     ─► (weekdays only?) ─► best schedule;   never vs a heartbeat over the traffic's own hours at
 *     growing volumes ─► the volume from which traffic keeps the copy warm by itself.
 *
 * Every variant is a full simulation of the scenario (same seed, same option key, so the same user
 * requests); only the option's `heartbeat` changes. "Better" is by money when the scenario gives
 * `breakeven.coldStartValue` V (cost + V × cold-start hits, lower wins), otherwise fewer cold-start
 * hits first and lower cost second (the cheapest schedule that avoids as many as any).
 */

export interface HeartbeatConfig {
  /** USD per avoided cold start of a counted class (`breakeven.coldStartValue`): one number, or per class. */
  coldStartValue?: number | Partial<Record<UserClass, number>> | undefined;
  /** Classes whose cold-start hits count (`breakeven.heartbeat.classes`). */
  classes: UserClass[];
  /** Grid of the fitted schedule (s). */
  grid: number;
  /** The scenario's seed; with random arrivals the fit also runs on the next `FIT_DRAWS − 1` seeds. */
  seed: number;
  /** Intervals to compare (s); default 1/5, 3/5 and 5/5 of each option's scale-to-zero time. */
  intervals?: number[] | undefined;
  /** Extra schedules to evaluate (`breakeven.heartbeat.schedules`). */
  schedules: Heartbeat[];
  /** Highest daily volume tried when looking for where traffic keeps the copy warm. */
  maxVolume: number;
}

/** Draws of random traffic a fitted schedule is judged on (the scenario's seed and the next ones). */
const FIT_DRAWS = 3;
const ALL_HOURS = 0xffffff;
const MAX_ROUNDS = 12;
/** Cost ties (equal window counts give bit-equal totals; this only absorbs summation noise). */
const EPS = 1e-9;

/** An hour-of-day schedule: bit h = keep warm in local hour h. */
interface Plan {
  mask: number;
  days: 'all' | 'weekdays';
}

/** How an option entry scales to zero (its option's `scaleToZero` hook); null if it never does. */
function scaleToZeroOf(o: ScenarioOption): ScaleToZero | null {
  const option = optionById(o.id);
  return option?.scaleToZero?.(o as never) ?? null;
}

/** Option entries a heartbeat can keep warm: those that scale to zero (design §4 item 5, §11). */
export function acceptsHeartbeat(o: ScenarioOption): boolean {
  return scaleToZeroOf(o) !== null;
}

/** Runs the analysis for every option of the scenario that accepts a heartbeat (concurrently). */
export async function analyzeHeartbeat(
  options: readonly ScenarioOption[],
  pool: SweepPool,
  shape: TrafficShape,
  cfg: HeartbeatConfig,
): Promise<HeartbeatBreakeven[]> {
  // Entries that differ only in key, label and heartbeat are one option with several schedules:
  // analysed once, under the first such entry without a heartbeat (else the first).
  const groups = new Map<string, ScenarioOption[]>();
  for (const o of options) {
    if (!acceptsHeartbeat(o)) continue;
    const { key: _k, label: _l, heartbeat: _h, ...rest } = o;
    const sig = JSON.stringify(rest);
    const g = groups.get(sig);
    if (g) g.push(o);
    else groups.set(sig, [o]);
  }
  const out = await Promise.all([...groups.values()].map((g) => analyzeOption(g, pool, shape, cfg)));
  return out.filter((x): x is HeartbeatBreakeven => x !== null);
}

/** Default intervals: 1/5, 3/5 and 5/5 of the scale-to-zero time, in whole seconds. */
export function defaultIntervals(scaleToZero: number): number[] {
  const out: number[] = [];
  for (const k of [1, 3, 5]) {
    const v = Math.max(1, Math.round((scaleToZero * k) / 5));
    if (!out.includes(v) && v <= scaleToZero) out.push(v);
  }
  return out;
}

interface Candidate {
  label: string;
  hb: Heartbeat | undefined;
  r: VariantOutcome;
}

async function analyzeOption(
  group: ScenarioOption[],
  pool: SweepPool,
  shape: TrafficShape,
  cfg: HeartbeatConfig,
): Promise<HeartbeatBreakeven | null> {
  const o = group.find((m) => m.heartbeat === undefined) ?? group[0]!;
  const key = o.key ?? o.id;
  const own = group.filter((m) => m.heartbeat !== undefined);
  const first = own[0]?.heartbeat as Heartbeat | undefined;
  const tokens = { inputTokens: first?.inputTokens ?? 1, outputTokens: first?.outputTokens ?? 1 };
  const one = async (hb: Heartbeat | undefined, scale = 1): Promise<VariantOutcome> =>
    (await pool.submit({ scale, options: [withHeartbeat(o, hb)], hits: scale === 1 }))[0]!;

  const never = await one(undefined);
  const stz = scaleToZeroOf(o)!.afterSeconds;
  if (!never.feasible || never.cost === null) return null;
  checkIntervals(cfg, key, stz);
  const intervals = cfg.intervals ?? defaultIntervals(stz);

  // Phase A: always at each interval; the schedules of the scenario's entries and the listed ones.
  const alwaysHb = intervals.map((every) => heartbeatOf({ mask: ALL_HOURS, days: 'all' }, every, tokens)!);
  const extraHb: { label: string; hb: Heartbeat }[] = [
    ...own.map((m) => ({
      label: `as in ${m.key ?? m.id}: ${labelOf(m.heartbeat as Heartbeat)}`,
      hb: m.heartbeat as Heartbeat,
    })),
    ...cfg.schedules.map((hb) => ({ label: labelOf(hb), hb })),
  ];
  const [alwaysR, extraR] = await Promise.all([
    Promise.all(alwaysHb.map((hb) => one(hb))),
    Promise.all(extraHb.map((e) => one(e.hb))),
  ]);
  const always: Candidate[] = alwaysHb.map((hb, i) => ({ label: labelOf(hb), hb, r: alwaysR[i]! }));
  const extras: Candidate[] = extraHb.map((e, i) => ({ ...e, r: extraR[i]! }));
  // The interval of the search: the cheapest always-on heartbeat (the longest on ties).
  let pick = 0;
  intervals.forEach((every, i) => {
    const c = always[i]!.r.cost!;
    const b = always[pick]!.r.cost!;
    if (c < b - EPS || (Math.abs(c - b) <= EPS && every > intervals[pick]!)) pick = i;
  });
  const every = intervals[pick]!;
  const alwaysBest = always[pick]!;
  const V = cfg.coldStartValue;
  const counted = (r: VariantOutcome): number => countedHits(r, cfg.classes);
  const worth = (r: VariantOutcome): number => hitsValue(r, cfg.classes, V!);
  const better = (a: VariantOutcome, b: VariantOutcome): boolean =>
    V !== undefined
      ? a.cost! + worth(a) < b.cost! + worth(b) - EPS
      : counted(a) < counted(b) || (counted(a) === counted(b) && a.cost! < b.cost! - EPS);

  // Hour schedules evaluated so far, by plan.
  const memo = new Map<string, { plan: Plan; r: VariantOutcome }>();
  const planKey = (p: Plan): string => (p.mask === 0 ? 'never' : `${p.mask}:${p.days}`);
  memo.set('never', { plan: { mask: 0, days: 'all' }, r: never });
  memo.set(planKey({ mask: ALL_HOURS, days: 'all' }), {
    plan: { mask: ALL_HOURS, days: 'all' },
    r: alwaysBest.r,
  });
  const evaluate = async (plans: Plan[]): Promise<void> => {
    const todo = new Map<string, Plan>();
    for (const p of plans) if (!memo.has(planKey(p))) todo.set(planKey(p), p);
    const outs = await Promise.all([...todo.values()].map((p) => one(heartbeatOf(p, every, tokens))));
    [...todo.entries()].forEach(([k, plan], i) => memo.set(k, { plan, r: outs[i]! }));
  };
  const at = (p: Plan): VariantOutcome => memo.get(planKey(p))!.r;

  // Phase B (with the traffic sweep alongside): each hour alone, and always minus each hour.
  const warm = warmByTraffic(one, never, shape, every, tokens, cfg.maxVolume);
  // Awaited at the end; until then a failure must not count as unhandled.
  warm.catch(() => undefined);
  const hours = Array.from({ length: 24 }, (_, h) => h);
  const single = (h: number): Plan => ({ mask: 1 << h, days: 'all' });
  const minus = (h: number): Plan => ({ mask: ALL_HOURS & ~(1 << h), days: 'all' });
  await evaluate([...hours.map(single), ...hours.map(minus)]);
  let payAlone = 0;
  let dropFromAlways = 0;
  for (const h of hours) {
    if (better(at(single(h)), never)) payAlone |= 1 << h;
    if (better(at(minus(h)), alwaysBest.r)) dropFromAlways |= 1 << h;
  }
  const starts: Plan[] = [
    { mask: 0, days: 'all' },
    { mask: ALL_HOURS, days: 'all' },
    { mask: payAlone, days: 'all' },
    { mask: ALL_HOURS & ~dropFromAlways, days: 'all' },
  ];
  await evaluate(starts);
  let current = starts[0]!;
  for (const p of starts.slice(1)) if (better(at(p), at(current))) current = p;

  // Phase C: toggle one hour at a time while that helps (best improvement each round).
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const toggles = hours.map((h): Plan => ({ mask: current.mask ^ (1 << h), days: current.days }));
    await evaluate(toggles);
    let next = current;
    for (const p of toggles) if (better(at(p), at(next))) next = p;
    if (next === current) break;
    current = next;
  }
  if (shape.hasWeekend && current.mask !== 0) {
    const weekdays: Plan = { mask: current.mask, days: 'weekdays' };
    await evaluate([weekdays]);
    if (better(at(weekdays), at(current))) current = weekdays;
  }

  // The whole-hour search's result, then the schedule fitted to the hits on the minute grid, judged
  // on several draws of random traffic (draw 0 = the scenario's seed, the run everything reports).
  const searched = heartbeatOf(current, every, tokens);
  const wholeHour: Candidate = { label: labelOf(searched), hb: searched, r: at(current) };
  // With random arrivals the fit takes the hits of draws s … s+2 and judges every candidate on
  // held-out draws s+3 … s+5, so a schedule that only fits the draws it was built from loses.
  const seeds = (from: number): number[] =>
    shape.randomArrivals ? Array.from({ length: FIT_DRAWS }, (_, i) => cfg.seed + from + i) : [cfg.seed];
  const hitSeeds = seeds(0);
  const judgeSeeds = seeds(FIT_DRAWS);
  const runs = new Map<string, Promise<VariantOutcome>>();
  const onSeed = (hb: Heartbeat | undefined, seed: number): Promise<VariantOutcome> => {
    const k = `${seed}|${labelOf(hb)}`;
    let p = runs.get(k);
    if (!p) {
      p = pool.submit({ scale: 1, seed, options: [withHeartbeat(o, hb)], hits: true }).then((r) => r[0]!);
      runs.set(k, p);
    }
    return p;
  };
  const onSeeds = (
    hb: Heartbeat | undefined,
    list: number[],
    first?: VariantOutcome,
  ): Promise<VariantOutcome[]> =>
    Promise.all(list.map((seed) => (seed === cfg.seed && first ? Promise.resolve(first) : onSeed(hb, seed))));
  const fitted = await fitSchedule({
    never: await onSeeds(undefined, hitSeeds, never),
    classes: cfg.classes,
    days: shape.localDays,
    hasWeekend: shape.hasWeekend,
    grid: cfg.grid,
    every,
    scaleToZero: stz,
    tokens,
    run: (hb) => onSeeds(hb, judgeSeeds),
    better,
  });
  const fit: Candidate[] = fitted
    ? [
        {
          label: labelOf(fitted.heartbeat),
          hb: fitted.heartbeat,
          r: await onSeed(fitted.heartbeat, cfg.seed),
        },
      ]
    : [];
  // The best on the held-out draws: no heartbeat (first, so it wins ties), the fitted schedule, the
  // whole-hour one, an always-on or a given schedule.
  const contenders = [{ label: 'never', hb: undefined, r: never }, ...fit, wholeHour, ...always, ...extras];
  const judged = await Promise.all(contenders.map(async (c) => pooled(await onSeeds(c.hb, judgeSeeds, c.r))));
  let bi = 0;
  judged.forEach((p, i) => {
    if (better(p, judged[bi]!)) bi = i;
  });
  const best = contenders[bi]!;

  // Break-even: the lowest cost per avoided counted cold start of every schedule run.
  const perAvoided = (r: VariantOutcome): number | null => {
    const avoided = counted(never) - counted(r);
    return avoided > 0 ? (r.cost! - never.cost!) / avoided : null;
  };
  let efficient: Candidate | undefined;
  const hourCandidates = [...memo.values()].map(({ plan, r }): Candidate => {
    const hb = heartbeatOf(plan, every, tokens);
    return { label: labelOf(hb), hb, r };
  });
  // Lowest cost per avoided hit; among schedules that save money outright, the one avoiding most.
  const avoidedBy = (r: VariantOutcome): number => counted(never) - counted(r);
  for (const c of [...always, ...extras, ...fit, ...hourCandidates]) {
    const x = perAvoided(c.r);
    if (x === null) continue;
    const e = efficient === undefined ? null : perAvoided(efficient.r)!;
    const wins =
      e === null ||
      (x <= 0 && e <= 0
        ? avoidedBy(c.r) > avoidedBy(efficient!.r) ||
          (avoidedBy(c.r) === avoidedBy(efficient!.r) && x < e - EPS)
        : x < e - EPS);
    if (wins) efficient = c;
  }

  // Variants shown: never, always (each interval), the given schedules, the best, the whole-hour
  // best and the most efficient.
  const variants: HeartbeatVariant[] = [];
  const add = (c: Candidate): void => {
    if (!variants.some((v) => v.schedule === c.label)) variants.push(variantOf(c.label, c.r));
  };
  add({ label: 'never', hb: undefined, r: never });
  for (const c of [...always, ...extras, best, wholeHour, ...(efficient ? [efficient] : [])]) add(c);
  const net = (r: VariantOutcome): number => worth(never) - worth(r) - (r.cost! - never.cost!);
  const uncountedClasses = (['interactive', 'batch'] as const).filter((c) => !cfg.classes.includes(c));
  const slowest = (r: VariantOutcome): number | null =>
    uncountedClasses.reduce<number | null>((m, c) => {
      const x = r.latency?.[c]?.max ?? null;
      return x === null ? m : Math.max(m ?? 0, x);
    }, null);
  const sNever = slowest(never);
  const sBest = slowest(best.r);

  return {
    option: key,
    keys: group.map((m) => m.key ?? m.id),
    scaleToZeroSeconds: stz,
    classes: [...cfg.classes],
    gridSeconds: cfg.grid,
    variants,
    costPerAvoidedColdStart: perAvoided(alwaysBest.r),
    breakEvenColdStartValue: efficient ? perAvoided(efficient.r) : null,
    bestSchedule: {
      schedule: best.label,
      heartbeat: best.hb ? settingOf(best.hb) : null,
      basis:
        V !== undefined
          ? `the lowest cost plus ${valueText(V)} per ${cfg.classes.join(' or ')} cold-start hit (breakeven.coldStartValue)`
          : `no coldStartValue: the cheapest schedule that avoids as many ${cfg.classes.join(' and ')} cold starts as any`,
      addedCost: best.r.cost! - never.cost!,
      avoided: counted(never) - counted(best.r),
      costPerAvoided: perAvoided(best.r),
      daysRun: shape.localDays.filter((d) => best.hb?.days !== 'weekdays' || d.weekday).length,
      fittedTo:
        fittedToText(shape.localDays) +
        (hitSeeds.length > 1
          ? `; built from the cold starts of seeds ${hitSeeds.join(', ')}, judged on seeds ${judgeSeeds.join(', ')}`
          : ''),
    },
    wholeHourSchedule: {
      schedule: wholeHour.label,
      heartbeat: wholeHour.hb ? settingOf(wholeHour.hb) : null,
    },
    uncounted: {
      classes: uncountedClasses,
      hitsNever: countedHits(never, uncountedClasses),
      hitsBest: countedHits(best.r, uncountedClasses),
      slowestLongerBy: sNever !== null && sBest !== null ? sNever - sBest : null,
    },
    verdict:
      V !== undefined ? { coldStartValue: V, alwaysNet: net(alwaysBest.r), bestNet: net(best.r) } : null,
    warmByTraffic: await warm,
  };
}

/** USD the counted hits are worth: `V` per hit, or the class's entry of a per-class map (missing = 0). */
function hitsValue(
  r: Pick<VariantOutcome, 'coldStartHitsByClass'>,
  classes: readonly UserClass[],
  V: number | Partial<Record<UserClass, number>>,
): number {
  let x = 0;
  for (const c of classes) x += (typeof V === 'number' ? V : (V[c] ?? 0)) * r.coldStartHitsByClass[c];
  return x;
}

function valueText(V: number | Partial<Record<UserClass, number>>): string {
  if (typeof V === 'number') return `${V} USD`;
  return Object.entries(V)
    .map(([c, v]) => `${v} USD (${c})`)
    .join(', ');
}

/** Intervals and listed schedules must keep the copy warm: every ≤ the scale-to-zero time. */
function checkIntervals(cfg: HeartbeatConfig, key: string, stz: number): void {
  const why = (every: number) =>
    `a heartbeat every ${formatDuration(every)} is longer than ${key}'s scale-to-zero time (${formatDuration(stz)}): the copy would go cold between beats; use intervals ≤ ${formatDuration(stz)}`;
  cfg.intervals?.forEach((v, i) => {
    if (v > stz) throw new InputError(why(v), `breakeven.heartbeat.intervals.${i}`);
  });
  cfg.schedules.forEach((h, i) => {
    if (h.every > stz) throw new InputError(why(h.every), `breakeven.heartbeat.schedules.${i}.every`);
  });
}

/**
 * From which daily volume does traffic keep the copy warm by itself? The traffic is scaled ×2, ×4 …
 * (at most to `maxVolume`); at each volume the option runs without a heartbeat and with one over
 * the traffic's own local hours, until that heartbeat's added cost falls under
 * `WARM_BY_TRAFFIC_SHARE` of the bill without it. The answer is interpolated linearly in
 * log(volume) between the last two volumes run.
 */
async function warmByTraffic(
  one: (hb: Heartbeat | undefined, scale: number) => Promise<VariantOutcome>,
  never: VariantOutcome,
  shape: TrafficShape,
  every: number,
  tokens: { inputTokens: number; outputTokens: number },
  maxVolume: number,
): Promise<{ schedule: string; requestsPerDay: number | null }> {
  const hb = heartbeatOf({ mask: shape.hourMask, days: 'all' }, every, tokens);
  const schedule = labelOf(hb);
  if (hb === undefined || !shape.scalable) return { schedule, requestsPerDay: null };
  let prev: { x: number; share: number } | undefined;
  for (let scale = 1; scale <= 2 ** 20; scale *= 2) {
    const volume = shape.requestsPerDay * scale;
    if (scale > 1 && volume > maxVolume * (1 + 1e-9)) break;
    const [off, on] = await Promise.all([scale === 1 ? never : one(undefined, scale), one(hb, scale)]);
    const share = off.cost! > 0 ? (on.cost! - off.cost!) / off.cost! : on.cost! > 0 ? Infinity : 0;
    const x = Math.log(volume);
    if (share <= WARM_BY_TRAFFIC_SHARE) {
      if (prev === undefined) return { schedule, requestsPerDay: volume };
      const f = Number.isFinite(prev.share) ? (prev.share - WARM_BY_TRAFFIC_SHARE) / (prev.share - share) : 1;
      return { schedule, requestsPerDay: Math.exp(prev.x + (x - prev.x) * f) };
    }
    prev = { x, share };
  }
  return { schedule, requestsPerDay: null };
}

function heartbeatOf(
  p: Plan,
  every: number,
  tokens: { inputTokens: number; outputTokens: number },
): Heartbeat | undefined {
  if (p.mask === 0) return undefined;
  return { every, during: rangesOf(p.mask), days: p.days, ...tokens };
}
