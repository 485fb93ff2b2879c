import { isAbsolute, join } from 'node:path';
import type { Argv } from 'yargs';
import { InputError } from '../errors.js';
import { writeFilesAtomically } from '../report/files.js';
import { ReportFolder } from '../report/folder.js';
import { rerenderFiles, savedCsv, savedJson } from '../report/rerender.js';
import { readReportFolder, type SavedReport } from '../report/rerender-read.js';
import { savedSeries } from '../report/rerender-series.js';
import { detailsText } from '../report/text/details.js';
import { breakevenPrinted } from './breakeven.js';
import { modelsPrinted } from './breakeven-models.js';
import { globalFlags, processIo, type GlobalFlags, type Io } from './context.js';
import { FLAGS, withFlags } from './flags.js';
import { forecastPrinted } from './forecast.js';
import { replayTextMore } from './replay.js';
import { resultText } from './run.js';

/*
 * `servesim report <folder> [--format table|json|csv|html] [--out DIR]` (issue 20 item 3): a report
 * folder that run, replay, breakeven or forecast wrote, shown or written again without simulating.
 *
 *   folder ─► read and checked (rerender-read.ts) ─► stdout: the command's table (default), its
 *   JSON, its CSV or report.html ─► with --out DIR: the whole folder again, byte for byte (rerender.ts)
 *
 * Like `run --format`, --format picks what goes to stdout and --out whether a folder is written.
 */

/** Adds `report <folder>` to the CLI (src/cli.ts wires it in). */
export function registerReportCommand(y: Argv): Argv {
  return y.command(
    'report <folder>',
    'Re-render a saved report folder (from run, replay, breakeven or forecast) without simulating',
    (b) =>
      withFlags(b, ['json', 'color', 'details', 'quiet'])
        .positional('folder', { type: 'string', describe: 'The report folder (it holds .servesim-report)' })
        .option('format', {
          ...FLAGS.format,
          describe:
            'stdout: table (default; what the command printed), json (its result file), csv (costs.csv or forecast.csv), html (report.html)',
        })
        .option('out', {
          type: 'string',
          describe: 'Also write the whole report folder here again: report.html, charts, data files',
        }),
    async (argv) => {
      await reportCommand(String(argv.folder), globalFlags(argv), processIo);
    },
  );
}

/** Prints (and with `flags.out` writes) the saved report in `folder`. */
export async function reportCommand(folder: string, flags: GlobalFlags, io: Io): Promise<void> {
  const saved = readReportFolder(folder);
  // A bad --out is exit 2 before any drawing; the folder's owner stays the command that made it.
  const target = flags.out === undefined ? undefined : new ReportFolder(flags.out, '--out');
  const dir = target?.dir ?? saved.dir;
  let text: string | undefined;
  if (flags.json) text = savedJson(saved);
  else if (flags.format === 'csv') {
    text = savedCsv(saved) ?? undefined;
    if (text === undefined)
      throw new InputError(
        'a breakeven report has no CSV (its data is breakeven.json): use --format table or json',
        '--format',
      );
  } else if (flags.format !== 'html') text = tableText(saved, flags, dir);
  // Everything is drawn before anything is written or printed: an error leaves no partial output.
  const files = target !== undefined || flags.format === 'html' ? await rerenderFiles(saved) : undefined;
  text ??= String(files!.get('report.html'));
  if (target !== undefined) writeFilesAtomically(target, files!, saved.owner);
  io.out(text);
}

/** What the command that wrote the folder printed (its report being in `dir`). */
function tableText(saved: SavedReport, flags: GlobalFlags, dir: string): string {
  if (flags.details && saved.kind !== 'run' && saved.kind !== 'replay')
    throw new InputError(`for run and replay reports only; this is a ${saved.kind} report`, '--details');
  switch (saved.kind) {
    case 'run':
    case 'replay': {
      // --details draws the terminal's sparklines from the saved timeline.csv.
      const opts = { width: flags.width ?? 80, color: flags.color, quiet: flags.quiet };
      const details = flags.details ? detailsText(savedSeries(saved), opts) : undefined;
      if (saved.kind === 'run') return resultText(saved.result, flags, dir, {}, details);
      const t = saved.meta.trace;
      const trace = t === undefined || isAbsolute(t) ? t : join(dir, t);
      return resultText(saved.result, flags, dir, replayTextMore(saved.result, trace), details);
    }
    case 'breakeven':
      if (saved.analysis === 'models') return modelsPrinted(saved.header, saved.models!, dir, flags.width);
      return breakevenPrinted(saved.header, saved.analysis, saved.result, dir, flags.width);
    case 'forecast':
      return forecastPrinted(saved.result, dir, flags.width);
  }
}
