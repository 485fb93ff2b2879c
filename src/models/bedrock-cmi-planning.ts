import { readShippedJson } from '../data.js';
import type { Dist } from '../sim/dist.js';
import { cmuVersions, type CmiSettings } from './bedrock-cmi.js';
import { SCALE_IN_RULES } from './cmi-policy.js';
import type { Heartbeat } from './heartbeat.js';
import type { OptionEntry, SloLine, SloSizingContext } from './hooks.js';
import { CAPACITY, count, MAX_COUNT, num, shippedDefault, withSetting } from './slo-sizing.js';
import { fact, decision, ROUTING } from './uncertain-forms.js';
import type { ServingOption } from './types.js';

/*
 * Custom Model Import's planning hooks (src/models/hooks.ts): how the SLO search sizes it, which
 * settings its uncertain assumptions move, how it readies new weights, and what the
 * actual-vs-simulated comparison bills with. Merged into the option in registry.ts.
 */

const ALL_HOURS = 0xffffff;

/**
 * Max copies under each heartbeat schedule — none, the scenario's own, the hours with traffic
 * (plus the hour before each, so the copy is warm when the first request comes: a beat at the
 * same instant as a request is served after it), all day. Beats come every scale-to-zero time,
 * the longest interval that keeps a copy warm.
 */
function cmiLines(o: OptionEntry, ctx: SloSizingContext): SloLine[] {
  const dflt = Number(shippedDefault('src/models/bedrock-cmi.json', 'maxCopies'));
  const start = num(o.maxCopies, dflt);
  const line = (label: string, hb: Heartbeat | undefined): SloLine => {
    const { heartbeat: _drop, ...rest } = o;
    const base: OptionEntry = hb === undefined ? rest : { ...rest, heartbeat: hb };
    const at = (n: number) => withSetting(o, base, 'maxCopies', n, dflt);
    return count(`heartbeat ${label}`, at, 1, MAX_COUNT, start, CAPACITY);
  };
  const own = o.heartbeat as Heartbeat | undefined;
  const lines = [line('never', undefined)];
  if (own !== undefined) lines.push(line(`${ctx.heartbeatLabel(own)} (as configured)`, own));
  const every = ctx.scaleToZeroSeconds;
  if (every === null) return lines;
  const beat = (mask: number): Heartbeat => ({
    every,
    during: ctx.hourRanges(mask),
    days: 'all',
    inputTokens: own?.inputTokens ?? 1,
    outputTokens: own?.outputTokens ?? 1,
  });
  // The hour before each hour with traffic (23 before 00).
  const before = (ctx.hourMask >>> 1) | ((ctx.hourMask & 1) << 23);
  const traffic = ctx.hourMask | before;
  if (ctx.hourMask !== 0 && traffic !== ALL_HOURS)
    lines.push(line(ctx.heartbeatLabel(beat(traffic)), beat(traffic)));
  lines.push(line(ctx.heartbeatLabel(beat(ALL_HOURS)), beat(ALL_HOURS)));
  return lines;
}

interface CmiDefaults {
  defaults: {
    coldStart: { median: number };
    evictedColdStart: { value: number };
    evictAfter: { value: number };
  };
}

/** A duration setting's median-like value (a distribution's median, a fixed value), or the default. */
function valueOr(setting: Dist | undefined, fallback: number): number {
  if (setting === undefined) return fallback;
  switch (setting.dist) {
    case 'fixed':
      return setting.value;
    case 'uniform':
      return (setting.min + setting.max) / 2;
    case 'exponential':
      return setting.mean * Math.LN2;
    case 'lognormal':
      return setting.median;
  }
}

type Hooks = Pick<ServingOption<CmiSettings>, 'sloSizing' | 'uncertain' | 'rollout'>;

export const cmiPlanning: Hooks = {
  sloSizing: { countSettings: ['maxCopies'], lines: cmiLines },
  uncertain: {
    settings: {
      slotsPerCopy: fact('slots per copy', 'int'),
      maxCopies: decision('max copies', 'int'),
      cmuVersion: {
        ...fact('CMU rate', 'choice'),
        choices: (book, region) => cmuVersions(book, region).map((v) => v.label),
        // The CMU assumption's source starts with the version label in force (`pricing-example: …`).
        current: (a, choices) => choices.find((c) => a.source.startsWith(`${c}:`)) ?? '',
        billingOnly: true,
      },
      // Not billing-only: the `invoked` rule's meter counts windows while the copies serve.
      windowRule: { ...fact('window rule', 'choice', ['active', 'invoked']), always: true },
      // How an extra copy scales in (not published): `load` (the default) vs design §4.2's `idle`.
      scaleInRule: fact('scale-in rule', 'choice', SCALE_IN_RULES),
      scaleInAfter: fact('scale in after', 'number'),
      scaleOutAfter: fact('scale out after', 'number'),
      copyLoadTime: fact('copy load time', 'dist'),
      coldStart: fact('cold start', 'dist'),
      evictedColdStart: fact('evicted cold start', 'dist'),
      evictAfter: fact('evict after idle', 'number'),
      routing: fact('routing', 'choice', ROUTING),
    },
  },
  rollout: {
    kind: 'second-model',
    rollbackWaits(s) {
      const d = (readShippedJson('src/models/bedrock-cmi.json') as CmiDefaults).defaults;
      return {
        coldStart: valueOr(s.coldStart, d.coldStart.median),
        evicted: valueOr(s.evictedColdStart, d.evictedColdStart.value),
        evictAfter: typeof s.evictAfter === 'number' ? s.evictAfter : d.evictAfter.value,
      };
    },
  },
};
