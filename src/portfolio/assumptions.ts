import type { AssumptionRow } from '../compare/result.js';
import type { Scenario } from '../scenario/schema.js';

/*
 * A portfolio's assumptions: each option's rows once where every model's run assumed the same,
 * else one row per model (its name in brackets after the assumption's); and, for Bedrock Custom
 * Model Import, how a LoRA adapter gets imported.
 */

/**
 * Bedrock Custom Model Import takes merged weights only: a LoRA adapter is merged into its base's
 * full weights and imported (and billed) as a model of the base's size.
 */
export const LORA_IMPORT = {
  name: 'loraAdapters',
  value: 'merged into full weights, imported as their own model',
  unit: '',
  source:
    'Bedrock Custom Model Import accepts Hugging Face weights, "merged weights only; separate LoRA adapters are not accepted" (aws-facts §1.6, measured by a public repository; import requirements https://docs.aws.amazon.com/bedrock/latest/userguide/model-customization-import-model.html)',
} as const;

/** The rows of the models' runs (in model order) combined per option, in first-appearance order. */
export function portfolioAssumptions(
  scenario: Scenario,
  byModel: readonly AssumptionRow[][],
): AssumptionRow[] {
  const models = scenario.models!;
  const groups = new Map<string, { model: string; row: AssumptionRow }[]>();
  byModel.forEach((rows, i) => {
    for (const row of rows) {
      const id = `${row.option}\u0000${row.name}`;
      const g = groups.get(id);
      const entry = { model: models[i]!.name, row };
      if (g) g.push(entry);
      else groups.set(id, [entry]);
    }
  });
  const out: AssumptionRow[] = [];
  const same = (a: AssumptionRow, b: AssumptionRow): boolean => JSON.stringify(a) === JSON.stringify(b);
  for (const g of groups.values()) {
    if (g.length === byModel.length && g.every((x) => same(x.row, g[0]!.row))) out.push(g[0]!.row);
    else for (const { model, row } of g) out.push({ ...row, name: `${row.name} [${model}]` });
  }
  const adapters = models.filter((m) => m.fineTune !== 'full').map((m) => m.name);
  if (adapters.length > 0)
    for (const o of scenario.options)
      if (o.id === 'bedrock-cmi')
        out.push({
          option: o.key ?? o.id,
          ...LORA_IMPORT,
          value: `${LORA_IMPORT.value} (${adapters.join(', ')})`,
          low: null,
          high: null,
          uncertain: false,
        });
  return out;
}
