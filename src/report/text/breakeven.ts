import {
  countedHits,
  WARM_BY_TRAFFIC_SHARE,
  type BreakevenResult,
  type HeartbeatBreakeven,
  type HeartbeatVariant,
  type VolumeBreakeven,
} from '../../compare/result.js';
import { count, seconds, signedUsd, usd, wrapText } from './format.js';
import { table } from './table.js';
import { fitLines } from './width.js';
import { formatDuration } from '../../scenario/units.js';

/*
 * What the break-even analyses print, for `servesim breakeven` and `servesim run`: the sections
 * as terminal text.
 */

/** The break-even sections as text (`servesim run` prints them too). */
/** The break-even sections as text within `width` display columns. */
export function breakevenText(r: BreakevenResult, only?: 'heartbeat' | 'volume', width = Infinity): string {
  let out = '';
  if (only !== 'volume') {
    if (r.heartbeat.length === 0 && only === 'heartbeat')
      out +=
        '\nWarm heartbeat: no option of this scenario scales to zero, so there is nothing to keep warm.\n';
    for (const h of r.heartbeat) out += heartbeatText(h, width);
  }
  if (only !== 'heartbeat' && r.volume) out += volumeText(r.volume, width);
  return fitLines(out, width);
}

function heartbeatText(h: HeartbeatBreakeven, width: number): string {
  const never = h.variants[0]!;
  const counted = (v: HeartbeatVariant): number => countedHits(v, h.classes);
  const cls = h.classes.join('+');
  let out = `\nWarm heartbeat — ${h.option} (scales to zero after ${formatDuration(h.scaleToZeroSeconds)} idle; counts ${h.classes.join(' and ')} cold starts)\n`;
  out += table(
    ['schedule', 'cost', 'added', `${cls} hits`, 'avoided', 'all hits', 'first call', 'p99 inter.'],
    h.variants.map((v, i) => [
      v.schedule + (v.schedule === h.bestSchedule.schedule ? ' ★' : ''),
      usd(v.cost),
      i === 0 ? '—' : signedUsd(v.cost - never.cost),
      count(counted(v)),
      i === 0 ? '—' : count(counted(never) - counted(v)),
      count(v.coldStartHits),
      seconds(v.firstCall),
      seconds(v.p99Interactive),
    ]),
    [false, true, true, true, true, true, true, true],
    width,
    undefined,
    0, // the schedule wraps before the table stacks
  );
  if (h.method.note !== '') out += wrapText(h.method.note, 78, '  ') + '\n';
  const b = h.bestSchedule;
  if (b.heartbeat === null) out += `  Best (★): no heartbeat — ${b.basis}.\n`;
  else {
    out += `  Best (★): ${b.schedule} avoids ${count(b.avoided)} of ${count(counted(never))} ${cls} cold-start hits for ${signedUsd(b.addedCost)} over the span${b.costPerAvoided === null ? '' : ` (${signedUsd(b.costPerAvoided)} each)`}.\n`;
    out += `    as a setting: heartbeat: { every: ${b.heartbeat.every}, during: [${b.heartbeat.during.map((d) => `'${d}'`).join(', ')}], days: ${b.heartbeat.days} }\n`;
    out += `    Fitted to this trace (${b.fittedTo}) on a ${formatDuration(h.gridSeconds)} grid; ${b.basis}.\n`;
  }
  const wh = h.variants.find((v) => v.schedule === h.wholeHourSchedule.schedule);
  if (wh && h.wholeHourSchedule.schedule !== b.schedule)
    out += `    Best in whole hours: ${wh.schedule}, ${signedUsd(wh.cost - never.cost)}, ${count(counted(never) - counted(wh))} avoided.\n`;
  const u = h.uncounted;
  if (u.classes.length > 0 && u.hitsNever > 0) {
    const longer = u.slowestLongerBy;
    out += `  Not counted (${u.classes.join(', ')}): ${count(u.hitsNever)} requests wait on a cold start without a heartbeat, ${count(u.hitsBest)} with the best${longer !== null && longer > 0 ? `; the slowest waits ${seconds(longer)} longer without it` : ''}.\n`;
  }
  const always = h.costPerAvoidedColdStart;
  out +=
    always === null
      ? `  A heartbeat always on avoids no ${cls} cold start here.\n`
      : `  A heartbeat always on costs ${usd(always)} per avoided ${cls} cold start.\n`;
  const be = h.breakEvenColdStartValue;
  if (be !== null) {
    const at = h.variants.find((v) => {
      const avoided = counted(never) - counted(v);
      return avoided > 0 && Math.abs((v.cost - never.cost) / avoided - be) < 1e-9;
    });
    const which = at ? ` (${at.schedule})` : '';
    out +=
      be <= 0
        ? `  A heartbeat can avoid ${cls} cold starts for ${be < 0 ? 'less than nothing' : 'nothing'}${which}: ${signedUsd(be)} each, so it pays at any value.\n`
        : `  Break-even: a heartbeat pays once an avoided ${cls} cold start is worth more than ${usd(be)}${which}; below that, none does.\n`;
  }
  if (h.verdict) {
    const v = h.verdict;
    const val =
      typeof v.coldStartValue === 'number' ? usd(v.coldStartValue) : JSON.stringify(v.coldStartValue);
    out += `  At ${val} per avoided cold start: always ${signedUsd(v.alwaysNet)}, best ${signedUsd(v.bestNet)} net over the span (value of the cold starts avoided minus the added cost).\n`;
  }
  const w = h.warmByTraffic;
  out +=
    w.requestsPerDay === null
      ? `  Traffic alone does not keep it warm within the volume range (a heartbeat ${w.schedule} keeps adding ≥ ${WARM_BY_TRAFFIC_SHARE * 100}% to the bill).\n`
      : `  Traffic keeps it warm by itself from about ${count(Math.round(w.requestsPerDay))} requests/day (this shape, scaled): there a heartbeat ${w.schedule} adds < ${WARM_BY_TRAFFIC_SHARE * 100}% to the bill.\n`;
  return out;
}

function volumeText(v: VolumeBreakeven, width: number): string {
  const keys = Object.keys(v.points[0]?.costs ?? {});
  const first = v.points[0]?.requestsPerDay ?? 0;
  const last = v.points.at(-1)?.requestsPerDay ?? 0;
  let out = `\nVolume crossover — USD per day with the traffic shape scaled (${v.points.length} volumes, ${count(first)} … ${count(last)} requests/day)\n`;
  out += table(
    ['requests/day', ...keys.map((k) => (v.baselines.includes(k) ? `${k} (baseline)` : k)), 'cheapest'],
    v.points.map((p) => [count(p.requestsPerDay), ...keys.map((k) => usd(p.costs[k])), p.cheapest ?? '—']),
    [true, ...keys.map(() => true), false],
    width,
    1,
  );
  out += '  — = infeasible, or loses more than maxLossRate of the requests (not ranked).\n';
  if (v.baselines.length > 0)
    out += `  Baselines (${v.baselines.join(', ')}) serve a catalog model, not your fine-tune: priced for comparison, never ranked.\n`;
  if (v.crossovers.length === 0) {
    const c = v.points[0]?.cheapest;
    out += c ? `  No crossover: ${c} is the cheapest over the whole range.\n` : '';
  }
  for (const c of v.crossovers) {
    const i = v.points.findIndex((p) => p.requestsPerDay > c.requestsPerDay);
    const lo = v.points[Math.max(0, i - 1)]?.requestsPerDay;
    const hi = v.points[i]?.requestsPerDay;
    out += `  ${c.from} → ${c.to} at about ${count(Math.round(c.requestsPerDay))} requests/day (between the runs at ${count(lo)} and ${count(hi)})\n`;
  }
  return out;
}
