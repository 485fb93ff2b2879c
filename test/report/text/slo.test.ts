import { describe, expect, it } from 'vitest';
import { sloText } from '../../../src/report/text/slo.js';
import type { SloResult } from '../../../src/compare/result.js';

/* The SLO section of `servesim run`, on a result written by hand. */

const result: SloResult = {
  percentile: 'p95',
  target: 2,
  class: 'interactive',
  options: [
    {
      key: 'cmi',
      meets: false,
      configured: { cost: 1, achieved: 31 },
      best: {
        settings: { heartbeat: { every: '5m', during: ['08:00-17:00'], days: 'all' }, maxCopies: 2 },
        cost: 1.5,
        achieved: 1.25,
      },
      binding: 'cold start',
      note: 'n1',
    },
    {
      key: 'per-token',
      meets: false,
      configured: { cost: 0.1, achieved: 0.9 },
      best: null,
      binding: 'quota',
      note: 'n2',
    },
    { key: 'serverless', meets: false, configured: null, best: null, binding: 'memory', note: 'n3' },
  ],
  cheapest: 'cmi',
};

describe('sloText', () => {
  it('prints the target, one row per option, the notes and the cheapest path', () => {
    const text = sloText(result);
    const lines = text.split('\n');
    expect(lines[1]).toBe(
      'Cheapest under the SLO — p95 ≤ 2s over interactive requests, cold starts included',
    );
    const row = (key: string) =>
      lines
        .find((l) => l.startsWith(`  ${key} `))!
        .trim()
        .split(/\s{2,}/)
        .slice(1);
    expect(row('cmi')).toEqual([
      'misses (31.00 s)',
      'heartbeat every 5m 08:00-17:00, maxCopies 2',
      '$1.50',
      '1.25 s',
      'cold start',
    ]);
    // Within the target yet missing: it loses requests.
    expect(row('per-token')).toEqual(['misses (loses requests)', 'none', '—', '—', 'quota']);
    expect(row('serverless')).toEqual(['infeasible', 'none', '—', '—', 'memory']);
    expect(text).toContain('  cmi: n1\n  per-token: n2\n  serverless: n3\n');
    expect(text).toContain(
      '  Cheapest path: cmi, heartbeat every 5m 08:00-17:00, maxCopies 2, $1.50 over the span.\n',
    );
  });

  it('says when there is no cheapest path', () => {
    expect(sloText({ ...result, cheapest: null })).toContain(
      'Cheapest path: none — no option (baselines aside) has a setting that meets the target.',
    );
  });
});
