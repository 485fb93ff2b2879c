/**
 * A cost line (design §3): `amount = quantity × unitPrice`. Units are plural and match the
 * vendor's price page ("CMU-minutes", "instance-hours"); variable details go in brackets in the
 * item name ("Instance usage (ml.g5.2xlarge, on-demand)").
 */
export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  amount: number;
}

export function line(item: string, quantity: number, unit: string, unitPrice: number): CostLine {
  return { item, quantity, unit, unitPrice, amount: quantity * unitPrice };
}

/** Sum of line amounts, compensated (Neumaier) so many small lines add up exactly enough. */
export function totalOf(lines: readonly CostLine[]): number {
  return kahanSum(lines.map((l) => l.amount));
}

/** Neumaier's compensated summation. */
export function kahanSum(values: Iterable<number>): number {
  let sum = 0;
  let c = 0;
  for (const v of values) {
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + c;
}
