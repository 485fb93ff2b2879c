import { compensatedSum } from '../stats.js';
import { lineIdOf, type Bill, type CostLine } from '../billing/lines.js';

/*
 * One option's portfolio bill from its models' bills (one deployment per model, nothing shared):
 * lines of the same `lineId` add up into one line, in the order the lines first appear.
 */

/**
 * Lines summed by `lineId`, first-appearance order. Lines of one id that share unit and unit price
 * become one line: quantities add, the amount is the compensated sum of the amounts, and the item
 * keeps its name when every model's is the same (else its bracketed details give way to
 * "(N models)"). Lines of one id at different unit prices (models sized onto different hardware)
 * stay one line per price, their ids suffixed `-<model>` (as a slug) so ids stay unique.
 * Worked: CMI inference 10 CMU-min + 6 CMU-min at $0.0785 → 16 CMU-min, $0.785 + $0.471 = $1.256.
 */
export function sumLines(perModel: readonly { model: string; lines: readonly CostLine[] }[]): CostLine[] {
  const groups = new Map<string, { model: string; line: CostLine }[]>();
  for (const { model, lines } of perModel)
    for (const line of lines) {
      const g = groups.get(line.lineId);
      if (g) g.push({ model, line });
      else groups.set(line.lineId, [{ model, line }]);
    }
  const out: CostLine[] = [];
  for (const [id, g] of groups) {
    const first = g[0]!.line;
    const alike = g.every((x) => x.line.unit === first.unit && x.line.unitPrice === first.unitPrice);
    if (!alike) {
      for (const { model, line } of g)
        out.push({ ...line, item: `${line.item} [${model}]`, lineId: `${id}-${lineIdOf(model)}` });
      continue;
    }
    const sameItem = g.every((x) => x.line.item === first.item);
    const kind = first.item.replace(/\s*\(.*\)\s*$/, '') || first.item;
    out.push({
      item: sameItem || g.length === 1 ? first.item : `${kind} (${g.length} models)`,
      quantity: compensatedSum(g.map((x) => x.line.quantity)),
      unit: first.unit,
      unitPrice: first.unitPrice,
      amount: compensatedSum(g.map((x) => x.line.amount)),
      billedBy: first.billedBy,
      lineId: id,
    });
  }
  return out;
}

/** The bill of one option's per-model deployments: lines summed, cost so far added minute by minute. */
export function sumBills(perModel: readonly { model: string; bill: Bill }[]): Bill {
  if (perModel.length === 1) return perModel[0]!.bill;
  const bills = perModel.map((p) => p.bill);
  const units = bills.map((b) => b.billedUnitMinutes);
  const terms = bills.flatMap((b) => (b.commitment ? [b.commitment] : []));
  return {
    lines: sumLines(perModel.map((p) => ({ model: p.model, lines: p.bill.lines }))),
    ...(units.every((u) => u !== undefined) ? { billedUnitMinutes: compensatedSum(units as number[]) } : {}),
    costSoFar(minutes: number): Float64Array {
      const out = new Float64Array(minutes);
      for (const b of bills) {
        const c = b.costSoFar(minutes);
        for (let i = 0; i < minutes; i++) out[i]! += c[i]!;
      }
      return out;
    },
    // One term per model, bought together: the portfolio's term costs their sum.
    ...(terms.length > 0
      ? { commitment: { ...terms[0]!, termTotal: compensatedSum(terms.map((t) => t.termTotal)) } }
      : {}),
  };
}
