import { catalogModels } from '../models/catalog.js';
import type { Scenario } from './schema.js';
import { INHERITED_FROM_BASE, modelScenario } from './portfolio-section.js';
import { contextProblem } from './context-length.js';

/*
 * The cross-field rules of a portfolio scenario (`models:`; docs/portfolio.md), as problems with a
 * field path that the loader points into the file: before the schema (what the raw file must not
 * combine) and after it (names and LoRA bases).
 */

export interface PortfolioProblem {
  message: string;
  path: PropertyKey[];
}

/** Sections that describe one model's run and have no portfolio meaning yet. */
const SINGLE_MODEL_SECTIONS = ['claims', 'rollout', 'breakeven'] as const;

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * What the raw file must not combine: `model` with `models`; `models` with `traffic.components`
 * (each model lists its own); a portfolio where the command takes one model; and, without
 * `models`, no `traffic.components` (the field is optional in the schema only for portfolios).
 */
export function portfolioShapeProblem(raw: unknown, portfolioAllowed: boolean): PortfolioProblem | null {
  if (!isMap(raw)) return null;
  const traffic = raw.traffic;
  if (raw.models === undefined) {
    if (isMap(traffic) && traffic.components === undefined)
      return {
        message:
          'missing required field "components" (expected a list): list the traffic, or give `models:` (a portfolio) with components per model',
        path: ['traffic', 'components'],
      };
    return null;
  }
  if (raw.model !== undefined)
    return {
      message:
        'give either `model` (one fine-tune) or `models` (a portfolio), not both: move the model under `models:` with a `name` and its own `components`',
      path: ['models'],
    };
  if (!portfolioAllowed)
    return {
      message:
        'this command takes a single-model scenario; a portfolio (`models:`) runs with `servesim run` only, for now',
      path: ['models'],
    };
  if (isMap(traffic) && traffic.components !== undefined)
    return {
      message:
        'with `models:` each model lists its own traffic: move `traffic.components` under a model (`models[].components`); `traffic` keeps start, days/end',
      path: ['traffic', 'components'],
    };
  for (const section of SINGLE_MODEL_SECTIONS)
    if (raw[section] !== undefined)
      return {
        message: `\`${section}\` is not supported with \`models:\` yet (it describes one model's run); remove it or run each model as its own scenario`,
        path: [section],
      };
  return null;
}

/**
 * The raw scenario with each LoRA entry's missing model fields taken from its base entry (an
 * adapter merged into its base has the base's architecture and size). Returns the input itself
 * when there is nothing to fill; never mutates it.
 */
export function withInheritedBase(raw: unknown): unknown {
  if (!isMap(raw) || !Array.isArray(raw.models)) return raw;
  const entries = raw.models as unknown[];
  const byName = new Map<string, Record<string, unknown>>();
  for (const e of entries) if (isMap(e) && typeof e.name === 'string') byName.set(e.name, e);
  let changed = false;
  const models = entries.map((e) => {
    const base = isMap(e) ? loraBase(e) : undefined;
    const from = base === undefined ? undefined : byName.get(base);
    if (!isMap(e) || from === undefined || from === e) return e;
    const filled: Record<string, unknown> = { ...e };
    for (const f of INHERITED_FROM_BASE)
      if (filled[f] === undefined && from[f] !== undefined) {
        filled[f] = from[f];
        changed = true;
      }
    return filled;
  });
  return changed ? { ...raw, models } : raw;
}

function loraBase(e: Record<string, unknown>): string | undefined {
  const ft = e.fineTune;
  if (!isMap(ft) || !isMap(ft.lora)) return undefined;
  return typeof ft.lora.base === 'string' ? ft.lora.base : undefined;
}

/** After the schema: unique names; a LoRA's base is another full-weight entry or a catalog model. */
export function portfolioProblem(s: Scenario): PortfolioProblem | null {
  const models = s.models;
  if (models === undefined) return null;
  const seen = new Map<string, number>();
  for (const [i, m] of models.entries()) {
    const j = seen.get(m.name);
    if (j !== undefined)
      return {
        message: `duplicate model name "${m.name}" (also models.${j}.name); give each model a distinct name`,
        path: ['models', i, 'name'],
      };
    seen.set(m.name, i);
  }
  const catalog = catalogModels().map((c) => c.id);
  for (const [i, m] of models.entries()) {
    if (m.fineTune === 'full') continue;
    const base = m.fineTune.lora.base;
    const path = ['models', i, 'fineTune', 'lora', 'base'];
    const entry = models.find((x) => x.name === base);
    if (base === m.name) return { message: 'a LoRA adapter cannot be its own base', path };
    if (entry === undefined && !catalog.includes(base))
      return {
        message: `unknown base model "${base}": name another models entry (${models
          .filter((x) => x !== m)
          .map((x) => x.name)
          .join(', ')}) or a catalog model (${catalog.join(', ')})`,
        path,
      };
    if (entry !== undefined && entry.fineTune !== 'full')
      return {
        message: `the base "${base}" is itself a LoRA adapter; name a full-weight model as the base`,
        path,
      };
    if (entry !== undefined && (entry.architecture !== m.architecture || entry.parameters !== m.parameters))
      return {
        message: `an adapter merged into "${base}" has its architecture and parameters (${entry.architecture}, ${entry.parameters}); leave them out to take the base's`,
        path: ['models', i, entry.architecture !== m.architecture ? 'architecture' : 'parameters'],
      };
  }
  // Each model's inputs against its own context length (issue 15 item 12), at its own path.
  for (let i = 0; i < models.length; i++) {
    const p = contextProblem(modelScenario(s, i));
    if (p) return { message: p.message, path: ['models', i, ...p.path.slice(1)] };
  }
  return null;
}
