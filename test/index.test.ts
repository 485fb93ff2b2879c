import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as servesim from '../src/index.js';
import { loadScenarioFile } from '../src/scenario/load.js';

const ROOT = resolve(import.meta.dirname, '..');

describe('the library API (src/index.ts)', () => {
  it('exports the stable surface as functions', () => {
    for (const name of [
      'loadScenario',
      'runScenario',
      'simulate',
      'readTrace',
      'writeTrace',
      'loadPriceBook',
    ] as const)
      expect(typeof servesim[name]).toBe('function');
  });

  it('loadScenario() is the shipped example, found from the package root; a path loads that file', () => {
    expect(servesim.loadScenario().file).toBe(join(ROOT, 'scenarios/medical-notes.yaml'));
    const path = join(ROOT, 'scenarios/mmc.yaml');
    expect(servesim.loadScenario(path)).toEqual(loadScenarioFile(path));
  });

  it('bad input throws the exported InputError, naming the file', () => {
    expect(() => servesim.loadScenario(join(ROOT, 'no-such.yaml'))).toThrow(servesim.InputError);
    expect(() => servesim.loadScenario(join(ROOT, 'no-such.yaml'))).toThrow(
      /no-such\.yaml: no such scenario file/,
    );
  });
});
