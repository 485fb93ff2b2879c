import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runScenario } from '../../src/compare/run.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

/*
 * The package as a user gets it: `npm pack` (which runs the `prepare` build), then an install of
 * the tarball in a temporary folder, then servesim used from there — through
 * `import ... from 'servesim'` in a child node process, and through its `servesim` bin.
 *
 * The pack runs in a copy of the repository (its node_modules linked), so the build never
 * rewrites this checkout's dist/ while other test files may be using it. The install is a real
 * `npm ci --offline` of the tarball, from a lockfile made of the repository's own runtime entries:
 * no network, only what `npm ci` put in the npm cache, and nothing a devDependency provides.
 * About 30-45 s in all, most of it the TypeScript build.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const SEED = 7;

/** This process's environment without npm's `npm_*` variables (they would point npm at ROOT). */
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_'))),
  NO_COLOR: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

async function sh(cmd: string, args: string[], cwd: string): Promise<string> {
  const { stdout } = await promisify(execFile)(cmd, args, { cwd, env, maxBuffer: 64 << 20 });
  return stdout;
}

interface Lock {
  version: string;
  packages: Record<string, { dev?: boolean; dependencies?: Record<string, string>; bin?: unknown }>;
}

/** A lockfile for a folder that depends only on the tarball: the repo's locked runtime packages. */
function appLock(tarball: string): Lock & { name: string; lockfileVersion: number } {
  const repo = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lock;
  const self = repo.packages['']!;
  const packages: Lock['packages'] = {
    '': { dependencies: { servesim: `file:${tarball}` } },
    'node_modules/servesim': { ...self, resolved: `file:${tarball}` } as Lock['packages'][string],
  };
  delete (packages['node_modules/servesim'] as { devDependencies?: unknown }).devDependencies;
  for (const [path, entry] of Object.entries(repo.packages))
    if (path !== '' && !entry.dev) packages[path] = entry;
  return { name: 'app', version: '0.0.0', lockfileVersion: 3, packages };
}

/** Every file under `dir` (relative, `/`-separated) whose name passes `keep`. */
function walk(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && keep(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split('\\').join('/'));
}

const TMP = mkdtempSync(join(tmpdir(), 'servesim-pack-'));
const APP = join(TMP, 'app');
const REPORT = join(TMP, 'report');
let packed: string[] = [];
/** Each use of the installed package: a child process's stdout. */
let uses: Record<'library' | 'types' | 'version' | 'run', Promise<string>>;

beforeAll(async () => {
  // A copy of the repository to pack from: everything but installs, builds and generated output.
  const copy = join(TMP, 'repo');
  const skip = new Set(['node_modules', '.git', 'dist', 'coverage', 'reports', '.bench', '.scratch']);
  cpSync(ROOT, copy, { recursive: true, filter: (src) => !skip.has(relative(ROOT, src).split(/[\\/]/)[0]!) });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'junction');
  const out = await sh('npm', ['pack', '--json', '--pack-destination', TMP], copy);
  const [info] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  packed = info!.files.map((f) => f.path);

  mkdirSync(APP);
  const tarball = `../${info!.filename}`;
  writeFileSync(
    join(APP, 'package.json'),
    JSON.stringify({
      name: 'app',
      version: '0.0.0',
      private: true,
      type: 'module',
      dependencies: { servesim: `file:${tarball}` },
    }),
  );
  writeFileSync(join(APP, 'package-lock.json'), JSON.stringify(appLock(tarball)));
  await sh('npm', ['ci', '--offline', '--no-audit', '--no-fund'], APP);

  // The uses, started together (each is a child process; the checks below await them).
  writeFileSync(join(APP, 'check.mjs'), LIBRARY_CHECK);
  writeFileSync(join(APP, 'check-types.ts'), TYPES_CHECK);
  const bin = join(APP, 'node_modules/.bin/servesim');
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const strict = ['--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2023'];
  uses = {
    library: sh(process.execPath, ['check.mjs'], APP),
    types: sh(process.execPath, [tsc, '--noEmit', ...strict, '--skipLibCheck', 'check-types.ts'], APP),
    version: sh(bin, ['--version'], APP),
    run: sh(bin, ['run', '--quiet', '--no-sensitivity', '--seed', String(SEED), '--out', REPORT], APP),
  };
  // Marked handled now; a failure still fails the check that awaits it.
  for (const p of Object.values(uses)) p.catch(() => {});
}, 240_000);

afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** A script's use of the API: the shipped example scenario, loaded and run. */
const LIBRARY_CHECK = `import { loadScenario, runScenario } from 'servesim';
const loaded = loadScenario();
const { result } = runScenario(loaded, { seed: ${SEED} });
process.stdout.write(JSON.stringify({ file: loaded.file, seed: result.seed, options: result.options }));
`;

/** A TypeScript user's: the types resolve through the exports map (else TS7016 under --strict). */
const TYPES_CHECK = `import { loadScenario, runScenario, type RunResult } from 'servesim';
const result: RunResult = runScenario(loadScenario('x.yaml'), { seed: 1 }).result;
export const firstTotal: number | undefined = result.options[0]?.cost?.total;
`;

describe('the packed package', () => {
  it('ships the build, the data the code reads, the scenarios, their JSON Schema, the fonts, the README and the licence; no tests, benches or CI', () => {
    // Every module built (JS and types), every data file src/ reads at run time, every shipped scenario.
    const sources = walk(join(ROOT, 'src'), (n) => n.endsWith('.ts'));
    const expected = [
      ...sources.flatMap((f) => [`dist/${f.replace(/\.ts$/, '.js')}`, `dist/${f.replace(/\.ts$/, '.d.ts')}`]),
      ...walk(join(ROOT, 'src'), (n) => n.endsWith('.json')),
      ...walk(join(ROOT, 'scenarios'), (n) => n.endsWith('.yaml')),
      'schema/scenario.schema.json',
      'assets/fonts/DejaVuSans.ttf',
      'assets/fonts/DejaVuSans-Bold.ttf',
      'assets/fonts/LICENSE',
      'README.md',
      'LICENSE',
      'package.json',
    ];
    expect(new Set(packed)).toEqual(new Set(expected));
    for (const dir of ['test/', 'bench/', '.ci/'])
      expect(packed.filter((f) => f.startsWith(dir))).toEqual([]);
  });

  it("runs a scenario through `import { loadScenario, runScenario } from 'servesim'`", async () => {
    const got = JSON.parse(await uses.library) as {
      file: string;
      seed: number;
      options: {
        key: string;
        cost: { total: number; lines: { quantity: number; unitPrice: number; amount: number }[] } | null;
      }[];
    };
    // The shipped example, found inside the installed package (not this checkout).
    expect(got.file).toBe(join(APP, 'node_modules/servesim/scenarios/medical-notes.yaml'));
    expect(got.seed).toBe(SEED);
    // The scenario's options, read from its YAML here, in order.
    const yaml = parse(readFileSync(join(ROOT, 'scenarios/medical-notes.yaml'), 'utf8')) as {
      options: { id: string; key?: string }[];
    };
    expect(got.options.map((o) => o.key)).toEqual(yaml.options.map((o) => o.key ?? o.id));
    // Bills that add up: each line is quantity × unit price, the total their sum, CMI's positive.
    for (const o of got.options) {
      if (o.cost === null) continue;
      for (const l of o.cost.lines) expect(l.amount).toBeCloseTo(l.quantity * l.unitPrice, 9);
      expect(o.cost.total).toBeCloseTo(
        o.cost.lines.reduce((sum, l) => sum + l.amount, 0),
        9,
      );
    }
    expect(got.options.find((o) => o.key === 'cmi')!.cost!.total).toBeGreaterThan(0);
    // The same numbers as the sources give in this process.
    const here = runScenario(loadScenarioFile(join(ROOT, 'scenarios/medical-notes.yaml')), { seed: SEED });
    expect(got.options).toEqual(JSON.parse(JSON.stringify(here.result.options)));
  });

  it('gives TypeScript users the types (the exports map names them)', async () => {
    await expect(uses.types).resolves.toBe('');
  });

  it('installs the servesim bin: --version, and a run with charts (the vendored fonts) and sweep workers', async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
      .version;
    expect(await uses.version).toBe(`${version}\n`);

    await uses.run;
    const pngs = readdirSync(REPORT).filter((f) => f.endsWith('.png'));
    expect(pngs.length).toBeGreaterThan(0);
    for (const f of pngs)
      expect(readFileSync(join(REPORT, f)).subarray(0, 8)).toEqual(
        Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
      );
    const results = JSON.parse(readFileSync(join(REPORT, 'results.json'), 'utf8')) as {
      options: { key: string }[];
      breakeven?: unknown;
    };
    expect(results.options.map((o) => o.key)).toContain('cmi');
    // Break-even ran: its sweep workers start from the installed dist/.
    expect(results.breakeven).toBeDefined();
  });
});
