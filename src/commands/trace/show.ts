import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { count } from '../../report/text/format.js';
import { summarizeTraceFile, type TraceStats } from '../../traffic/trace/stats.js';
import { globalFlags, processIo, type GlobalFlags, type Io } from '../context.js';
import { withFlags } from '../flags.js';
import { single } from './flags.js';
import { days, human } from './text.js';

/* `servesim trace show T`: a trace's span, totals, per-hour profile and longest idle gaps. */

/** Prints a trace's span, totals, per-hour profile and longest idle gaps. */
export function traceShow(
  file: string,
  timezone: string | undefined,
  flags: GlobalFlags,
  io: Io = processIo,
  /** One model of a trace with a `model` column (`--model`); default: all of them together. */
  model?: string,
): TraceStats {
  const st = summarizeTraceFile(resolve(file), timezone ?? 'UTC', 5, model);
  if (flags.json) {
    io.out(JSON.stringify(st, null, 2) + '\n');
    return st;
  }
  io.out(showText(file, st));
  return st;
}

export function showText(file: string, st: TraceStats): string {
  const lines: string[] = [];
  const kind = st.kind === 'binned' ? `binned trace, ${st.periodSeconds} s periods` : 'requests trace';
  lines.push(`${file} — ${kind}, from ${st.source || 'unknown source'}`);
  if (st.byModel !== undefined)
    lines.push(
      `  models    ${st.byModel.length} (model column)${st.model !== undefined ? `; showing ${st.model}` : '; showing all together (--model NAME shows one)'}`,
    );
  lines.push(`  span      ${st.start} → ${st.end} (${days(st.durationSeconds)})`);
  const peak =
    st.peakPerMinute !== null
      ? `peak ${count(st.peakPerMinute)}/min`
      : `peak ${count(st.peakPerPeriod)} per ${st.periodSeconds} s`;
  lines.push(
    `  requests  ${count(st.requests)} (interactive ${count(st.byClass.interactive.requests)}, batch ${count(st.byClass.batch.requests)}); ${peak}`,
  );
  const mean = (x: number) => (st.requests > 0 ? (x / st.requests).toFixed(1) : '—');
  lines.push(
    `  tokens    ${count(st.inputTokens)} in (mean ${mean(st.inputTokens)}), ${count(st.outputTokens)} out (mean ${mean(st.outputTokens)})`,
  );
  if (st.throttles !== null) lines.push(`  throttles ${count(st.throttles)} (observed; not replayed)`);
  if (st.modelCopies !== null)
    lines.push(
      `  copies    peak ${count(st.modelCopies.peak)}, ${count(st.modelCopies.copyMinutes)} copy-minutes (observed)`,
    );
  if (st.meanLatencyMs !== null)
    lines.push(`  latency   mean ${st.meanLatencyMs.toFixed(0)} ms (observed, per request)`);
  if (st.byModel !== undefined) {
    const w = Math.max(...st.byModel.map((m) => m.model.length));
    lines.push('', 'Requests by model:');
    for (const m of st.byModel)
      lines.push(
        `  ${m.model.padEnd(w)}  ${count(m.requests)} requests, ${count(m.inputTokens)} in, ${count(m.outputTokens)} out tokens`,
      );
  }
  lines.push('', `Requests by hour of day (${st.timezone}):`);
  const max = Math.max(...st.perHour, 1);
  st.perHour.forEach((n, h) => {
    const width = Math.round((n / max) * 40);
    lines.push(
      `  ${String(h).padStart(2, '0')} ${'█'.repeat(width)}${width === 0 && n > 0 ? '▏' : ''} ${count(n)}`,
    );
  });
  if (st.longestIdleGaps.length > 0) {
    lines.push('', `Longest idle gaps${st.kind === 'binned' ? ' (to the period: at least)' : ''}:`);
    for (const g of st.longestIdleGaps)
      lines.push(`  ${st.kind === 'binned' ? '≥ ' : ''}${human(g.seconds)} from ${g.from}`);
  }
  return lines.join('\n') + '\n';
}

/** Adds `trace show <file>`. */
export function registerTraceShow(t: Argv): Argv {
  return t.command(
    'show <file>',
    'Span, totals, per-hour profile and longest idle gaps of a trace file',
    (s) =>
      withFlags(s, ['json'])
        .positional('file', { type: 'string', describe: 'Trace file' })
        .option('timezone', {
          type: 'string',
          describe: 'IANA zone of the per-hour profile (default UTC)',
        })
        .option('model', {
          type: 'string',
          describe: 'One model of a trace with a model column (default: all together)',
        }),
    (argv) => {
      traceShow(
        single(argv.file, 'file')!,
        single(argv.timezone, 'timezone'),
        globalFlags(argv),
        processIo,
        single(argv.model, 'model'),
      );
    },
  );
}
