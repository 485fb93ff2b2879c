import type { Argv } from 'yargs';
import { registerTraceGenerate } from './generate.js';
import { registerTraceImportCloudWatch } from './import-cloudwatch.js';
import { registerTraceImportFile } from './import-file.js';
import { registerTraceShow } from './show.js';

/*
 * `servesim trace generate --scenario F -o T`, `trace show T`, and
 * `trace import csv|jsonl FILE -o T` / `trace import cloudwatch (--model-id ID | --endpoint E)
 * (--last 14d | --start S [--end E]) -o T` (design §7), one file per subcommand. Results on
 * stdout (JSON with --json), progress and warnings on stderr. Bad input → InputError (exit 2);
 * AWS access, credentials and network → RuntimeError (exit 1).
 */

/** Adds `trace generate|show|import` to a yargs instance (src/cli.ts wires it in). */
export function registerTraceCommand(y: Argv): Argv {
  return y.command(
    'trace',
    'Trace files: generate one from a scenario, show one, import CSV/JSONL/CloudWatch',
    (t) =>
      registerTraceShow(registerTraceGenerate(t))
        .command(
          'import',
          'Import traffic into a trace file: csv FILE | jsonl FILE | cloudwatch',
          (i) =>
            registerTraceImportCloudWatch(registerTraceImportFile(i)).demandCommand(
              1,
              'Name a format: `servesim trace import csv FILE -o T`, `jsonl FILE -o T` or `cloudwatch ... -o T`.',
            ),
          () => undefined,
        )
        .demandCommand(1, 'Name a trace command: generate, show or import (see servesim trace --help).'),
    () => undefined,
  );
}
