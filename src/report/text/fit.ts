import type { ActualVsSimulatedOption } from '../../billing/actual-cmi.js';
import { count, pct, usd } from './format.js';
import { table } from './table.js';
import { fitLines } from './width.js';
import type { FitCandidate, FitResult } from '../../compare/result.js';

/* What `--fit` prints (`servesim run` and `servesim replay`). */

/**
 * One option's actual-vs-simulated CMI bill on one line: both sides by the same rule, then the
 * run's own bill (per-copy windows, as its cost lines bill it), labelled, when it is at hand.
 */
export function actualVsSimulatedLine(o: ActualVsSimulatedOption): string {
  const own = o.runBill
    ? `; the run's own bill (per-copy windows, ${o.runBill.rule} rule, storage apart) ${usd(o.runBill.cost)} (${count(o.runBill.copyWindows)} copy-windows)`
    : '';
  return `actual ${usd(o.actual.cost)} (${count(o.actual.copyWindows)} copy-windows, peak ${count(o.actual.peakCopies)}) vs simulated by the same rule ${usd(o.simulated.cost)} (${count(o.simulated.copyWindows)}, peak ${count(o.simulated.peakCopies)}); difference ${usd(o.difference)}${o.relativeDifference === null ? '' : ` (${pct(o.relativeDifference)})`}${own}`;
}

function signed(x: number): string {
  return x > 0 ? `+${count(x)}` : x < 0 ? `−${count(-x)}` : '0';
}

/** Sorted whole numbers with runs joined: [3, 4, 5, 7, 9, 10] → "3–5, 7, 9–10". */
export function ranges(xs: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < xs.length;) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j]! + 1) j++;
    out.push(j === i ? String(xs[i]) : `${xs[i]}–${xs[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

/** The fit section: per option the best value, the mismatch there and as run, the candidates. */
export function fitText(fit: FitResult, width = Infinity): string {
  let out = `\nFitted slots per copy: simulated vs observed Custom Model Import copies (${fit.trace}):\n`;
  for (const o of fit.options) {
    const mark = (c: FitCandidate) =>
      c.slotsPerCopy === o.best ? ' ← best' : c.slotsPerCopy === o.baseline ? ' (as run)' : '';
    out += `  ${o.key}: slotsPerCopy ${o.best} fits best — mismatch ${count(o.atBest.mismatchCopyMinutes)} copy-minutes, against ${count(o.atBaseline.mismatchCopyMinutes)} at ${o.baseline} as run`;
    out += o.tied.length > 1 ? `; equally good: ${ranges(o.tied)}\n` : '\n';
    out += table(
      ['slots', 'mismatch (copy-min)', 'net (copy-min)', 'billed CMU-min diff', 'peak copies'],
      o.candidates.map((c) => [
        String(c.slotsPerCopy),
        count(c.mismatchCopyMinutes),
        signed(c.netCopyMinutes),
        signed(c.billedCmuMinuteDifference),
        count(c.peakCopies) + mark(c),
      ]),
      [true, true, true, true, false],
      width - 2,
    ).replace(/^(?=.)/gm, '  ');
    out += `    At ${o.best}: ${actualVsSimulatedLine(o.actualVsSimulated)}\n`;
    if (o.maxCopies !== null && o.observedPeakCopies > o.maxCopies)
      out += `    Observed up to ${count(o.observedPeakCopies)} copies but maxCopies is ${o.maxCopies}: raise maxCopies, or the fit leans to fewer slots.\n`;
  }
  for (const s of fit.skipped) out += `  ${s.key}: not fitted (${s.reasons.join('; ') || 'infeasible'})\n`;
  out += `  Mismatch: ${fit.measure}; net > 0: the simulation runs more copies.\n`;
  out += `  Both sides billed ${fit.rule}.\n`;
  return fitLines(out, width);
}
