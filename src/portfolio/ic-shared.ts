import { instanceCostSoFar } from '../billing/instance-time.js';
import { costSplit, type Bill } from '../billing/lines.js';
import { splitByReservation } from '../billing/shared-instances.js';
import { simulateOption } from '../compare/run.js';
import { billInferenceComponents, IC_ID, type IcSettings } from '../models/inference-components.js';
import { sagemakerInferenceComponents as ic } from '../models/sagemaker-inference-components.js';
import type { Assumption } from '../models/types.js';
import { withDiscounts } from '../pricing/discounts.js';
import type { SimRecord } from '../sim/record.js';
import { mergeRecords } from './records.js';
import {
  registerSharedOption,
  type SharedModelInput,
  type SharedOptionContext,
  type SharedOutcome,
  type SharedPortfolioOption,
} from './shared.js';

/*
 * `sagemaker-inference-components` over a portfolio (issue 21; docs/portfolio.md): one endpoint
 * whose instances every model's component shares.
 *
 *   per model: prepare its component (its spec, seed, mean tokens) ─► simulate its copies on its
 *              own trace (as if alone on the endpoint)
 *   all models' copies ─► billInferenceComponents: packed on shared instances, billed once
 *              ─► split by reserved share-seconds ─► perModel
 *   the models' records merged (mergeRecords) ─► the option as one fleet (copies as its replicas)
 */

/** How the shared endpoint's lines are divided among models (docs/model.md, "The split"). */
export const IC_SPLIT = 'reserved-share-seconds';

/** The approximation this option makes on a portfolio, listed with its assumptions. */
export const IC_PACKING_ASSUMPTION: Assumption = {
  name: 'portfolio packing',
  value:
    "each model's copies simulated as if alone on the endpoint; the bill packs every model's copies on the shared instances",
  unit: '',
  source:
    "servesim approximation (docs/portfolio.md): a copy's wait for an instance launch is decided as if its model had the endpoint to itself — a copy that would have found room beside another model's copies is shown waiting a launch, one whose room another model took is not; the bill and the split count the instances all models' copies need together",
  uncertain: true,
};

export const icShared: SharedPortfolioOption = {
  id: IC_ID,
  split: IC_SPLIT,
  run(models: readonly SharedModelInput[], ctx: SharedOptionContext): SharedOutcome {
    const settings = ctx.settings as IcSettings;
    const { region } = ctx.scenario;
    const checks = models.map((m) => ic.feasibility(m.spec, region, settings, ctx.book));
    if (checks.some((c) => !c.ok))
      return { feasible: false, reasons: unique(checks.flatMap((c) => (c.ok ? [] : c.reasons))) };

    const prepared = models.map((m) =>
      ic.prepare(
        {
          model: m.spec,
          region,
          seed: m.seed,
          key: ctx.key,
          book: ctx.book,
          spanSeconds: ctx.spanSeconds,
          calendar: ctx.calendar,
          meanTokens: {
            input: m.trace.requests > 0 ? m.trace.inputTokens / m.trace.requests : 250,
            output: m.trace.requests > 0 ? m.trace.outputTokens / m.trace.requests : 60,
          },
        },
        settings,
      ),
    );
    const records: SimRecord[] = models.map((m, i) =>
      simulateOption({ model: m.spec }, prepared[i]!, ctx.spanSeconds, m.users),
    );
    const shared = billInferenceComponents(
      settings,
      { region, book: ctx.book, spanSeconds: ctx.spanSeconds, key: ctx.key },
      models.map((m, i) => ({ model: m.model, spec: m.spec, record: records[i]! })),
    );
    const opsPerSecond = (shared.lines.find((l) => l.lineId === 'ops')?.amount ?? 0) / ctx.spanSeconds;
    const bill: Bill = withDiscounts(
      {
        lines: shared.lines,
        billedUnitMinutes: shared.packing.instanceSeconds / 60,
        costSoFar: (minutes) => {
          const c = instanceCostSoFar(shared.packing.instances, minutes, shared.price.price / 3600);
          for (let i = 0; i < minutes; i++) c[i]! += opsPerSecond * Math.min(60 * (i + 1), ctx.spanSeconds);
          return c;
        },
      },
      ic.service,
      ctx.scenario.pricing.discounts,
    );
    // Every line (discounts too) split by the same weights, so the shares add up to the bill.
    const weights = shared.packing.reservedShareSeconds;
    const parts = bill.lines.map((l) => splitByReservation(l.amount, weights));
    const perModel = models.map((m, i) => ({
      model: m.model,
      cost: costSplit(bill.lines.map((l, j) => ({ ...l, amount: parts[j]![i]! }))),
      record: records[i]!,
    }));
    return {
      feasible: true,
      reasons: [...unique(checks.flatMap((c) => c.reasons)), ...shared.notes],
      bill,
      record: mergeRecords(records),
      perModel,
      assumptions: [
        ...combinedAssumptions(
          models.map((m) => m.model),
          prepared.map((p) => p.assumptions),
        ),
        IC_PACKING_ASSUMPTION,
      ],
    };
  },
};

registerSharedOption(icShared);

/**
 * The models' assumptions as one list: a row every model assumed alike once, else one row per
 * model with its name in brackets (as the portfolio lists per-model options' rows).
 */
export function combinedAssumptions(
  names: readonly string[],
  byModel: readonly (readonly Assumption[])[],
): Assumption[] {
  const groups = new Map<string, { model: string; a: Assumption }[]>();
  byModel.forEach((rows, i) => {
    for (const a of rows) {
      const g = groups.get(a.name) ?? [];
      g.push({ model: names[i]!, a });
      groups.set(a.name, g);
    }
  });
  const key = (a: Assumption): string => JSON.stringify(a);
  const out: Assumption[] = [];
  for (const g of groups.values()) {
    if (g.length === byModel.length && g.every((x) => key(x.a) === key(g[0]!.a))) out.push(g[0]!.a);
    else for (const { model, a } of g) out.push({ ...a, name: `${a.name} [${model}]` });
  }
  return out;
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}
