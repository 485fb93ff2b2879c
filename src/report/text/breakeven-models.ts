import type { ModelCountBreakeven } from '../../planning/breakeven/models-result.js';
import { usd, wrapText } from './format.js';
import { table } from './table.js';

/*
 * What `servesim breakeven models` prints: each option's cost over the span at each model count,
 * the cheapest, the crossovers and the sentence (docs/breakeven.md "Model count").
 */

/** The model-count crossover as text within `width` display columns. */
export function modelCountText(r: ModelCountBreakeven, width = Infinity): string {
  const keys = r.points[0]?.options.map((o) => o.key) ?? [];
  const head = (k: string) =>
    r.baselines.includes(k) ? `${k} (baseline)` : r.shared.includes(k) ? `${k} (shared)` : k;
  const first = r.points[0]?.models ?? 0;
  const last = r.points.at(-1)?.models ?? 0;
  let out = `\nModel-count crossover — USD over the span (${+r.days.toFixed(2)} day${r.days === 1 ? '' : 's'}${r.basis === 'aws' ? ', AWS bill' : ''}), the mix (${r.mix.join(', ')}) cloned to ${first} … ${last} models (${r.points.length} counts, each simulated)\n`;
  out += table(
    ['models', ...keys.map(head), 'cheapest'],
    r.points.map((p) => [
      String(p.models),
      ...p.options.map((o) => (o.feasible ? usd(r.basis === 'aws' ? o.aws : o.total) : '—')),
      p.cheapest ?? '—',
    ]),
    [true, ...keys.map(() => true), false],
    width,
    1,
  );
  const wrapped = (t: string) => wrapText(t, Math.min(width, 100), '  ') + '\n';
  out += wrapped(
    '— = the option cannot serve some model, or loses more than maxLossRate (or misses the SLO) for one: not ranked. (shared): the models share its capacity; the others run one deployment per model, summed.',
  );
  if (r.baselines.length > 0)
    out += wrapped(
      `Baselines (${r.baselines.join(', ')}) serve a catalog model, not your fine-tunes: priced for comparison, never ranked.`,
    );
  for (const c of r.crossovers) out += wrapped(`${c.from} → ${c.to}: ${c.sentence}.`);
  out += wrapped(`Clones: ${r.cloneRule}.`);
  out +=
    '\n' + wrapText(`${r.sentence[0]!.toUpperCase()}${r.sentence.slice(1)}.`, Math.min(width, 100)) + '\n';
  return out;
}
