/**
 * `npx tsx bench/fit.ts [days]`: wall and CPU time of `--fit` (slotsPerCopy fitted to observed
 * copies) over a replayed per-minute trace, on 1 and 2 workers (design §10: a benchmark, never a
 * timed test). Each case runs in its own child process, so worker start-up is included.
 *
 * The trace is bench/import.ts's diurnal CloudWatch day (50–550 requests a minute, idle 02:00–
 * 04:00, ≈ 0.42 M requests a day) with ModelCopy = ceil(requests / 160), repeated for `days`
 * (default 1; 14 is the two weeks, ≈ 5.8 M requests per simulation). Workers run dist/
 * when it is up to date (`npm run build`), else the .ts sources through tsx.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitSlotsPerCopy } from '../src/planning/fit/fit.js';
import { replayScenario } from '../src/commands/replay.js';
import { scenarioFromObject } from '../src/scenario/load.js';

const days = Number(process.argv[2] ?? 1);
const workers = process.argv[3];

function perMinute(i: number): number {
  const m = i % 1440;
  if (m >= 120 && m < 240) return 0;
  return Math.round(300 + 250 * Math.sin((2 * Math.PI * (m - 360)) / 1440));
}

async function child(w: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'servesim-bench-fit-'));
  try {
    const trace = join(dir, 'trace.csv');
    const rows = [
      `# servesim-trace v1 start=2026-11-02T00:00:00Z kind=binned period_s=60 duration_s=${days * 86400} source=bench`,
      't_s,requests,input_tokens,output_tokens,model_copies',
    ];
    let requests = 0;
    for (let i = 0; i < days * 1440; i++) {
      const n = perMinute(i);
      requests += n;
      rows.push(`${i * 60},${n},${n * 250},${n * 60},${Math.ceil(n / 160)}`);
    }
    writeFileSync(trace, rows.join('\n') + '\n');
    const base = scenarioFromObject({
      name: 'bench fit',
      traffic: { components: [{ type: 'poisson', rate: '1/m' }] },
      options: [{ id: 'bedrock-cmi', key: 'cmi', maxCopies: 16 }],
    });
    const loaded = replayScenario({ ...base, baseDir: dir }, trace);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const fit = await fitSlotsPerCopy(loaded.scenario, dir, { workers: w, requests });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const o = fit.options[0]!;
    process.stdout.write(
      JSON.stringify({
        workers: w,
        requests,
        seconds,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        evaluations: o.candidates.length,
        best: o.best,
        mismatch: o.atBest.mismatchCopyMinutes,
        atBaseline: o.atBaseline.mismatchCopyMinutes,
      }) + '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (workers !== undefined) await child(Number(workers));
else {
  const self = fileURLToPath(import.meta.url);
  process.stdout.write(
    `${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, load ${loadavg()[0]!.toFixed(1)}; ${days} day(s)\n`,
  );
  for (const w of [1, 2]) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', self, String(days), String(w)], {
      encoding: 'utf8',
    });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    process.stdout.write(
      `workers ${r.workers}: ${r.seconds.toFixed(1)} s wall, ${r.cpuSeconds.toFixed(1)} s CPU, ${r.evaluations} simulations of ${(r.requests / 1e6).toFixed(2)} M requests; best ${r.best} (mismatch ${r.mismatch} copy-minutes; ${r.atBaseline} at 8)\n`,
    );
  }
}
