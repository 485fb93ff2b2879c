import { resolve } from 'node:path';
import { runScenario } from '../compare/run.js';
import { loadScenarioFile } from '../scenario/load.js';
import { assumptionsTable, comparisonTable } from '../report/table.js';
import { renderRunFiles, writeFilesAtomically } from '../report/files.js';
import { slug } from '../report/format.js';
import { STALE_DAYS } from '../pricing/book.js';
import type { GlobalFlags, Io } from './context.js';
import { shippedPath } from '../data.js';

export const DEFAULT_SCENARIO = 'scenarios/medical-notes.yaml';

/** `servesim run [scenario]`: simulate every option, print the comparison, write the report. */
export function runCommand(scenarioPath: string | undefined, flags: GlobalFlags, io: Io): void {
  const path = scenarioPath ?? shippedPath(DEFAULT_SCENARIO);
  const loaded = loadScenarioFile(path);
  const out = runScenario(loaded, {
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.region !== undefined ? { region: flags.region } : {}),
    onOptionDone: (key, i, n) => {
      if (!flags.quiet && !flags.json) io.err(`  simulated ${key} (${i + 1}/${n})\n`);
    },
  });
  const files = renderRunFiles(out);
  const dir = resolve(flags.out ?? `reports/${slug(out.result.scenario)}`);
  writeFilesAtomically(dir, files);

  const today = new Date().toISOString().slice(0, 10);
  const age = out.book.ageDays(today);
  if (age > STALE_DAYS)
    io.err(
      `warning: the price book is ${age} days old (${out.book.date}); run \`servesim prices refresh\`\n`,
    );

  if (flags.json) {
    io.out(files.get('results.json')!);
    return;
  }
  const r = out.result;
  io.out(
    `\n${r.scenario} — ${r.trace.requests.toLocaleString('en-US')} requests over ${(r.trace.durationSeconds / 86400).toFixed(2)} days from ${r.trace.start}, ${r.region}, seed ${r.seed}\n`,
  );
  io.out(comparisonTable(r, flags.color) + '\n');
  if (r.claims.length > 0) {
    io.out('\nClaims vs simulation:\n');
    for (const c of r.claims) io.out(`  ${c.holds === false ? '✗' : c.holds ? '✓' : '?'} ${c.detail}\n`);
  }
  if (!flags.quiet && r.assumptions.length > 0) {
    io.out('\nAssumptions (? = uncertain; band = low–high):\n');
    io.out(assumptionsTable(r, flags.color) + '\n');
  }
  io.out(`\nLatency is per user request: wait (incl. cold start) + service; percentiles ${methods(r)}.\n`);
  io.out(`Report: ${dir}\n`);
}

function methods(r: ReturnType<typeof runScenario>['result']): string {
  const set = new Set<string>();
  for (const o of r.options) if (o.latency?.all) set.add(o.latency.all.percentileMethod);
  return [...set].join(', ') || 'n/a';
}
