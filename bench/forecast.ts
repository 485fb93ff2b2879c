/**
 * `npx tsx bench/forecast.ts [--runs N] [--months N] [--growth G] [--workers N] [--run-volumes all]`: wall time of
 * `servesim forecast` over every option of the default scenario (scenarios/medical-notes.yaml).
 * Issue 9: 12 months × 200 Monte Carlo runs in under 60 s on these machines. Prints the machine,
 * the wall time, the simulations (option-days) and simulated requests per second. Workers run
 * dist/ when it is up to date (`npm run build` first), else the .ts sources through tsx (about
 * 2 s more start-up per worker). Results go to stdout only (machines differ).
 */
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { forecast } from '../src/planning/forecast/forecast.js';
import { type SweepTask } from '../src/planning/sweep/sweep.js';
import { distIsCurrent, SweepPool } from '../src/planning/sweep/pool.js';
import { packageRoot, shippedPath } from '../src/data.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { parseGrowth } from '../src/scenario/units.js';
import { Forecast } from '../src/scenario/schema.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(arg('runs') ?? 200);
const months = Number(arg('months') ?? 12);
const growth = parseGrowth(arg('growth') ?? '0') ?? 0;
const workers = Number(arg('workers') ?? availableParallelism());

// Count what the forecast submits: option-days (one option simulated over one day) and their scale.
let simulations = 0;
let scaledOptionDays = 0;
const submit = SweepPool.prototype.submit;
SweepPool.prototype.submit = function (this: SweepPool, task: SweepTask) {
  simulations += task.options.length;
  scaledOptionDays += task.options.length * task.scale;
  return submit.call(this, task);
};

const loaded = loadScenarioFile(shippedPath('scenarios/medical-notes.yaml'));
// `--run-volumes all` measures every run simulating every volume (the exact computation).
const runVolumes = arg('run-volumes') === 'all' ? 'all' : 'one';
loaded.scenario.forecast = { ...Forecast.parse({}), ...loaded.scenario.forecast, runVolumes };
const requestsPerDay = 30_200; // the default scenario: a 30,000-request batch + 200 trickle, every day
let tasks = 0;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const r = await forecast(loaded, { runs, months, growth, workers, onProgress: (d) => (tasks = d) });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`,
);
console.log(
  `workers: ${workers} (${distIsCurrent(packageRoot()) ? 'dist/ compiled' : '.ts sources through tsx'})`,
);
console.log(
  `forecast: ${months} months × ${runs} runs, growth ${growth}, runVolumes ${runVolumes}, ${loaded.scenario.options.length} options (${r.totals.length} forecast)`,
);
console.log(
  `tasks: ${tasks}, option-days simulated: ${simulations} (infeasible ones included), ~${((scaledOptionDays * requestsPerDay) / 1e6).toFixed(1)} M option-requests`,
);
console.log(
  `wall ${seconds.toFixed(2)} s (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, this process, all threads)`,
);
console.log(
  `${(simulations / seconds).toFixed(1)} option-day simulations/s, ~${((scaledOptionDays * requestsPerDay) / seconds / 1e6).toFixed(2)} M simulated requests/s`,
);
