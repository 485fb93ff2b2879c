/*
 * What each scenario field means, in the words editors show (the JSON Schema's descriptions,
 * issue 20 item 4): one sentence, then `Unit: …` and `Default: …` (`Default: absent = …` for an
 * optional field, `No default: required`). The schemas attach these with `.describe()`; the
 * shared field types' forms (durations, rates, distributions) are described in fields.ts.
 * test/docs/schema-descriptions.test.ts holds every field to this form, and checks the defaults
 * quoted from data files against the files.
 */
export const DOCS = {
  portfolio: {
    name: 'The model’s name in results (perModel[].model), reports and error paths: 1–64 letters, digits, ".", "_" or "-". Unit: none. No default: required.',
    fineTune:
      'How the model was fine-tuned: full (all weights) or {lora: {base, rank?, sizeMB?}}, a LoRA adapter of a base (docs/portfolio.md). Unit: none. Default: full.',
    lora: 'A LoRA adapter: its base, rank and size. Unit: none (an object). No default: required in the lora form.',
    base: 'The adapter’s base: another models entry’s name or a catalog base model id (llama-3.1-8b-instruct). Unit: none. No default: required.',
    rank: 'LoRA rank r, the adapter’s low-rank dimension (read by multi-LoRA servers). Unit: none (an integer). Default: absent = unknown.',
    sizeMB:
      'Size of the adapter’s weights (read by multi-LoRA servers). Unit: MB (10^6 bytes). Default: absent = unknown.',
    components:
      'This model’s traffic: the component schema of traffic.components (poisson, batch, trickle, trace). Unit: none (a list). No default: required.',
  },
  scenario: {
    models:
      'A portfolio: several fine-tunes, each with its model fields, fine-tune kind and traffic (docs/portfolio.md); not with model. Unit: none (a list). Default: absent = one model (model:).',
    name: 'Scenario name, shown in reports (also the report folder’s name). Unit: none. No default: required.',
    description:
      'A sentence about the scenario, shown under the report’s title. Unit: none. Default: absent = none.',
    region:
      'AWS region: prices are looked up and availability checked there. Unit: none. Default: us-east-1.',
    timezone:
      'IANA time zone (Europe/Paris) of traffic.start and every time of day, DST-correct. Unit: none. Default: UTC.',
    seed: 'Seed of every random draw: the same scenario and seed give the same results. Unit: none. Default: 1.',
    model:
      'The model being served: its size decides which options fit it and how they are sized. Unit: none (an object). Default: a Llama 3.1 8B fine-tune (each field at its default).',
    traffic:
      'The simulated span and the requests that arrive in it. Unit: none (an object). No default: required.',
    options:
      'Serving options to simulate and compare, each {id, key?, label?, …settings}. Unit: none (a list). No default: required.',
    pricing:
      'Where prices come from: the price book, overrides and discounts. Unit: none (an object). Default: the shipped book, no overrides, no discounts.',
    maxLossRate:
      'Options that throttle or fail more than this share of user requests are not ranked. Unit: fraction (0–1). Default: 0.',
    rankBy:
      'What “cheapest” is ranked on: total (AWS bill + staff time) or aws (the AWS bill alone). Unit: none (total | aws). Default: total.',
    claims:
      'Figures someone asserts (an article’s, a vendor’s) to check against the simulation; reported, never enforced. Unit: none (a list). Default: [] (none).',
    breakeven:
      'Break-even analyses: warm heartbeat and volume crossover (docs/breakeven.md). Unit: none (an object). Default: absent = every setting at its default.',
    rollout:
      'New weights at a time, an evaluation, a staged flip: rollout and rollback cost (docs/rollout.md). Unit: none (an object). Default: absent = no rollout analysis.',
    slo: 'A latency SLO: the cheapest setting of each option that meets it (docs/slo.md). Unit: none (an object). Default: absent = no SLO analysis unless `servesim run --slo` gives one.',
    forecast:
      'The monthly forecast with P10/P50/P90 bands (docs/forecast.md). Unit: none (an object). Default: absent = `servesim forecast` uses every setting’s default.',
  },
  model: {
    name: 'Name of the model, shown in reports; Provisioned Throughput prices are looked up under it. Unit: none. Default: llama-3.1-8b-finetune.',
    provenance:
      'Where the weights come from, which decides the options that can serve them: imported (trained elsewhere), catalog (a model a service offers) or bedrock-native (fine-tuned inside Bedrock). Unit: none. Default: imported.',
    architecture:
      'Hugging Face architecture name from the model’s config.json (Custom Model Import supports a listed set). Unit: none. Default: LlamaForCausalLM.',
    parameters:
      'Parameter count: sets the weight size, CMUs per copy and GPU fit. Unit: parameters. Default: 8030000000 (8.03e9).',
    bytesPerParameter:
      'Bytes per parameter of the served weights (2 = bf16/fp16, 1 = 8-bit). Unit: bytes. Default: 2.',
    contextLength:
      'Context length of the model: a component whose typical input exceeds it is refused, longer drawn or traced requests fail; Custom Model Import takes at most 131072. Unit: tokens. Default: 131072.',
  },
  traffic: {
    start:
      'Local date-time (in `timezone`) of t = 0, YYYY-MM-DD or YYYY-MM-DDTHH:MM. Unit: local date-time. Default: 2026-01-05T00:00 (a Monday).',
    days: 'Length of the simulated span; give `days` or `end`, not both. Unit: days. Default: absent = 1 (when `end` is absent too).',
    end: 'Local date-time the simulated span ends (exclusive), instead of `days`. Unit: local date-time. Default: absent = `start` + `days`.',
    components:
      'Traffic components, merged into one arrival stream: poisson, batch, trickle, trace. Unit: none (a list). No default: required without models:, absent with it (each model lists its own).',
  },
  component: {
    inputTokens:
      'Input (prompt) tokens of each request: a number or {dist: uniform|lognormal|…}. Unit: tokens. Default: 250.',
    outputTokens:
      'Output (completion) tokens of each request: a number or {dist: uniform|lognormal|…}. Unit: tokens. Default: 60.',
    days: 'Days the component sends requests: all, or weekdays (Monday–Friday, local). Unit: none (all | weekdays). Default: all.',
  },
  poisson: {
    type: 'Poisson arrivals at a rate (exact exponential gaps). Unit: none. No default: required.',
    rate: 'Arrival rate: one rate (2/s, 1000/h; a bare number is per second), or a list of 24 rates with units (600/h), one per local hour 00–23. Unit: requests/s. No default: required.',
    from: 'Local time of day the daily window opens; outside the window the rate is zero. Unit: time of day (HH:MM). Default: absent = 00:00.',
    to: 'Local time of day the daily window closes (exclusive). Unit: time of day (HH:MM). Default: absent = 24:00.',
    class:
      'Class of the requests: interactive (a person waits) or batch (a job waits). Unit: none. Default: interactive.',
  },
  batch: {
    type: 'A batch: `count` requests each day from `at`, evenly spaced over `over`. Unit: none. No default: required.',
    at: 'Local time of day the batch starts. Unit: time of day (HH:MM). No default: required.',
    count: 'Requests in the batch, each day it runs. Unit: requests per day. No default: required.',
    over: 'Span over which the batch’s requests are evenly spaced (0 = all at once). Unit: s (a duration: 90s, 5m). Default: 0.',
    class:
      'Class of the requests: interactive (a person waits) or batch (a job waits). Unit: none. Default: batch.',
  },
  trickle: {
    type: 'A trickle: `count` requests each day at uniformly random times in a window. Unit: none. No default: required.',
    count:
      'Requests each day, at uniformly random times between `from` and `to`. Unit: requests per day. No default: required.',
    from: 'Local time of day the window opens. Unit: time of day (HH:MM). No default: required.',
    to: 'Local time of day the window closes (exclusive; after `from`). Unit: time of day (HH:MM). No default: required.',
    class:
      'Class of the requests: interactive (a person waits) or batch (a job waits). Unit: none. Default: interactive.',
  },
  trace: {
    type: 'The requests of a recorded trace file (docs/traces.md). Unit: none. No default: required.',
    file: 'Path of a servesim trace file; a relative path is read from the scenario file’s folder. Unit: none (a path). No default: required.',
    class:
      'Gives every request of the trace this class: interactive or batch. Unit: none. Default: absent = each request keeps the file’s class.',
    offset:
      'How long after traffic.start the trace’s t_s = 0 lands. Unit: s (a duration: 90s, 5m, 2h). Default: 0.',
    inputTokens:
      'Input tokens per request drawn from this instead of the file’s (e.g. SageMaker traces have none). Unit: tokens. Default: absent = the file’s.',
    outputTokens:
      'Output tokens per request drawn from this instead of the file’s. Unit: tokens. Default: absent = the file’s.',
    model:
      'Only this model’s rows of a trace with a model column (docs/traces.md); required when the file holds several models. Unit: none (a model name: 1–80 letters, digits, ., _ or -). Default: absent = every row (a file without a model column).',
  },
  pricing: {
    book: 'Path of a price-book file (e.g. from `servesim prices refresh`); a relative path is read from the scenario file’s folder. Unit: none (a path). Default: absent = the shipped book.',
    overrides:
      'Prices replacing the book’s, by price-book entry id ({<entry id>: price}). Unit: USD per the entry’s own unit. Default: {} (none).',
    discounts:
      'Discounts by AWS Price List service code ({AmazonBedrock: 15%}), each billed as its own negative cost line. Unit: fraction or percentage (0–100 %). Default: absent = none.',
  },
  claim: {
    source: 'Who says it, quoted beside the simulated figure. Unit: none. No default: required.',
    option:
      'Key of the option the claim is about (its `key`, else its `id`). Unit: none. No default: required.',
    metric:
      'What the claim measures: firstRequestLatency, p50, p95, p99 (s), coldStarts, peakReplicas (counts), billedUnitHours (unit-hours) or totalCost (USD). Unit: none. No default: required.',
    value:
      'The claimed figure. Unit: the metric’s: s for latencies (a duration such as 30s), USD for totalCost, unit-hours for billedUnitHours, a count otherwise. No default: required.',
    class:
      'Latency claims: measure only this class (interactive or batch). Unit: none. Default: absent = all user requests.',
    during:
      '`coldStarts` claims: count only cold starts that began in this local range each day (08:00-19:00). Unit: time of day. Default: absent = the whole span.',
    tolerance:
      'Relative difference from the claim still counted as agreement. Unit: fraction (0.1 = 10 %). Default: 0.1.',
  },
  breakeven: {
    interactive:
      'What one avoided cold start of an interactive request is worth. Unit: USD. Default: absent = 0.',
    batch: 'What one avoided cold start of a batch request is worth. Unit: USD. Default: absent = 0.',
    coldStartValue:
      'What one avoided cold start (of a counted class) is worth: one number, or per class {interactive: 0.5, batch: 0}. Unit: USD. Default: absent = no value: the best heartbeat schedule is the cheapest that avoids as many counted cold starts as any.',
    intervals:
      'Heartbeat intervals to compare, each at most the option’s scale-to-zero time. Unit: s (durations: 1m, 4m). Default: absent = 1/5, 3/5 and 5/5 of each option’s scale-to-zero time.',
    schedules:
      'Extra heartbeat schedules to evaluate beside never, always and the best one found. Unit: none (a list of schedules). Default: [] (none).',
    classes:
      'Request classes whose cold starts count (avoided, cost per avoided, the best schedule). Unit: none (interactive, batch). Default: [interactive].',
    grid: 'Minute grid the fitted schedule’s range ends lie on. Unit: none (1m | 5m). Default: 1m.',
    heartbeat:
      'The warm-heartbeat break-even: which heartbeat schedule costs least for the cold starts it avoids. Unit: none (an object). Default: absent = every setting at its default.',
    volume:
      'The volume crossover: each option’s cost over a sweep of daily volumes; `{}` for the defaults. Unit: none (an object). Default: absent = `servesim breakeven volume` uses the defaults, `servesim run` skips it.',
  },
  volume: {
    from: 'Lowest daily volume of the sweep. Unit: requests/day. Default: 100.',
    to: 'Highest daily volume of the sweep (above `from`). Unit: requests/day. Default: 1000000.',
    points:
      'Volumes simulated, log-spaced from `from` to `to` inclusive (2–1000; each simulates every option). Unit: volumes. Default: 40.',
  },
  rollout: {
    at: 'When v2’s weights are in S3: a local date-time (2026-01-05T14:00) or a duration from the trace start (14h), inside the simulated span. Unit: local date-time or s. No default: required.',
    evaluation:
      'Once v2 is ready, both versions serve for this long before the staged flip. Unit: s (a duration: 1h). No default: required.',
    evaluationShare:
      'Share of user requests sent to v2 during the evaluation (a canary). Unit: fraction (0–1). Default: 0.',
    evaluationCalls:
      'Calls the evaluation suite makes to v2, evenly spaced over the evaluation (billed, not user requests). Unit: calls. Default: 0.',
    stages:
      'The staged flip after the evaluation, each stage {share, after}. Unit: none (a list). Default: one stage, all traffic at once ([{share: 1}]).',
    retireAfter:
      'v1 is retired (deleted, torn down) this long after the last stage starts, if that stage sends all traffic to v2. Unit: s (a duration). Default: 1h.',
    rollbackAfter:
      'A rollback is decided this long after the last stage starts (the analysis reports how long until v1 serves again). Unit: s (a duration). Default: 30m.',
    importTime:
      'Custom Model Import job time band {low, value?, high} for bedrock-cmi. Unit: s (durations). Default: absent = 10m–30m, value 20m (src/planning/rollout/rollout.json).',
  },
  rolloutStage: {
    share:
      'Share of user requests sent to v2 from this stage on. Unit: fraction (0–1). No default: required.',
    after:
      'The stage starts this long after the previous one (the first: after the evaluation ends). Unit: s (a duration: 30m, 1h). Default: 0.',
  },
  importTime: {
    low: 'Shortest import-job time of the band. Unit: s (a duration: 10m). No default: required.',
    value:
      'Import-job time simulated, between `low` and `high`. Unit: s (a duration). Default: absent = the middle of the band.',
    high: 'Longest import-job time of the band. Unit: s (a duration: 30m). No default: required.',
  },
  slo: {
    percentile:
      'Latency percentile the SLO bounds (nearest rank; latency = wait, cold start included, + service). Unit: none (p50 | p95 | p99). No default: required.',
    target: 'The most that percentile may be (2s). Unit: s (a duration). No default: required.',
    class: 'User requests the SLO measures. Unit: none (interactive | batch | all). Default: interactive.',
  },
  forecast: {
    months: 'Months forecast, from `start` (at most 600). Unit: months. Default: 12.',
    start:
      'First month forecast, YYYY-MM (1970-01 to 2199-12). Unit: month. Default: absent = the month of traffic.start.',
    growth:
      'Volume growth per month, compounded: month m carries (1 + growth)^m × the scenario’s daily traffic; 0.05 or "5%", negative for a decline. Unit: fraction per month. Default: 0.',
    runs: 'Monte Carlo runs; each draws its own seeds (and uncertain inputs). Unit: runs. Default: 200.',
    uncertainty:
      'all: every run also draws each uncertain input (an option assumption with a low/high band) within its band; none: runs differ only in their seeds. Unit: none (all | none). Default: all.',
    sampleDays:
      'Distinct representative days (own seeds) simulated per day type and run (1–31). Unit: days. Default: 1.',
    volumePoints:
      'With growth, volumes simulated per run, spread over the horizon (first and last month included; months between interpolated linearly), or all. Unit: volumes (≥ 2, or all). Default: 3.',
    runVolumes:
      'With growth, the volumes each run simulates: one (the middle one; the others scaled by a ratio, an approximation the output states) or all. Unit: none (one | all). Default: all.',
    seedOnlyRuns:
      'When runs draw uncertain inputs: runs that simulate the options no drawn input reaches (the others reuse theirs in turn), or all. Unit: runs (or all). Default: 20.',
  },
} as const;
