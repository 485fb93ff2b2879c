import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { grid } from '../report/text/table.js';
import { fitLines } from '../report/text/width.js';
import { didYouMean } from '../nearest.js';
import type { Argv } from 'yargs';
import type { PricingClientConfig } from '@aws-sdk/client-pricing';
import { InputError } from '../errors.js';
import {
  entryStalenessWarning,
  loadPriceBook,
  parsePriceBook,
  staleEntries,
  stalenessWarning,
  writePriceBookFile,
  type PriceEntry,
} from '../pricing/book.js';
import { refreshPriceBook, type RefreshResult } from '../pricing/refresh.js';
import { REGION_PATTERN, SERVICE_CODES } from '../pricing/vocabulary.js';
import { processIo, terminalWidth, type Io } from './context.js';
import type { NetworkBounds } from '../network.js';
import { checkOutFile } from '../out-path.js';
import { NETWORK_FLAGS, networkBounds } from './network-flags.js';
import { withFlags } from './flags.js';

/*
 * `servesim prices show [--region R] [--service S] [--book FILE] [--sources]` and
 * `servesim prices refresh --region R -o FILE [--book FILE]` (design §7). Results go to stdout
 * (JSON with the global --json), progress and warnings to stderr; bad input throws InputError
 * (exit 2), AWS or network failures RuntimeError (exit 1).
 */

export interface ShowOptions {
  region?: string | undefined;
  service?: string | undefined;
  /** A book file (default: the shipped one). */
  book?: string | undefined;
  /** Add each entry's source to the table. */
  sources?: boolean | undefined;
  json: boolean;
  /** ISO date for the staleness check (default: today). */
  today?: string;
  /** Display columns of the terminal (default: no limit). */
  width?: number;
}

/** `prices show`: the book's entries, filtered by region and service. */
export function pricesShow(opts: ShowOptions, io: Io = processIo): void {
  const book = loadPriceBook(opts.book === undefined ? undefined : resolve(opts.book));
  let entries = book.entries;
  if (opts.service !== undefined) {
    const services = [...new Set(book.entries.map((e) => e.service))];
    const match = services.find((s) => s.toLowerCase() === opts.service!.toLowerCase());
    if (match === undefined)
      throw new InputError(unknownMessage('service', opts.service, services), '--service');
    entries = entries.filter((e) => e.service === match);
  }
  if (opts.region !== undefined) {
    checkRegion(opts.region);
    const regions = [...new Set(entries.map((e) => e.region))].sort();
    if (!regions.includes(opts.region))
      throw new InputError(
        `the price book has no ${opts.service !== undefined ? `${opts.service} ` : ''}prices for ${opts.region}; it has: ${regions.join(', ') || 'none'}`,
        '--region',
      );
    entries = entries.filter((e) => e.region === opts.region);
  }
  const stale = stalenessWarning(book, opts.today ?? new Date().toISOString().slice(0, 10));
  if (stale) io.err(`warning: ${stale}\n`);
  const old = entryStalenessWarning(book, entries);
  if (old) io.err(`warning: ${old}\n`);
  if (opts.json) {
    io.out(JSON.stringify({ book: book.name, date: book.date, entries }, null, 2) + '\n');
    return;
  }
  const uncertain = entries.filter((e) => e.uncertain).length;
  const head =
    `Price book ${book.name}, dated ${book.date}: ${entries.length} of ${book.entries.length} entries` +
    (uncertain > 0 ? `, ${uncertain} uncertain (?)` : '');
  io.out(fitLines(head, opts.width ?? Infinity) + '\n');
  io.out(
    entriesTable(
      entries,
      opts.sources === true,
      new Set(staleEntries(book, entries)),
      opts.width ?? Infinity,
    ) + '\n',
  );
  if (opts.sources !== true) io.out('Sources: add --sources, or --json for every field.\n');
}

/**
 * The entries as a table within `width` display columns (stacked, one block per entry, when it
 * does not fit). `effective` carries `old` for an entry more than 12 months older than its book,
 * and `not refreshed` for one a refresh kept without a new price.
 */
function entriesTable(
  entries: readonly PriceEntry[],
  sources: boolean,
  old: ReadonlySet<PriceEntry>,
  width: number,
): string {
  const columns = [
    { head: 'id' },
    { head: 'service' },
    { head: 'price (USD)', right: true },
    { head: 'unit' },
    { head: 'effective' },
    ...(sources ? [{ head: 'source', flex: true }] : []),
  ];
  const rows = entries.map((e) => [
    e.id,
    e.service,
    `${e.price}${e.uncertain ? ' ?' : ''}`,
    e.unit,
    [e.effectiveDate, old.has(e) ? 'old' : '', e.notRefreshed ? 'not refreshed' : '']
      .filter(Boolean)
      .join(' '),
    ...(sources ? [e.source] : []),
  ]);
  return grid(columns, rows, { width, rule: true }).join('\n');
}

export interface RefreshCommandOptions {
  region: string;
  /** The new book's path (-o). */
  output: string;
  /** The current book (default: the shipped one). */
  book?: string | undefined;
  json: boolean;
  quiet?: boolean | undefined;
  /** ISO date of the refresh (default: today). */
  today?: string;
  /** PricingClient settings (tests). */
  client?: PricingClientConfig;
  /** Remove the region's entries the response lacks (default: keep them, marked not refreshed). */
  prune?: boolean | undefined;
  /** --timeout / --deadline (network-flags.ts). */
  bounds?: NetworkBounds | undefined;
  /** --profile: the AWS profile whose credentials to use (default: AWS_PROFILE / the default chain). */
  profile?: string | undefined;
}

/** `prices refresh`: fetch the region's prices, write a new book atomically, print the diff. */
export async function pricesRefresh(opts: RefreshCommandOptions, io: Io = processIo): Promise<RefreshResult> {
  checkRegion(opts.region);
  const output = resolve(opts.output);
  const folder = dirname(output);
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new InputError(`cannot write the new price book: folder ${folder} does not exist`, '-o');
  if (existsSync(output) && statSync(output).isDirectory())
    throw new InputError('-o names a folder; give a file name such as prices.json', '-o');
  checkOutFile(output, '-o');
  const current = loadPriceBook(opts.book === undefined ? undefined : resolve(opts.book));
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const progress = !opts.json && opts.quiet !== true;
  const result = await refreshPriceBook({
    region: opts.region,
    current,
    today,
    prune: opts.prune === true,
    ...opts.bounds,
    ...(opts.client !== undefined || opts.profile !== undefined
      ? { client: { ...(opts.profile !== undefined ? { profile: opts.profile } : {}), ...opts.client } }
      : {}),
    onPage: (service, page, n) => {
      if (progress) io.err(`  ${service}: page ${page}, ${n} products\n`);
    },
  });
  writePriceBookFile(output, result.file);

  const unknown = summarizeSkipped(result.skipped.filter((s) => s.unknownUnit));
  const other = result.skipped.length - result.skipped.filter((s) => s.unknownUnit).length;
  if (opts.json) {
    io.out(
      JSON.stringify(
        {
          book: output,
          region: opts.region,
          date: today,
          calls: result.calls,
          products: result.products,
          entries: result.fetched,
          diff: {
            added: result.diff.added.map((e) => ({ id: e.id, price: e.price, unit: e.unit })),
            removed: result.diff.removed.map((e) => ({ id: e.id, price: e.price, unit: e.unit })),
            changed: result.diff.changed,
            unchanged: result.diff.unchanged,
          },
          kept: result.kept.map((e) => e.id),
          pruned: result.pruned.map((e) => e.id),
          skipped: { unknownUnits: unknown, other },
        },
        null,
        2,
      ) + '\n',
    );
    return result;
  }
  const lines: string[] = [];
  lines.push(
    `Price List API, ${opts.region}: ${result.calls} GetProducts call(s), ${result.products} products → ${result.fetched} price entries.`,
  );
  if (unknown.length > 0) {
    lines.push('Skipped price dimensions with units servesim does not map:');
    for (const u of unknown) lines.push(`  ${u.service} "${u.unit}": ${u.count}`);
  }
  if (other > 0)
    lines.push(`Skipped ${other} other price dimension(s) servesim does not use (tiers, other meters).`);
  const d = result.diff;
  lines.push(`Changes against ${current.name}:`);
  for (const e of d.added) lines.push(`  + ${e.id}  ${e.price} USD per ${e.unit}`);
  for (const e of d.removed) lines.push(`  - ${e.id}  ${e.price} USD per ${e.unit} (pruned)`);
  for (const e of result.kept)
    lines.push(
      `  = ${e.id}  ${e.price} USD per ${e.unit} (not in the response: kept, from ${e.effectiveDate})`,
    );
  for (const c of d.changed)
    lines.push(
      `  ~ ${c.id}  ${c.was} → ${c.now} USD per ${c.unit}` +
        (c.relative === null ? '' : ` (${c.relative >= 0 ? '+' : ''}${(c.relative * 100).toFixed(1)}%)`),
    );
  lines.push(
    `  ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed, ${d.unchanged} unchanged` +
      (result.kept.length > 0
        ? `; ${result.kept.length} ${opts.region} entr${result.kept.length === 1 ? 'y' : 'ies'} not in the response kept from the current book, marked notRefreshed (--prune removes them)`
        : ''),
  );
  lines.push(`Wrote ${output} (dated ${today}). Use it in a scenario with pricing: {book: ${opts.output}}.`);
  io.out(lines.join('\n') + '\n');
  const old = opts.quiet === true ? undefined : entryStalenessWarning(parsePriceBook(result.file, output));
  if (old) io.err(`warning: ${old}\n`);
  return result;
}

function summarizeSkipped(
  skipped: RefreshResult['skipped'],
): { service: string; unit: string; count: number }[] {
  const counts = new Map<string, { service: string; unit: string; count: number }>();
  for (const s of skipped) {
    const key = `${s.service}\u0000${s.unit}`;
    const c = counts.get(key) ?? { service: s.service, unit: s.unit, count: 0 };
    c.count++;
    counts.set(key, c);
  }
  return [...counts.values()];
}

function checkRegion(region: string): void {
  if (!REGION_PATTERN.test(region))
    throw new InputError(`"${region}" is not an AWS region code (e.g. us-east-1, eu-central-1)`, '--region');
}

function unknownMessage(what: string, got: string, valid: readonly string[]): string {
  return `unknown ${what} "${got}"${didYouMean(got, valid, '.')} The book has: ${valid.join(', ')}`;
}

/**
 * Adds `prices show` and `prices refresh` to a yargs instance (src/cli.ts wires it in). Reads the
 * global `--json` flag; declares `--region` on each subcommand so it works on its own too.
 */
export function registerPricesCommand(y: Argv): Argv {
  return y.command(
    'prices',
    'Show the price book, or refresh it from the AWS Price List API',
    (p) =>
      p
        .command(
          'show',
          'List the price book (id, service, price, unit, date; ? = uncertain)',
          (s) =>
            withFlags(s, ['json'])
              .option('region', { type: 'string', describe: 'Only this region' })
              .option('service', {
                type: 'string',
                describe: `Only this service (${SERVICE_CODES.join(', ')})`,
              })
              .option('book', { type: 'string', describe: 'A price-book file (default: the shipped one)' })
              .option('sources', { type: 'boolean', describe: "Show each entry's source" }),
          (argv) =>
            pricesShow({
              region: single(argv.region, 'region'),
              service: single(argv.service, 'service'),
              book: single(argv.book, 'book'),
              sources: argv.sources,
              json: (argv as { json?: unknown }).json === true,
              width: terminalWidth(),
            }),
        )
        .command(
          'refresh',
          "Fetch a region's prices from the AWS Price List API and write a new book (-o FILE)",
          (s) =>
            withFlags(s, ['json', 'quiet'])
              .option('region', {
                type: 'string',
                demandOption: true,
                describe: 'Region whose prices to fetch',
              })
              .option('output', {
                alias: 'o',
                type: 'string',
                demandOption: true,
                describe: 'New price-book file',
              })
              .option('book', {
                type: 'string',
                describe: 'The book to start from and compare with (default: the shipped one)',
              })
              .option('prune', {
                type: 'boolean',
                describe:
                  "Remove the region's entries the API did not return (default: keep them, marked notRefreshed)",
              })
              // Issue 17/20: bounded network calls, and the credentials' profile.
              .option('profile', {
                type: 'string',
                describe: 'AWS profile (default: AWS_PROFILE / the default chain)',
              })
              .option('timeout', NETWORK_FLAGS.timeout)
              .option('deadline', NETWORK_FLAGS.deadline),
          async (argv) => {
            const a = argv as { json?: unknown; quiet?: unknown };
            await pricesRefresh({
              region: single(argv.region, 'region')!,
              output: single(argv.output, 'output')!,
              book: single(argv.book, 'book'),
              prune: argv.prune === true,
              bounds: networkBounds(argv),
              profile: single(argv.profile, 'profile'),
              json: a.json === true,
              quiet: a.quiet === true,
            });
          },
        )
        .demandCommand(
          1,
          'Name a prices command: `servesim prices show` or `servesim prices refresh --region R -o FILE`.',
        ),
    () => undefined,
  );
}

/** A string flag given once; yargs makes repeated flags arrays and empty ones "". */
function single(v: unknown, flag: string): string | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw new InputError(`--${flag} given more than once; give it once`);
  if (typeof v !== 'string' || v.trim() === '') throw new InputError(`--${flag} needs a value`);
  return v;
}
