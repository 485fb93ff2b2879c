import type { OptionResult } from './result.js';

/** What options are ranked on (scenario `rankBy`): the total, or the AWS bill without staff time. */
export type RankBasis = 'total' | 'aws';

/**
 * The cost an option is ranked on: `cost.total` (AWS bill + staff time) or `cost.aws` (the AWS
 * bill alone); null for an option without a cost (infeasible).
 * Example: SageMaker at {total: 94.36, aws: 39.57} → 94.36 on `total`, 39.57 on `aws`.
 */
export function rankCost(option: Pick<OptionResult, 'cost'>, basis: RankBasis): number | null {
  if (option.cost === null) return null;
  return basis === 'aws' ? option.cost.aws : option.cost.total;
}
