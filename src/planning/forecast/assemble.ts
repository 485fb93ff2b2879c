import type { Commitment } from '../../billing/lines.js';
import { optionById } from '../../models/registry.js';
import type { VariantOutcome } from '../sweep/sweep.js';
import { scaledDay, type DayCosts } from './volumes.js';
import { withDonor } from './seed-only.js';
import { bandOf } from './bands.js';
import type { ForecastMonth } from './calendar.js';
import type {
  ForecastFrame,
  ForecastOptionInfo,
  ForecastResult,
  ForecastRow,
  ForecastSettings,
} from './result.js';

/*
 * The forecast's assembly (docs/forecast.md): outcomes of the simulated days ─► month totals per
 * run (weekdays × mean weekday cost + weekend days × mean weekend cost + DST correction; linear
 * in volume between simulated volumes) ─► P10/P50/P90 per month × option and of the horizon.
 */

/** Month m's volume multiplier: (1 + growth)^index. */
export function monthFactor(cfg: ForecastSettings, m: ForecastMonth): number {
  return Math.pow(1 + cfg.growth, m.index);
}

/**
 * One month's DST correction per option key: Σ over its DST days of (cost of that day − cost of
 * a regular day of the same type), both at the month's volume; null where either is infeasible.
 */
function dstCorrection(days: readonly { odd: DayCosts; even: DayCosts }[]): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const { odd, even } of days)
    for (const [key, o] of odd) {
      const e = even.get(key)!;
      const prev = out.get(key) ?? 0;
      out.set(key, prev === null || o.cost === null || e.cost === null ? null : prev + o.cost - e.cost);
    }
  return out;
}

/** The simulated volumes around `f` (indices into ascending `scales`) and the weight of the upper one. */
export function bracket(scales: readonly number[], f: number): { lo: number; hi: number; w: number } {
  const exact = scales.indexOf(f);
  if (exact >= 0) return { lo: exact, hi: exact, w: 0 };
  let hi = scales.findIndex((s) => s > f);
  if (hi <= 0) hi = hi === 0 ? 1 : scales.length - 1; // outside the anchors: extrapolate from the nearest pair
  const lo = hi - 1;
  return { lo, hi, w: (f - scales[lo]!) / (scales[hi]! - scales[lo]!) };
}

/**
 * forecast.json from the frame and every task's outcomes (in task order): flags per option, each
 * run's month totals, then the bands. Pure: `forecast` and `servesim merge` both end here.
 */
export function assembleForecast(
  frame: ForecastFrame,
  outcomes: readonly VariantOutcome[][],
): ForecastResult {
  const { scenario, settings: cfg, months, representativeDays: dates, scales, inputs } = frame;
  const factor = (m: ForecastMonth): number => monthFactor(cfg, m);
  const costs = (i: number, from = 0, to?: number): DayCosts =>
    new Map(outcomes[i]!.slice(from, to).map((o) => [o.key, o]));
  const simulated = frame.days.map((run) =>
    run.map((bys) =>
      bys.map((t) => ({
        weekday: costs(t.weekday, 0, t.split),
        weekend: t.weekend === null ? null : costs(t.weekend, t.split),
      })),
    ),
  );
  // `seedOnlyRuns`: later runs take the seed-only options from an earlier run (seed-only.ts).
  const so = frame.seedOnly;
  const filled = !so
    ? simulated
    : simulated.map((run, r) =>
        r < so.runs
          ? run
          : run.map((bys, j) =>
              bys.map((t, si) => {
                const d = simulated[r % so.runs]![j]![si]!;
                return {
                  weekday: withDonor(t.weekday, d.weekday, so.keys)!,
                  weekend: withDonor(t.weekend, d.weekend, so.keys),
                };
              }),
            ),
      );
  // `runVolumes: one`: each run's pivot day moved to every simulated volume (volumes.ts).
  const v = frame.volumes;
  const base = v?.base.map((b) => ({ weekday: costs(b.weekday), weekend: costs(b.weekend) }));
  const settled = !base
    ? filled
    : filled.map((run) =>
        run.map(([p]) =>
          base.map((b) => ({
            weekday: scaledDay(p!.weekday, b.weekday, base[v!.pivot]!.weekday),
            weekend: p!.weekend && scaledDay(p!.weekend, b.weekend, base[v!.pivot]!.weekend),
          })),
        ),
      );
  const dst = frame.dst.map((days) =>
    dstCorrection(days.map((d) => ({ odd: costs(d.odd), even: costs(d.even) }))),
  );
  const keys = scenario.options.map((o) => o.key);
  const info = new Map<string, ForecastOptionInfo>(
    scenario.options.map((o) => [
      o.key,
      {
        option: o.key,
        id: o.id,
        baseline: optionById(o.id)?.baseline === true,
        feasible: true,
        reasons: [],
        lossRate: 0,
        lossExceeded: false,
      },
    ]),
  );
  const note = (o: VariantOutcome): void => {
    const i = info.get(o.key)!;
    if (!o.feasible || o.cost === null) {
      if (i.feasible) i.reasons = o.reasons;
      i.feasible = false;
      return;
    }
    const lost = o.arrived > 0 ? (o.throttled + o.failed) / o.arrived : 0;
    i.lossRate = Math.max(i.lossRate ?? 0, lost);
  };
  for (const run of settled)
    for (const bys of run)
      for (const t of bys) {
        t.weekday.forEach(note);
        t.weekend?.forEach(note);
      }
  // Scaled runs keep the pivot's counts: the base days give the loss at the other volumes.
  for (const b of base ?? []) b.weekday.forEach(note);
  for (const m of dst) for (const [k, v] of m) if (v === null) info.get(k)!.feasible = false;

  // totals[m][k][r]: USD of month m, option k, run r.
  const runs = settled.length;
  const totals = months.map(() => keys.map(() => new Float64Array(runs)));
  // A term bought whole: a month bills its instalment (hours of a commitment month at the day's rate).
  const commitment = new Map(keys.map((k) => [k, settled[0]?.[0]?.[0]?.weekday.get(k)?.commitment] as const));
  settled.forEach((run, r) =>
    months.forEach((m, mi) => {
      const { lo, hi, w: wHi } = bracket(scales, factor(m));
      keys.forEach((k, ki) => {
        if (!info.get(k)!.feasible) return;
        let wd = 0;
        let we = 0;
        for (const bys of run) {
          // Linear in volume between the two simulated volumes around this month's.
          for (const [si, w] of [
            [lo, 1 - wHi],
            [hi, wHi],
          ] as const) {
            if (w === 0) continue;
            const t = bys[si]!;
            const c = t.weekday.get(k)!.cost!;
            wd += w * c;
            we += w * (t.weekend?.get(k)?.cost ?? c);
          }
        }
        const n = run.length;
        const c = commitment.get(k);
        totals[mi]![ki]![r] = c
          ? (wd / n / 24) * (c.termHours / c.termMonths)
          : (m.weekdays * wd) / n + (m.weekendDays * we) / n + (dst[mi]!.get(k) ?? 0);
      });
    }),
  );
  for (const i of info.values()) {
    if (!i.feasible) i.lossRate = null;
    i.lossExceeded = i.lossRate !== null && i.lossRate > scenario.maxLossRate;
  }
  const shown = keys.filter((k) => info.get(k)!.feasible);
  const ranked = shown.filter((k) => !info.get(k)!.baseline && !info.get(k)!.lossExceeded);
  const rows: ForecastRow[] = [];
  const cheapest: ForecastResult['cheapest'] = [];
  months.forEach((m, mi) => {
    const bands = new Map(shown.map((k) => [k, bandOf(totals[mi]![keys.indexOf(k)]!)]));
    for (const k of shown) rows.push({ month: m.month, option: k, ...bands.get(k)! });
    let best: string | null = null;
    for (const k of ranked) if (best === null || bands.get(k)!.p50 < bands.get(best)!.p50) best = k;
    cheapest.push({ month: m.month, option: best });
  });
  return {
    months: rows,
    scenario: scenario.name,
    seed: scenario.seed,
    region: scenario.region,
    settings: {
      ...cfg,
      percentileMethod: 'nearest-rank',
      ...(v ? { scaledFromVolume: scales[v.pivot]! } : {}),
      ...(so ? { seedOnly: { runs: so.runs, options: so.keys } } : {}),
      representativeDays: dates,
    },
    calendar: months.map((m) => ({
      month: m.month,
      days: m.days,
      weekdays: m.weekdays,
      weekendDays: m.weekendDays,
      volumeFactor: factor(m),
    })),
    totals: shown.map((k) => {
      const ki = keys.indexOf(k);
      const sum = new Float64Array(runs);
      for (const perMonth of totals) for (let r = 0; r < runs; r++) sum[r] = sum[r]! + perMonth[ki]![r]!;
      // Whole terms: the last term's months after the horizon are owed too (same instalment).
      const after = monthsAfter(commitment.get(k), months.length);
      if (after > 0) for (let r = 0; r < runs; r++) sum[r] = sum[r]! + after * totals.at(-1)![ki]![r]!;
      return { option: k, ...bandOf(sum) };
    }),
    cheapest,
    options: keys.map((k) => info.get(k)!),
    uncertainInputs: inputs,
    commitments: shown.flatMap((k) => {
      const c = commitment.get(k);
      if (!c) return [];
      const after = monthsAfter(c, months.length);
      const terms = (months.length + after) / c.termMonths;
      return [{ option: k, term: c.term, termMonths: c.termMonths, terms, monthsAfterHorizon: after }];
    }),
  };
}

/** Months of the last whole term that fall after a horizon of `months` (0 without a commitment). */
function monthsAfter(c: Commitment | undefined, months: number): number {
  return c ? Math.ceil(months / c.termMonths) * c.termMonths - months : 0;
}
