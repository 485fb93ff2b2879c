import type { Band } from '../../planning/forecast/bands.js';
import type { ForecastResult } from '../../planning/forecast/forecast.js';
import { csvText } from '../files.js';
import { pct, usd } from './format.js';
import { table } from './table.js';
import { fitLines } from './width.js';

/*
 * What `servesim forecast` writes: forecast.csv (design §8) and the terminal table.
 */

/** `month,option,p10,p50,p90`, one row per month × option, USD to the cent (forecast.json has all digits). */
export function forecastCsv(r: ForecastResult): string {
  const rows: string[][] = [['month', 'option', 'p10', 'p50', 'p90']];
  for (const m of r.months) rows.push([m.month, m.option, cents(m.p10), cents(m.p50), cents(m.p90)]);
  return csvText(rows);
}

function cents(x: number): string {
  return x.toFixed(2);
}

/** Whole dollars from $1,000 (the band's width is what matters there), cents below. */
function money(x: number): string {
  return Math.abs(x) >= 1000 ? `$${Math.round(x).toLocaleString('en-US')}` : usd(x);
}

/** `$2,535 ($2,437–$2,583)`: P50, then P10–P90. */
function cell(b: Band): string {
  return `${money(b.p50)} (${money(b.p10)}–${money(b.p90)})`;
}

export function forecastText(r: ForecastResult, width = Infinity): string {
  const s = r.settings;
  const keys = r.totals.map((t) => t.option);
  const info = new Map(r.options.map((o) => [o.option, o]));
  const mark = (k: string): string =>
    k + (info.get(k)?.baseline ? ' (baseline)' : '') + (info.get(k)?.lossExceeded ? ' ⚠' : '');
  const byMonth = new Map<string, Map<string, Band>>();
  for (const row of r.months) {
    if (!byMonth.has(row.month)) byMonth.set(row.month, new Map());
    byMonth.get(row.month)!.set(row.option, row);
  }
  const growth = s.growth === 0 ? 'no growth' : `growth ${+(s.growth * 100).toFixed(4)}% a month`;
  let out = `\nMonthly cost forecast — ${s.months} months from ${s.start}, ${growth}, ${s.runs} Monte Carlo runs`;
  out += ` (${r.uncertainInputs.length > 0 ? `seeds and ${r.uncertainInputs.length} uncertain inputs` : 'seeds only'})\n`;
  out += '  USD per month: P50 (P10–P90); ★ cheapest at P50\n';
  const cheapest = new Map(r.cheapest.map((c) => [c.month, c.option]));
  const rows = [...byMonth].map(([month, bands]) => [
    month,
    ...keys.map((k) => cell(bands.get(k)!) + (cheapest.get(month) === k ? ' ★' : '')),
  ]);
  const totalBands = new Map(r.totals.map((t) => [t.option, t]));
  rows.push([`${s.months} months`, ...keys.map((k) => cell(totalBands.get(k)!))]);
  out += table(['month', ...keys.map(mark)], rows, [false, ...keys.map(() => true)], width, 1);
  for (const o of r.options) {
    if (!o.feasible) out += `  ${o.option}: not forecast — ${o.reasons.join('; ') || 'infeasible'}\n`;
    else if (o.lossExceeded)
      out += `  ⚠ ${o.option} loses up to ${pct(o.lossRate)} of requests (throttled or failed) on a simulated day: costed, not ranked.\n`;
  }
  for (const c of r.commitments)
    out += `  ${c.option}: a ${c.termMonths}-month commitment is bought whole — each month bills its instalment; the total bills ${c.terms} whole term${c.terms === 1 ? '' : 's'}${c.monthsAfterHorizon > 0 ? `, ${c.monthsAfterHorizon} month${c.monthsAfterHorizon === 1 ? '' : 's'} of it after the horizon` : ''}.\n`;
  if (keys.some((k) => info.get(k)?.baseline))
    out += '  Baselines serve a catalog model, not your weights: shown for comparison, never ranked.\n';
  out += `  Percentiles: nearest rank over the runs. Each month = weekdays × a simulated weekday + weekend days × a simulated weekend day (${s.sampleDays} per type and run, each day from idle) + a DST-day correction.${r.calendar.some((c) => c.volumeFactor !== 1) && s.volumePoints !== 'all' ? ` With growth, ${s.volumePoints} volumes are simulated${s.scaledFromVolume === undefined ? ' per run' : ''} and the months between interpolated linearly in volume.` : ''}\n`;
  if (s.scaledFromVolume !== undefined)
    out += `  Approximation: each run simulated one volume (×${s.scaledFromVolume.toFixed(3)}); its AWS bill at the other volumes follows the scenario's own settings and seed at each (runVolumes: all simulates every volume per run).\n`;
  const seedOnly = s.seedOnly?.options.filter((k) => keys.includes(k)) ?? [];
  if (s.seedOnly !== undefined && seedOnly.length > 0)
    out += `  Approximation: ${seedOnly.join(', ')} (no drawn input reaches ${seedOnly.length === 1 ? 'it' : 'them'}) simulated in the first ${s.seedOnly.runs} runs only; the other runs reuse those in turn (seedOnlyRuns: all simulates them in every run).\n`;
  return fitLines(out, width);
}
