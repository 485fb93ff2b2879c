import type { UncertainSetting } from '../../models/hooks.js';
import { OPTIONS, optionById } from '../../models/registry.js';
import type { Assumption } from '../../models/types.js';
import type { Scenario, ScenarioOption } from '../../scenario/schema.js';
import { distMedian, type Dist } from '../../sim/dist.js';
import type { Rng } from '../../sim/rng.js';
import { TraceCalendar } from '../../traffic/calendar.js';
import { prepareOption, scenarioPriceBook, summarizeTrace } from '../../compare/run.js';
import type { InputRole } from '../../compare/result.js';
import type { TraceColumns } from '../../traffic/columns.js';

/*
 * The uncertain inputs of a scenario: the assumptions its options list with a band (`low`/`high`)
 * that a setting can move — per-copy concurrency, cold starts, the CMU rate version, the window
 * rule, the copy scale-in rule, launch times, ops effort. The sensitivity analysis moves each across its band; the
 * forecast draws them per Monte Carlo run. An input is shared by every option entry of the same
 * id that leaves it at its default (the CMU rate is one fact of the world, not one per key).
 */

export interface UncertainInput {
  /** `<option id>.<setting>`, e.g. `bedrock-cmi.slotsPerCopy`. */
  id: string;
  /** The assumption's name, e.g. `slots per copy`. */
  label: string;
  optionId: string;
  /** Option keys the input applies to (those that leave the setting at its default). */
  keys: string[];
  kind: 'number' | 'choice';
  integer: boolean;
  role: InputRole;
  unit: string;
  /** Value in force in the scenario (a distribution's median for cold starts and launch times). */
  base: number | string;
  low: number | string;
  high: number | string;
  /** Every value a `choice` input can take, `low` first. */
  choices?: string[];
  source: string;
  /** Moves only the bill (re-billed, not re-simulated). */
  billingOnly: boolean;
}

/** How an assumption maps onto the option setting that moves it (from the option's `uncertain` hook). */
interface Mapping extends UncertainSetting {
  setting: string;
}

/** The option's uncertain settings by assumption name (the rows its `prepare` lists), or none. */
function mappingsOf(optionId: string): Map<string, Mapping> | undefined {
  const hook = optionById(optionId)?.uncertain;
  if (hook === undefined) return undefined;
  return new Map(Object.entries(hook.settings).map(([setting, u]) => [u.assumption, { ...u, setting }]));
}

/**
 * Assumption name → mapping, per option id whose `uncertain` hook moves any setting (a view for tests: every
 * name must be one the option really lists).
 */
export const MAPPINGS: Record<string, Record<string, Mapping>> = Object.fromEntries(
  OPTIONS.filter((o) => Object.keys(o.uncertain?.settings ?? {}).length > 0).map((o) => [
    o.id,
    Object.fromEntries(mappingsOf(o.id)!),
  ]),
);

/** Per input, the base distribution of each key it applies to (`dist` inputs only). */
export type BaseDists = Map<string, Map<string, Dist>>;

/** The inputs and, for `dist` inputs, each key's distribution (which moves keep the shape of). */
export function collect(
  scenario: Scenario,
  baseDir: string,
  columns: TraceColumns | null = null,
): { inputs: UncertainInput[]; dists: BaseDists; unsupported: string[] } {
  const book = scenarioPriceBook(scenario, baseDir);
  const calendar = new TraceCalendar(scenario.traffic, scenario.timezone);
  const span = calendar.span;
  const trace = summarizeTrace(scenario, span.startUtcIso, span.durationSeconds, baseDir, columns);
  const byId = new Map<string, UncertainInput>();
  const dists: BaseDists = new Map();
  const unsupported: string[] = [];
  for (const o of scenario.options) {
    const table = mappingsOf(o.id);
    const option = optionById(o.id);
    if (option && !table && option.baseline !== true)
      unsupported.push(
        `${o.key ?? o.id}: ${option.title} does not support the sensitivity analysis (it declares no uncertain inputs); it is priced at base throughout`,
      );
    if (!table || !option || !option.feasibility(scenario.model, scenario.region, o, book).ok) continue;
    const key = o.key ?? o.id;
    const prepared = prepareOption(scenario, o, book, span.durationSeconds, calendar, trace);
    for (const a of prepared.assumptions) {
      const m = table.get(a.name);
      // A value the scenario sets is its author's decision, not an unknown (except `always`).
      if (!m || !a.uncertain || (o[m.setting] !== undefined && !m.always)) continue;
      const input = inputOf(o.id, a, m, scenario, book);
      if (input === null) continue;
      const seen = byId.get(input.id);
      if (seen) seen.keys.push(key);
      else byId.set(input.id, { ...input, keys: [key] });
      if (m.form === 'dist' && a.dist) {
        if (!dists.has(input.id)) dists.set(input.id, new Map());
        dists.get(input.id)!.set(key, a.dist);
      }
    }
  }
  return { inputs: [...byId.values()], dists, unsupported };
}

function inputOf(
  optionId: string,
  a: Assumption,
  m: Mapping,
  scenario: Scenario,
  book: ReturnType<typeof scenarioPriceBook>,
): Omit<UncertainInput, 'keys'> | null {
  const common = {
    id: `${optionId}.${m.setting}`,
    label: a.name,
    optionId,
    role: m.role,
    unit: a.unit || (m.form === 'dist' ? 's' : ''),
    source: a.source,
    billingOnly: m.billingOnly === true,
  };
  if (m.form === 'choice') {
    const choices =
      typeof m.choices === 'function' ? m.choices(book, scenario.region) : [...(m.choices ?? [])];
    const base = m.current ? m.current(a, choices) : String(a.value);
    if (choices.length < 2 || !choices.includes(base)) return null;
    return {
      ...common,
      kind: 'choice',
      integer: false,
      base,
      low: choices[0]!,
      high: choices[choices.length - 1]!,
      choices,
    };
  }
  if (typeof a.low !== 'number' || typeof a.high !== 'number' || !(a.high > a.low)) return null;
  const base = m.form === 'dist' ? (a.dist ? centre(a.dist) : NaN) : a.value;
  if (typeof base !== 'number' || !Number.isFinite(base)) return null;
  return { ...common, kind: 'number', integer: m.form === 'int', base, low: a.low, high: a.high };
}

/** The value a `dist` input stands for: the median (the value of a fixed one). */
export const centre = distMedian;

/** `d` scaled so its `centre` is `v` (its shape — the p90/median ratio, the spread — kept). */
export function scaleDist(d: Dist, v: number): Dist {
  const c = centre(d);
  const k = c > 0 ? v / c : 1;
  switch (d.dist) {
    case 'fixed':
      return { dist: 'fixed', value: v };
    case 'uniform':
      return c > 0 ? { dist: 'uniform', min: d.min * k, max: d.max * k } : { dist: 'fixed', value: v };
    case 'exponential':
      return { dist: 'exponential', mean: v / Math.LN2 };
    case 'lognormal':
      return { dist: 'lognormal', median: v, p90: d.p90 * k };
  }
}

/**
 * One value per input: numbers from the triangular distribution on [low, high] with its mode at
 * the base value (the best estimate stays the most likely; a base outside the band is clamped),
 * integers rounded; choices uniformly. Draws in input order, so the same rng gives the same values.
 */
export function drawInputs(inputs: readonly UncertainInput[], rng: Rng): Map<string, number | string> {
  const values = new Map<string, number | string>();
  for (const x of inputs) {
    const u = rng.next();
    if (x.kind === 'choice') {
      const c = x.choices!;
      values.set(x.id, c[Math.min(c.length - 1, Math.floor(u * c.length))]!);
      continue;
    }
    const lo = x.low as number;
    const hi = x.high as number;
    const mode = Math.min(hi, Math.max(lo, x.base as number));
    const f = (mode - lo) / (hi - lo);
    const v =
      u < f ? lo + Math.sqrt(u * (hi - lo) * (mode - lo)) : hi - Math.sqrt((1 - u) * (hi - lo) * (hi - mode));
    values.set(x.id, x.integer ? Math.round(v) : v);
  }
  return values;
}

/**
 * The scenario's option entries with `values` applied to the keys each input covers (inputs
 * without a value keep the scenario's). A `dist` input keeps each key's distribution shape and
 * moves its median. If a move puts a minimum above its maximum, the maximum follows.
 */
export function applyInputs(
  scenario: Scenario,
  inputs: readonly UncertainInput[],
  values: ReadonlyMap<string, number | string>,
  dists: BaseDists = new Map(),
): { options: ScenarioOption[]; prices: Record<string, number> } {
  const options = scenario.options.map((o) => {
    const key = o.key ?? o.id;
    let out: ScenarioOption = o;
    for (const x of inputs) {
      const v = values.get(x.id);
      if (v === undefined || !x.keys.includes(key)) continue;
      const m = mappingsOf(x.optionId)!.get(x.label)!;
      const base = dists.get(x.id)?.get(key);
      const setting =
        m.form === 'dist'
          ? base
            ? scaleDist(base, v as number)
            : ({ dist: 'fixed', value: v as number } satisfies Dist)
          : m.form === 'int'
            ? Math.round(v as number)
            : v;
      out = { ...out, [m.setting]: setting };
    }
    // A default left in place is the input's base value; the scenario's own setting is in `out`.
    const effective = (k: string): number | undefined => {
      const v = out[k];
      if (typeof v === 'number') return v;
      const x = inputs.find((i) => i.id === `${o.id}.${k}` && i.keys.includes(key));
      return typeof x?.base === 'number' ? x.base : undefined;
    };
    for (const [lo, hi] of optionById(o.id)?.uncertain?.minMax ?? []) {
      const a = effective(lo);
      const b = effective(hi);
      if (a === undefined || b === undefined || a <= b) continue;
      // Whichever end moved wins; the other follows it.
      out = o[lo] !== out[lo] ? { ...out, [hi]: a } : { ...out, [lo]: b };
    }
    return out;
  });
  return { options, prices: {} };
}
