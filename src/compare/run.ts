import { optionById } from '../models/registry.js';
import type { Assumption, PreparedOption } from '../models/types.js';
import { loadPriceBook, type PriceBook } from '../pricing/book.js';
import { withDiscounts } from '../pricing/discounts.js';
import { resolve } from 'node:path';
import type { LoadedScenario } from '../scenario/load.js';
import type { Scenario, ScenarioOption, TrafficComponent } from '../scenario/schema.js';
import { simulate } from '../sim/engine.js';
import { userTokens, type ByClass, type SimRecord } from '../sim/record.js';
import { TraceCalendar } from '../traffic/calendar.js';
import { syntheticStream } from '../traffic/synthetic.js';
import type { ArrivalStream } from '../traffic/types.js';
import type { TraceColumns } from '../traffic/columns.js';
import { holdTrace, type HeldTrace, type UserSource } from '../traffic/held.js';
import { costSplit, type Bill } from '../billing/lines.js';
import { SCHEMA_VERSION, VERSION } from '../version.js';
import { InputError } from '../errors.js';
import { checkClaim } from './claims.js';
import { actualVsSimulated, type ActualVsSimulated, type ObservedCopies } from '../billing/actual-cmi.js';
import { observedCopiesPerMinute } from '../traffic/trace/binned.js';
import { readTraceHeader } from '../traffic/trace/read.js';
import type { AssumptionRow, ClassTotals, OptionResult, RunResult, TraceSummary } from './result.js';

/*
 * scenario ─► trace (generated once, held as columns; issue 16) ─► per option: simulate ─► bill ─► result.
 */

export interface RunOptions {
  seed?: number;
  region?: string;
  /** Called after each option finishes (progress bars). */
  onOptionDone?: (key: string, index: number, total: number) => void;
  /** The scenario's trace, already generated (by `runOnPool`); default: generated here. */
  held?: HeldTrace;
  /** Records of options already simulated elsewhere (worker threads), by option index; undefined = simulate here. */
  records?: readonly (SimRecord | null | undefined)[];
}

/** What a run produced: the JSON result plus the per-option records reports draw from. */
export interface RunOutput {
  /** `actualVsSimulated` only when a `trace` component has `model_copies` (design §4 item 7). */
  result: RunResult & { actualVsSimulated?: ActualVsSimulated };
  runs: OptionRun[];
  book: PriceBook;
  /** The scenario as run (seed and region overrides applied), for reports. */
  scenario: Scenario;
}

export interface OptionRun {
  key: string;
  record: SimRecord | null;
  bill: Bill | null;
  /** The assumptions the option resolved (empty when infeasible). */
  assumed?: Assumption[];
}

/** The price book a scenario runs on (its `pricing` section; relative paths from `baseDir`). */
export function scenarioPriceBook(scenario: Scenario, baseDir: string): PriceBook {
  const bookPath = scenario.pricing.book === undefined ? undefined : resolve(baseDir, scenario.pricing.book);
  return loadPriceBook(bookPath).withOverrides(scenario.pricing.overrides);
}

/** The scenario as run: the seed and region overrides applied. */
export function scenarioAsRun(loaded: LoadedScenario, opts: { seed?: number; region?: string }): Scenario {
  return {
    ...loaded.scenario,
    seed: opts.seed ?? loaded.scenario.seed,
    region: opts.region ?? loaded.scenario.region,
  };
}

export function runScenario(loaded: LoadedScenario, opts: RunOptions = {}): RunOutput {
  const scenario = scenarioAsRun(loaded, opts);
  const book = scenarioPriceBook(scenario, loaded.baseDir);
  const calendar = new TraceCalendar(scenario.traffic, scenario.timezone);
  const span = calendar.span;
  scenario.claims.forEach((c, i) => {
    const keys = scenario.options.map((o) => o.key ?? o.id);
    if (!keys.includes(c.option))
      throw new InputError(
        `claim names option "${c.option}", which the scenario does not have; options: ${keys.join(', ')}`,
        `claims.${i}.option`,
      );
  });
  const held = opts.held ?? holdTrace(scenario, loaded.baseDir);
  const trace = summarizeTrace(
    scenario,
    span.startUtcIso,
    span.durationSeconds,
    loaded.baseDir,
    held.columns,
  );

  const options: OptionResult[] = [];
  const assumptions: AssumptionRow[] = [];
  const runs: OptionRun[] = [];
  scenario.options.forEach((o, i) => {
    const given = opts.records?.[i];
    const { result, run, assumed } = given
      ? finishOption(scenario, o, book, trace, () => given, span.durationSeconds, calendar)
      : runOption(
          scenario,
          o,
          book,
          span.durationSeconds,
          calendar,
          trace,
          loaded.baseDir,
          undefined,
          held.users,
        );
    options.push(result);
    runs.push(run);
    for (const a of assumed) assumptions.push(assumptionRow(result.key, a));
    opts.onOptionDone?.(result.key, i, scenario.options.length);
  });

  return {
    result: {
      kind: 'run',
      schemaVersion: SCHEMA_VERSION,
      scenario: scenario.name,
      seed: scenario.seed,
      region: scenario.region,
      generatedBy: { version: VERSION },
      pricing: { book: book.name, bookDate: book.date, overrides: book.overrides },
      trace,
      options,
      assumptions,
      claims: scenario.claims.map((c) => {
        const i = options.findIndex((o) => o.key === c.option);
        const o = scenario.options[i];
        // A failing claim's reason reads the option's assumptions and, on demand, its calls.
        const inputs = o && {
          assumptions: assumptions.filter((a) => a.option === c.option),
          calls: () => callTimes(scenario, o, book, span.durationSeconds, calendar, trace, held.users),
        };
        return checkClaim(c, options[i], runs[i]?.record ?? null, calendar, inputs);
      }),
      ...actualOf(scenario, loaded.baseDir, span.durationSeconds, runs),
    },
    runs,
    book,
    scenario,
  };
}

/** Replaces the streams an option simulates (the rollout's traffic split; docs/rollout.md). */
export type StreamHook = (
  users: ArrivalStream,
  heartbeats: ArrivalStream | null,
) => { users: ArrivalStream; heartbeats: ArrivalStream | null };

/** Simulates and bills one option of a scenario (also the unit of work of break-even sweeps). */
export function runOption(
  scenario: Scenario,
  o: ScenarioOption,
  book: PriceBook,
  spanSeconds: number,
  calendar: TraceCalendar,
  trace: TraceSummary,
  baseDir = process.cwd(),
  streams?: StreamHook,
  source?: UserSource,
): OptionOutcome {
  return finishOption(
    scenario,
    o,
    book,
    trace,
    (prepared) =>
      simulateOption(
        scenario,
        prepared,
        spanSeconds,
        source ?? (() => syntheticStream(scenario.traffic, scenario.timezone, scenario.seed, baseDir)),
        streams,
      ),
    spanSeconds,
    calendar,
  );
}

/** One option's result, its run (record and bill) and the assumptions it resolved. */
export interface OptionOutcome {
  result: OptionResult;
  run: OptionRun;
  assumed: Assumption[];
}

/** Simulates a prepared option on the user requests of `source` (a fresh stream) and its own calls. */
export function simulateOption(
  scenario: Pick<Scenario, 'model'>,
  prepared: PreparedOption,
  spanSeconds: number,
  source: UserSource,
  streams?: StreamHook,
): SimRecord {
  const { users, heartbeats } = streams
    ? streams(source(), prepared.heartbeats)
    : { users: source(), heartbeats: prepared.heartbeats };
  // A request longer than the model's context fails on arrival (issue 15 item 12).
  const fleet = { ...prepared.fleet, maxInputTokens: scenario.model.contextLength };
  return simulate(fleet, users, heartbeats, spanSeconds);
}

/**
 * Feasibility, then the simulation (`simulated`, given the prepared option: here, or the record of
 * a worker thread's run), then the bill and the result.
 */
export function finishOption(
  scenario: Scenario,
  o: ScenarioOption,
  book: PriceBook,
  trace: TraceSummary,
  simulated: (prepared: PreparedOption) => SimRecord,
  spanSeconds: number,
  calendar: TraceCalendar,
): OptionOutcome {
  const option = optionById(o.id)!;
  const key = o.key ?? o.id;
  const label = o.label ?? (o.key ? `${option.title} (${o.key})` : option.title);
  const feas = option.feasibility(scenario.model, scenario.region, o, book);
  const facts = option.facts(scenario.model);
  if (!feas.ok) {
    return {
      result: {
        key,
        id: o.id,
        label,
        feasible: false,
        ...(feas.unpriced ? { unpriced: true as const } : {}),
        baseline: option.baseline === true,
        reasons: feas.reasons,
        facts,
        cost: null,
        per1kRequests: null,
        per1MTokens: null,
        latency: null,
        requests: {
          arrived: trace.requests,
          served: 0,
          throttled: 0,
          failed: trace.requests,
          contextExceeded: 0,
          heartbeats: 0,
          coldStartHits: 0,
          coldStartHitsByClass: { interactive: 0, batch: 0 },
          coldStartWorstLatency: { interactive: null, batch: null },
        },
        capacity: null,
      },
      run: { key, record: null, bill: null },
      assumed: [],
    };
  }
  const prepared = prepareOption(scenario, o, book, spanSeconds, calendar, trace);
  const record = simulated(prepared);
  // A discount on the option's service is its own cost line (design §3).
  const bill = withDiscounts(prepared.bill(record), option.service, scenario.pricing.discounts);
  const split = costSplit(bill.lines);
  const total = split.total;
  const tokens = userTokens(record.tokensByClass.input) + userTokens(record.tokensByClass.output);
  const readySeconds = record.replicas.reduce(
    (s, r) => s + (r.readyAt === r.readyAt ? r.removedAt - r.readyAt : 0),
    0,
  );
  return {
    result: {
      key,
      id: o.id,
      label,
      feasible: true,
      baseline: option.baseline === true,
      reasons: feas.reasons,
      // A term bought whole (Provisioned Throughput): the lines bill its share of the span.
      facts: bill.commitment ? { ...facts, commitment: bill.commitment } : facts,
      cost: { ...split, currency: 'USD', lines: bill.lines },
      per1kRequests: record.served > 0 ? (total / record.served) * 1000 : null,
      per1MTokens: tokens > 0 ? (total / tokens) * 1e6 : null,
      // Read on demand: the record summarises latencies only when asked (sweeps of costs never ask).
      get latency() {
        return record.latency;
      },
      requests: requestsOf(record),
      capacity:
        prepared.reportsCapacity === false
          ? null
          : {
              peakReplicas: record.peakReplicas,
              replicaSeconds: record.replicas.reduce((s, r) => s + (r.removedAt - r.requestedAt), 0),
              coldStarts: record.coldStarts,
              evictedColdStarts: record.evictedColdStarts,
              scaleOutLoads: record.scaleOutLoads,
              billedUnitMinutes: bill.billedUnitMinutes ?? null,
              utilization:
                readySeconds > 0 ? record.busySlotSeconds / (readySeconds * record.slotsPerReplica) : null,
            },
    },
    run: { key, record, bill, assumed: prepared.assumptions },
    assumed: prepared.assumptions,
  };
}

/** Resolves a feasible option's defaults, prices and fleet policy (no simulation). */
export function prepareOption(
  scenario: Scenario,
  o: ScenarioOption,
  book: PriceBook,
  spanSeconds: number,
  calendar: TraceCalendar,
  trace: TraceSummary,
): PreparedOption {
  return optionById(o.id)!.prepare(
    {
      model: scenario.model,
      region: scenario.region,
      seed: scenario.seed,
      key: o.key ?? o.id,
      book,
      spanSeconds,
      calendar,
      meanTokens: {
        input: trace.requests > 0 ? trace.inputTokens / trace.requests : 250,
        output: trace.requests > 0 ? trace.outputTokens / trace.requests : 60,
      },
    },
    o,
  );
}

/** Arrival times of every call an option receives (user requests and its heartbeats), ascending. */
function callTimes(
  scenario: Scenario,
  o: ScenarioOption,
  book: PriceBook,
  spanSeconds: number,
  calendar: TraceCalendar,
  trace: TraceSummary,
  source: UserSource,
): Float64Array {
  const times: number[] = [];
  const users = source();
  while (users.next()) times.push(users.t);
  const beats = prepareOption(scenario, o, book, spanSeconds, calendar, trace).heartbeats;
  if (beats) while (beats.next()) times.push(beats.t);
  return Float64Array.from(times).sort();
}

function assumptionRow(option: string, a: Assumption): AssumptionRow {
  return {
    option,
    name: a.name,
    value: a.value,
    unit: a.unit,
    low: a.low ?? null,
    high: a.high ?? null,
    source: a.source,
    uncertain: a.uncertain,
  };
}

/** The trace's totals: summed when its columns were built, else one pass over the stream. */
export function summarizeTrace(
  scenario: Pick<Scenario, 'traffic' | 'timezone' | 'seed'>,
  start: string,
  durationSeconds: number,
  baseDir = process.cwd(),
  columns: TraceColumns | null = null,
): TraceSummary {
  const by: ClassTotals[] = columns
    ? columns.byClass.map((c) => ({ ...c }))
    : [
        { requests: 0, inputTokens: 0, outputTokens: 0 },
        { requests: 0, inputTokens: 0, outputTokens: 0 },
      ];
  if (!columns) {
    const s = syntheticStream(scenario.traffic, scenario.timezone, scenario.seed, baseDir);
    while (s.next()) {
      const c = by[s.cls]!;
      c.requests++;
      c.inputTokens += s.inputTokens;
      c.outputTokens += s.outputTokens;
    }
  }
  const [interactive, batch] = by as [ClassTotals, ClassTotals];
  return {
    start,
    durationSeconds,
    requests: interactive.requests + batch.requests,
    inputTokens: interactive.inputTokens + batch.inputTokens,
    outputTokens: interactive.outputTokens + batch.outputTokens,
    byClass: { interactive, batch },
  };
}

/**
 * The actual-vs-simulated CMI bill, present only when a trace component carries `model_copies`:
 * the observed copies against every option whose bill meters copies (design §4 item 7).
 */
function actualOf(
  scenario: Scenario,
  baseDir: string,
  spanSeconds: number,
  runs: OptionRun[],
): { actualVsSimulated?: ActualVsSimulated } {
  const observed = observedCopies(scenario.traffic.components, baseDir, spanSeconds);
  if (observed === null) return {};
  const sims = runs.flatMap((r) =>
    r.record !== null && r.bill?.copies !== undefined
      ? [{ key: r.key, ...r.bill.copies, minutes: r.record.series.minutes }]
      : [],
  );
  return { actualVsSimulated: actualVsSimulated(observed, sims) };
}

/**
 * Observed copies per minute of the run's span from the first `trace` component that has
 * `model_copies`, or null when none has. Reads the trace file.
 */
export function observedCopies(
  components: readonly TrafficComponent[],
  baseDir: string,
  spanSeconds: number,
): ObservedCopies | null {
  for (const c of components) {
    if (c.type !== 'trace') continue;
    const path = resolve(baseDir, c.file);
    const observed = observedCopiesPerMinute(path, c.offset, Math.ceil(spanSeconds / 60), c.model);
    if (observed === null) continue;
    return { ...observed, offset: c.offset, source: readTraceHeader(path).header.source };
  }
  return null;
}
/** What became of an option's user requests, from its record (results' `requests`). */
export function requestsOf(record: SimRecord): OptionResult['requests'] {
  const worst = (c: keyof ByClass<number>) =>
    record.coldStartHitsByClass[c] > 0 ? record.coldHitMaxLatency[c] : null;
  return {
    arrived: record.arrived,
    served: record.served,
    throttled: record.throttled,
    failed: record.failed,
    contextExceeded: record.contextExceeded,
    heartbeats: record.heartbeats,
    coldStartHits: record.coldStartHits,
    coldStartHitsByClass: record.coldStartHitsByClass,
    coldStartWorstLatency: { interactive: worst('interactive'), batch: worst('batch') },
  };
}
