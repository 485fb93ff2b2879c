import type { RolloutOption, RolloutResult } from '../../compare/result.js';
import { seconds, usd } from './format.js';
import { fitLines } from './width.js';

/*
 * The rollout section `servesim run` prints after the comparison (docs/rollout.md): per option the
 * time from weights-in-S3 to traffic, the extra cost of two versions side by side, the rollback.
 */

export function rolloutText(r: RolloutResult, width = Infinity): string {
  const stages = r.stages.map(
    (s) => `${Math.round(s.share * 100)} %${s.afterSeconds > 0 ? ` after ${seconds(s.afterSeconds)}` : ''}`,
  );
  let out = `\nRollout: v2's weights in S3 at ${seconds(r.at)} into the trace; ${seconds(r.evaluationSeconds)} evaluation; then ${stages.join(', ')}\n`;
  for (const o of r.options) out += optionText(o);
  out +=
    '  (time to traffic: weights in S3 → first stage of the flip, value (low–high); extra = two versions − one, over the span)\n';
  return fitLines(out, width);
}

function optionText(o: RolloutOption): string {
  if (!o.applicable) return `  ${o.key}: ${o.note}\n`;
  const t = o.timeToTraffic!;
  const sign = o.extraCost! >= 0 ? '+' : '−';
  return (
    `  ${o.key}: to traffic ${seconds(t.value)} (${seconds(t.low)}–${seconds(t.high)}); ` +
    `two versions ${usd(o.twoVersionCost)} vs one ${usd(o.oneVersionCost)}: extra ${sign}${usd(Math.abs(o.extraCost!))}; ` +
    `rollback ${o.rollback.seconds === 0 ? 'instant' : seconds(o.rollback.seconds)}: ${o.rollback.path}\n` +
    `      ${o.note}\n`
  );
}
