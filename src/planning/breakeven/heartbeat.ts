import { InputError } from '../../errors.js';
import type { Heartbeat } from '../../models/heartbeat.js';
import type { ScaleToZero } from '../../models/types.js';
import { optionById } from '../../models/registry.js';
import type { ScenarioOption } from '../../scenario/schema.js';
import { formatDuration } from '../../scenario/units.js';
import { fitSchedule, fittedToText, pooled } from './schedule-fit.js';
import { labelOf, settingOf, variantOf, withHeartbeat } from './schedules.js';
import { ALL_HOURS, searchHours } from './hour-search.js';
import { heartbeatOf, warmByTraffic, type Plan } from './warm-by-traffic.js';
import {
  countedHits,
  type HeartbeatBreakeven,
  type HeartbeatMethod,
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
  /** The run's own outcomes by option key (whole trace, with hit times): `never` is not simulated again. */
  baseline?: ReadonlyMap<string, VariantOutcome> | undefined;
  /** On long traces, the days the schedules are searched on (the variants shown run on the whole trace). */
  searchSpan?: { start: string; days: number } | undefined;
  /** Only the option groups whose key passes (a shard's units, design §11.7); default all. */
  units?: ((key: string) => boolean) | undefined;
  /** On traces of several days, the one day the warm-by-traffic sweep scales (its volumes are per day). */
  warmDay?: { start: string; days: 1 } | undefined;
}

/** Draws of random traffic a fitted schedule is judged on (the scenario's seed and the next ones). */
const FIT_DRAWS = 3;
/** Cost ties (equal window counts give bit-equal totals; this only absorbs summation noise). */
const EPS = 1e-9;

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
  const groups = heartbeatGroups(options).filter((g) => cfg.units?.(g.key) ?? true);
  const out = await Promise.all(groups.map((g) => analyzeOption(g.entries, pool, shape, cfg)));
  return out.filter((x): x is HeartbeatBreakeven => x !== null);
}

/**
 * The options the analysis runs for, in order, each under the key its result carries (`option`).
 * Entries that differ only in key, label and heartbeat are one option with several schedules:
 * analysed once, under the first such entry without a heartbeat (else the first).
 */
export function heartbeatGroups(
  options: readonly ScenarioOption[],
): { key: string; entries: ScenarioOption[] }[] {
  const groups = new Map<string, ScenarioOption[]>();
  for (const o of options) {
    if (!acceptsHeartbeat(o)) continue;
    const { key: _k, label: _l, heartbeat: _h, ...rest } = o;
    const sig = JSON.stringify(rest);
    const g = groups.get(sig);
    if (g) g.push(o);
    else groups.set(sig, [o]);
  }
  return [...groups.values()].map((entries) => {
    const o = entries.find((m) => m.heartbeat === undefined) ?? entries[0]!;
    return { key: o.key ?? o.id, entries };
  });
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
  // The search's days; none when nothing is searched (then every comparison uses the whole trace).
  let span = cfg.searchSpan;
  // Every simulation once, by where it runs: the whole trace (what is reported) or the search's
  // days (long traces), a seed and a volume.
  const runs = new Map<string, Promise<VariantOutcome>>();
  const sim = (hb: Heartbeat | undefined, where: 'full' | 'search' | 'day', seed = cfg.seed, scale = 1) => {
    const on = where === 'day' ? cfg.warmDay : where === 'search' ? span : undefined;
    const k = `${on === undefined ? 'f' : on === span ? 's' : 'd'}|${seed}|${scale}|${labelOf(hb)}`;
    let p = runs.get(k);
    if (!p) {
      const task = { scale, options: [withHeartbeat(o, hb)], hits: scale === 1 };
      p = pool
        .submit({ ...task, ...(seed !== cfg.seed ? { seed } : {}), ...(on ? { span: on } : {}) })
        .then((r) => r[0]!);
      runs.set(k, p);
    }
    return p;
  };
  // The run already simulated this entry as configured (no heartbeat): that is `never`.
  const given = o.heartbeat === undefined ? cfg.baseline?.get(key) : undefined;
  if (given) runs.set(`f|${cfg.seed}|1|never`, Promise.resolve(given));
  const never = await sim(undefined, 'full');
  const stz = scaleToZeroOf(o)!.afterSeconds;
  if (!never.feasible || never.cost === null) return null;
  checkIntervals(cfg, key, stz);
  // A copy that never went back to zero after a start at the trace's first moments has nothing a
  // heartbeat could keep warm: no schedule is searched, and of the default intervals only the
  // longest (the cheapest) is shown; the scenario's own schedules still run.
  const idle = !(never.coldStarts <= 1 && (never.firstArrival ?? Infinity) < cfg.grid);
  if (!idle) span = undefined;
  const intervals = cfg.intervals ?? (idle ? defaultIntervals(stz) : defaultIntervals(stz).slice(-1));

  // Phase A (whole trace): always at each interval; the schedules of the scenario's entries and the listed ones.
  const alwaysHb = intervals.map((every) => heartbeatOf({ mask: ALL_HOURS, days: 'all' }, every, tokens)!);
  const extraHb: { label: string; hb: Heartbeat }[] = [
    ...own.map((m) => ({
      label: `as in ${m.key ?? m.id}: ${labelOf(m.heartbeat as Heartbeat)}`,
      hb: m.heartbeat as Heartbeat,
    })),
    ...cfg.schedules.map((hb) => ({ label: labelOf(hb), hb })),
  ];
  const [alwaysR, extraR] = await Promise.all([
    Promise.all(alwaysHb.map((hb) => sim(hb, 'full'))),
    Promise.all(extraHb.map((e) => sim(e.hb, 'full'))),
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
  const ofPlan = (p: Plan): Heartbeat | undefined => heartbeatOf(p, every, tokens);

  const method = methodOf(idle, shape, cfg.searchSpan, key);

  // Phases B and C (whole-hour search) and the fitted schedule, on the search's days, with the
  // warm-by-traffic sweep alongside.
  // Bounded: one day of the traffic (the whole trace when it is a day or less), at most `maxVolume` a day.
  const warmOn = cfg.warmDay ? 'day' : 'full';
  const warm = sim(undefined, warmOn).then((off) =>
    warmByTraffic(
      (hb, scale) => sim(hb, warmOn, cfg.seed, scale),
      shape,
      cfg.warmDay ? off.arrived : shape.requestsPerDay,
      every,
      tokens,
      cfg.maxVolume,
    ),
  );
  warm.catch(() => undefined);
  const neverS = await sim(undefined, 'search');
  const hours = idle
    ? await searchHours({
        never: neverS,
        always: await sim(alwaysBest.hb, 'search'),
        run: (p) => sim(ofPlan(p), 'search'),
        better,
        hasWeekend: shape.hasWeekend,
      })
    : { best: { mask: 0, days: 'all' as const }, evaluated: [] };
  const searched = ofPlan(hours.best);
  const wholeHour: Candidate = { label: labelOf(searched), hb: searched, r: await sim(searched, 'full') };
  // With random arrivals the fit takes the hits of draws s … s+2 and judges every candidate on
  // held-out draws s+3 … s+5, so a schedule that only fits the draws it was built from loses.
  const seeds = (from: number): number[] =>
    shape.randomArrivals && idle
      ? Array.from({ length: FIT_DRAWS }, (_, i) => cfg.seed + from + i)
      : [cfg.seed];
  const hitSeeds = seeds(0);
  const judgeSeeds = seeds(FIT_DRAWS);
  const onSeeds = (hb: Heartbeat | undefined, list: number[]): Promise<VariantOutcome[]> =>
    Promise.all(list.map((seed) => sim(hb, 'search', seed)));
  const fitted = idle
    ? await fitSchedule({
        never: await onSeeds(undefined, hitSeeds),
        classes: cfg.classes,
        days: span ? shape.localDays.slice(0, span.days) : shape.localDays,
        hasWeekend: shape.hasWeekend,
        grid: cfg.grid,
        every,
        scaleToZero: stz,
        tokens,
        run: (hb) => onSeeds(hb, judgeSeeds),
        better,
      })
    : null;
  const fit: Candidate[] = fitted
    ? [{ label: labelOf(fitted.heartbeat), hb: fitted.heartbeat, r: await sim(fitted.heartbeat, 'full') }]
    : [];
  // The best on the held-out draws: no heartbeat (first, so it wins ties), the fitted schedule, the
  // whole-hour one, an always-on or a given schedule.
  const contenders = [{ label: 'never', hb: undefined, r: never }, ...fit, wholeHour, ...always, ...extras];
  const judged = await Promise.all(contenders.map(async (c) => pooled(await onSeeds(c.hb, judgeSeeds))));
  let bi = 0;
  judged.forEach((p, i) => {
    if (better(p, judged[bi]!)) bi = i;
  });
  const best = contenders[bi]!;

  // Break-even: the lowest cost per avoided counted cold start of every schedule run (on the search's
  // days), reported as run on the whole trace.
  const perAvoided = (r: VariantOutcome, base: VariantOutcome): number | null => {
    const avoided = counted(base) - counted(r);
    return avoided > 0 ? (r.cost! - base.cost!) / avoided : null;
  };
  const searchOf = async (c: Candidate): Promise<Candidate> => ({ ...c, r: await sim(c.hb, 'search') });
  const scored: Candidate[] = [
    ...(await Promise.all([...always, ...extras, ...fit].map(searchOf))),
    ...hours.evaluated.map(({ plan, r }): Candidate => ({
      label: labelOf(ofPlan(plan)),
      hb: ofPlan(plan),
      r,
    })),
  ];
  // Lowest cost per avoided hit; among schedules that save money outright, the one avoiding most.
  const mostEfficient = (cs: readonly Candidate[], base: VariantOutcome): Candidate | undefined => {
    const avoidedBy = (r: VariantOutcome): number => counted(base) - counted(r);
    let best: Candidate | undefined;
    for (const c of cs) {
      const x = perAvoided(c.r, base);
      if (x === null) continue;
      const e = best === undefined ? null : perAvoided(best.r, base)!;
      const wins =
        e === null ||
        (x <= 0 && e <= 0
          ? avoidedBy(c.r) > avoidedBy(best!.r) || (avoidedBy(c.r) === avoidedBy(best!.r) && x < e - EPS)
          : x < e - EPS);
      if (wins) best = c;
    }
    return best;
  };
  // On the search's days, then (re-run on the whole trace) against the other schedules run there,
  // so the break-even never stands above a schedule shown with a lower cost per avoided hit.
  const efficientS = mostEfficient(scored, neverS);
  const efficient = mostEfficient(
    [
      ...(efficientS ? [{ ...efficientS, r: await sim(efficientS.hb, 'full') }] : []),
      ...always,
      ...extras,
      ...fit,
      wholeHour,
      best,
    ],
    never,
  );

  // Variants shown (whole trace): never, always (each interval), the given schedules, the best, the
  // whole-hour best and the most efficient.
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
    method,
    variants,
    costPerAvoidedColdStart: perAvoided(alwaysBest.r, never),
    breakEvenColdStartValue: efficient ? perAvoided(efficient.r, never) : null,
    bestSchedule: {
      schedule: best.label,
      heartbeat: best.hb ? settingOf(best.hb) : null,
      basis:
        V !== undefined
          ? `the lowest cost plus ${valueText(V)} per ${cfg.classes.join(' or ')} cold-start hit (breakeven.coldStartValue)`
          : `no coldStartValue: the cheapest schedule that avoids as many ${cfg.classes.join(' and ')} cold starts as any`,
      addedCost: best.r.cost! - never.cost!,
      avoided: counted(never) - counted(best.r),
      costPerAvoided: perAvoided(best.r, never),
      daysRun: shape.localDays.filter((d) => best.hb?.days !== 'weekdays' || d.weekday).length,
      fittedTo:
        fittedToText(span ? shape.localDays.slice(0, span.days) : shape.localDays) +
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

/** How the schedules were searched, in a sentence the output prints. */
function methodOf(
  idle: boolean,
  shape: TrafficShape,
  span: HeartbeatConfig['searchSpan'],
  key: string,
): HeartbeatMethod {
  const days = shape.localDays.length;
  if (!idle)
    return {
      search: 'nothing-to-keep-warm',
      searchDays: 0,
      note: `${key} never went back to zero after its first start, at the trace's first request: a heartbeat has nothing to keep warm here, so no schedule was searched (the variants shown ran on the whole trace).`,
    };
  if (span)
    return {
      search: 'first-days',
      searchDays: span.days,
      note: `Schedules searched on the first ${span.days} of ${days} days (one week: every weekday and the weekend); the variants shown re-ran on all ${days}.`,
    };
  return { search: 'whole-trace', searchDays: days, note: '' };
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
