import { optionById } from '../models/registry.js';
import {
  runScenario,
  scenarioAsRun,
  type OptionRun,
  type RunOptions,
  type RunOutput,
} from '../compare/run.js';
import type { AssumptionRow, OptionResult, TraceSummary } from '../compare/result.js';
import type { LoadedScenario } from '../scenario/load.js';
import { modelScenario } from '../scenario/portfolio-section.js';
import type { Scenario } from '../scenario/schema.js';
import { TraceCalendar } from '../traffic/calendar.js';
import { holdTrace, type HeldTrace } from '../traffic/held.js';
import { portfolioResult, sharedShares, sumOutcomes, utilizationOf } from './combine.js';
import { portfolioAssumptions } from './assumptions.js';
import type { PortfolioModelSummary } from './result-types.js';
import type { SharedModelInput } from './shared.js';
import { sharedOption } from './shared-options.js';

/*
 * A portfolio run (issue 21; docs/portfolio.md):
 *
 *   scenario with models: ─► per model: its single-model scenario (modelScenario) ─► runScenario
 *        (every per-model option, its trace generated once)  ─► per option: sum by lineId ─► result
 *   shared options (src/portfolio/shared.ts): every model's held trace at once ─► one bill, split
 *
 * The engine and the billing are the single-model ones: nothing here simulates.
 */

/** A portfolio's run, and each model's own single-model run (for analyses that go per model). */
export interface PortfolioOutput extends RunOutput {
  /** Per model, in the scenario's order: its run of the per-model options (shared options absent). */
  byModel: RunOutput[];
}

export function runPortfolio(loaded: LoadedScenario, opts: RunOptions = {}): PortfolioOutput {
  const scenario = scenarioAsRun(loaded, opts);
  const models = scenario.models!;
  const shared = scenario.options.map((o) => sharedOption(o.id, o));
  // Per-model options through the single-model pipeline, one model at a time (each model's trace
  // is generated once and held while its options run).
  const perModelOptions = scenario.options.filter((_, j) => shared[j] === undefined);
  const total = scenario.options.length * models.length;
  let done = 0;
  const held: HeldTrace[] = [];
  const outs = models.map((m, i) => {
    const s: Scenario = { ...modelScenario(scenario, i), options: perModelOptions };
    const h = holdTrace(s, loaded.baseDir);
    if (shared.some(Boolean)) held.push(h);
    return runScenario(
      { ...loaded, scenario: s },
      {
        held: h,
        onOptionDone: (key) => opts.onOptionDone?.(`${key} [${m.name}]`, done++, total),
      },
    );
  });
  const book = outs[0]!.book;
  const calendar = new TraceCalendar(scenario.traffic, scenario.timezone);

  const options: OptionResult[] = [];
  const runs: OptionRun[] = [];
  const sharedRows: AssumptionRow[] = [];
  let perModelIndex = 0;
  scenario.options.forEach((o, j) => {
    const so = shared[j];
    if (so === undefined) {
      const k = perModelIndex++;
      const { result, run } = sumOutcomes(
        outs.map((out, i) => ({ model: models[i]!.name, result: out.result.options[k]!, run: out.runs[k]! })),
      );
      options.push(result);
      runs.push(run);
      return;
    }
    const inputs: SharedModelInput[] = models.map((m, i) => ({
      model: m.name,
      spec: modelScenario(scenario, i).model,
      fineTune: m.fineTune,
      users: held[i]!.users,
      trace: outs[i]!.result.trace,
      seed: scenario.seed + i,
    }));
    const key = o.key ?? o.id;
    const outcome = so.run(inputs, {
      settings: o,
      key,
      scenario,
      book,
      spanSeconds: calendar.span.durationSeconds,
      calendar,
    });
    const option = optionById(o.id);
    const base = {
      key,
      id: o.id,
      label: o.label ?? option?.title ?? o.id,
      baseline: option?.baseline === true,
      facts: option!.facts(inputs[0]!.spec),
    };
    if (!outcome.feasible) {
      options.push({
        ...base,
        feasible: false,
        reasons: outcome.reasons,
        cost: null,
        per1kRequests: null,
        per1MTokens: null,
        latency: null,
        requests: { ...emptyRequests(), arrived: sumTrace(outs).requests, failed: sumTrace(outs).requests },
        capacity: null,
      });
      runs.push({ key, record: null, bill: null });
      return;
    }
    const perModel = sharedShares(outcome.perModel, so.split);
    const asResult = { ...base, feasible: true } as OptionResult;
    options.push(
      portfolioResult(
        asResult,
        outcome.reasons,
        outcome.record,
        outcome.bill,
        [true],
        perModel,
        utilizationOf([outcome.record]),
      ),
    );
    runs.push({ key, record: outcome.record, bill: outcome.bill, assumed: outcome.assumptions });
    for (const a of outcome.assumptions)
      sharedRows.push({
        option: key,
        name: a.name,
        value: a.value,
        unit: a.unit,
        low: a.low ?? null,
        high: a.high ?? null,
        source: a.source,
        uncertain: a.uncertain,
      });
    // One shared run stands for its models' share of the progress.
    done += models.length - 1;
    opts.onOptionDone?.(key, done++, total);
  });

  const first = outs[0]!.result;
  const assumptions: AssumptionRow[] = [
    ...portfolioAssumptions(
      scenario,
      outs.map((out) => out.result.assumptions),
    ),
    ...sharedRows,
  ];
  const modelsSummary: PortfolioModelSummary[] = models.map((m, i) => ({
    name: m.name,
    fineTune: m.fineTune === 'full' ? 'full' : { lora: { base: m.fineTune.lora.base } },
    seed: scenario.seed + i,
    requests: outs[i]!.result.trace.requests,
    inputTokens: outs[i]!.result.trace.inputTokens,
    outputTokens: outs[i]!.result.trace.outputTokens,
  }));
  return {
    result: {
      kind: 'run',
      schemaVersion: first.schemaVersion,
      scenario: scenario.name,
      seed: scenario.seed,
      region: scenario.region,
      generatedBy: first.generatedBy,
      pricing: first.pricing,
      trace: sumTrace(outs),
      options,
      assumptions,
      claims: [],
      models: modelsSummary,
    },
    runs,
    book,
    scenario,
    byModel: outs,
  };
}

/** The portfolio's trace: every model's requests and tokens added (same start and span). */
function sumTrace(outs: readonly RunOutput[]): TraceSummary {
  const ts = outs.map((o) => o.result.trace);
  const add = (
    f: (t: TraceSummary['byClass']['batch']) => number,
    pick: (t: TraceSummary) => { requests: number; inputTokens: number; outputTokens: number },
  ) => ts.reduce((s, t) => s + f(pick(t)), 0);
  const totals = (
    pick: (t: TraceSummary) => { requests: number; inputTokens: number; outputTokens: number },
  ) => ({
    requests: add((c) => c.requests, pick),
    inputTokens: add((c) => c.inputTokens, pick),
    outputTokens: add((c) => c.outputTokens, pick),
  });
  return {
    start: ts[0]!.start,
    durationSeconds: ts[0]!.durationSeconds,
    ...totals((t) => t),
    byClass: { interactive: totals((t) => t.byClass.interactive), batch: totals((t) => t.byClass.batch) },
  };
}

function emptyRequests(): OptionResult['requests'] {
  return {
    arrived: 0,
    served: 0,
    throttled: 0,
    failed: 0,
    contextExceeded: 0,
    heartbeats: 0,
    coldStartHits: 0,
    coldStartHitsByClass: { interactive: 0, batch: 0 },
    coldStartWorstLatency: { interactive: null, batch: null },
  };
}
