/**
 * `npm run bench`: simulated requests per second and peak memory (design §10: performance is a
 * benchmark, never a timed test). Each case runs in its own child process so peak RSS is its own.
 *
 *   fixed-fleet  30-day month, 10 M Poisson requests, M/M/8 at load 0.7 (exponential service)
 *   bedrock-cmi  the same month through Custom Model Import, without and with a heartbeat
 *   sagemaker    the same month through a SageMaker endpoint (target tracking, 1–8 ml.g5.2xlarge)
 *   self-hosted  the same month through spot EKS nodes (1–8 g5.2xlarge, interruptions)
 *   scaling      the fixed-fleet month at 1 M and 10 M requests: peak RSS must not grow with length
 *   npm start    the default scenario end to end (CLI process)
 *
 * Results go to stdout as a table and to bench/results.json is NOT written (machines differ);
 * paste the table into the issue note with the machine line.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, tmpdir, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Traffic } from '../src/scenario/schema.js';
import { syntheticStream } from '../src/traffic/synthetic.js';
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

const DAYS = 30;
const SPAN = DAYS * 86400;

interface CaseResult {
  name: string;
  requests: number;
  seconds: number;
  traceOnlySeconds?: number;
  maxRssMB: number;
}

function month(requests: number) {
  const rate = requests / SPAN;
  return Traffic.parse({ days: DAYS, components: [{ type: 'poisson', rate }] });
}

function timeTraceOnly(traffic: ReturnType<typeof month>): number {
  const s = syntheticStream(traffic, 'UTC', 1);
  const t0 = process.hrtime.bigint();
  while (s.next());
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function runCase(name: string): CaseResult {
  const requests = name.endsWith('-1m') ? 1_000_000 : 10_000_000;
  const traffic = month(requests);
  if (name.startsWith('fixed-fleet')) {
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
    const traceOnly = timeTraceOnly(traffic);
    const t0 = process.hrtime.bigint();
    const rec = simulate(cfg, syntheticStream(traffic, 'UTC', 1), null, SPAN);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { name, requests: rec.arrived, seconds, traceOnlySeconds: traceOnly, maxRssMB: maxRss() };
  }
  const calendar = new TraceCalendar(traffic, 'UTC');
  const spec = OPTION_CASES[name];
  if (!spec) throw new Error(`unknown bench case ${name}`);
  const option = spec.option;
  const settings = option.schema.parse(spec.settings);
  const prepared = option.prepare(
    {
      model: ModelSpecSchema.parse(spec.model ?? {}),
      region: 'us-east-1',
      seed: 1,
      key: name,
      book: loadPriceBook(),
      spanSeconds: SPAN,
      calendar,
      meanTokens: { input: 250, output: 60 },
    },
    settings,
  );
  const t0 = process.hrtime.bigint();
  const rec = simulate(prepared.fleet, syntheticStream(traffic, 'UTC', 1), prepared.heartbeats, SPAN);
  prepared.bill(rec);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { name, requests: rec.arrived, seconds, maxRssMB: maxRss() };
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

function maxRss(): number {
  // resourceUsage().maxRSS is in kilobytes.
  return process.resourceUsage().maxRSS / 1024;
}

function child(name: string): CaseResult {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--case', name],
    {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as CaseResult;
}

function timeNpmStart(): number {
  const dir = mkdtempSync(join(tmpdir(), 'servesim-bench-'));
  const root = fileURLToPath(new URL('..', import.meta.url));
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'run', '--quiet', '--out', dir], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`npm start failed: ${r.stderr}`);
  return s;
}

const caseArg = process.argv.indexOf('--case');
if (caseArg >= 0) {
  process.stdout.write(JSON.stringify(runCase(process.argv[caseArg + 1]!)) + '\n');
} else {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = only.length ? only : ['fixed-fleet', 'fixed-fleet-1m', ...Object.keys(OPTION_CASES)];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}\n`,
  );
  const rows: CaseResult[] = names.map(child);
  console.log('case               requests   sim+trace s   M req/s   trace-only M req/s   peak RSS MB');
  for (const r of rows) {
    const mps = r.requests / r.seconds / 1e6;
    const trace = r.traceOnlySeconds ? (r.requests / r.traceOnlySeconds / 1e6).toFixed(2) : '—';
    console.log(
      `${r.name.padEnd(17)} ${String(r.requests).padStart(10)} ${r.seconds.toFixed(2).padStart(12)} ${mps
        .toFixed(2)
        .padStart(9)} ${trace.padStart(20)} ${r.maxRssMB.toFixed(0).padStart(13)}`,
    );
  }
  const big = rows.find((r) => r.name === 'fixed-fleet');
  const small = rows.find((r) => r.name === 'fixed-fleet-1m');
  const optionRows = rows.filter((r) => r.name !== 'fixed-fleet-1m');
  console.log(
    `\nall options on the month, one after another: ${optionRows.reduce((a, r) => a + r.seconds, 0).toFixed(1)} s`,
  );
  if (big && small)
    console.log(
      `\nmemory vs trace length: 10 M / 1 M requests → peak RSS ratio ${(big.maxRssMB / small.maxRssMB).toFixed(2)}`,
    );
  if (only.length === 0)
    console.log(`npm start (default scenario, end to end): ${timeNpmStart().toFixed(2)} s`);
}
