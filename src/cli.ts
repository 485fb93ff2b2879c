#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from './errors.js';
import { processIo, type GlobalFlags } from './commands/context.js';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';
import { VERSION } from './version.js';

/*
 * The only module that prints and sets exit codes (design §7): 0 success, 2 bad input or usage,
 * 1 anything else — always one clear message on stderr, a stack trace only with --debug.
 */

function flagsOf(argv: Record<string, unknown>): GlobalFlags {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return {
    json: argv.json === true,
    ...(typeof argv.out === 'string' ? { out: argv.out } : {}),
    ...(typeof argv.seed === 'number' ? { seed: argv.seed } : {}),
    ...(typeof argv.region === 'string' ? { region: argv.region } : {}),
    quiet: argv.quiet === true,
    color: argv.color !== false && !noColor && process.stdout.isTTY === true,
    debug: argv.debug === true,
  };
}

export async function main(args: string[]): Promise<number> {
  let debug = args.includes('--debug');
  try {
    await yargs(args)
      .scriptName('servesim')
      .usage(
        '$0 <command> [options]\n\nWhat does each way of serving a custom LLM on AWS cost, how fast does it answer, and where does the choice flip?',
      )
      .option('json', { type: 'boolean', describe: "The command's result as JSON on stdout, nothing else" })
      .option('out', { type: 'string', describe: 'Report directory (default reports/<scenario-slug>/)' })
      .option('seed', {
        type: 'string',
        describe: 'Random seed (overrides the scenario)',
        coerce: (v: string) => {
          if (!/^\d+$/.test(String(v)))
            throw new InputError(`--seed must be a non-negative integer, got "${v}"`);
          return Number(v);
        },
      })
      .option('region', { type: 'string', describe: 'AWS region (overrides the scenario)' })
      .option('quiet', { type: 'boolean', describe: 'Less output' })
      .option('color', { type: 'boolean', default: true, describe: 'Colour (also NO_COLOR)' })
      .option('debug', { type: 'boolean', describe: 'Show stack traces on errors' })
      .command(
        'run [scenario]',
        'Simulate every option of a scenario (default: the built-in one) and compare them',
        (y) => y.positional('scenario', { type: 'string', describe: 'Scenario YAML file' }),
        (argv) => runCommand(argv.scenario, flagsOf(argv), processIo),
      )
      .command('schema', "Print the scenario file's JSON Schema", {}, () => schemaCommand(processIo))
      .demandCommand(1, 'Name a command, e.g. `servesim run`.')
      .strict()
      .version(VERSION)
      .help()
      .exitProcess(false)
      .fail((msg, err) => {
        if (err) throw err;
        throw new InputError(`${msg} (see servesim --help)`);
      })
      .parseAsync();
    return 0;
  } catch (e) {
    debug ||= process.argv.includes('--debug');
    if (e instanceof InputError) {
      process.stderr.write(`servesim: ${e.message}\n`);
      if (debug) process.stderr.write(`${e.stack}\n`);
      return 2;
    }
    const err = e as Error;
    process.stderr.write(`servesim: ${err.message ?? String(e)}\n`);
    if (debug) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

process.exitCode = await main(hideBin(process.argv));
