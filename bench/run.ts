/**
 * `npm run bench`: the engine's simulated requests per second and peak memory, then the CLI end to
 * end as a user runs it (design §10: performance is a benchmark, never a timed test). Each case
 * runs in its own process so its peak RSS is its own. Issue 16's targets are printed beside the
 * figures and marked met or not; a miss never fails the bench.
 *
 * Engine cases (one simulation on a trace generated beforehand, as servesim runs; one thread; `:lognormal` = lognormal tokens, median 250 / p90 320
 * input and 60 / 75 output, as bench/month.yaml; without it every request has 250 / 60 tokens):
 *   fixed-fleet  30-day month, 10 M Poisson requests, M/M/8 at load 0.7 (exponential service)
 *   bedrock-cmi  the same month through Custom Model Import, without and with a heartbeat
 *   sagemaker    the same month through a SageMaker endpoint (target tracking, 1–8 ml.g5.2xlarge)
 *   self-hosted  the same month through spot EKS nodes (1–8 g5.2xlarge, interruptions)
 *   scaling      the fixed-fleet month at 1 M and 10 M requests: peak RSS grows only by the held
 *                trace (about 13 B a request, generated once per run and read by every simulation)
 * End-to-end cases (bench/e2e.ts: the compiled CLI, worker threads included in CPU and RSS):
 *   month-run     servesim run bench/month.yaml (default analyses on)
 *   forecast-12m  servesim forecast --months 12 --runs 200 --growth 5% (default scenario)
 *   replay-month  servesim replay of 30 days of per-minute CloudWatch data through month.yaml's options,
 *                 default analyses on (heartbeat break-even, sensitivity) as month-run
 *   portfolio-month  servesim run bench/portfolio-month.yaml: 10 models (a base, 9 LoRA adapters),
 *                 ~10 M requests, every option (issue 21)
 *   default-run   npm start: the default scenario
 *
 * Flags: `--case NAME` (repeatable; bare names work too) runs only those cases; `--no-e2e` (or
 * BENCH_E2E=0) skips the end-to-end cases, `--e2e-only` runs only them; `--json` prints the
 * machine and the measurements as JSON on stdout instead of the table. Nothing is written to the
 * repository (machines differ): paste the table with its machine line into the issue note.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Traffic } from '../src/scenario/schema.js';
import { syntheticStream } from '../src/traffic/synthetic.js';
import { ColumnStream, materialize } from '../src/traffic/columns.js';
import { simulate } from '../src/sim/engine.js';
import { DistService } from '../src/sim/service.js';
import { Rng } from '../src/sim/rng.js';
import { bedrockCmi } from '../src/models/bedrock-cmi.js';
import { sagemakerRealtime } from '../src/models/sagemaker-realtime.js';
import { selfHosted } from '../src/models/self-hosted.js';
import { sagemakerServerless } from '../src/models/sagemaker-serverless.js';
import { bedrockOnDemand } from '../src/models/bedrock-on-demand.js';
import { bedrockProvisioned } from '../src/models/bedrock-provisioned.js';
import type { ServingOption } from '../src/models/types.js';
import { loadPriceBook } from '../src/pricing/book.js';
import { ModelSpecSchema } from '../src/models/model-spec.js';
import { TraceCalendar } from '../src/traffic/calendar.js';
import { checkTarget, machine, machineLine, table, type Measurement } from './table.js';

const DAYS = 30;
const SPAN = DAYS * 86400;
const Z90 = 1.2815515655446004;
/** bench/month.yaml's token lengths. */
const LOGNORMAL = {
  input: { dist: 'lognormal', median: 250, p90: 320 },
  output: { dist: 'lognormal', median: 60, p90: 75 },
} as const;
/** Issue 16: the engine with lognormal tokens, per option, on one core. */
const ENGINE_TARGET = { minRequestsPerCpuSecond: 5e6 };

type Tokens = 'fixed' | 'lognormal';

function month(requests: number, tokens: Tokens) {
  const rate = requests / SPAN;
  const lengths =
    tokens === 'lognormal' ? { inputTokens: LOGNORMAL.input, outputTokens: LOGNORMAL.output } : {};
  return Traffic.parse({ days: DAYS, components: [{ type: 'poisson', rate, ...lengths }] });
}

/** Mean tokens per request, as servesim run passes them to an option (the trace's mean). */
function meanTokens(tokens: Tokens): { input: number; output: number } {
  if (tokens === 'fixed') return { input: 250, output: 60 };
  const mean = (d: { median: number; p90: number }) =>
    d.median * Math.exp((Math.log(d.p90 / d.median) / Z90) ** 2 / 2);
  return { input: mean(LOGNORMAL.input), output: mean(LOGNORMAL.output) };
}

/** `cmi`, `cmi:lognormal`, `fixed-fleet-1m`, … → the option case, its size and its token lengths. */
function parseCase(name: string): { base: string; requests: number; tokens: Tokens } {
  const [base = '', variant] = name.split(':');
  if (variant !== undefined && variant !== 'lognormal') throw new Error(`unknown bench case ${name}`);
  const tokens = variant ?? 'fixed';
  return { base, requests: base.endsWith('-1m') ? 1_000_000 : 10_000_000, tokens };
}

/** Runs one engine case in this process: one simulation (trace, engine and bill), timed inside. */
function runCase(name: string): Measurement {
  const { base, requests, tokens } = parseCase(name);
  const traffic = month(requests, tokens);
  let simulation: () => number;
  // As servesim runs: the trace generated once (timed apart), every simulation reading its columns.
  const g0 = process.hrtime.bigint();
  const columns = materialize(syntheticStream(traffic, 'UTC', 1))!;
  const generate = Number(process.hrtime.bigint() - g0) / 1e9;
  const detail = `generating the trace (once per run): ${(requests / generate / 1e6).toFixed(2)} M req/s`;
  if (base.startsWith('fixed-fleet')) {
    // M/M/8 at ρ = 0.7: mean service = ρ·c/λ.
    const lambda = requests / SPAN;
    const mean = (0.7 * 8) / lambda;
    const cfg = {
      slotsPerReplica: 1,
      routing: 'least-loaded' as const,
      service: new DistService({ dist: 'exponential', mean }, new Rng(1, 'bench')),
      initialReplicas: 8,
      policy: null,
    };
    simulation = () => simulate(cfg, new ColumnStream(columns), null, SPAN).arrived;
  } else {
    const spec = OPTION_CASES[base];
    if (!spec) throw new Error(`unknown bench case ${name}`);
    const prepared = spec.option.prepare(
      {
        model: ModelSpecSchema.parse(spec.model ?? {}),
        region: 'us-east-1',
        seed: 1,
        key: base,
        book: loadPriceBook(),
        spanSeconds: SPAN,
        calendar: new TraceCalendar(traffic, 'UTC'),
        meanTokens: meanTokens(tokens),
      },
      spec.option.schema.parse(spec.settings),
    );
    simulation = () => {
      const rec = simulate(prepared.fleet, new ColumnStream(columns), prepared.heartbeats, SPAN);
      prepared.bill(rec);
      return rec.arrived;
    };
  }
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const arrived = simulation();
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const m: Measurement = {
    case: name,
    kind: 'engine',
    wallSeconds,
    cpuSeconds,
    maxRssMB: process.resourceUsage().maxRSS / 1024, // kilobytes
    requests: arrived,
    requestsPerWallSecond: arrived / wallSeconds,
    requestsPerCpuSecond: arrived / cpuSeconds,
    detail,
  };
  return tokens === 'lognormal' && !base.startsWith('fixed-fleet') ? checkTarget(m, ENGINE_TARGET) : m;
}

/** Option cases on the same month; serverless needs a model small enough for 6 GB of CPU. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const OPTION_CASES: Record<string, { option: ServingOption<any>; settings: object; model?: object }> = {
  cmi: { option: bedrockCmi, settings: { id: 'bedrock-cmi' } },
  'cmi-heartbeat': { option: bedrockCmi, settings: { id: 'bedrock-cmi', heartbeat: { every: '5m' } } },
  sagemaker: {
    option: sagemakerRealtime,
    settings: { id: 'sagemaker-realtime', minInstances: 1, maxInstances: 8 },
  },
  'self-hosted': {
    option: selfHosted,
    settings: { id: 'self-hosted', minNodes: 1, maxNodes: 8, capacity: 'spot' },
  },
  serverless: {
    option: sagemakerServerless,
    settings: { id: 'sagemaker-serverless', memoryMB: 6144, maxConcurrency: 200 },
    model: { parameters: 1e9 },
  },
  'on-demand': { option: bedrockOnDemand, settings: { id: 'bedrock-on-demand' } },
  provisioned: {
    option: bedrockProvisioned,
    settings: {
      id: 'bedrock-provisioned',
      modelUnits: 1,
      tokensPerMinutePerModelUnit: 100000,
      pricePerModelUnitHour: 20,
    },
    model: { provenance: 'bedrock-native' },
  },
};

const ENGINE_CASES = [
  'fixed-fleet',
  'fixed-fleet-1m',
  'fixed-fleet:lognormal',
  ...Object.keys(OPTION_CASES).flatMap((k) => [k, `${k}:lognormal`]),
];

/** An engine case in its own process (through tsx), so its peak RSS is its own. */
function engineChild(name: string): Measurement {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', name],
    { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Measurement;
}

/** Every value of a repeatable `--flag value`. */
function values(argv: string[], flag: string): string[] {
  return argv.flatMap((a, i) => (a === flag && argv[i + 1] !== undefined ? [argv[i + 1]!] : []));
}

/** Closing lines under the table: the engine's month over all options, and memory vs length. */
function summary(rows: Measurement[]): string[] {
  const lines: string[] = [];
  const engine = (tokens: Tokens) =>
    rows.filter((r) => r.kind === 'engine' && !r.case.includes('-1m') && parseCase(r.case).tokens === tokens);
  for (const tokens of ['fixed', 'lognormal'] as const) {
    const rs = engine(tokens);
    if (rs.length > 1)
      lines.push(
        `engine, ${tokens} tokens, all ${rs.length} month cases one after another: ${rs.reduce((a, r) => a + r.wallSeconds, 0).toFixed(1)} s wall`,
      );
  }
  const big = rows.find((r) => r.case === 'fixed-fleet');
  const small = rows.find((r) => r.case === 'fixed-fleet-1m');
  if (big && small)
    lines.push(
      `memory vs trace length: 10 M / 1 M requests → peak RSS ratio ${(big.maxRssMB / small.maxRssMB).toFixed(2)}`,
    );
  return lines;
}

const argv = process.argv.slice(2);
const childCase = values(argv, '--child')[0];
if (childCase !== undefined) {
  process.stdout.write(JSON.stringify(runCase(childCase)) + '\n');
} else {
  const e2e = await import('./e2e.js');
  const e2eCases = Object.keys(e2e.E2E_CASES);
  const flagged = new Set(values(argv, '--case'));
  const named = [
    ...flagged,
    ...argv.filter((a, i) => !a.startsWith('-') && !flagged.has(a) && argv[i - 1] !== '--case'),
  ];
  const skipE2e = argv.includes('--no-e2e') || process.env.BENCH_E2E === '0';
  const onlyE2e = argv.includes('--e2e-only');
  const names = named.length ? named : [...(onlyE2e ? [] : ENGINE_CASES), ...(skipE2e ? [] : e2eCases)];
  const unknown = names.filter((n) => !e2eCases.includes(n) && !ENGINE_CASES.includes(n));
  if (unknown.length) {
    console.error(
      `unknown bench case ${unknown.join(', ')}; cases: ${[...ENGINE_CASES, ...e2eCases].join(', ')}`,
    );
    process.exit(2);
  }
  const json = argv.includes('--json');
  const m = machine();
  if (!json) console.log(machineLine(m));
  if (names.some((n) => e2eCases.includes(n))) e2e.ensureDist();
  const rows: Measurement[] = [];
  for (const name of names) {
    (json ? console.error : console.log)(`bench: ${name}…`);
    rows.push(e2eCases.includes(name) ? e2e.runE2e(name) : engineChild(name));
  }
  if (json) {
    process.stdout.write(JSON.stringify({ machine: m, measurements: rows }, null, 2) + '\n');
  } else {
    console.log(`\n${table(rows)}`);
    const extra = summary(rows);
    if (extra.length) console.log(`\n${extra.join('\n')}`);
  }
}
