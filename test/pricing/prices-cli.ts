import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { registerPricesCommand } from '../../src/commands/prices.js';
import { InputError } from '../../src/errors.js';

/*
 * A tiny CLI entry for the spawned tests: `prices` registered on a fresh yargs with the global
 * flags it reads, and src/cli.ts's error contract (one `servesim: ` line on stderr; exit 2 for
 * InputError and usage errors, 1 for anything else).
 */

const args = hideBin(process.argv);
try {
  await registerPricesCommand(
    yargs(args)
      .scriptName('servesim')
      .option('json', { type: 'boolean' })
      .option('quiet', { type: 'boolean' })
      .strict()
      .exitProcess(false)
      .fail((msg, err) => {
        if (err && err.name === 'YError') throw new InputError(err.message);
        if (err) throw err;
        throw new InputError(msg);
      }),
  ).parseAsync();
  process.exitCode = 0;
} catch (e) {
  process.stderr.write(`servesim: ${(e as Error).message}\n`);
  process.exitCode = e instanceof InputError ? 2 : 1;
}
