import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { shippedPath } from '../data.js';
import { InputError } from '../errors.js';
import type { Argv } from 'yargs';
import { processIo, type Io } from './context.js';
import { single } from './trace/flags.js';

/*
 * `servesim init [-o FILE]` (issue 20 item 4): writes a commented starter scenario
 * (scenarios/starter.yaml, whose every line says what to change) to FILE, default scenario.yaml.
 * Asks nothing; never overwrites. Its first line points a YAML language server at the JSON
 * Schema the package ships, relative to where the file is written.
 */

export const INIT_DEFAULT = 'scenario.yaml';

/** Adds `init [-o FILE]` to the CLI. */
export function registerInitCommand(y: Argv): Argv {
  return y.command(
    'init',
    `Write a commented starter scenario to edit (default ${INIT_DEFAULT}; never overwrites)`,
    (b) =>
      b.option('output', {
        alias: 'o',
        type: 'string',
        describe: `Scenario file to write (default ${INIT_DEFAULT})`,
      }),
    (argv) => initCommand(single(argv.output, 'output'), processIo),
  );
}

export function initCommand(output: string | undefined, io: Io): void {
  const file = resolve(output ?? INIT_DEFAULT);
  const schema = relative(dirname(file), shippedPath('schema/scenario.schema.json')).split(sep).join('/');
  const starter = readFileSync(shippedPath('scenarios/starter.yaml'), 'utf8').split('\n');
  starter[0] = `# yaml-language-server: $schema=${schema}`;
  try {
    writeFileSync(file, starter.join('\n'), { flag: 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new InputError(
        `${output ?? INIT_DEFAULT} exists; servesim init never overwrites — give -o ANOTHER.yaml`,
      );
    throw new InputError(
      `cannot write ${output ?? INIT_DEFAULT} (${code ?? 'error'}); give -o a file in a folder you can write`,
    );
  }
  io.out(
    `Wrote ${output ?? INIT_DEFAULT}: edit the values marked ←, then servesim run ${output ?? INIT_DEFAULT}\n`,
  );
}
