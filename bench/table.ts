/**
 * One measurement per bench case, the issue-16 targets they are checked against, and the table
 * (or JSON) that `bench/run.ts` prints at the end. A missed target is marked, never fatal: the
 * bench reports where the product stands, it does not gate anything.
 */
import { availableParallelism, cpus, freemem, loadavg, totalmem } from 'node:os';

export interface Measurement {
  case: string;
  /** engine: one simulation in one thread, timed inside; e2e: the CLI as a user runs it, timed outside. */
  kind: 'engine' | 'e2e';
  wallSeconds: number;
  /** User + system CPU seconds (e2e: the whole process, worker threads included). */
  cpuSeconds: number;
  /** Peak resident set of the case's process, MB (MiB). */
  maxRssMB: number;
  /** Simulated requests (engine: of the one simulation; e2e: in the run's trace). */
  requests?: number;
  /** Requests per wall second and per CPU second, where one pass over the requests is the work. */
  requestsPerWallSecond?: number;
  requestsPerCpuSecond?: number;
  /** Issue-16 target, as text, and whether it was met (absent: the case has no target). */
  target?: string;
  met?: boolean;
  detail?: string;
}

/** What a case is checked against; every limit given must hold. */
export interface Target {
  maxWallSeconds?: number;
  maxRssMB?: number;
  /** Requests per CPU second: "on one core", and fair on a machine other jobs share. */
  minRequestsPerCpuSecond?: number;
}

export function checkTarget(m: Measurement, t: Target): Measurement {
  const parts: string[] = [];
  let met = true;
  if (t.maxWallSeconds !== undefined) {
    parts.push(`≤ ${t.maxWallSeconds} s wall`);
    met &&= m.wallSeconds <= t.maxWallSeconds;
  }
  if (t.maxRssMB !== undefined) {
    parts.push(`≤ ${t.maxRssMB} MB`);
    met &&= m.maxRssMB <= t.maxRssMB;
  }
  if (t.minRequestsPerCpuSecond !== undefined) {
    parts.push(`≥ ${t.minRequestsPerCpuSecond / 1e6} M req/CPU-s`);
    met &&= (m.requestsPerCpuSecond ?? 0) >= t.minRequestsPerCpuSecond;
  }
  return { ...m, target: parts.join(', '), met };
}

export interface Machine {
  cores: number;
  cpu: string;
  node: string;
  totalMemoryGiB: number;
  freeMemoryGiB: number;
  loadAverage: number;
}

export function machine(): Machine {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    node: process.version,
    totalMemoryGiB: round(totalmem() / 2 ** 30, 1),
    freeMemoryGiB: round(freemem() / 2 ** 30, 1),
    loadAverage: round(loadavg()[0]!, 2),
  };
}

export function machineLine(m: Machine): string {
  return `machine: ${m.cores} × ${m.cpu}, node ${m.node}, memory ${m.freeMemoryGiB} GiB free of ${m.totalMemoryGiB} GiB, load average ${m.loadAverage}`;
}

const COLUMNS: [string, number, (m: Measurement) => string][] = [
  ['case', 24, (m) => m.case],
  ['requests', 11, (m) => (m.requests === undefined ? '—' : String(m.requests))],
  ['wall s', 8, (m) => m.wallSeconds.toFixed(2)],
  ['CPU s', 8, (m) => m.cpuSeconds.toFixed(2)],
  ['peak RSS MB', 11, (m) => m.maxRssMB.toFixed(0)],
  ['M req/s', 8, (m) => mega(m.requestsPerWallSecond)],
  ['M req/CPU-s', 11, (m) => mega(m.requestsPerCpuSecond)],
  ['target', 28, (m) => m.target ?? '—'],
  ['met?', 4, (m) => (m.met === undefined ? '—' : m.met ? 'yes' : 'NO')],
];

/** The closing table: fixed-width columns, then each case's detail line. */
export function table(rows: Measurement[]): string {
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(COLUMNS[i]![1]) : c.padStart(COLUMNS[i]![1]))).join('  ');
  const out = [line(COLUMNS.map(([h]) => h))];
  for (const m of rows) out.push(line(COLUMNS.map(([, , f]) => f(m))));
  const details = rows.filter((m) => m.detail);
  if (details.length) out.push('', ...details.map((m) => `${m.case}: ${m.detail}`));
  return out.join('\n');
}

function mega(x: number | undefined): string {
  return x === undefined ? '—' : (x / 1e6).toFixed(2);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
