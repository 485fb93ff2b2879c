#!/usr/bin/env node
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { undoAll } from './interrupt.js';
import { echo, InputError } from './errors.js';
import { didYouMean } from './nearest.js';
import { globalFlags, processIo } from './commands/context.js';
import { runCommand } from './commands/run.js';
import { runShardCommand } from './commands/run-shard.js';
import { shardFlag, SHARD_OPTION, SHARDS_OPTION } from './commands/shard-flag.js';
import { schemaCommand } from './commands/schema.js';
import { registerPricesCommand } from './commands/prices.js';
import { registerBreakevenCommand } from './commands/breakeven.js';
import { registerForecastCommand } from './commands/forecast.js';
import { registerMergeCommand } from './commands/merge.js';
import { registerDiffCommand } from './commands/diff.js';
import { registerTraceCommand } from './commands/trace/index.js';
import { registerReplayCommand } from './commands/replay.js';
import { VERSION } from './version.js';
import { LIMIT_OPTIONS } from './commands/limit-flags.js';
import { installWarningLine } from './commands/warnings.js';

/*
 * The only module that prints and sets exit codes (design §7): 0 success, 2 bad input or usage,
 * 1 anything else — always one clear message on stderr, a stack trace only with --debug.
 */

/** The commands registered below, for "unknown command" messages. */
const COMMANDS = ['run', 'schema', 'breakeven', 'forecast', 'merge', 'diff', 'prices', 'trace', 'replay'];
/** Commands that live in their own modules under src/commands/. */
const REGISTER: ((y: Argv) => Argv)[] = [
  registerBreakevenCommand,
  registerForecastCommand,
  registerMergeCommand,
  registerDiffCommand,
  registerPricesCommand,
  registerTraceCommand,
  registerReplayCommand,
];

export async function main(args: string[]): Promise<number> {
  let debug = args.includes('--debug');
  try {
    const cli = yargs(args)
      .scriptName('servesim')
      .usage(
        '$0 <command> [options]\n\nWhat does each way of serving a custom LLM on AWS cost, how fast does it answer, and where does the choice flip?',
      )
      .option('json', { type: 'boolean', describe: "The command's result as JSON on stdout, nothing else" })
      .option('out', { type: 'string', describe: 'Report directory (default reports/<scenario-slug>/)' })
      .option('seed', {
        type: 'string',
        describe: 'Random seed (overrides the scenario)',
        coerce: (v: unknown) => {
          if (Array.isArray(v)) throw new InputError('--seed given more than once; give it once');
          if (!/^\d+$/.test(String(v)) || !Number.isSafeInteger(Number(v)))
            throw new InputError(
              String(v) === ''
                ? '--seed needs a value, a non-negative integer such as --seed 7'
                : `--seed must be a non-negative integer, got ${echo(String(v))}`,
            );
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
        (y) =>
          y
            .positional('scenario', { type: 'string', describe: 'Scenario YAML file' })
            .option('slo', {
              type: 'string',
              describe:
                'Latency SLO, e.g. p95=2s or p99=5s,class=all: the cheapest setting per option that meets it',
            })
            .option('sensitivity', {
              type: 'boolean',
              default: true,
              describe:
                'Move each uncertain input across its band: what could change the answer (--no-sensitivity skips it)',
            })
            .option('fit', {
              type: 'boolean',
              describe: "Also fit bedrock-cmi's slotsPerCopy to the trace's observed copies (model_copies)",
            })
            .option('shard', SHARD_OPTION)
            .option('shards', SHARDS_OPTION)
            // Issue 17 work limits: --max-requests, --max-days (src/commands/limit-flags.ts).
            .options(LIMIT_OPTIONS),
        (argv) => {
          const extras = { slo: argv.slo, fit: argv.fit === true, sensitivity: argv.sensitivity === true };
          const shard = shardFlag(argv);
          return shard === undefined
            ? runCommand(argv.scenario, globalFlags(argv), processIo, extras)
            : runShardCommand(argv.scenario, globalFlags(argv), processIo, extras, shard);
        },
      )
      .command('schema', "Print the scenario file's JSON Schema", {}, () => schemaCommand(processIo));
    await REGISTER.reduce<Argv>((y, register) => register(y), cli as unknown as Argv)
      .demandCommand(1, 'Name a command, e.g. `servesim run`.')
      .strict()
      .version(VERSION)
      .alias('version', 'v')
      .help()
      .alias('help', 'h')
      .exitProcess(false)
      .fail((msg, err) => {
        // yargs wraps errors thrown while parsing (e.g. in `coerce`) in a YError: those are usage
        // errors (exit 2). Errors from a command's own handler pass through unchanged.
        if (err && err.name === 'YError') throw new InputError(err.message);
        if (err) throw err;
        const first = args[0];
        if (first !== undefined && !first.startsWith('-') && !COMMANDS.includes(first)) {
          throw new InputError(
            `unknown command "${first}"${didYouMean(first, COMMANDS, '.')}` +
              ` Commands: ${COMMANDS.join(', ')} (see servesim --help)`,
          );
        }
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

// A reader that stops early (`servesim prices show | head`) closes the pipe: that is the reader's
// choice, not an error. Stop quietly, as command-line tools do, instead of an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });

// Interrupted (Ctrl-C, a scheduler's SIGTERM): every temporary file and folder the command made
// is removed, and a report folder caught mid-swap is put back (src/interrupt.ts), then the
// conventional 128 + signal number.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)
  process.on(signal, () => {
    undoAll();
    process.stderr.write(`servesim: interrupted (${signal}); temporary files removed\n`);
    process.exit(code);
  });
// Issue 17: a process warning (the AWS SDK's 7-line Node-version notice) is one line of ours.
installWarningLine((line) => process.stderr.write(line));

process.exitCode = await main(hideBin(process.argv));
