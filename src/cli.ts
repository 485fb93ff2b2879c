#!/usr/bin/env node
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { undoAll } from './interrupt.js';
import { InputError } from './errors.js';
import { didYouMean } from './nearest.js';
import { globalFlags, processIo } from './commands/context.js';
import { runCommand } from './commands/run.js';
import { runShardCommand } from './commands/run-shard.js';
import { shardFlag, SHARD_OPTION, SHARDS_OPTION } from './commands/shard-flag.js';
import { COMPARISON_FLAGS, FLAGS, withFlags } from './commands/flags.js';
import { runAnalysisFlags, runExtras } from './commands/run-flags.js';
import { schemaCommand } from './commands/schema.js';
import { registerPricesCommand } from './commands/prices.js';
import { registerBreakevenCommand } from './commands/breakeven.js';
import { registerForecastCommand } from './commands/forecast.js';
import { registerMergeCommand } from './commands/merge.js';
import { registerDiffCommand } from './commands/diff.js';
import { registerInitCommand } from './commands/init.js';
import { registerTraceCommand } from './commands/trace/index.js';
import { registerReplayCommand } from './commands/replay.js';
import { VERSION } from './version.js';
import { LIMIT_OPTIONS } from './commands/limit-flags.js';
import { installWarningLine } from './commands/warnings.js';
// Issue 20 item 3: `servesim report <folder>` re-renders a saved report folder.
import { registerReportCommand } from './commands/report.js';

/*
 * The only module that prints and sets exit codes (design §7): 0 success, 2 bad input or usage,
 * 1 anything else — always one clear message on stderr, a stack trace only with --debug.
 */

/** The commands registered below, for "unknown command" messages. */
const COMMANDS = [
  'run',
  'schema',
  'breakeven',
  'forecast',
  'merge',
  'diff',
  'init',
  'prices',
  'trace',
  'replay',
  'completion',
  // Issue 20 item 3.
  'report',
];
/** Commands that live in their own modules under src/commands/. */
const REGISTER: ((y: Argv) => Argv)[] = [
  registerBreakevenCommand,
  registerForecastCommand,
  registerMergeCommand,
  registerDiffCommand,
  registerInitCommand,
  registerPricesCommand,
  registerTraceCommand,
  registerReplayCommand,
  // Issue 20 item 3.
  registerReportCommand,
];

/** The command words at the start of `args` (`prices show`), up to the first flag or operand. */
function commandWords(args: string[]): string[] {
  const words: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') || !/^[a-z]+$/.test(a)) break;
    words.push(a);
    if (!['prices', 'trace', 'import', 'breakeven'].includes(a)) break;
  }
  return words;
}

/**
 * The flags in a yargs "Unknown argument(s): a, b" message, as typed (`--no-color`, `-x`); none
 * when the unknown arguments are stray words, not flags.
 */
function unknownFlags(msg: string | undefined, args: string[]): string[] {
  const m = /^Unknown arguments?: (.*)$/.exec(msg ?? '');
  if (!m) return [];
  return m[1]!.split(', ').flatMap((name) => {
    const typed = args.find((a) => new RegExp(`^--?(no-)?${name.replace(/[^\w-]/g, '')}(=|$)`).test(a));
    return typed === undefined ? [] : [typed.split('=')[0]!];
  });
}

/** `--json` or `--format json` asked for JSON on stdout: an error goes there too, as JSON (design §11). */
function jsonErrors(args: readonly string[]): boolean {
  return args.some(
    (a, i) => a === '--json' || a === '--format=json' || (a === '--format' && args[i + 1] === 'json'),
  );
}

/** `{"error": {"code", "message", "field"}}`: the exit code, the stderr line's text, and where (file:line or field). */
export function errorJson(e: unknown): string {
  const input = e instanceof InputError;
  const message = e instanceof Error ? e.message : String(e);
  const field = input ? (e.where ?? null) : null;
  return JSON.stringify({ error: { code: input ? 2 : 1, message, field } });
}

export async function main(args: string[]): Promise<number> {
  let debug = args.includes('--debug');
  try {
    const cli = yargs(args)
      .scriptName('servesim')
      .usage(
        '$0 <command> [options]\n\nWhat does each way of serving a custom LLM on AWS cost, how fast does it answer, and where does the choice flip?',
      )
      .option('debug', { type: 'boolean', describe: 'Show stack traces on errors' })
      .command(
        'run [scenario]',
        'Simulate every option of a scenario (default: the built-in one) and compare them',
        (y) =>
          runAnalysisFlags(
            withFlags(y, COMPARISON_FLAGS).positional('scenario', {
              type: 'string',
              describe: 'Scenario YAML file',
            }),
          )
            .option('format', FLAGS.format)
            .option('shard', SHARD_OPTION)
            .option('shards', SHARDS_OPTION)
            // Issue 17 work limits: --max-requests, --max-days (src/commands/limit-flags.ts).
            .options(LIMIT_OPTIONS),
        (argv) => {
          const extras = runExtras(argv);
          const shard = shardFlag(argv);
          return shard === undefined
            ? runCommand(argv.scenario, globalFlags(argv), processIo, extras)
            : runShardCommand(argv.scenario, globalFlags(argv), processIo, extras, shard);
        },
      )
      .command('schema', "Print the scenario file's JSON Schema", {}, () => schemaCommand(processIo));
    await REGISTER.reduce<Argv>((y, register) => register(y), cli as unknown as Argv)
      .completion('completion', 'Print a bash/zsh completion script: servesim completion >> ~/.bashrc')
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
        // A flag this command does not take (design §11): say which command, and where its flags are.
        const flags = unknownFlags(msg, args);
        if (flags.length > 0) {
          const words = commandWords(args);
          throw new InputError(
            `${words.length > 0 ? `\`servesim ${words.join(' ')}\`` : 'servesim'} does not take ${flags.join(', ')}` +
              ` (see servesim ${[...words, '--help'].join(' ')})`,
          );
        }
        throw new InputError(`${msg} (see servesim --help)`);
      })
      .parseAsync();
    return 0;
  } catch (e) {
    debug ||= process.argv.includes('--debug');
    if (jsonErrors(args)) process.stdout.write(errorJson(e) + '\n');
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
