// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * Layering (docs/design.md §2): each folder may import only the folders below it. The rules here
 * keep it: a forbidden import is a lint error naming the boundary.
 *
 *   commands, cli.ts  → everything (the only code that touches process.stdout / stderr)
 *   report            → compare (results), planning (types only), scenario, pricing, billing
 *   planning          → compare, models, scenario, pricing, billing, traffic, sim
 *   portfolio         → compare, models, scenario, pricing, billing, traffic, sim (issue 21)
 *   compare           → models, scenario, pricing, billing, traffic, sim
 *   models, scenario  → each other, pricing, billing, traffic, sim
 *   pricing           → billing
 *   traffic, sim      → each other's types only (the engine reads an arrival stream)
 *   billing           → nothing but itself: pure functions over its own input shapes
 * report/text/format.ts (number and text formatting) is a leaf anyone may use.
 */
/** Relative imports into any of `names` (`../x/…`, `../../x/…`), except report/text/format.js. */
const forbid = (names, why, extra = {}) => ({
  regex: `^(\\.\\./)+(${names.join('|')})/(?!text/format\\.js$)`,
  message: why,
  ...extra,
});
const boundary = (files, ...patterns) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'reports/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  { files: ['bench/**', 'src/cli.ts', 'src/commands/**'], rules: { 'no-console': 'off' } },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli.ts', 'src/commands/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'stdout',
          message: 'only src/commands/ and src/cli.ts write to the terminal',
        },
        {
          object: 'process',
          property: 'stderr',
          message: 'only src/commands/ and src/cli.ts write to the terminal',
        },
      ],
    },
  },
  boundary(
    ['src/sim/**/*.ts'],
    forbid(
      ['models', 'pricing', 'billing', 'report', 'commands', 'compare', 'planning'],
      'sim/ is the engine: it knows fleets and requests, not serving options, prices, bills or reports',
    ),
  ),
  boundary(
    ['src/traffic/**/*.ts'],
    forbid(
      ['models', 'pricing', 'billing', 'report', 'commands', 'compare', 'planning'],
      'traffic/ makes and reads arrival streams; it knows nothing of options, prices or results',
    ),
  ),
  boundary(
    ['src/billing/**/*.ts'],
    forbid(
      ['sim', 'traffic', 'models', 'pricing', 'scenario', 'report', 'commands', 'compare', 'planning'],
      'billing/ is pure functions over its own input shapes: pass it numbers, not engine or trace objects',
    ),
  ),
  boundary(
    ['src/pricing/**/*.ts'],
    forbid(
      ['sim', 'traffic', 'models', 'report', 'commands', 'compare', 'planning'],
      'pricing/ is the price book',
    ),
  ),
  boundary(
    ['src/models/**/*.ts', 'src/scenario/**/*.ts'],
    forbid(
      ['report', 'commands', 'compare', 'planning'],
      'models/ and scenario/ sit below the run: a serving option carries its knowledge through ServingOption hooks',
    ),
  ),
  boundary(
    ['src/compare/**/*.ts'],
    forbid(
      ['planning', 'report', 'commands'],
      'compare/ is the run core: the analyses (planning/) build on it, not it on them',
    ),
  ),
  boundary(
    ['src/portfolio/**/*.ts'],
    forbid(
      ['report', 'commands', 'planning'],
      'portfolio/ builds on the run core (compare/) beside planning/; report/ and commands/ present it',
    ),
  ),
  boundary(
    ['src/planning/**/*.ts'],
    forbid(['report', 'commands'], 'planning/ returns results; report/ and commands/ present them'),
  ),
  boundary(
    ['src/report/**/*.ts'],
    forbid(
      ['models', 'commands'],
      'report/ presents results: it reads what the result types carry, never a model',
    ),
    forbid(['planning'], 'report/ may use planning result types, not its functions', {
      allowTypeImports: true,
    }),
  ),
);
