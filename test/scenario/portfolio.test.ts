import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadScenarioFile, parseScenarioText } from '../../src/scenario/load.js';
import { modelScenario } from '../../src/scenario/portfolio-section.js';

// The `models:` section (issue 21 item 1; docs/portfolio.md). Fixtures are line arrays so the
// line each error must name can be read off the comment after it.

const FILE = 'p.yaml';
const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

const TWO = [
  'name: two', //                   1
  'models:', //                     2
  '  - name: a', //                 3
  '    components:', //             4
  '      - type: poisson', //       5
  '        rate: 1/s', //           6
  '  - name: b', //                 7
  '    fineTune:', //               8
  '      lora: { base: a }', //     9
  '    components:', //             10
  '      - type: trickle', //       11
  '        count: 10', //           12
  "        from: '09:00'", //       13
  "        to: '10:00'", //         14
  'traffic:', //                    15
  '  days: 1', //                   16
  'options:', //                    17
  '  - id: bedrock-cmi', //         18
];

function refusal(text: string, portfolio = true): { line: number; path: string; message: string } {
  try {
    parseScenarioText(text, FILE, { portfolio });
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).exitCode).toBe(2);
    const m = /^p\.yaml:(\d+):\d+: (\S+): (.+)$/s.exec((e as Error).message);
    expect(m, (e as Error).message).not.toBeNull();
    return { line: Number(m![1]), path: m![2]!, message: m![3]! };
  }
  throw new Error('expected the scenario to be refused');
}

describe('models: a portfolio scenario', () => {
  it('parses: names, fine-tune kinds, per-model components; an adapter takes its base entry’s size', () => {
    const { scenario: s } = parseScenarioText(
      yaml(...TWO.slice(0, 2), '  - name: a', '    parameters: 7.0e9', ...TWO.slice(3)),
      FILE,
      { portfolio: true },
    );
    expect(s.models!.map((m) => m.name)).toEqual(['a', 'b']);
    expect(s.models![0]!.fineTune).toBe('full');
    expect(s.models![1]!.fineTune).toEqual({ lora: { base: 'a' } });
    // Left out on the adapter, taken from its base entry (7e9, not the 8.03e9 default).
    expect(s.models![1]!.parameters).toBe(7.0e9);
    expect(s.traffic.components).toEqual([]);
  });

  it('derives one single-model scenario per entry: its model, its components, seed + index', () => {
    const { scenario: s } = parseScenarioText(yaml(...TWO), FILE, { portfolio: true });
    const b = modelScenario(s, 1);
    expect(b.model.name).toBe('b');
    expect(b.seed).toBe(s.seed + 1);
    expect(b.traffic.components).toEqual(s.models![1]!.components);
    expect('models' in b).toBe(false);
    expect(modelScenario(s, 0).seed).toBe(s.seed);
  });

  it('`model` and `models` together: exit 2 naming both fields', () => {
    const r = refusal(yaml(...TWO.slice(0, 1), 'model: { name: x }', ...TWO.slice(1)));
    expect(r.path).toBe('models');
    expect(r.line).toBe(4); // the list under `models:`
    expect(r.message).toContain('`model`');
    expect(r.message).toContain('`models`');
  });

  it('a LoRA entry whose base is unknown: exit 2 naming the field path', () => {
    const text = yaml(...TWO).replace('base: a', 'base: nobody');
    const r = refusal(text);
    expect(r).toMatchObject({ line: 9, path: 'models.1.fineTune.lora.base' });
    expect(r.message).toContain('unknown base model "nobody"');
  });

  it('a catalog base model is a valid LoRA base', () => {
    const text = yaml(...TWO).replace('base: a', 'base: llama-3.1-8b-instruct');
    expect(parseScenarioText(text, FILE, { portfolio: true }).scenario.models).toHaveLength(2);
  });

  it('refuses duplicate names, top-level traffic components, and portfolios where a command takes one model', () => {
    expect(refusal(yaml(...TWO).replace('name: b', 'name: a'))).toMatchObject({
      line: 7,
      path: 'models.1.name',
    });
    const withComponents = yaml(
      ...TWO.slice(0, 16),
      '  components: [{ type: poisson, rate: 1/s }]',
      ...TWO.slice(16),
    );
    expect(refusal(withComponents)).toMatchObject({ path: 'traffic.components', line: 17 });
    expect(refusal(yaml(...TWO), false)).toMatchObject({ path: 'models', line: 3 });
  });

  it('a single-model scenario still needs traffic.components', () => {
    const r = refusal(yaml('name: one', 'traffic:', '  days: 1', 'options:', '  - id: bedrock-cmi'));
    expect(r).toMatchObject({ path: 'traffic.components', line: 3 });
    expect(r.message).toContain('missing required field "components"');
  });

  it('a model’s input over its own context length points at that model’s component', () => {
    const text = yaml(...TWO)
      .replace('        rate: 1/s', '        rate: 1/s\n        inputTokens: 9000')
      .replace('  - name: a', '  - name: a\n    contextLength: 8192');
    // The adapter inherits the 8192 too; the first offending component is model a's.
    expect(refusal(text)).toMatchObject({ path: 'models.0.components.0.inputTokens' });
  });

  it('scenarios/portfolio.yaml: three models, one a LoRA adapter, with different traffic shapes', () => {
    const s = loadScenarioFile('scenarios/portfolio.yaml', { portfolio: true }).scenario;
    expect(s.models!.length).toBeGreaterThanOrEqual(3);
    expect(s.models!.some((m) => m.fineTune !== 'full')).toBe(true);
    expect(new Set(s.models!.map((m) => m.components[0]!.type)).size).toBe(3);
  });
});
