import type { LatencySummary } from '../sim/latency.js';
import type { CostLine } from '../billing/lines.js';
import type { OptionFacts } from '../models/types.js';
import type { ClaimCheck } from './claims.js';

/** The result JSON of `servesim run` (design §8). Field order here is the order in the file. */
export interface RunResult {
  scenario: string;
  seed: number;
  region: string;
  generatedBy: { version: string };
  pricing: { book: string; bookDate: string; overrides: { id: string; price: number; was: number }[] };
  trace: TraceSummary;
  options: OptionResult[];
  assumptions: AssumptionRow[];
  /** The scenario's claims (e.g. the article's figures) measured on the simulation. */
  claims: ClaimCheck[];
}

export interface ClassTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

export interface TraceSummary extends ClassTotals {
  start: string;
  durationSeconds: number;
  byClass: { interactive: ClassTotals; batch: ClassTotals };
}

export interface OptionResult {
  key: string;
  id: string;
  label: string;
  feasible: boolean;
  reasons: string[];
  facts: OptionFacts;
  cost: { total: number; currency: 'USD'; lines: CostLine[] } | null;
  per1kRequests: number | null;
  per1MTokens: number | null;
  latency: {
    all: LatencySummary | null;
    interactive: LatencySummary | null;
    batch: LatencySummary | null;
    warm: LatencySummary | null;
    coldHit: LatencySummary | null;
  } | null;
  requests: {
    arrived: number;
    served: number;
    throttled: number;
    failed: number;
    heartbeats: number;
    coldStartHits: number;
  };
  capacity: {
    peakReplicas: number;
    replicaSeconds: number;
    coldStarts: number;
    billedUnitMinutes: number | null;
    utilization: number | null;
  } | null;
}

export interface AssumptionRow {
  option: string;
  name: string;
  value: number | string;
  unit: string;
  low: number | string | null;
  high: number | string | null;
  source: string;
  uncertain: boolean;
}
