/**
 * `npx tsx bench/breakeven.ts`: wall time of the break-even sweeps on 1 and 2 workers, and the
 * speed-up (issue 8: each under 30 s here, ≥ 1.8× on 2 workers). Each case runs in its own child
 * process, so worker start-up is included and nothing is warm from a previous case.
 *
 *   volume     the default 40-point crossover (100 … 1,000,000 requests/day) over every option of
 *              the default scenario (scenarios/medical-notes.yaml)
 *   crossover  the same default range over scenarios/crossover.yaml (CMI vs an ml.g5.2xlarge box)
 *   heartbeat  the warm-heartbeat analysis of the default scenario (one day: small enough that it
 *              runs in the main thread whatever the worker count — threads would not pay)
 *   heartbeat-7d  the same over 7 days (big enough for the worker threads)
 *
 * Workers run the compiled code under dist/ when it is up to date (`npm run build` first), else
 * the .ts sources through tsx, which costs about 2 s more of start-up per worker; the table says
 * which (`--worker-code dist|source` forces one). Results go to stdout only (machines differ).
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { analyzeBreakeven } from '../src/planning/breakeven/breakeven.js';
import { distIsCurrent } from '../src/planning/sweep/pool.js';
import { packageRoot, shippedPath } from '../src/data.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { BreakevenVolume } from '../src/scenario/schema.js';

interface CaseResult {
  name: string;
  workers: number;
  seconds: number;
  /** CPU seconds of the process, all threads (so ≈ 2 × seconds when 2 threads keep busy). */
  cpuSeconds: number;
  tasks: number;
  digest: string;
}

const SCENARIOS: Record<string, string> = {
  volume: 'scenarios/medical-notes.yaml',
  crossover: 'scenarios/crossover.yaml',
  heartbeat: 'scenarios/medical-notes.yaml',
  'heartbeat-7d': 'scenarios/medical-notes.yaml',
};

/** `--worker-code dist|source|auto` (default auto): which code the worker threads run. */
const codeArg = process.argv.indexOf('--worker-code');
const workerCode = (codeArg >= 0 ? process.argv[codeArg + 1] : 'auto') as 'auto' | 'dist' | 'source';

async function runCase(name: string, workers: number): Promise<CaseResult> {
  const loaded = loadScenarioFile(shippedPath(SCENARIOS[name]!));
  const heartbeat = name.startsWith('heartbeat');
  if (name === 'heartbeat-7d')
    loaded.scenario = { ...loaded.scenario, traffic: { ...loaded.scenario.traffic, days: 7 } };
  if (!heartbeat)
    loaded.scenario = {
      ...loaded.scenario,
      breakeven: { ...loaded.scenario.breakeven, volume: BreakevenVolume.parse({}) },
    };
  let tasks = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = await analyzeBreakeven(
    loaded,
    { heartbeat, volume: !heartbeat },
    { workers, workerCode, onProgress: (done) => (tasks = done) },
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // A fingerprint of the result: 1 and 2 workers must agree.
  let h = 0;
  for (const c of JSON.stringify(r)) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return { name, workers, seconds, cpuSeconds, tasks, digest: (h >>> 0).toString(16) };
}

/**
 * What the machine gives two busy threads: the same integer loop in one process, then in two at
 * once (V8 compiling synchronously, so its background compiler does not compete); wall(1) × 2 /
 * wall(2) is 2.0 on two idle cores and less where the cores are shared. The sweeps cannot beat it.
 */
async function parallelCeiling(): Promise<number> {
  const { spawn } = await import('node:child_process');
  const loop = 'let x = 0; for (let i = 0; i < 2e9; i++) x = (x + i) | 0; if (x === 1) console.log(x);';
  const run = async (n: number): Promise<number> => {
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from(
        { length: n },
        () =>
          new Promise((done, fail) => {
            const p = spawn(process.execPath, ['--no-concurrent-recompilation', '-e', loop], {
              stdio: 'ignore',
            });
            p.once('exit', done);
            p.once('error', fail);
          }),
      ),
    );
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  const one = await run(1);
  const two = await run(2);
  return (one * 2) / two;
}

function child(name: string, workers: number): CaseResult {
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--case',
      name,
      String(workers),
      '--worker-code',
      workerCode,
    ],
    { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as CaseResult;
}

const caseArg = process.argv.indexOf('--case');
if (caseArg >= 0) {
  const r = await runCase(process.argv[caseArg + 1]!, Number(process.argv[caseArg + 2]));
  process.stdout.write(JSON.stringify(r) + '\n');
} else {
  const only = process.argv
    .slice(2)
    .filter((a, i, all) => !a.startsWith('-') && all[i - 1] !== '--worker-code');
  const names = only.length ? only : ['volume', 'crossover', 'heartbeat', 'heartbeat-7d'];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    `two threads of pure arithmetic here: ${(await parallelCeiling()).toFixed(2)}× one (the ceiling for the speed-ups below)`,
  );
  const dist = workerCode === 'dist' || (workerCode === 'auto' && distIsCurrent(packageRoot()));
  console.log(
    `workers run: ${dist ? 'dist/ (compiled)' : '.ts sources through tsx'} (--worker-code ${workerCode})\n`,
  );
  console.log('case          tasks   1 worker s (cpu)   2 workers s (cpu)   speed-up   same result');
  for (const name of names) {
    const one = child(name, 1);
    const two = child(name, 2);
    const cell = (r: CaseResult) => `${r.seconds.toFixed(2)} (${r.cpuSeconds.toFixed(1)})`;
    console.log(
      `${name.padEnd(12)} ${String(one.tasks).padStart(6)} ${cell(one).padStart(18)} ${cell(two).padStart(19)} ${(
        one.seconds / two.seconds
      )
        .toFixed(2)
        .padStart(9)}×   ${one.digest === two.digest ? 'yes' : 'NO'}`,
    );
  }
}
