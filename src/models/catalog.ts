import { didYouMean } from '../nearest.js';
import { readShippedJson } from '../data.js';
import { InputError } from '../errors.js';
import { Admit, type Fleet, type FleetConfig, type FleetPolicy, type ServiceModel } from '../sim/fleet.js';

/**
 * Catalog models a service offers per token (src/models/catalog-models.json): their quotas and
 * latency, and the two pieces per-token options share — a quota that throttles in fixed
 * one-minute windows, and a per-request latency model.
 */
export interface CatalogModel {
  id: string;
  name: string;
  note: string;
  rpm: number;
  tpm: number;
  quotaSource: string;
  quotaUncertain: boolean;
  ttft: number;
  tokensPerSecond: number;
  latencySource: string;
  latencyUncertain: boolean;
}

let cache: CatalogModel[] | undefined;
export function catalogModels(): CatalogModel[] {
  cache ??= (readShippedJson('src/models/catalog-models.json') as { models: CatalogModel[] }).models;
  return cache;
}

export function catalogModel(id: string, where: string): CatalogModel {
  const m = catalogModels().find((x) => x.id === id);
  if (m) return m;
  const ids = catalogModels().map((x) => x.id);
  throw new InputError(
    `unknown catalog model "${id}"${didYouMean(id, ids, '.')} Known: ${ids.join(', ')}`,
    where,
  );
}

/**
 * Requests-per-minute and tokens-per-minute quotas over fixed one-minute windows (t = 0, 60, …).
 * TPM counts the admitted requests' input + output tokens. A request over either is throttled:
 * counted, not served, not retried. Both readings are stated as assumptions by the options.
 * `exempt` marks a class that bypasses the quota (batch inference has its own job quotas).
 */
export class MinuteQuotaPolicy implements FleetPolicy {
  private minute = -1;
  private requests = 0;
  private tokens = 0;

  constructor(
    private readonly rpm: number,
    private readonly tpm: number,
    private readonly exemptClass = -1,
  ) {}

  onStart(): void {}
  onArrival(_f: Fleet, t: number, cls: number, inputTokens: number, outputTokens: number): number {
    if (cls === this.exemptClass) return Admit.admit;
    const m = Math.floor(t / 60);
    if (m !== this.minute) {
      this.minute = m;
      this.requests = 0;
      this.tokens = 0;
    }
    const tokens = inputTokens + outputTokens;
    if (this.requests + 1 > this.rpm || this.tokens + tokens > this.tpm) return Admit.throttle;
    this.requests++;
    this.tokens += tokens;
    return Admit.admit;
  }
  onQueued(): void {}
  onIdle(): void {}
  onReady(): void {}
  onTimer(): void {}
}

/** Time to first token + output at a steady rate; batch-inference requests take the job's turnaround. */
export class TokenRateService implements ServiceModel {
  constructor(
    private readonly ttft: number,
    private readonly tokensPerSecond: number,
    private readonly batchTurnaround = -1,
  ) {}
  time(_i: number, outputTokens: number, _occ: number, cls: number): number {
    if (cls === 1 && this.batchTurnaround >= 0) return this.batchTurnaround;
    return this.ttft + outputTokens / this.tokensPerSecond;
  }
}

/** Effectively unlimited concurrency for services that scale behind their quotas. */
export const UNLIMITED_SLOTS = 1 << 30;

/**
 * The fleet of a managed per-token endpoint: AWS scales behind its quotas, so the simulation runs
 * one replica with unlimited slots, served at `service`'s token rate and throttled by `policy`.
 */
export function quotaFleet(service: TokenRateService, policy: MinuteQuotaPolicy): FleetConfig {
  return {
    slotsPerReplica: UNLIMITED_SLOTS,
    routing: 'pack',
    service,
    initialReplicas: 1,
    policy,
    unqueued: true,
  };
}
