import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import type { BreakevenVolumeFrame } from '../planning/breakeven/breakeven.js';
import { assembleVolume } from '../planning/breakeven/volume.js';
import { assembleForecast } from '../planning/forecast/assemble.js';
import type { ForecastFrame } from '../planning/forecast/result.js';
import { readPartial } from '../planning/shard/partial.js';
import { checkPartials } from '../planning/shard/set.js';
import { reportBreakeven } from './breakeven.js';
import { globalFlags, processIo, type GlobalFlags, type Io } from './context.js';
import { COMPARISON_FLAGS, withFlags } from './flags.js';

import { reportForecast } from './forecast.js';
import { mergeHeartbeat } from './heartbeat-shard.js';
import { mergeRun } from './run-shard.js';

/** The partials fix the seed and region: merge takes neither. */
const MERGE_FLAGS = COMPARISON_FLAGS.filter((f) => f !== 'seed' && f !== 'region');

/*
 * `servesim merge <partial files…> [--out DIR]` (design §11.7; docs/scale-out.md): checks that
 * the partials are one whole sweep (set.ts), assembles the result from their outcomes and writes
 * the report folder through the same writer as the unsharded command — byte for byte what it
 * would have written — and prints what it would have printed.
 */

/** Adds `merge <partials..>` to the CLI. */
export function registerMergeCommand(y: Argv): Argv {
  return y.command(
    'merge <partials..>',
    'Join the partial-K-of-N.json files of a sharded run, forecast or breakeven into its report',
    (b) =>
      withFlags(b, MERGE_FLAGS).positional('partials', {
        type: 'string',
        array: true,
        describe: 'The partial-K-of-N.json files, all N of them (e.g. reports/x/partial-*-of-8.json)',
      }),
    (argv) =>
      mergeCommand(
        (argv.partials as (string | number)[] | undefined)?.map(String) ?? [],
        globalFlags(argv),
        processIo,
      ),
  );
}

export async function mergeCommand(paths: readonly string[], flags: GlobalFlags, io: Io): Promise<void> {
  // The partials fix the seed and region (they are in the fingerprint): another here would lie.
  if (flags.seed !== undefined || flags.region !== undefined)
    throw new InputError(
      `merge takes the seed and region from the partials; drop ${flags.seed !== undefined ? '--seed' : '--region'} (give it to the sharded command instead)`,
    );
  const merged = checkPartials(paths.map((path) => ({ path, partial: readPartial(path) })));
  switch (merged.command) {
    case 'run':
      await mergeRun(merged, flags, io);
      return;
    case 'forecast':
      await reportForecast(assembleForecast(merged.frame as ForecastFrame, merged.outcomes), flags, io);
      return;
    case 'breakeven heartbeat':
      await mergeHeartbeat(merged, flags, io);
      return;
    case 'breakeven volume': {
      const f = merged.frame as BreakevenVolumeFrame;
      const volume = assembleVolume(f, merged.outcomes);
      await reportBreakeven(
        { scenario: f.scenario, seed: f.seed, region: f.region },
        'volume',
        { heartbeat: [], volume },
        flags,
        io,
      );
      return;
    }
  }
}
