/**
 * End-to-end cases: the compiled CLI (dist/src/cli.js) exactly as a user runs it, each in its own
 * process through bench/measure.mjs, which reports that process's peak RSS and CPU with its worker
 * threads included. Wall time is measured here, around the whole process (start-up included).
 * Inputs the bench generates (the replay trace) are written before the clock starts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/data.js';
import { distIsCurrent } from '../src/planning/sweep/pool.js';
import { writeReplayTrace } from './replay-trace.js';
import { checkTarget, type Measurement, type Target } from './table.js';

interface E2eCase {
  /** The `servesim` arguments; `dir` is a fresh temporary folder (inputs and --out go there). */
  args: (dir: string) => string[];
  target?: Target;
  /** What to say about the run, from its report folder (e.g. which analyses results.json holds). */
  inspect?: (out: string) => { requests?: number; detail?: string };
  /** Requests per second are meaningful: the run is one month's requests through the options. */
  perRequest?: boolean;
}

const OUT = 'out';

/** What bench/measure.mjs writes. */
interface Usage {
  maxRssMB: number;
  userSeconds: number;
  systemSeconds: number;
}

/** results.json's trace size, and whether the analyses the issue requires are in it. */
function runResults(out: string): { requests?: number; detail?: string } {
  const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
    trace?: { requests?: number };
    sensitivity?: unknown;
    breakeven?: { heartbeat?: unknown };
  };
  const has = (x: unknown) => (x === undefined || x === null ? 'MISSING' : 'present');
  return {
    requests: r.trace?.requests,
    detail: `results.json: sensitivity ${has(r.sensitivity)}, breakeven.heartbeat ${has(r.breakeven?.heartbeat)}`,
  };
}

export const E2E_CASES: Record<string, E2eCase> = {
  // Issue 16: `servesim run bench/month.yaml`, default analyses on (heartbeat break-even, sensitivity).
  'month-run': {
    args: (dir) => ['run', 'bench/month.yaml', '--out', join(dir, OUT)],
    target: { maxWallSeconds: 10, maxRssMB: 300 },
    inspect: runResults,
    perRequest: true,
  },
  // Issue 16: `servesim forecast --months 12` (200 runs) at 5 %/month growth, on the default scenario
  // (the one bench/forecast.ts and the "47 s today" measure).
  'forecast-12m': {
    args: (dir) => [
      'forecast',
      'scenarios/medical-notes.yaml',
      '--months',
      '12',
      '--runs',
      '200',
      '--growth',
      '5%',
      '--out',
      join(dir, OUT),
    ],
    target: { maxWallSeconds: 15 },
  },
  // Issue 16: `servesim replay` of 30 days of per-minute CloudWatch data (~10 M requests) through
  // every option of bench/month.yaml, offline from the trace file the importer would have written.
  // Replay runs run's analyses by default (heartbeat break-even and sensitivity, as month-run) and
  // adds the actual-vs-simulated CMI bill: the detail line says which of them results.json holds.
  'replay-month': {
    args: (dir) => {
      const trace = join(dir, 'cloudwatch.trace.csv');
      writeReplayTrace(trace);
      return ['replay', '--trace', trace, '--scenario', 'bench/month.yaml', '--out', join(dir, OUT)];
    },
    target: { maxWallSeconds: 10 },
    inspect: (out) => {
      const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
        actualVsSimulated?: unknown;
      };
      const avs = r.actualVsSimulated === undefined ? 'MISSING' : 'present';
      const run = runResults(out);
      return {
        requests: run.requests,
        detail: `43,200 one-minute bins with ModelCopy; default analyses on; ${run.detail!}, actualVsSimulated ${avs}`,
      };
    },
    perRequest: true,
  },
  // Issue 21: a 10-model portfolio month (~10 M requests in all; one base and nine LoRA adapters)
  // through every option, the analyses a portfolio runs on (the 30-day month; heartbeat break-even
  // and sensitivity are single-model and say so).
  'portfolio-month': {
    args: (dir) => ['run', 'bench/portfolio-month.yaml', '--out', join(dir, OUT)],
    target: { maxWallSeconds: 15 },
    inspect: (out) => ({ requests: runResults(out).requests, detail: '10 models, 6 options' }),
    perRequest: true,
  },
  // `npm start`: the default scenario (the article's day), default analyses on; no target.
  'default-run': {
    args: (dir) => ['run', '--out', join(dir, OUT)],
    inspect: (out) => ({ requests: runResults(out).requests }),
  },
};

/** Builds dist/ when any src file is newer than its compiled twin (the CLI runs from dist). */
export function ensureDist(): void {
  const root = packageRoot();
  if (distIsCurrent(root)) return;
  console.log('dist/ is missing or older than src/: npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

export function runE2e(name: string): Measurement {
  const spec = E2E_CASES[name];
  if (!spec) throw new Error(`unknown bench case ${name}`);
  const root = packageRoot();
  const dir = mkdtempSync(join(tmpdir(), 'servesim-bench-e2e-'));
  try {
    const args = spec.args(dir);
    const usagePath = join(dir, 'usage.json');
    const stdout = openSync(join(dir, 'stdout.txt'), 'w');
    const stderr = openSync(join(dir, 'stderr.txt'), 'w');
    const t0 = process.hrtime.bigint();
    const r = spawnSync(
      process.execPath,
      [join(root, 'bench/measure.mjs'), usagePath, join(root, 'dist/src/cli.js'), ...args],
      { cwd: root, stdio: ['ignore', stdout, stderr], env: { ...process.env, NO_COLOR: '1' } },
    );
    const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    closeSync(stdout);
    closeSync(stderr);
    // No usage file: the process died without exiting (a signal, the OOM killer).
    const usage = existsSync(usagePath)
      ? (JSON.parse(readFileSync(usagePath, 'utf8')) as Usage)
      : { maxRssMB: NaN, userSeconds: NaN, systemSeconds: NaN };
    const m: Measurement = {
      case: name,
      kind: 'e2e',
      wallSeconds,
      cpuSeconds: usage.userSeconds + usage.systemSeconds,
      maxRssMB: usage.maxRssMB,
    };
    if (r.status !== 0) {
      const last = readFileSync(join(dir, 'stderr.txt'), 'utf8').trim().split('\n').pop();
      return { ...m, met: false, detail: `servesim ${args[0]} exited ${r.status ?? r.signal}: ${last}` };
    }
    const seen = spec.inspect?.(join(dir, OUT)) ?? {};
    if (seen.requests !== undefined) {
      m.requests = seen.requests;
      if (spec.perRequest) {
        m.requestsPerWallSecond = seen.requests / wallSeconds;
        m.requestsPerCpuSecond = seen.requests / m.cpuSeconds;
      }
    }
    if (seen.detail !== undefined) m.detail = seen.detail;
    return spec.target ? checkTarget(m, spec.target) : m;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
