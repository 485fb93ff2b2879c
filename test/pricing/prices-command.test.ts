import { captureIo } from '../helpers/cli.js';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import yargs from 'yargs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pricesRefresh, pricesShow, registerPricesCommand } from '../../src/commands/prices.js';
import { loadPriceBook } from '../../src/pricing/book.js';
import { InputError } from '../../src/errors.js';
import { awsError, startPriceListServer, type PriceListServer } from './price-list-server.js';
import { priceListReply } from './fixtures.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TMP = mkdtempSync(join(tmpdir(), 'servesim-prices-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const capture = captureIo;

function inputError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('prices show', () => {
  it('lists the shipped book as a table, ? marking uncertain prices', () => {
    const io = capture();
    pricesShow({ json: false, today: '2026-11-25' }, io);
    const n = loadPriceBook().entries.length;
    expect(io.stdout).toMatch(
      new RegExp(
        `^Price book src/pricing/price-book.json, dated 2026-11-25: ${n} of ${n} entries, \\d+ uncertain \\(\\?\\)`,
      ),
    );
    expect(io.stdout).toMatch(
      /^ {2}bedrock-cmi\.inference\.us-east-1\.pricing-example +AmazonBedrock +0\.0785 \?/m,
    );
    expect(io.stdout).toContain('ec2.p5-48xlarge.us-east-1');
    // The shipped book (2026-11-25) carries entries older than 2025-11-25: one warning line, and
    // each marked `old` (a Llama 2 PT price of 2024-03-13, issue 15 item 7).
    expect(io.stderr).toMatch(
      /^warning: \d+ price entries are more than 12 months older than the book \(dated 2026-11-25\)[^\n]*\n$/,
    );
    expect(io.stdout).toMatch(/bedrock-pt\.llama-2-13b\.us-east-1\.no-commit .*2024-03-13 old/);
    expect(io.stdout).not.toMatch(/2026-11-25 old/);
  });

  it('filters by region and service (any case), and prints JSON with --json', () => {
    const io = capture();
    pricesShow({ json: true, region: 'us-east-1', service: 'amazoneks', today: '2026-11-25' }, io);
    const out = JSON.parse(io.stdout) as { book: string; date: string; entries: { id: string }[] };
    expect(out.date).toBe('2026-11-25');
    expect(out.entries.map((e) => e.id)).toEqual([
      'eks.control-plane.us-east-1.standard',
      'eks.control-plane.us-east-1.extended',
    ]);
  });

  it('adds sources with --sources', () => {
    const io = capture();
    pricesShow({ json: false, service: 'AmazonEKS', sources: true, today: '2026-11-25' }, io);
    expect(io.stdout).toMatch(/^ {2}id +service +price \(USD\) +unit +effective +source$/m);
    expect(io.stdout).toContain('https://aws.amazon.com/blogs/containers/'); // wrapped, never cut
  });

  it('warns on stderr when the book is older than 90 days', () => {
    const io = capture();
    pricesShow({ json: true, today: '2027-03-01' }, io);
    expect(io.stderr.split('\n')[0]).toBe(
      'warning: the price book is 96 days old (2026-11-25, older than 90 days); run `servesim prices refresh`',
    );
  });

  it('an unknown service suggests the nearest; an unknown or malformed region says what there is', () => {
    expect(inputError(() => pricesShow({ json: false, service: 'AmazonSagemakr' }, capture()))).toContain(
      '--service: unknown service "AmazonSagemakr"; did you mean "AmazonSageMaker"?',
    );
    expect(inputError(() => pricesShow({ json: false, region: 'ap-south-1' }, capture()))).toBe(
      '--region: the price book has no prices for ap-south-1; it has: eu-central-1, eu-west-1, us-east-1, us-west-2',
    );
    expect(inputError(() => pricesShow({ json: false, region: 'virginia' }, capture()))).toContain(
      '"virginia" is not an AWS region code',
    );
  });
});

describe('registerPricesCommand on a fresh yargs', () => {
  const parse = async (...args: string[]) => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await registerPricesCommand(
        yargs(args)
          .option('json', { type: 'boolean' })
          .strict()
          .exitProcess(false)
          .fail((msg, err) => {
            throw err ?? new InputError(msg);
          }),
      ).parseAsync();
      return write.mock.calls.map((c) => String(c[0])).join('');
    } finally {
      write.mockRestore();
    }
  };

  it('runs `prices show --service AmazonEKS --json` and reads the global --json', async () => {
    const out = JSON.parse(await parse('prices', 'show', '--service', 'AmazonEKS', '--json')) as {
      entries: unknown[];
    };
    expect(out.entries).toHaveLength(2);
  });

  it('asks for a subcommand, and refresh demands --region and -o', async () => {
    await expect(parse('prices')).rejects.toThrow(/Name a prices command/);
    await expect(parse('prices', 'refresh', '-o', 'x.json')).rejects.toThrow(
      /Missing required argument: region/,
    );
    await expect(parse('prices', 'refresh', '--region', 'us-east-1')).rejects.toThrow(
      /Missing required argument: output/,
    );
    await expect(parse('prices', 'show', '--region')).rejects.toThrow(/--region needs a value/);
  });
});

describe('prices refresh (in process)', () => {
  let server: PriceListServer;
  beforeAll(async () => {
    server = await startPriceListServer((body) => priceListReply(body));
  });
  afterAll(() => server.close());
  const client = () => ({
    endpoint: server.url,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });

  it('writes the book, prints the skipped units and the diff', async () => {
    const io = capture();
    const output = join(TMP, 'in-process.json');
    await pricesRefresh(
      { region: 'us-east-1', output, json: false, today: '2026-11-25', client: client() },
      io,
    );
    expect(loadPriceBook(output).date).toBe('2026-11-25');
    expect(io.stdout).toContain(
      'Price List API, us-east-1: 8 GetProducts call(s), 17 products → 13 price entries.',
    );
    expect(io.stdout).toContain('  AmazonBedrock "Images": 1');
    expect(io.stdout).toContain(
      '  + bedrock-cmi.inference.us-east-1.price-list-llama  0.05718 USD per CMU-minutes',
    );
    // Not in the response: kept, not removed (issue 15 item 7).
    expect(io.stdout).toContain(
      '  = bedrock-cmi.inference.us-east-1.pricing-example  0.0785 USD per CMU-minutes (not in the response: kept, from 2026-10-05)',
    );
    expect(io.stdout).toMatch(/, 0 removed, /);
    expect(io.stdout).toContain('marked notRefreshed (--prune removes them)');
    expect(io.stdout).toContain(
      '  ~ sagemaker-realtime.ml-g6-xlarge.us-east-1  1.1267 → 0.9765 USD per instance-hours (-13.3%)',
    );
    expect(io.stderr).toContain('  AmazonBedrock: page 2, 3 products\n');
    expect(readdirSync(TMP).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('bad input stops before any call: a malformed region, a missing folder', async () => {
    const n = server.requests.length;
    await expect(
      pricesRefresh(
        { region: 'us-east', output: join(TMP, 'x.json'), json: false, client: client() },
        capture(),
      ),
    ).rejects.toThrow(InputError);
    await expect(
      pricesRefresh(
        { region: 'us-east-1', output: join(TMP, 'no', 'x.json'), json: false, client: client() },
        capture(),
      ),
    ).rejects.toThrow(/folder .* does not exist/);
    expect(server.requests).toHaveLength(n);
  });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The prices command as a process, configured the way a user would: environment only. */
function cli(env: Record<string, string>, ...args: string[]): Promise<Run> {
  const base = { ...process.env };
  for (const k of Object.keys(base)) if (k.startsWith('AWS_')) delete base[k];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/pricing/prices-cli.ts', ...args], {
      cwd: ROOT,
      env: {
        ...base,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: join(TMP, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(TMP, 'no-credentials'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('prices refresh as a process (AWS_ENDPOINT_URL_PRICING, credentials from the environment)', () => {
  let server: PriceListServer;
  let denied: PriceListServer;
  beforeAll(async () => {
    server = await startPriceListServer((body) => priceListReply(body));
    denied = await startPriceListServer(() => awsError('AccessDeniedException', 'not authorized'));
  });
  afterAll(async () => {
    await server.close();
    await denied.close();
  });
  const creds = { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'secret' };

  it('exit 0: JSON result on stdout, nothing else there; the book is written', async () => {
    const output = join(TMP, 'cli.json');
    const r = await cli(
      { ...creds, AWS_ENDPOINT_URL_PRICING: server.url },
      'prices',
      'refresh',
      '--region',
      'us-east-1',
      '-o',
      output,
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { book: string; calls: number; diff: { added: { id: string }[] } };
    expect(out.book).toBe(output);
    expect(out.calls).toBe(8);
    expect(out.diff.added.map((e) => e.id)).toEqual(['bedrock-cmi.inference.us-east-1.price-list-llama']);
    expect(existsSync(output)).toBe(true);
    expect(server.requests.at(-1)!.authorization).toContain('Credential=AKIDENV/');
  });

  it('exit 1 on access denied: one line on stderr, no stack, no file', async () => {
    const output = join(TMP, 'denied.json');
    const r = await cli(
      { ...creds, AWS_ENDPOINT_URL: denied.url },
      'prices',
      'refresh',
      '--region',
      'us-east-1',
      '-o',
      output,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'servesim: AWS denied access to the AWS Price List API (GetProducts AmazonBedrock): not authorized. The credentials need the pricing:GetProducts permission\n',
    );
    expect(existsSync(output)).toBe(false);
  });

  it('exit 2 on a bad region', async () => {
    const r = await cli(
      { ...creds, AWS_ENDPOINT_URL_PRICING: server.url },
      'prices',
      'refresh',
      '--region',
      'Frankfurt',
      '-o',
      join(TMP, 'f.json'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'servesim: --region: "Frankfurt" is not an AWS region code (e.g. us-east-1, eu-central-1)\n',
    );
  });
});
