import { readShippedJson } from '../data.js';
import { instancePrice } from './fleet-common.js';
import { fittingInstances, hardware } from './hardware.js';
import type { OptionEntry, SloBinding, SloLine, SloSizing, SloSizingContext } from './hooks.js';

/*
 * Building blocks for the options' SLO sizing hooks (hooks.ts `SloSizing`): a line of one point,
 * a count line, and the per-instance-type lines SageMaker and self-hosted share.
 */

/** Largest count of copies, instances, nodes, replicas or model units tried. */
export const MAX_COUNT = 32;
export const CAPACITY: readonly SloBinding[] = ['queueing'];
/** Counts of always-warm capacity (min instances, provisioned concurrency) also cure cold starts. */
export const WARM_CAPACITY: readonly SloBinding[] = ['queueing', 'cold start'];

/** A line of one point: the entry as given. */
export function point(label: string, o: OptionEntry): SloLine {
  return { label, at: () => o, lo: 0, hi: 0, start: 0, fixes: [] };
}

export function count(
  label: string,
  at: (n: number) => OptionEntry,
  lo: number,
  hi: number,
  start: number,
  fixes: readonly SloBinding[],
): SloLine {
  return { label, at, lo, hi, start: Math.min(hi, Math.max(lo, start)), fixes };
}

/** Sizing for an option with nothing to size (per token): checked as configured. */
export const AS_CONFIGURED: SloSizing = { countSettings: [], lines: (o) => [point('as configured', o)] };

/**
 * `e` with `key` set to `v`, or without it when the scenario leaves `key` to its default and `v`
 * is that default (so the result lists only real changes, and the scenario's own entry is reused).
 */
export function withSetting(
  o: OptionEntry,
  e: OptionEntry,
  key: string,
  v: unknown,
  dflt: unknown,
): OptionEntry {
  if (o[key] === undefined && v === dflt) {
    const { [key]: _drop, ...rest } = e;
    return rest as OptionEntry;
  }
  return { ...e, [key]: v };
}

export function num(v: unknown, fallback: number): number {
  return typeof v === 'number' ? v : fallback;
}

interface Defaults {
  defaults: Record<string, { value: number | string }>;
}
/** A default from an option's data file (the one place its value lives). */
export function shippedDefault(file: string, name: string): number | string {
  return (readShippedJson(file) as Defaults).defaults[name]!.value;
}

export interface InstanceKind {
  service: 'AmazonSageMaker' | 'AmazonEC2';
  prefix: string;
  min: string;
  max: string;
  unit: string;
  /** The option's data file, for its default instance type and counts. */
  defaults: string;
}

/**
 * SageMaker and self-hosted: per instance type that fits the model and has a price (of types
 * with the same GPUs only the cheapest: the simulation runs them alike), the minimum count with
 * a fixed fleet (max = min) and with autoscaling up to the scenario's maximum. Cheapest types first.
 */
export function instanceSizing(k: InstanceKind): SloSizing {
  return { countSettings: [k.min, k.max], lines: (o, ctx) => instanceLines(o, ctx, k) };
}

function instanceLines(o: OptionEntry, ctx: SloSizingContext, k: InstanceKind): SloLine[] {
  const ownDefault = String(shippedDefault(k.defaults, 'instanceType'));
  const minDefault = Number(shippedDefault(k.defaults, k.min));
  const maxDefault = Number(shippedDefault(k.defaults, k.max));
  const own = String(o.instanceType ?? ownDefault);
  const min = num(o[k.min], minDefault);
  const max = num(o[k.max], maxDefault);
  const entry = (type: string, lo: number, hi: number): OptionEntry =>
    withSetting(
      o,
      withSetting(o, withSetting(o, o, 'instanceType', type, ownDefault), k.min, lo, minDefault),
      k.max,
      hi,
      maxDefault,
    );
  const specs = new Map(hardware().instances.map((i) => [i.type, i]));
  const byGpus = new Map<string, { type: string; price: number }>();
  for (const t of fittingInstances(ctx.model)) {
    const type = k.prefix + t;
    const price = instancePrice(ctx.book, k.service, type, ctx.region)?.price;
    if (price === undefined) continue;
    const s = specs.get(t)!;
    const sig = `${s.gpu}×${s.gpus}`;
    const seen = byGpus.get(sig);
    if (seen === undefined || price < seen.price) byGpus.set(sig, { type, price });
  }
  const types = [...byGpus.values()];
  if (!types.some((t) => t.type === own)) types.push({ type: own, price: Infinity });
  types.sort((a, b) => a.price - b.price || a.type.localeCompare(b.type));
  const lines: SloLine[] = [];
  for (const { type } of types) {
    lines.push(
      count(`${type}, fixed size`, (n) => entry(type, n, Math.max(n, 1)), 0, MAX_COUNT, min, WARM_CAPACITY),
    );
    if (max > 1)
      lines.push(
        count(
          `${type}, autoscaling up to ${max} ${k.unit}`,
          (n) => entry(type, n, Math.max(n, max)),
          0,
          MAX_COUNT,
          min,
          WARM_CAPACITY,
        ),
      );
  }
  return lines;
}
