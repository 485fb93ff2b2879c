import { describe, expect, it } from 'vitest';
import { warmupSpecs } from '../../src/report/warmup.js';

describe('warmupSpecs', () => {
  it('warms the SVG worker up on every run chart that needs no analysis (a builder that throws would empty it)', () => {
    const titles = warmupSpecs().map((s) => (s as { title: { text: string } }).title.text);
    expect(titles).toEqual([
      'Cost per option',
      'Traffic vs ready replicas',
      'Cumulative cost',
      'Latency CDF per request class',
    ]);
  });
});
