import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioSchemaText } from '../../src/commands/schema.js';
import { ROOT } from '../helpers/cli.js';

// The JSON Schema shipped for editors (issue 20 item 4): schema/scenario.schema.json is what
// `servesim schema` prints (`npm run build` writes it), and every shipped scenario points its
// YAML language server at it.

describe('schema/scenario.schema.json', () => {
  it('is current: what `servesim schema` prints (rebuild with `npm run build` when it is not)', () => {
    expect(readFileSync(join(ROOT, 'schema/scenario.schema.json'), 'utf8')).toBe(scenarioSchemaText());
  });

  it('is named on the first line of every shipped scenario', () => {
    const files = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files)
      expect(readFileSync(join(ROOT, 'scenarios', f), 'utf8').split('\n')[0], f).toBe(
        '# yaml-language-server: $schema=../schema/scenario.schema.json',
      );
  });
});
