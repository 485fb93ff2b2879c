import { parseDuration } from '../scenario/units.js';
import type { Claim } from '../scenario/schema.js';
import type { SimRecord } from '../sim/record.js';
import type { TraceCalendar } from '../traffic/calendar.js';
import type { ClaimCheck, OptionResult } from './result.js';
import { claimReason, type ReasonContext } from './claim-reasons.js';

const LATENCY = new Set(['firstRequestLatency', 'p50', 'p95', 'p99']);

/** What a failing claim's reason draws on besides the run (see `ReasonContext`). */
export type ReasonInputs = Pick<ReasonContext, 'assumptions' | 'calls'>;

export function checkClaim(
  c: Claim,
  option: OptionResult | undefined,
  record: SimRecord | null,
  calendar: TraceCalendar,
  inputs?: ReasonInputs,
): ClaimCheck {
  const unit = LATENCY.has(c.metric)
    ? 's'
    : c.metric === 'totalCost'
      ? 'USD'
      : c.metric === 'billedUnitHours'
        ? 'unit-hours'
        : '';
  const claimed = LATENCY.has(c.metric) ? (parseDuration(c.value) ?? NaN) : Number(c.value);
  const simulated = option && record ? measure(c, option, record, calendar) : null;
  let holds: boolean | null = null;
  if (simulated !== null && Number.isFinite(claimed)) {
    holds =
      claimed === 0 ? simulated === 0 : Math.abs(simulated - claimed) <= c.tolerance * Math.abs(claimed);
  }
  const reason =
    holds === false && option && record && inputs
      ? claimReason(c, claimed, simulated!, { option, record, calendar, ...inputs })
      : undefined;
  return {
    source: c.source,
    option: c.option,
    metric: c.metric,
    claimed,
    simulated,
    unit,
    holds,
    detail: describe(c, claimed, simulated, unit, holds),
    ...(reason === undefined ? {} : { reason }),
  };
}

function measure(c: Claim, o: OptionResult, r: SimRecord, calendar: TraceCalendar): number | null {
  switch (c.metric) {
    case 'firstRequestLatency':
      return r.firstRequest?.latency ?? null;
    case 'p50':
    case 'p95':
    case 'p99':
      return o.latency?.[c.class ?? 'all']?.[c.metric] ?? null;
    case 'coldStarts': {
      if (!c.during) return r.coldStarts;
      let n = 0;
      for (const day of calendar.days()) {
        const from = day.at(c.during.from);
        const to = day.at(c.during.to);
        for (const rep of r.replicas) if (rep.cold && rep.requestedAt >= from && rep.requestedAt < to) n++;
      }
      return n;
    }
    case 'peakReplicas':
      return r.peakReplicas;
    case 'billedUnitHours':
      return o.capacity?.billedUnitMinutes == null ? null : o.capacity.billedUnitMinutes / 60;
    case 'totalCost':
      return o.cost?.total ?? null;
  }
}

function fmt(x: number, unit: string): string {
  const v = Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
  return unit === 'USD' ? `$${v}` : unit ? `${v} ${unit}` : v;
}

function describe(
  c: Claim,
  claimed: number,
  simulated: number | null,
  unit: string,
  holds: boolean | null,
): string {
  const what = `${c.metric}${c.class ? ` (${c.class})` : ''}${c.during ? ' in the stated hours' : ''} on ${c.option}`;
  if (simulated === null) return `${c.source} — not measurable: ${what} has no value in this run`;
  const verdict = holds ? 'agrees' : 'does NOT hold: the simulation wins';
  return `${c.source} — claimed ${fmt(claimed, unit)}, simulated ${fmt(simulated, unit)} for ${what}; ${verdict}`;
}
