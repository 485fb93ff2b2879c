import { readShippedJson } from '../../data.js';
import { instancePrice } from '../../models/fleet-common.js';
import { fittingInstances, hardware } from '../../models/hardware.js';
import type { Heartbeat } from '../../models/heartbeat.js';
import type { ModelSpec } from '../../models/model-spec.js';
import { MEMORY_SIZES, serverlessLimits } from '../../models/sagemaker-serverless.js';
import type { PriceBook } from '../../pricing/book.js';
import type { ScenarioOption } from '../../scenario/schema.js';
import { labelOf, rangesOf } from '../breakeven/schedules.js';
import type { SloBinding } from '../../compare/result.js';

/*
 * The settings the SLO search tries, per option: a few lines, each a count searched on its own
 * (copies, instances, nodes, replicas, model units, concurrency) with everything else fixed — the
 * instance type, the heartbeat schedule, whether the fleet autoscales. Lines come cheapest-looking
 * first so that cost pruning (slo.ts) cuts the later ones short.
 */

/** One line of the search: the entry at count n, for n in lo..hi, first tried at `start`. */
export interface Line {
  /** What the line fixes besides the count (`ml.g5.2xlarge, autoscaling to 4`), for notes. */
  label: string;
  at(n: number): ScenarioOption;
  lo: number;
  hi: number;
  start: number;
  /** Failures a higher count can cure; any other failure ends the line. */
  fixes: readonly SloBinding[];
}

export interface GridContext {
  model: ModelSpec;
  region: string;
  book: PriceBook;
  /** Bit h set = user requests arrive in local hour h (trafficShape). */
  hourMask: number;
  /** The option's scale-to-zero time (s) as configured; null if it never scales to zero. */
  scaleToZeroSeconds: number | null;
}

/** The settings a line's count sets (the rest of a line stays fixed). */
export const COUNT_SETTINGS: ReadonlySet<string> = new Set([
  'replicas',
  'maxCopies',
  'minInstances',
  'maxInstances',
  'minNodes',
  'maxNodes',
  'modelUnits',
  'maxConcurrency',
  'provisionedConcurrency',
]);

/** Largest count of copies, instances, nodes, replicas or model units tried. */
export const MAX_COUNT = 32;
/** Serverless Inference's ceiling on max concurrency. */
const MAX_SERVERLESS_CONCURRENCY = 200;
const ALL_HOURS = 0xffffff;
const CAPACITY: readonly SloBinding[] = ['queueing'];
/** Counts of always-warm capacity (min instances, provisioned concurrency) also cure cold starts. */
const WARM_CAPACITY: readonly SloBinding[] = ['queueing', 'cold start'];

/** A line of one point: the entry as given. */
function point(label: string, o: ScenarioOption): Line {
  return { label, at: () => o, lo: 0, hi: 0, start: 0, fixes: [] };
}

function count(
  label: string,
  at: (n: number) => ScenarioOption,
  lo: number,
  hi: number,
  start: number,
  fixes: readonly SloBinding[],
): Line {
  return { label, at, lo, hi, start: Math.min(hi, Math.max(lo, start)), fixes };
}

/** The search lines of one option entry. */
export function linesOf(o: ScenarioOption, ctx: GridContext): Line[] {
  switch (o.id) {
    case 'fixed-fleet':
      return [count('replicas', (n) => ({ ...o, replicas: n }), 1, MAX_COUNT, num(o.replicas, 1), CAPACITY)];
    case 'bedrock-cmi':
      return cmiLines(o, ctx);
    case 'sagemaker-realtime':
    case 'sagemaker-jumpstart':
      return instanceLines(o, ctx, {
        service: 'AmazonSageMaker',
        prefix: 'ml.',
        min: 'minInstances',
        max: 'maxInstances',
        unit: 'instances',
        defaults: 'src/models/sagemaker-realtime.json',
      });
    case 'self-hosted':
      return instanceLines(o, ctx, {
        service: 'AmazonEC2',
        prefix: '',
        min: 'minNodes',
        max: 'maxNodes',
        unit: 'nodes',
        defaults: 'src/models/self-hosted.json',
      });
    case 'sagemaker-serverless':
      return serverlessLines(o, ctx);
    case 'bedrock-provisioned':
      return [
        count('model units', (n) => ({ ...o, modelUnits: n }), 1, MAX_COUNT, num(o.modelUnits, 1), [
          'quota',
          'queueing',
        ]),
      ];
    default:
      // Per token: nothing to size; checked as configured.
      return [point('as configured', o)];
  }
}

/**
 * `e` with `key` set to `v`, or without it when the scenario leaves `key` to its default and `v`
 * is that default (so the result lists only real changes, and the scenario's own entry is reused).
 */
function withSetting(
  o: ScenarioOption,
  e: ScenarioOption,
  key: string,
  v: unknown,
  dflt: unknown,
): ScenarioOption {
  if (o[key] === undefined && v === dflt) {
    const { [key]: _drop, ...rest } = e;
    return rest as ScenarioOption;
  }
  return { ...e, [key]: v };
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' ? v : fallback;
}

interface Defaults {
  defaults: Record<string, { value: number | string }>;
}
/** A default from an option's data file (the one place its value lives). */
function shippedDefault(file: string, name: string): number | string {
  return (readShippedJson(file) as Defaults).defaults[name]!.value;
}

/**
 * Custom Model Import: max copies under each heartbeat schedule — none, the scenario's own, the
 * hours with traffic (plus the hour before each, so the copy is warm when the first request
 * comes: a beat at the same instant as a request is served after it), all day. Beats come every
 * scale-to-zero time, the longest interval that keeps a copy warm.
 */
function cmiLines(o: ScenarioOption, ctx: GridContext): Line[] {
  const dflt = Number(shippedDefault('src/models/bedrock-cmi.json', 'maxCopies'));
  const start = num(o.maxCopies, dflt);
  const line = (label: string, hb: Heartbeat | undefined): Line => {
    const { heartbeat: _drop, ...rest } = o;
    const base: ScenarioOption = hb === undefined ? rest : { ...rest, heartbeat: hb };
    const at = (n: number) => withSetting(o, base, 'maxCopies', n, dflt);
    return count(`heartbeat ${label}`, at, 1, MAX_COUNT, start, CAPACITY);
  };
  const own = o.heartbeat as Heartbeat | undefined;
  const lines = [line('never', undefined)];
  if (own !== undefined) lines.push(line(`${labelOf(own)} (as configured)`, own));
  const every = ctx.scaleToZeroSeconds;
  if (every === null) return lines;
  const beat = (mask: number): Heartbeat => ({
    every,
    during: rangesOf(mask),
    days: 'all',
    inputTokens: own?.inputTokens ?? 1,
    outputTokens: own?.outputTokens ?? 1,
  });
  // The hour before each hour with traffic (23 before 00).
  const before = (ctx.hourMask >>> 1) | ((ctx.hourMask & 1) << 23);
  const traffic = ctx.hourMask | before;
  if (ctx.hourMask !== 0 && traffic !== ALL_HOURS) lines.push(line(labelOf(beat(traffic)), beat(traffic)));
  lines.push(line(labelOf(beat(ALL_HOURS)), beat(ALL_HOURS)));
  return lines;
}

interface InstanceKind {
  service: 'AmazonSageMaker' | 'AmazonEC2';
  prefix: string;
  min: string;
  max: string;
  unit: string;
  defaults: string;
}

/**
 * SageMaker and self-hosted: per instance type that fits the model and has a price (of types
 * with the same GPUs only the cheapest: the simulation runs them alike), the minimum count with
 * a fixed fleet (max = min) and with autoscaling up to the scenario's maximum. Cheapest types first.
 */
function instanceLines(o: ScenarioOption, ctx: GridContext, k: InstanceKind): Line[] {
  const ownDefault = String(shippedDefault(k.defaults, 'instanceType'));
  const minDefault = Number(shippedDefault(k.defaults, k.min));
  const maxDefault = Number(shippedDefault(k.defaults, k.max));
  const own = String(o.instanceType ?? ownDefault);
  const min = num(o[k.min], minDefault);
  const max = num(o[k.max], maxDefault);
  const entry = (type: string, lo: number, hi: number): ScenarioOption =>
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
  const lines: Line[] = [];
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

/**
 * Serverless: the smallest memory size the model fits (speed does not depend on it here, price
 * does), then max concurrency (throttling) and, when the scenario prices it, provisioned
 * concurrency (cold starts).
 */
function serverlessLines(o: ScenarioOption, ctx: GridContext): Line[] {
  const memoryMB = MEMORY_SIZES.find((m) => serverlessLimits(ctx.model, m).length === 0);
  if (memoryMB === undefined) return [point('as configured', o)];
  const maxC = num(o.maxConcurrency, 1); // the schema fills in its default
  const lines = [
    count(
      `${memoryMB} MB, max concurrency`,
      (n) => ({ ...o, memoryMB, maxConcurrency: n }),
      1,
      MAX_SERVERLESS_CONCURRENCY,
      maxC,
      ['quota'],
    ),
  ];
  if (o.provisionedConcurrencyPricePerGBSecond !== undefined)
    lines.push(
      count(
        `${memoryMB} MB, provisioned concurrency`,
        (n) => ({ ...o, memoryMB, provisionedConcurrency: n, maxConcurrency: Math.max(n, maxC) }),
        1,
        MAX_SERVERLESS_CONCURRENCY,
        Math.max(1, num(o.provisionedConcurrency, 0)),
        ['quota', 'queueing', 'cold start'],
      ),
    );
  return lines;
}
