import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initCommand } from '../../src/commands/init.js';
import { InputError } from '../../src/errors.js';
import { loadScenario } from '../../src/scenario/load.js';
import { captureIo, ROOT, servesim } from '../helpers/cli.js';

// `servesim init` (issue 20 item 4): a commented starter scenario that loads as is, points its
// YAML language server at the shipped schema, and never overwrites a file.

describe('servesim init', () => {
  const dir = mkdtempSync(join(tmpdir(), 'servesim-init-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a valid, commented scenario whose $schema line reaches the shipped schema', () => {
    const file = join(dir, 'nested-name.yaml');
    const io = captureIo();
    initCommand(file, io);
    expect(io.stdout).toContain('edit the values marked ←');
    const text = readFileSync(file, 'utf8');
    const first = text.split('\n')[0]!;
    const schema = first.match(/^# yaml-language-server: \$schema=(.+)$/)?.[1];
    expect(schema).toBeDefined();
    expect(resolve(dirname(file), schema!)).toBe(join(ROOT, 'schema/scenario.schema.json'));
    expect(existsSync(resolve(dirname(file), schema!))).toBe(true);
    expect(text.match(/←/g)!.length).toBeGreaterThan(5);
    const loaded = loadScenario(file);
    expect(loaded.scenario.name).toBe('my-fine-tune');
    expect(loaded.scenario.options.length).toBeGreaterThan(3);
  });

  it('never overwrites: an existing file is an input error naming it, and stays as it was', () => {
    const file = join(dir, 'taken.yaml');
    initCommand(file, captureIo());
    const before = readFileSync(file, 'utf8');
    expect(() => initCommand(file, captureIo())).toThrow(InputError);
    expect(() => initCommand(file, captureIo())).toThrow(
      /taken\.yaml exists; servesim init never overwrites/,
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('servesim init and completion through the CLI', () => {
  it('init -o writes the file; completion prints a script naming the commands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'servesim-init-cli-'));
    try {
      const file = join(dir, 's.yaml');
      const init = await servesim(['init', '-o', file]);
      expect(init.code).toBe(0);
      expect(loadScenario(file).scenario.name).toBe('my-fine-tune');
      const again = await servesim(['init', '-o', file]);
      expect(again.code).toBe(2);
      expect(again.stderr.trim().split('\n')).toHaveLength(1);
      const completion = await servesim(['completion']);
      expect(completion.code).toBe(0);
      expect(completion.stdout).toContain('servesim completion >> ~/.bashrc');
      const words = await servesim(['--get-yargs-completions', 'servesim', '']);
      expect(words.stdout.split('\n')).toEqual(expect.arrayContaining(['run', 'diff', 'init', 'forecast']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
