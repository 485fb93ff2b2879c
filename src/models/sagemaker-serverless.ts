import { ITEMS } from '../pricing/vocabulary.js';
import { z } from 'zod';
import { line, type CostLine } from '../billing/lines.js';
import { DurationDist, PositiveDuration } from '../scenario/fields.js';
import { describeDist, sample, type Dist } from '../sim/dist.js';
import { Admit, type Fleet, type FleetPolicy } from '../sim/fleet.js';
import { Rng } from '../sim/rng.js';
import { DistService } from '../sim/service.js';
import type { PriceBook } from '../pricing/book.js';
import { weightGB, type ModelSpec } from './model-spec.js';
import { optionObject } from './option-base.js';
import type { Assumption, ServingOption } from './types.js';
import type { OptionEntry, SloLine } from './hooks.js';
import { count, num, point } from './slo-sizing.js';
import { NO_UNCERTAIN_SETTINGS } from './uncertain-forms.js';
import { complianceFacts } from './compliance.js';
import { feasibility, missingPrice } from './feasibility.js';
import type { ServiceModel } from '../sim/fleet.js';
import { userTokens } from '../sim/record.js';
import { OPTION_DOCS } from './option-docs.js';

/**
 * `sagemaker-serverless`: SageMaker Serverless Inference. CPU only, memory 1–6 GB, 5 GB of disk,
 * one request per container, containers start on demand (a cold start each) up to
 * `maxConcurrency` — beyond it calls are throttled. Billed per millisecond of compute by memory
 * size, plus data processed, plus provisioned concurrency while provisioned.
 */

/** The memory sizes Serverless Inference offers (MB). */
export const MEMORY_SIZES = [1024, 2048, 3072, 4096, 5120, 6144];
const DISK_GB = 5;
/** Memory a container needs besides the weights: runtime, tokenizer, activations (assumed). */
const RUNTIME_OVERHEAD_GB = 0.5;
/** CPU decode streams the weights once per token; ~40 GB/s effective memory bandwidth assumed. */
const CPU_BANDWIDTH_GBPS = 40;
/** Bytes on the wire per token (UTF-8 text + JSON), for data processed. */
const BYTES_PER_TOKEN = 4;

const doc = OPTION_DOCS.serverless;
const schema = optionObject('sagemaker-serverless', {
  /** Memory size in MB: 1024, 2048, 3072, 4096, 5120 or 6144. */
  memoryMB: z
    .number()
    .int()
    .refine((m) => MEMORY_SIZES.includes(m), {
      message: `memoryMB must be one of ${MEMORY_SIZES.join(', ')}`,
    })
    .default(6144)
    .describe(doc.memoryMB(MEMORY_SIZES)),
  /** Containers at most (1–200). */
  maxConcurrency: z
    .number()
    .int()
    .min(1)
    .max(200, { message: 'maxConcurrency is at most 200' })
    .default(20)
    .describe(doc.maxConcurrency),
  /** Containers kept warm (0–maxConcurrency). */
  provisionedConcurrency: z.number().int().min(0).max(200).default(0).describe(doc.provisionedConcurrency),
  /** A container's start: image, weights download, load. */
  coldStart: DurationDist.optional().describe(doc.coldStart),
  /** An idle container is recycled after this long (not published). */
  idleTimeout: PositiveDuration.default(600).describe(doc.idleTimeout),
  /** USD per GB-second of provisioned concurrency (no published source; supply your own). */
  provisionedConcurrencyPricePerGBSecond: z
    .number()
    .positive()
    .optional()
    .describe(doc.provisionedConcurrencyPricePerGBSecond),
  serviceTime: DurationDist.optional().describe(doc.serviceTime),
}).refine((s) => s.provisionedConcurrency <= s.maxConcurrency, {
  message: 'provisionedConcurrency cannot exceed maxConcurrency',
  path: ['provisionedConcurrency'],
});
export type ServerlessSettings = z.infer<typeof schema>;

function computePrice(book: PriceBook, region: string) {
  return book.find('AmazonSageMaker', ITEMS.serverlessCompute, region)[0];
}
function dataPrice(book: PriceBook, region: string, direction: 'in' | 'out') {
  const item = direction === 'in' ? ITEMS.serverlessDataIn : ITEMS.serverlessDataOut;
  return book.find('AmazonSageMaker', item, region)[0];
}

/** Why the model cannot run serverless, or nothing. */
export function serverlessLimits(model: ModelSpec, memoryMB: number): string[] {
  const reasons: string[] = [];
  const w = weightGB(model);
  if (w + RUNTIME_OVERHEAD_GB > memoryMB / 1024)
    reasons.push(
      `weights of ${w.toFixed(1)} GB (+${RUNTIME_OVERHEAD_GB} GB runtime) exceed the ${memoryMB / 1024} GB of memory (Serverless Inference tops out at 6 GB)`,
    );
  if (w > DISK_GB) reasons.push(`weights of ${w.toFixed(1)} GB exceed the ${DISK_GB} GB of container disk`);
  if (w > 4)
    reasons.push(
      'Serverless Inference has no GPU: a model of this size on CPU alone is not a usable serving path',
    );
  return reasons;
}

/** CPU service: decode is memory-bandwidth-bound, so each output token streams the weights once. */
class CpuService implements ServiceModel {
  private readonly tpot: number;
  constructor(weights: number) {
    this.tpot = weights / CPU_BANDWIDTH_GBPS;
  }
  time(inputTokens: number, outputTokens: number): number {
    // Prefill is batched over the prompt: ~10 prompt tokens per decode step (assumed).
    return 0.2 + (inputTokens / 10) * this.tpot + outputTokens * this.tpot;
  }
}

export const sagemakerServerless: ServingOption<ServerlessSettings> = {
  uncertain: NO_UNCERTAIN_SETTINGS,
  sloSizing: {
    countSettings: ['maxConcurrency', 'provisionedConcurrency'],
    lines: serverlessLines,
  },
  id: 'sagemaker-serverless',
  title: 'SageMaker Serverless Inference',
  service: 'AmazonSageMaker',
  schema,
  facts: () => ({
    baseSupport: 'Anything that fits 6 GB of memory and 5 GB of disk on CPU',
    opsSurface: 'Light: endpoint config; AWS runs the containers',
    costShape: 'Per millisecond of compute by memory size + data processed (+ provisioned concurrency)',
    versionRollback: { path: 'Endpoint update with a new model', timeToTrafficSeconds: null },
    compliance: complianceFacts('sagemaker-serverless'),
  }),
  feasibility(model, region, s, book) {
    const reasons = serverlessLimits(model, s.memoryMB);
    const missing: string[] = [];
    if (!computePrice(book, region)) missing.push(missingPrice('Serverless compute price', region));
    for (const d of ['in', 'out'] as const)
      if (!dataPrice(book, region, d))
        missing.push(missingPrice(`Serverless data processed ${d} price`, region));
    if (s.provisionedConcurrency > 0 && s.provisionedConcurrencyPricePerGBSecond === undefined)
      missing.push(
        'the provisioned concurrency price is not in the price book (no published source found): set provisionedConcurrencyPricePerGBSecond, or provisionedConcurrency: 0',
      );
    return feasibility(reasons, missing);
  },
  prepare(ctx, s) {
    const compute = computePrice(ctx.book, ctx.region)!;
    const dataIn = dataPrice(ctx.book, ctx.region, 'in');
    const dataOut = dataPrice(ctx.book, ctx.region, 'out');
    const w = weightGB(ctx.model);
    // Small models start in ~1–5 s, >5 GB in >10 s (aws-facts §4): ~1 s + 2 s per GB assumed.
    const cold: Dist = s.coldStart ?? { dist: 'lognormal', median: 1 + 2 * w, p90: 2 + 4 * w };
    const service: ServiceModel = s.serviceTime
      ? new DistService(s.serviceTime, Rng.derive(ctx.seed, 'service', ctx.key))
      : new CpuService(w);
    const memGB = s.memoryMB / 1024;
    const assumptions: Assumption[] = [
      { name: 'memory', value: s.memoryMB, unit: 'MB', source: 'Scenario setting', uncertain: false },
      {
        name: 'max concurrency',
        value: s.maxConcurrency,
        unit: 'containers',
        source: 'Scenario setting (AWS range 1–200)',
        uncertain: false,
      },
      {
        name: 'container cold start',
        value: describeDist(cold, 's'),
        unit: '',
        source: s.coldStart
          ? 'Scenario setting'
          : 'Assumed ~1 s + 2 s per GB of weights: third parties report 1–5 s for small models and >10 s above 5 GB (aws-facts §4)',
        uncertain: !s.coldStart,
      },
      {
        name: 'idle container timeout',
        value: s.idleTimeout,
        unit: 's',
        source: 'Not published; assumed',
        uncertain: true,
      },
      {
        name: 'CPU speed',
        value: `${CPU_BANDWIDTH_GBPS} GB/s`,
        unit: '',
        source: 'Assumed: CPU decode streams the weights once per token at ~40 GB/s',
        uncertain: true,
      },
      {
        name: 'compute price',
        value: compute.price,
        unit: 'USD per GB-second',
        source: compute.source,
        uncertain: compute.uncertain,
      },
      {
        name: 'bytes per token',
        value: BYTES_PER_TOKEN,
        unit: 'bytes',
        source: 'Assumed for data processed (text + JSON framing)',
        uncertain: true,
      },
    ];
    return {
      assumptions,
      fleet: {
        slotsPerReplica: 1,
        routing: 'least-loaded',
        service,
        initialReplicas: s.provisionedConcurrency,
        policy: new ContainerPolicy(
          s.maxConcurrency,
          s.provisionedConcurrency,
          s.idleTimeout,
          cold,
          Rng.derive(ctx.seed, 'cold', ctx.key),
        ),
      },
      heartbeats: null,
      bill(record) {
        // Billed per millisecond of compute: the busy slot-seconds, rounded up per request is
        // below the simulation's resolution, so the sum is used as is.
        const gbSeconds = record.busySlotSeconds * memGB;
        const lines: CostLine[] = [
          line(`Serverless compute (${s.memoryMB} MB)`, gbSeconds, 'GB-seconds', compute.price, {
            lineId: 'serverless-compute',
          }),
        ];
        const gbIn = (userTokens(record.tokensByClass.input) * BYTES_PER_TOKEN) / 1e9;
        const gbOut = (userTokens(record.tokensByClass.output) * BYTES_PER_TOKEN) / 1e9;
        if (dataIn) lines.push(line('Data processed in', gbIn, 'GB', dataIn.price, { lineId: 'data-in' }));
        if (dataOut)
          lines.push(line('Data processed out', gbOut, 'GB', dataOut.price, { lineId: 'data-out' }));
        if (s.provisionedConcurrency > 0)
          // Provisioned containers are billed for memory × time provisioned, busy or idle (AWS).
          lines.push(
            line(
              `Provisioned concurrency (${s.provisionedConcurrency} × ${s.memoryMB} MB)`,
              s.provisionedConcurrency * memGB * ctx.spanSeconds,
              'GB-seconds',
              s.provisionedConcurrencyPricePerGBSecond!,
              { lineId: 'provisioned-concurrency' },
            ),
          );
        const total = lines.reduce((a, l) => a + l.amount, 0);
        return {
          lines,
          costSoFar: (m) => {
            const out = new Float64Array(m);
            const n = record.served || 1;
            let acc = 0;
            for (let i = 0; i < m; i++) {
              acc += ((record.series.arrivals[i] ?? 0) / n) * total;
              out[i] = acc;
            }
            return out;
          },
        };
      },
    };
  },
};

const TAG_IDLE = 0;

/**
 * Containers, one request each: an arrival that finds no idle container starts one (a cold
 * start) unless `maxConcurrency` are up, in which case it is throttled. Idle containers beyond the
 * provisioned ones are recycled after `idleTimeout`.
 */
export class ContainerPolicy implements FleetPolicy {
  private readonly idlePending = new Set<number>();
  constructor(
    private readonly max: number,
    private readonly provisioned: number,
    private readonly idleTimeout: number,
    private readonly cold: Dist,
    private readonly rng: Rng,
  ) {}
  onStart(): void {}
  onArrival(fleet: Fleet): number {
    // Idle containers plus starting ones, less the requests already waiting for those.
    const free = fleet.freeSlotCount() + fleet.loadingCount() - fleet.queueLength();
    if (free > 0) return Admit.admit;
    if (fleet.live().length >= this.max) return Admit.throttle;
    fleet.addReplica(sample(this.cold, this.rng), true);
    return Admit.admit;
  }
  onQueued(): void {}
  onIdle(fleet: Fleet, r: number, t: number): void {
    // One pending recycle check per container; it re-arms itself while the container works.
    if (this.idlePending.has(r) || fleet.live().length <= this.provisioned) return;
    this.idlePending.add(r);
    fleet.setTimer(t + this.idleTimeout, TAG_IDLE + r);
  }
  onReady(fleet: Fleet, r: number, t: number): void {
    if (fleet.inFlight(r) === 0) this.onIdle(fleet, r, t);
  }
  onTimer(fleet: Fleet, t: number, r: number): void {
    this.idlePending.delete(r);
    if (!fleet.isReady(r) || fleet.live().length <= this.provisioned) return;
    if (fleet.inFlight(r) > 0) return; // onIdle re-arms when it finishes
    const due = fleet.lastAssigned(r) + this.idleTimeout;
    if (t >= due) fleet.removeReplica(r);
    else {
      this.idlePending.add(r);
      fleet.setTimer(due, TAG_IDLE + r);
    }
  }
}

/** Serverless Inference's ceiling on max concurrency. */
const MAX_SERVERLESS_CONCURRENCY = 200;

/**
 * SLO sizing: the smallest memory size the model fits (speed does not depend on it here, price
 * does), then max concurrency (throttling) and, when the scenario prices it, provisioned
 * concurrency (cold starts).
 */
function serverlessLines(o: OptionEntry, ctx: { model: ModelSpec }): SloLine[] {
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
