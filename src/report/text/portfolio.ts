import pc from 'picocolors';
import type { OptionResult, RunResult } from '../../compare/result.js';
import { count, seconds, usd } from './format.js';
import { grid, type GridColumn, type GridRow } from './table.js';
import { wrap } from './width.js';
import type { TextOptions } from './run.js';

/*
 * A portfolio run's per-model table (issue 21; portfolio runs only): each option that serves the
 * fine-tunes, then one row per model — its share of the cost, its interactive p95, cold starts,
 * requests lost, and whether it meets the verdict's rule (✗ with the model named in the verdict).
 */

const COLUMNS: GridColumn[] = [
  { head: 'option / model' },
  { head: 'total', right: true },
  { head: 'int.\np95', right: true },
  { head: 'cold\nstarts', right: true },
  { head: 'lost', right: true },
  { head: 'meets', right: true },
];

/** The options a portfolio ranks (feasible for some model, not baselines), each with its models. */
export function portfolioText(r: RunResult, opts: TextOptions): string {
  if (!r.models) return '';
  const c = pc.createColors(opts.color);
  const rows: GridRow[] = [];
  for (const o of r.options.filter(shown))
    rows.push({ group: o.key }, ...o.perModel!.map((m) => modelCells(m, c)));
  if (rows.length === 0) return '';
  const lines = grid(COLUMNS, rows, {
    width: opts.width,
    rule: true,
    style: (h) => c.bold(h),
    groupIndent: 2,
  });
  // Shared options (src/portfolio/shared.ts) split shared capacity by a rule they name.
  const splits = r.options
    .filter(shown)
    .flatMap((o) =>
      o.perModel?.[0] && o.perModel[0].split !== 'own' ? [`${o.key}: ${o.perModel[0].split}`] : [],
    );
  const out = [
    splits.length === 0
      ? `${c.bold('Per model')} (each model on its own deployment; its share of the span's cost):`
      : [
          `${c.bold('Per model')} (its share of the span's cost: its own deployment's bill, or shared`,
          ...wrap(`capacity split by the option's rule — ${splits.join('; ')}):`, opts.width, '  ', '  '),
        ].join('\n'),
    ...lines,
  ];
  const adapters = r.models.filter((m) => m.fineTune !== 'full');
  if (adapters.length > 0 && r.options.some((o) => o.id === 'bedrock-cmi'))
    out.push(
      c.dim(
        wrap(
          `LoRA adapters (${adapters.map((m) => m.name).join(', ')}): Bedrock Custom Model Import takes merged weights only, so each is merged into its base and imported as a model of its own (see the assumptions).`,
          opts.width,
          '  ',
          '  ',
        ).join('\n'),
      ),
    );
  out.push(
    c.dim(
      wrap(
        "int. p95: the model's interactive requests' 95th percentile (nearest rank), wait incl. cold start + service; meets: the verdict's maxLossRate and SLO for that model.",
        opts.width,
        '  ',
        '  ',
      ).join('\n'),
    ),
  );
  return out.join('\n');
}

function shown(o: OptionResult): boolean {
  return !o.baseline && o.perModel !== undefined && o.perModel.some((m) => m.feasible);
}

function modelCells(
  m: NonNullable<OptionResult['perModel']>[number],
  c: ReturnType<typeof pc.createColors>,
): string[] {
  const lost = m.requests.throttled + m.requests.failed;
  const meets = m.fails === undefined ? '' : m.fails === null ? '✓' : c.red('✗');
  return [
    `  ${m.model}`,
    m.feasible ? usd(m.cost?.total) : 'not feasible',
    seconds(m.latency?.interactive?.p95),
    count(m.coldStarts),
    count(lost),
    meets,
  ];
}
