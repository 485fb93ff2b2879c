import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceFileRequests } from '../../src/traffic/expected.js';

// The guess that decides whether worker threads start while a trace is generated (issue 16):
// rows from the file's size, requests per row from a binned file's first rows.

describe('traceFileRequests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'servesim-expected-'));
  const head = (kind: string) => `# servesim-trace v1 start=2026-03-02T00:00:00Z kind=${kind}\n`;

  it('a binned file: rows × the sampled requests per row (40,000 rows of 12 requests ≈ 480,000)', () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => `${60 * i},12,3000,700`);
    const path = join(dir, 'binned.csv');
    writeFileSync(
      path,
      head('binned period_s=60') + 't_s,requests,input_tokens,output_tokens\n' + rows.join('\n') + '\n',
    );
    // The first rows' times have fewer digits than the last ones' (0, 60, … vs 2,399,940), so the
    // sampled rows are shorter than the mean row and the guess runs high: by under 15 % here.
    const ratio = traceFileRequests(path) / 480_000;
    expect(ratio).toBeGreaterThan(1);
    expect(ratio).toBeLessThan(1.15);
  });

  it('a per-request file: one request a row (3,000 rows)', () => {
    const rows = Array.from({ length: 3_000 }, (_, i) => `${i}.25,250,60`);
    const path = join(dir, 'requests.csv');
    writeFileSync(path, head('requests') + 't_s,input_tokens,output_tokens\n' + rows.join('\n') + '\n');
    expect(traceFileRequests(path) / 3_000).toBeCloseTo(1, 1);
  });

  it('nothing for a file it cannot read', () => {
    expect(traceFileRequests(join(dir, 'missing.csv'))).toBe(0);
  });
});
