import type { ByClass, LatencyByGroup, RequestCounts } from '../sim/record.js';

/*
 * What a portfolio adds to the run result (issue 21; design §11 `options[].perModel[]`), kept in a
 * leaf file so src/compare/result.ts can name it without importing the portfolio code.
 */

/** Issue 21 (docs/portfolio.md): one model of a portfolio, as the result lists it. */
export interface PortfolioModelSummary {
  name: string;
  /** `full`, or the base a LoRA adapter was trained on (deployed merged into it, one deployment per model). */
  fineTune: 'full' | { lora: { base: string } };
  /** The seed its traffic was drawn with: the scenario's seed + the model's index. */
  seed: number;
  /** Its user requests and their tokens over the span. */
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

/**
 * One model's share of a portfolio option. `split` states how the option's cost was divided among
 * models: `own` — each model runs on its own deployment, so its share is its own bill and nothing
 * is shared; a shared option (src/portfolio/shared.ts) names its own rule.
 */
export interface ModelShare {
  model: string;
  split: string;
  feasible: boolean;
  reasons: string[];
  /** USD over the span, `total = aws + staff`; null where the option cannot serve this model. */
  cost: { total: number; aws: number; staff: number } | null;
  /** As the option's `latency`: this model's user requests only; null where it is infeasible. */
  latency: LatencyByGroup | null;
  requests: RequestCounts & { contextExceeded?: number; coldStartWorstLatency: ByClass<number | null> };
  /** Loads started from zero replicas (as `capacity.coldStarts`); null without capacity. */
  coldStarts: number | null;
  /**
   * Against the verdict's rule (`maxLossRate`, and the SLO when one is given): why this model is
   * not served well enough, or null when it is. Set by `servesim run` with the verdict.
   */
  fails?: string | null;
}
