/**
 * `npx tsx bench/import.ts`: importer throughput (design §10: a benchmark, never a timed test).
 * Each case runs in its own child process so its peak RSS is its own.
 *
 *   cloudwatch  14 days of per-minute Bedrock metrics (20,160 bins, ~6 M requests) from a
 *               loopback CloudWatch through the real client, written as a trace file, then
 *               expanded back into every request (target ≤ 5 s in all)
 *   csv         a 1 M-row CSV (ISO timestamps, a quoted prompt column with commas and quotes)
 *               imported into a requests trace (target ≥ 300k rows/s)
 *   jsonl       the same rows as JSONL
 *
 * Paste the table with the machine line into the issue note; machines differ.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCloudWatch } from '../src/traffic/cloudwatch/import.js';
import { importCsv } from '../src/traffic/import/csv.js';
import { importJsonl } from '../src/traffic/import/jsonl.js';
import { TraceFileStream } from '../src/traffic/trace/read.js';
import { bedrockSource, startFakeCloudWatch } from '../test/traffic/cloudwatch/cloudwatch-server.js';

interface CaseResult {
  name: string;
  items: number;
  unit: string;
  seconds: number;
  /** CPU seconds (user + system) of the timed part: the fairer figure on a busy machine. */
  cpuSeconds: number;
  detail: string;
  maxRssMB: number;
}

const NOW = Date.UTC(2026, 10, 16) / 1000;
const DAY = 86400;

async function cloudwatchCase(dir: string): Promise<CaseResult> {
  const bins = 14 * 1440;
  const start = NOW - 14 * DAY;
  // A diurnal day: 50–550 requests a minute (mean ≈ 300), idle 02:00–04:00.
  const perMinute = (i: number) => {
    const m = i % 1440;
    if (m >= 120 && m < 240) return 0;
    return Math.round(300 + 250 * Math.sin((2 * Math.PI * (m - 360)) / 1440));
  };
  const cw = await startFakeCloudWatch(
    bedrockSource('arn:aws:bedrock:us-east-1:123456789012:imported-model/bench', start, 60, bins, (i) => {
      const n = perMinute(i);
      if (n === 0) return null;
      return {
        Invocations: n,
        InputTokenCount: n * 250 + (i % 97),
        OutputTokenCount: n * 60 + (i % 13),
        InvocationThrottles: 0,
        ModelCopy: Math.ceil(n / 160),
        InvocationLatency: 900,
      };
    }),
  );
  const output = join(dir, 'cw.trace.csv');
  const c0 = cpuNow();
  const t0 = process.hrtime.bigint();
  const s = await importCloudWatch({
    target: { kind: 'bedrock', modelId: 'arn:aws:bedrock:us-east-1:123456789012:imported-model/bench' },
    start,
    end: NOW,
    now: NOW,
    output,
    region: 'us-east-1',
    clientConfig: { endpoint: cw.url, credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'x' } },
  });
  const t1 = process.hrtime.bigint();
  const stream = new TraceFileStream(output, { seed: 1, index: 0 });
  let n = 0;
  let tokens = 0;
  while (stream.next()) {
    n++;
    tokens += stream.inputTokens + stream.outputTokens;
  }
  const t2 = process.hrtime.bigint();
  const cpuSeconds = cpuNow() - c0;
  await cw.close();
  if (n !== s.requests || tokens !== s.inputTokens + s.outputTokens)
    throw new Error('expansion lost requests or tokens');
  const fetch = Number(t1 - t0) / 1e9;
  const expand = Number(t2 - t1) / 1e9;
  return {
    name: 'cloudwatch',
    items: n,
    unit: 'requests',
    seconds: fetch + expand,
    cpuSeconds,
    detail: `${s.bins} bins, ${s.pages} pages; fetch+write ${fetch.toFixed(2)} s, expand ${expand.toFixed(2)} s`,
    maxRssMB: maxRss(),
  };
}

/** Written by the parent, so generating it does not count in the case's memory or time. */
function rowsFile(dir: string, rows: number, jsonl: boolean): string {
  const path = join(dir, jsonl ? 'big.jsonl' : 'big.csv');
  const parts: string[] = [jsonl ? '' : 'timestamp,model,input_tokens,output_tokens,prompt\n'];
  let t = Date.UTC(2026, 10, 2) / 1000;
  let x = 12345;
  for (let i = 0; i < rows; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    t += (x / 2147483648) * 0.5;
    const ts = new Date(t * 1000).toISOString();
    parts.push(
      jsonl
        ? `{"timestamp":"${ts}","model":"llama","input_tokens":${100 + (i % 500)},"output_tokens":${20 + (i % 90)},"prompt":"hello, \\"world\\" ${i}"}\n`
        : `${ts},llama,${100 + (i % 500)},${20 + (i % 90)},"hello, ""world"" ${i}"\n`,
    );
  }
  writeFileSync(path, parts.join(''));
  return path;
}

async function rowsCase(dir: string, jsonl: boolean): Promise<CaseResult> {
  const file = join(dir, jsonl ? 'big.jsonl' : 'big.csv');
  const output = join(dir, 'rows.trace.csv');
  const c0 = cpuNow();
  const t0 = process.hrtime.bigint();
  const s = jsonl ? await importJsonl(file, { output }) : await importCsv(file, { output });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuSeconds = cpuNow() - c0;
  return {
    name: jsonl ? 'jsonl' : 'csv',
    items: s.rows,
    unit: 'rows',
    seconds,
    cpuSeconds,
    detail: `${(statSync(file).size / 2 ** 20).toFixed(0)} MiB in; reorder buffer peak ${s.peakBuffered} rows`,
    maxRssMB: maxRss(),
  };
}

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function maxRss(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function child(name: string, dir: string): CaseResult {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--case', name, dir],
    {
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1' },
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as CaseResult;
}

const caseArg = process.argv.indexOf('--case');
if (caseArg >= 0) {
  const name = process.argv[caseArg + 1]!;
  const dir = process.argv[caseArg + 2]!;
  const r = name === 'cloudwatch' ? await cloudwatchCase(dir) : await rowsCase(dir, name === 'jsonl');
  process.stdout.write(JSON.stringify(r) + '\n');
} else {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = only.length ? only : ['cloudwatch', 'csv', 'jsonl'];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}\n`,
  );
  console.log(
    'case                      items   wall s   per wall s    CPU s   per CPU s   peak RSS MB   detail',
  );
  const dir = mkdtempSync(join(tmpdir(), 'servesim-bench-import-'));
  try {
    for (const name of names) {
      if (name !== 'cloudwatch') rowsFile(dir, 1_000_000, name === 'jsonl');
      const r = child(name, dir);
      const rate = (s: number) =>
        Math.round(r.items / s)
          .toLocaleString('en-US')
          .padStart(11);
      console.log(
        `${r.name.padEnd(11)} ${`${r.items} ${r.unit}`.padStart(17)} ${r.seconds.toFixed(2).padStart(8)} ${rate(r.seconds)}  ${r.cpuSeconds
          .toFixed(2)
          .padStart(7)} ${rate(r.cpuSeconds)} ${r.maxRssMB.toFixed(0).padStart(13)}   ${r.detail}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
