import { describeDist, distMedian, type Dist } from '../sim/dist.js';
import type { Scenario } from './schema.js';

/**
 * Inputs longer than the model's context length (issue 15 item 12). A model cannot read more
 * tokens than its context holds, so a component whose typical request is over it (a fixed count,
 * or a distribution's median) is bad input; the tail of a distribution, or a traced request over
 * it, fails at run time instead (counted in `requests.contextExceeded`).
 */

export interface ContextProblem {
  /** Field path of the offending `inputTokens`. */
  path: (string | number)[];
  message: string;
}

/** The first component whose `inputTokens` (fixed, or its median) exceeds `model.contextLength`. */
export function contextProblem(s: Scenario): ContextProblem | null {
  const limit = s.model.contextLength;
  const components = s.traffic.components;
  for (let i = 0; i < components.length; i++) {
    const d = (components[i] as { inputTokens?: Dist }).inputTokens;
    if (d === undefined || !(distMedian(d) > limit)) continue;
    const fixed = d.dist === 'fixed';
    const what = fixed
      ? `${d.value} is`
      : `${describeDist(d)} has its median${d.dist === 'lognormal' ? '' : ` (${distMedian(d)})`}`;
    const lost = fixed ? 'no request of this component can' : 'at least half of its requests cannot';
    return {
      path: ['traffic', 'components', i, 'inputTokens'],
      message: `inputTokens ${what} above the model's context length (model.contextLength ${limit}): ${lost} be served; shorten the inputs or set model.contextLength to the model's real limit`,
    };
  }
  return null;
}
