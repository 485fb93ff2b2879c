import type { VariantOutcome } from '../sweep/sweep.js';
import type { Plan } from './warm-by-traffic.js';

/*
 * The whole-hour schedule search of the heartbeat break-even (heartbeat.ts, phases B and C):
 *
 *   each hour alone, always minus each hour ─► hours that pay alone / hours whose removal pays
 *     ─► the best of four starts ─► toggle one hour at a time while that helps (≤ 12 rounds)
 *     ─► weekdays only, when the span has a weekend.
 *
 * Bounded: at most 48 + 4 + 12 × 24 + 1 schedules, each simulated once (memoised by plan).
 */

export const ALL_HOURS = 0xffffff;
const MAX_ROUNDS = 12;

export interface HourSearch {
  /** The option without a heartbeat and with one always on, on the search's traffic. */
  never: VariantOutcome;
  always: VariantOutcome;
  /** Simulates a schedule on the search's traffic. */
  run: (p: Plan) => Promise<VariantOutcome>;
  /** Strictly better by the analysis' rule. */
  better: (a: VariantOutcome, b: VariantOutcome) => boolean;
  hasWeekend: boolean;
}

/** The best whole-hour plan and every plan evaluated on the way, with its outcome. */
export async function searchHours(
  f: HourSearch,
): Promise<{ best: Plan; evaluated: { plan: Plan; r: VariantOutcome }[] }> {
  const memo = new Map<string, { plan: Plan; r: VariantOutcome }>();
  const planKey = (p: Plan): string => (p.mask === 0 ? 'never' : `${p.mask}:${p.days}`);
  memo.set('never', { plan: { mask: 0, days: 'all' }, r: f.never });
  memo.set(planKey({ mask: ALL_HOURS, days: 'all' }), {
    plan: { mask: ALL_HOURS, days: 'all' },
    r: f.always,
  });
  const evaluate = async (plans: Plan[]): Promise<void> => {
    const todo = new Map<string, Plan>();
    for (const p of plans) if (!memo.has(planKey(p))) todo.set(planKey(p), p);
    const outs = await Promise.all([...todo.values()].map((p) => f.run(p)));
    [...todo.entries()].forEach(([k, plan], i) => memo.set(k, { plan, r: outs[i]! }));
  };
  const at = (p: Plan): VariantOutcome => memo.get(planKey(p))!.r;
  const better = f.better;

  // Phase B: each hour alone, and always minus each hour.
  const hours = Array.from({ length: 24 }, (_, h) => h);
  const single = (h: number): Plan => ({ mask: 1 << h, days: 'all' });
  const minus = (h: number): Plan => ({ mask: ALL_HOURS & ~(1 << h), days: 'all' });
  await evaluate([...hours.map(single), ...hours.map(minus)]);
  let payAlone = 0;
  let dropFromAlways = 0;
  for (const h of hours) {
    if (better(at(single(h)), f.never)) payAlone |= 1 << h;
    if (better(at(minus(h)), f.always)) dropFromAlways |= 1 << h;
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
  if (f.hasWeekend && current.mask !== 0) {
    const weekdays: Plan = { mask: current.mask, days: 'weekdays' };
    await evaluate([weekdays]);
    if (better(at(weekdays), at(current))) current = weekdays;
  }
  return { best: current, evaluated: [...memo.values()] };
}
