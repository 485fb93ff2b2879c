import type { Heartbeat } from '../../models/heartbeat.js';
import type { ScenarioOption } from '../../scenario/schema.js';
import { formatDuration, formatTimeOfDay } from '../../scenario/units.js';
import type { HeartbeatSetting, HeartbeatVariant } from '../../compare/result.js';
import type { VariantOutcome } from '../sweep/sweep.js';

/* Heartbeat schedules: as hour masks, as a scenario writes them, as labels and result variants. */

export function withHeartbeat(o: ScenarioOption, hb: Heartbeat | undefined): ScenarioOption {
  const { heartbeat: _drop, ...rest } = o;
  return hb === undefined ? rest : { ...rest, heartbeat: hb };
}

/** Local ranges of the set bits, adjacent hours merged: 0b1110 → [{01:00, 04:00}]. */
export function rangesOf(mask: number): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (let h = 0; h < 24; h++) {
    if (!(mask & (1 << h))) continue;
    const last = out.at(-1);
    if (last && last.to === h * 3600) last.to = (h + 1) * 3600;
    else out.push({ from: h * 3600, to: (h + 1) * 3600 });
  }
  return out;
}

/** The heartbeat as a scenario writes it, e.g. {every: '4m', during: ['09:00-17:00'], days: 'all'}. */
export function settingOf(hb: Heartbeat): HeartbeatSetting {
  return {
    every: formatDuration(hb.every),
    during: [...hb.during]
      .sort((a, b) => a.from - b.from)
      .map((r) => `${formatTimeOfDay(r.from)}-${formatTimeOfDay(r.to)}`),
    days: hb.days,
  };
}

/** `never`, `always, every 5m`, `09:00-17:00 weekdays, every 4m`. */
export function labelOf(hb: Heartbeat | undefined): string {
  if (hb === undefined) return 'never';
  const s = settingOf(hb);
  const whole = s.during.length === 1 && s.during[0] === '00:00-24:00';
  const when = whole
    ? s.days === 'all'
      ? 'always'
      : 'weekdays'
    : `${s.during.join(', ')}${s.days === 'weekdays' ? ' weekdays' : ''}`;
  return `${when}, every ${s.every}`;
}

export function variantOf(schedule: string, r: VariantOutcome): HeartbeatVariant {
  return {
    schedule,
    cost: r.cost!,
    coldStartHits: r.coldStartHits,
    coldStartHitsByClass: r.coldStartHitsByClass,
    p99Interactive: r.p99Interactive,
    firstCall: r.firstCall,
  };
}
