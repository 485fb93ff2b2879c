import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadScenarioFile, parseScenarioText, scenarioFromObject } from '../../src/scenario/load.js';

/*
 * Fixtures are arrays of lines so the line numbers the errors must name can be read off: the
 * comment after each `expectError` call names the offending line.
 */

const FILE = 'bad.yaml';
const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

/** A small valid scenario; the bad fixtures below change one thing in it. */
const GOOD = yaml(
  'name: tiny', //                1
  'traffic:', //                   2
  '  components:', //              3
  '    - type: poisson', //        4
  '      rate: 2/s', //            5
  'options:', //                   6
  '  - id: fixed-fleet', //        7
  '    replicas: 2', //            8
);

function errorOf(text: string): InputError {
  try {
    parseScenarioText(text, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected the scenario to be refused');
}

/**
 * The error names the file and line (`bad.yaml:LINE:COL`), then the field path, then a message
 * containing every hint.
 */
function expectError(text: string, line: number, path: string, ...hints: (string | RegExp)[]): InputError {
  const e = errorOf(text);
  expect(e.exitCode).toBe(2);
  const m = /^bad\.yaml:(\d+):(\d+): (\S+): (.+)$/s.exec(e.message);
  expect(m, `message has the form file:line:col: path: message — got: ${e.message}`).not.toBeNull();
  expect({ line: Number(m![1]), path: m![3] }, e.message).toEqual({ line, path });
  for (const h of hints)
    if (typeof h === 'string') expect(m![4]).toContain(h);
    else expect(m![4]).toMatch(h);
  // No zod boilerplate leaks through.
  expect(e.message).not.toMatch(/Invalid input|Invalid option|Too small|Too big/);
  return e;
}

describe('shipped scenarios', () => {
  it('scenarios/mmc.yaml parses, with defaults applied', () => {
    const { scenario: s, file, baseDir } = loadScenarioFile('scenarios/mmc.yaml');
    expect(file).toBe('scenarios/mmc.yaml');
    expect(baseDir).toBe(resolve('scenarios'));
    expect(s.name).toBe('mmc');
    expect(s.seed).toBe(7);
    // Defaults (design §5).
    expect(s.region).toBe('us-east-1');
    expect(s.timezone).toBe('UTC');
    expect(s.maxLossRate).toBe(0);
    expect(s.rankBy).toBe('total');
    expect(s.pricing).toEqual({ overrides: {} });
    expect(s.model).toMatchObject({ provenance: 'imported', architecture: 'LlamaForCausalLM' });
    expect(s.traffic.start).toBe('2026-01-05T00:00');
    expect(s.traffic.days).toBe(1);
    expect(s.traffic.components).toHaveLength(1);
    const c = s.traffic.components[0]!;
    expect(c).toMatchObject({ type: 'poisson', class: 'interactive', days: 'all' });
    expect(c.type === 'poisson' && c.rate).toBeCloseTo(5.6, 12);
    expect(c.inputTokens).toEqual({ dist: 'fixed', value: 250 });
    expect(c.outputTokens).toEqual({ dist: 'fixed', value: 60 });
    expect(s.options).toEqual([
      {
        id: 'fixed-fleet',
        replicas: 8,
        slotsPerReplica: 1,
        serviceTime: { dist: 'exponential', mean: 1 },
        hourlyPrice: 1.515,
      },
    ]);
  });

  it('scenarios/medical-notes.yaml parses: durations, times of day and heartbeat converted', () => {
    const { scenario: s } = loadScenarioFile('scenarios/medical-notes.yaml');
    expect(s).toMatchObject({
      name: 'medical-notes',
      region: 'us-east-1',
      timezone: 'America/New_York',
      seed: 42,
      maxLossRate: 0,
    });
    expect(s.model.parameters).toBe(8.03e9);
    const [batch, trickle] = s.traffic.components;
    expect(batch).toMatchObject({ type: 'batch', at: 9 * 3600, count: 30000, over: 45 * 60, class: 'batch' });
    expect(batch!.inputTokens).toEqual({ dist: 'lognormal', median: 250, p90: 320 });
    expect(trickle).toMatchObject({
      type: 'trickle',
      from: 13 * 3600,
      to: 19 * 3600,
      count: 200,
      class: 'interactive',
    });
    expect(s.options.map((o) => [o.id, o.key])).toEqual([
      ['bedrock-cmi', 'cmi'],
      ['bedrock-cmi', 'cmi-heartbeat'],
      ['sagemaker-realtime', undefined],
      ['self-hosted', undefined],
      ['sagemaker-serverless', undefined],
      ['sagemaker-jumpstart', undefined],
      ['bedrock-provisioned', undefined],
      ['bedrock-native-finetune', undefined],
      ['bedrock-on-demand', 'llama-base-per-token'],
      ['bedrock-on-demand', 'claude-sonnet'],
    ]);
    expect(s.options[0]).toMatchObject({ windowRule: 'active' });
    expect(s.options[1]!.heartbeat).toEqual({
      every: 300,
      during: [{ from: 8 * 3600, to: 19 * 3600 }],
      days: 'weekdays',
      inputTokens: 1,
      outputTokens: 1,
    });
  });

  it('the base fixture of the bad cases is itself valid', () => {
    const { scenario: s, file } = parseScenarioText(GOOD, FILE);
    expect(file).toBe(FILE);
    expect(s.options[0]).toMatchObject({ id: 'fixed-fleet', replicas: 2 });
  });

  it('a heartbeat defaults to the whole day, every day', () => {
    const { scenario: s } = parseScenarioText(
      yaml(
        'name: hb',
        'traffic:',
        '  components: [{ type: poisson, rate: 1/m }]',
        'options:',
        '  - id: bedrock-cmi',
        '    heartbeat: { every: 4m }',
      ),
      FILE,
    );
    expect(s.options[0]!.heartbeat).toMatchObject({
      every: 240,
      during: [{ from: 0, to: 86400 }],
      days: 'all',
    });
  });

  it('a repeated id with a key on every entry is fine', () => {
    const { scenario: s } = parseScenarioText(
      yaml(
        'name: two',
        'traffic:',
        '  components: [{ type: poisson, rate: 1/m }]',
        'options:',
        '  - { id: fixed-fleet, key: one }',
        '  - { id: fixed-fleet, key: two, replicas: 2 }',
      ),
      FILE,
    );
    expect(s.options.map((o) => o.key)).toEqual(['one', 'two']);
  });
});

describe('files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'servesim-load-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a missing file is an InputError naming the path', () => {
    const path = join(dir, 'nope.yaml');
    expect(() => loadScenarioFile(path)).toThrow(InputError);
    expect(() => loadScenarioFile(path)).toThrow(`${path}: no such scenario file`);
  });

  it('errors from a file name that file', () => {
    const path = join(dir, 'trafic.yaml');
    writeFileSync(path, GOOD.replace('traffic:', 'trafic:'));
    expect(() => loadScenarioFile(path)).toThrow(`${path}:2:1: trafic: unknown field "trafic"`);
  });

  it('relative paths in the scenario resolve against its folder', () => {
    const path = join(dir, 'ok.yaml');
    writeFileSync(path, GOOD);
    expect(loadScenarioFile(path).baseDir).toBe(dir);
  });
});

describe('YAML-level errors', () => {
  it('a syntax error names its line and says it is YAML', () => {
    const e = errorOf(
      yaml(
        'name: tiny', //                  1
        'traffic:', //                     2
        '  components: [', //              3
        '    - type: poisson', //          4  ← a block list inside a flow list
        'options: []', //                  5
      ),
    );
    // No field path for syntax errors: the message follows the location.
    expect(e.message).toBe(
      'bad.yaml:4:5: YAML syntax error: Block collections are not allowed within flow collections (check the indentation and quoting here)',
    );
  });

  it('an unclosed quote is a syntax error', () => {
    const e = errorOf(yaml('name: "tiny', 'traffic: {}'));
    expect(e.message).toMatch(/^bad\.yaml:\d+:\d+: YAML syntax error: Missing closing "quote/);
  });

  it('a bad indent is a syntax error on the line where it happens', () => {
    const e = errorOf(
      yaml(
        'name: tiny', //                   1
        'traffic:', //                     2
        '  days: 1', //                    3
        '   components: x', //             4 ← one space too many
      ),
    );
    expect(e.message).toMatch(
      /^bad\.yaml:[34]:\d+: YAML syntax error: .+ \(check the indentation and quoting here\)$/,
    );
  });

  it('a tab in the indentation says so', () => {
    const e = errorOf(yaml('name: tiny', 'traffic:', '\tdays: 1'));
    expect(e.message).toMatch(
      /^bad\.yaml:3:1: YAML syntax error: tabs are not allowed as indentation; indent with spaces$/,
    );
  });

  it('a duplicate key is refused and named', () => {
    const e = errorOf(
      yaml(
        'name: tiny', //                   1
        'traffic:', //                     2
        '  components: [{ type: poisson, rate: 1/s }]', // 3
        'options: [{ id: fixed-fleet }]', // 4
        'name: other', //                  5 ← again
      ),
    );
    expect(e.message).toBe(
      'bad.yaml:5:1: YAML syntax error: duplicate key "name" (each key may appear only once in a mapping)',
    );
  });

  it('a duplicate key inside an option is refused on its line', () => {
    const e = errorOf(GOOD + '    replicas: 3\n'); // line 9
    expect(e.message).toMatch(/^bad\.yaml:9:5: YAML syntax error: duplicate key "replicas"/);
  });

  it('two YAML documents in one file are refused', () => {
    const e = errorOf(GOOD + '---\nname: second\n');
    expect(e.message).toMatch(/^bad\.yaml:9:\d+: .*more than one YAML document/);
  });

  it.each([
    ['an empty file', ''],
    ['only comments', '# nothing here\n\n'],
    ['a null document', '~\n'],
  ])('%s: says it is empty and where to start', (_, text) => {
    expect(errorOf(text).message).toBe(
      'bad.yaml: the scenario file is empty; start from scenarios/medical-notes.yaml',
    );
  });

  it('a list is not a scenario', () => {
    expect(errorOf(yaml('- name: tiny', '- traffic: {}')).message).toBe(
      'bad.yaml:1:1: a scenario must be a YAML mapping (name:, traffic:, options:, ...), not a list',
    );
  });

  it('a scalar is not a scenario', () => {
    expect(errorOf(yaml('# comment', 'just some text')).message).toBe(
      'bad.yaml:2:1: a scenario must be a YAML mapping (name:, traffic:, options:, ...), not a single value',
    );
  });
});

describe('schema errors name file, line, field path and a hint', () => {
  it('missing required section (no traffic)', () => {
    expectError(
      yaml(
        'name: tiny', //                   1
        'options:', //                     2
        '  - id: fixed-fleet', //          3
      ),
      1, // a missing top-level field: the document's first line
      'traffic',
      'missing required field "traffic" (expected a mapping)',
    );
  });

  it('missing name', () => {
    expectError(GOOD.replace('name: tiny\n', ''), 1, 'name', 'missing required field "name"');
  });

  it('missing field inside a component points at the component', () => {
    expectError(
      yaml(
        'name: tiny', //                   1
        'traffic:', //                     2
        '  components:', //                3
        '    - type: trickle', //          4 ← no count
        "      from: '13:00'", //          5
        "      to: '19:00'", //            6
        'options: [{ id: fixed-fleet }]', // 7
      ),
      4,
      'traffic.components.0.count',
      'missing required field "count" (expected a number)',
    );
  });

  it('unknown top-level key suggests the nearest name', () => {
    const e = expectError(
      GOOD.replace('traffic:', 'trafic:'),
      2,
      'trafic',
      'unknown field "trafic"; did you mean "traffic"?',
      'Valid fields: name, description, region, timezone, seed, model, traffic, options',
    );
    expect(e.message).toMatch(/^bad\.yaml:2:1: /);
  });

  it('unknown key in a fixed-fleet option suggests `replicas`', () => {
    expectError(
      GOOD.replace('    replicas: 2', '    replicaz: 2'),
      8,
      'options.0.replicaz',
      'unknown field "replicaz"; did you mean "replicas"?',
      /Valid fields: .*replicas, slotsPerReplica/,
    );
  });

  it('unknown key in a bedrock-cmi option suggests its own fields, not fixed-fleet ones', () => {
    expectError(
      yaml(
        'name: tiny', //                   1
        'traffic:', //                     2
        '  components: [{ type: poisson, rate: 1/m }]', // 3
        'options:', //                     4
        '  - id: fixed-fleet', //          5
        '  - id: bedrock-cmi', //          6
        '    maxCopy: 2', //               7
      ),
      7,
      'options.1.maxCopy',
      'did you mean "maxCopies"?',
      /Valid fields: .*cmuVersion/,
    );
  });

  it('unknown key inside a traffic component suggests the nearest', () => {
    expectError(
      yaml(
        'name: tiny', //                   1
        'traffic:', //                     2
        '  components:', //                3
        '    - type: poisson', //          4
        '      rate: 2/s', //              5
        '      clas: batch', //            6
        'options: [{ id: fixed-fleet }]', // 7
      ),
      6,
      'traffic.components.0.clas',
      'unknown field "clas"; did you mean "class"?',
      /Valid fields: type, rate, from, to, class/,
    );
  });

  it('unknown key inside a heartbeat', () => {
    expectError(
      yaml(
        'name: tiny', //                   1
        'traffic:', //                     2
        '  components: [{ type: poisson, rate: 1/m }]', // 3
        'options:', //                     4
        '  - id: bedrock-cmi', //          5
        '    heartbeat:', //               6
        '      every: 5m', //              7
        '      durring: [08:00-19:00]', // 8
      ),
      8,
      'options.0.heartbeat.durring',
      'did you mean "during"?',
    );
  });

  it('a far-off unknown key lists the valid ones without a silly suggestion', () => {
    const e = expectError(GOOD + 'zzzzzzzz: 1\n', 9, 'zzzzzzzz', 'unknown field "zzzzzzzz"', 'Valid fields:');
    expect(e.message).not.toContain('did you mean');
  });

  it('wrong type: text where a number belongs', () => {
    expectError(
      yaml(
        'name: tiny', //                   1
        'traffic:', //                     2
        '  days: two', //                  3
        '  components: [{ type: poisson, rate: 2/s }]', // 4
        'options: [{ id: fixed-fleet }]', // 5
      ),
      3,
      'traffic.days',
      'expected a number, got "two"',
    );
  });

  it('wrong type: a fraction where a whole number belongs', () => {
    expectError(
      GOOD.replace('name: tiny', 'name: tiny\nseed: 1.5'),
      2,
      'seed',
      'expected a whole number, got 1.5',
    );
  });

  it('wrong type: a scalar where a list belongs', () => {
    expectError(
      GOOD.replace('options:\n  - id: fixed-fleet\n    replicas: 2\n', 'options: fixed-fleet\n'),
      6,
      'options',
      'expected a list, got "fixed-fleet"',
    );
  });

  it('an empty section', () => {
    expectError(
      yaml('name: tiny', 'traffic:', 'options: [{ id: fixed-fleet }]'),
      2,
      'traffic',
      'expected a mapping, got nothing',
    );
  });

  it('a negative poisson rate', () => {
    expectError(
      GOOD.replace('rate: 2/s', 'rate: -2/s'),
      5,
      'traffic.components.0.rate',
      'must not be negative',
      'expected a rate such as 2/s',
    );
  });

  it('a negative numeric poisson rate', () => {
    expectError(
      GOOD.replace('rate: 2/s', 'rate: -2'),
      5,
      'traffic.components.0.rate',
      'must not be negative',
    );
  });

  it('a zero poisson rate', () => {
    expectError(
      GOOD.replace('rate: 2/s', 'rate: 0/s'),
      5,
      'traffic.components.0.rate',
      'rate must be greater than zero',
    );
  });

  it('an unparseable rate lists the accepted forms', () => {
    expectError(
      GOOD.replace('rate: 2/s', 'rate: 2 per second'),
      5,
      'traffic.components.0.rate',
      'expected a rate such as 2/s, 120/m, 1000/h or 20000/d, got "2 per second"',
    );
  });

  it('a per-hour profile of the wrong length', () => {
    expectError(
      GOOD.replace('rate: 2/s', 'rate: [1/h, 2/h, 3/h]'),
      5,
      'traffic.components.0.rate',
      'exactly 24 rates',
    );
  });

  it('a per-hour profile of bare numbers: refused with the fix (issue 15 item 8)', () => {
    // 600 bare would be 600/s = 2,160,000 an hour; the message shows `600/h`.
    const hours = (v: string) =>
      `[${Array.from({ length: 24 }, (_, h) => (h >= 8 && h < 18 ? v : '0')).join(', ')}]`;
    const e = expectError(
      GOOD.replace('rate: 2/s', `rate: ${hours('600')}`),
      5,
      'traffic.components.0.rate.8',
      'would mean 600 per second',
      'write 600/h',
    );
    expect(e.message.split('\n')).toHaveLength(1);
    // With units it parses: 600/h = 600 / 3600 = 1/6 per second; bare zeros need no unit.
    const ok = parseScenarioText(GOOD.replace('rate: 2/s', `rate: ${hours('600/h')}`), FILE).scenario;
    const c = ok.traffic.components[0]!;
    const rate = c.type === 'poisson' ? (c.rate as number[]) : [];
    expect(rate[8]).toBeCloseTo(1 / 6, 12);
    expect(rate[0]).toBe(0);
    // A single bare number stays per second, as documented.
    const one = parseScenarioText(GOOD.replace('rate: 2/s', 'rate: 2'), FILE).scenario.traffic.components[0]!;
    expect(one.type === 'poisson' && one.rate).toBe(2);
  });

  it('a trickle window that ends before it starts (19:00 to 13:00)', () => {
    expectError(
      yaml(
        'name: tiny', //                   1
        'traffic:', //                     2
        '  components:', //                3
        '    - type: trickle', //          4
        '      count: 200', //             5
        "      from: '19:00'", //          6
        "      to: '13:00'", //            7 ← the error points at `to`
        'options: [{ id: fixed-fleet }]', // 8
      ),
      7,
      'traffic.components.0.to',
      'the window ends before it starts',
    );
  });

  it('a time of day past 24:00', () => {
    expectError(
      yaml(
        'name: tiny', //                   1
        'traffic:', //                     2
        '  components:', //                3
        '    - type: batch', //            4
        "      at: '25:00'", //            5
        '      count: 10', //              6
        'options: [{ id: fixed-fleet }]', // 7
      ),
      5,
      'traffic.components.0.at',
      'past the end of the day',
      'expected a time of day such as 09:00, got "25:00"',
    );
  });

  it('an unknown option id suggests the nearest', () => {
    expectError(
      GOOD.replace('id: fixed-fleet', 'id: bedrock-cm'),
      7,
      'options.0.id',
      'unknown id "bedrock-cm"; did you mean "bedrock-cmi"?',
      /Valid: bedrock-cmi, .*fixed-fleet/,
    );
  });

  it('an option without an id lists the ids', () => {
    expectError(
      GOOD.replace('  - id: fixed-fleet\n    replicas: 2', '  - replicas: 2'),
      7,
      'options.0.id',
      'missing required field "id"',
      /bedrock-cmi, .*fixed-fleet/,
    );
  });

  it('an unknown component type suggests the nearest', () => {
    expectError(
      GOOD.replace('type: poisson', 'type: poison'),
      4,
      'traffic.components.0.type',
      'unknown type "poison"; did you mean "poisson"?',
      'Valid: poisson, batch, trickle',
    );
  });

  it('an unknown enum value lists the valid ones', () => {
    expectError(
      yaml(
        'name: tiny', //                   1
        'traffic:', //                     2
        '  components: [{ type: poisson, rate: 1/m }]', // 3
        'options:', //                     4
        '  - id: bedrock-cmi', //          5
        '    windowRule: invokd', //       6
      ),
      6,
      'options.0.windowRule',
      'expected one of "active", "invoked", got "invokd"; did you mean "invoked"?',
    );
  });

  it('an unparseable duration (`over: 45 minutes`)', () => {
    expectError(
      yaml(
        'name: tiny', //                   1
        'traffic:', //                     2
        '  components:', //                3
        '    - type: batch', //            4
        "      at: '09:00'", //            5
        '      count: 30000', //           6
        '      over: 45 minutes', //       7
        'options: [{ id: fixed-fleet }]', // 8
      ),
      7,
      'traffic.components.0.over',
      'expected a duration such as 90s, 5m, 2h or 30d, got "45 minutes"',
    );
  });

  it('a bad token length (zod default messages are rewritten)', () => {
    expectError(
      GOOD.replace('rate: 2/s', 'rate: 2/s\n      inputTokens: -5'),
      6,
      'traffic.components.0.inputTokens',
      'must be greater than 0, got -5',
    );
  });

  it('an unknown distribution suggests the nearest', () => {
    expectError(
      GOOD.replace('rate: 2/s', 'rate: 2/s\n      outputTokens: { dist: lognorml, median: 60, p90: 80 }'),
      6,
      'traffic.components.0.outputTokens.dist',
      'unknown dist "lognorml"; did you mean "lognormal"?',
      'Valid: fixed, uniform, exponential, lognormal',
    );
  });

  it('the same option id twice without keys', () => {
    expectError(
      yaml(
        'name: tiny', //                   1
        'traffic:', //                     2
        '  components: [{ type: poisson, rate: 1/m }]', // 3
        'options:', //                     4
        '  - id: bedrock-cmi', //          5
        '  - id: bedrock-cmi', //          6
        '    heartbeat: { every: 5m }', // 7
      ),
      5,
      'options.0',
      'option "bedrock-cmi" appears 2 times, so each entry needs its own `key`',
      'key: bedrock-cmi-1',
    );
  });

  it('two options with the same key', () => {
    expectError(
      yaml(
        'name: tiny', //                   1
        'traffic:', //                     2
        '  components: [{ type: poisson, rate: 1/m }]', // 3
        'options:', //                     4
        '  - id: fixed-fleet', //          5
        '    key: a', //                   6
        '  - id: bedrock-cmi', //          7
        '    key: a', //                   8
      ),
      8,
      'options.1.key',
      'duplicate option key "a"; give each option a distinct key',
    );
  });

  it('a key in the wrong format', () => {
    expectError(
      GOOD.replace('    replicas: 2', '    key: Big Box'),
      8,
      'options.0.key',
      'keys are lower-case letters, digits',
    );
  });

  it('an unknown IANA time zone', () => {
    expectError(
      GOOD.replace('name: tiny', 'name: tiny\ntimezone: Mars/Olympus_Mons'),
      2,
      'timezone',
      'unknown time zone "Mars/Olympus_Mons"',
      'use an IANA name such as UTC, Europe/Berlin or America/New_York',
    );
  });

  it('a start date that does not exist', () => {
    expectError(
      GOOD.replace('traffic:', 'traffic:\n  start: 2026-02-30T00:00'),
      3,
      'traffic.start',
      'invalid local date-time "2026-02-30T00:00"',
    );
  });

  it('an end before the start', () => {
    expectError(
      GOOD.replace('traffic:', 'traffic:\n  start: 2026-01-05T00:00\n  end: 2026-01-04T00:00'),
      4,
      'traffic.end',
      '`end` must be after `start`',
    );
  });

  it('both days and end', () => {
    expectError(
      GOOD.replace('traffic:', 'traffic:\n  days: 2\n  end: 2026-01-06T00:00'),
      4,
      'traffic.end',
      'give either `days` or `end`, not both',
    );
  });

  it("heartbeat during ['25:00-26:00']", () => {
    expectError(
      yaml(
        'name: tiny', //                   1
        'traffic:', //                     2
        '  components: [{ type: poisson, rate: 1/m }]', // 3
        'options:', //                     4
        '  - id: bedrock-cmi', //          5
        '    heartbeat:', //               6
        '      every: 5m', //              7
        "      during: ['25:00-26:00']", // 8
      ),
      8,
      'options.0.heartbeat.during.0',
      '25:00 is past the end of the day',
      'expected a time range such as 08:00-19:00',
    );
  });

  it('a heartbeat range that ends before it starts', () => {
    expectError(
      yaml(
        'name: tiny',
        'traffic:',
        '  components: [{ type: poisson, rate: 1/m }]',
        'options:',
        '  - id: bedrock-cmi',
        "    heartbeat: { every: 5m, during: ['19:00-08:00'] }", // 6
      ),
      6,
      'options.0.heartbeat.during.0',
      'the range ends before it starts',
    );
  });

  it('a heartbeat without `every`', () => {
    expectError(
      yaml(
        'name: tiny',
        'traffic:',
        '  components: [{ type: poisson, rate: 1/m }]',
        'options:',
        '  - id: bedrock-cmi',
        "    heartbeat: { during: ['08:00-19:00'] }", // 6
      ),
      6,
      'options.0.heartbeat.every',
      'missing required field "every"',
    );
  });

  it('maxCopies: 0', () => {
    expectError(
      yaml(
        'name: tiny', //                   1
        'traffic:', //                     2
        '  components: [{ type: poisson, rate: 1/m }]', // 3
        'options:', //                     4
        '  - id: bedrock-cmi', //          5
        '    maxCopies: 0', //             6
      ),
      6,
      'options.0.maxCopies',
      'maxCopies must be at least 1',
    );
  });

  it('maxLossRate above 1', () => {
    expectError(GOOD + 'maxLossRate: 1.5\n', 9, 'maxLossRate', 'must be at most 1, got 1.5');
  });

  it('rankBy other than total or aws', () => {
    expectError(GOOD + 'rankBy: bill\n', 9, 'rankBy', 'expected one of "total", "aws", got "bill"');
    expect(parseScenarioText(GOOD + 'rankBy: aws\n', 'ok.yaml').scenario.rankBy).toBe('aws');
  });

  it('an empty options list', () => {
    expectError(
      yaml('name: tiny', 'traffic:', '  components: [{ type: poisson, rate: 1/m }]', 'options: []'),
      4,
      'options',
      'list at least one option',
    );
  });

  it('an unknown key is reported before other problems', () => {
    // Line 5 has a bad rate, line 8 an unknown key: the unknown key wins (it explains the rest).
    expectError(
      GOOD.replace('rate: 2/s', 'rate: fast').replace('replicas: 2', 'replicaz: 2'),
      8,
      'options.0.replicaz',
      'did you mean "replicas"?',
    );
  });
});

describe('checks made only when running (tested through the CLI in test/cli)', () => {
  // These depend on the region (which --region can override) or the price book, so the loader
  // accepts them; `servesim run` refuses them with exit 2 before writing anything.
  it.each([
    ['CMI in ap-south-1', 'region: ap-south-1\n', ''],
    ['an unknown cmuVersion', '', '    cmuVersion: v9\n'],
  ])('%s loads', (_, top, option) => {
    const text = `name: tiny\n${top}traffic:\n  components: [{ type: poisson, rate: 1/m }]\noptions:\n  - id: bedrock-cmi\n${option}`;
    expect(() => parseScenarioText(text, FILE)).not.toThrow();
  });
});

describe('heartbeat every above the scale-to-zero time', () => {
  it('is refused at load, pointing at the line of `every`', () => {
    const text = `name: tiny\ntraffic:\n  components: [{ type: poisson, rate: 1/m }]\noptions:\n  - id: bedrock-cmi\n    heartbeat: { every: 10m }\n`;
    // Line 6 is the heartbeat mapping; `every` is its first key.
    expect(() => parseScenarioText(text, FILE)).toThrow(
      /:6:\d+: options\.0\.heartbeat\.every: heartbeat every 10m is longer than the scale-to-zero time \(5m\)/,
    );
  });
});

describe('scenarioFromObject', () => {
  it('validates an object and applies defaults', () => {
    const { scenario: s, file } = scenarioFromObject({
      name: 'obj',
      traffic: { components: [{ type: 'poisson', rate: '120/m' }] },
      options: [{ id: 'fixed-fleet' }],
    });
    expect(file).toBe('<built-in>');
    expect(s.traffic.components[0]).toMatchObject({ rate: 2, class: 'interactive' });
    expect(s.options[0]).toMatchObject({ id: 'fixed-fleet', replicas: 1 });
  });

  it('reports the field path and the same hints', () => {
    expect(() =>
      scenarioFromObject({
        name: 'obj',
        traffic: { components: [{ type: 'poisson', rate: '1/s' }] },
        options: [{ id: 'fixed-fleet', replicaz: 2 }],
      }),
    ).toThrow('options.0.replicaz: unknown field "replicaz"; did you mean "replicas"?');
  });
});
