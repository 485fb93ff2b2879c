import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { PARTIAL_FORMAT, PARTIAL_VERSION, type ShardPartial } from '../../../src/planning/shard/partial.js';
import { checkPartials, type PartialFile } from '../../../src/planning/shard/set.js';
import type { VariantOutcome } from '../../../src/planning/sweep/sweep.js';

/* Whether partials make one whole sweep (design §11.7), and what merge says when they do not. */

/** A stand-in outcome that names its task, so the merged order can be read off. */
const outcome = (task: number): VariantOutcome[] => [{ key: `task-${task}` } as VariantOutcome];

/** Shard k of n of a 5-task sweep holding `tasks`, with overrides. */
const file = (k: number, n: number, tasks: number[], over: Partial<ShardPartial> = {}): PartialFile => ({
  path: `p/partial-${k}-of-${n}.json`,
  partial: {
    format: PARTIAL_FORMAT,
    version: PARTIAL_VERSION,
    command: 'forecast',
    args: { seed: 7, months: 12 },
    fingerprint: 'a'.repeat(64),
    servesim: '1.0.0',
    shard: k,
    shards: n,
    tasks: 5,
    frame: { scales: [1] },
    outcomes: Object.fromEntries(tasks.map((i) => [String(i), outcome(i)])),
    ...over,
  },
});

const refuse = (files: PartialFile[], text: string): void => {
  expect(() => checkPartials(files)).toThrow(InputError);
  expect(() => checkPartials(files)).toThrow(text);
};

describe('checkPartials', () => {
  it('puts a whole set, given in any order, back in task order', () => {
    const merged = checkPartials([file(3, 3, [4]), file(1, 3, [0, 3]), file(2, 3, [1, 2])]);
    expect(merged.command).toBe('forecast');
    expect(merged.outcomes.map((o) => o[0]!.key)).toEqual(['task-0', 'task-1', 'task-2', 'task-3', 'task-4']);
    // A shard with no tasks (more shards than tasks) still counts.
    expect(checkPartials([file(1, 2, [0, 1, 2, 3, 4]), file(2, 2, [])]).outcomes).toHaveLength(5);
  });

  it('names the missing shards and their files', () => {
    refuse([file(1, 3, [0, 3]), file(3, 3, [4])], 'missing shard 2 of 3 (partial-2-of-3.json)');
    refuse(
      [file(1, 4, [0, 1, 2, 3, 4])],
      'missing shards 2, 3, 4 of 4 (partial-2-of-4.json, partial-3-of-4.json, partial-4-of-4.json)',
    );
  });

  it('names the file from another sweep and what differs', () => {
    const other = (over: Partial<ShardPartial>) => [
      file(1, 2, [0, 1, 2]),
      file(2, 2, [3, 4], { fingerprint: 'b'.repeat(64), ...over }),
    ];
    refuse(
      other({ args: { seed: 8, months: 12 } }),
      'p/partial-2-of-2.json: belongs to another sweep than p/partial-1-of-2.json (fingerprint differs: seed 8 vs 7)',
    );
    refuse(other({ servesim: '1.1.0' }), 'servesim 1.1.0 wrote it, 1.0.0 the other');
    refuse(other({}), 'the scenario or its price book differs');
    refuse(
      [file(1, 2, [0]), file(2, 2, [1], { command: 'breakeven volume' })],
      'a partial of `servesim breakeven volume`',
    );
    refuse(
      [file(1, 2, [0, 1, 2]), file(2, 3, [3, 4])],
      'p/partial-2-of-3.json: is shard 2 of 3, but p/partial-1-of-2.json is shard 1 of 2',
    );
    refuse([file(1, 2, [0, 1, 2]), file(2, 2, [3, 4], { frame: { scales: [2] } })], 'another task list');
  });

  it("refuses run partials whose base simulations differ (a file the scenario reads changed), keeps the first's", () => {
    const run = (k: number, tasks: number[], result: string): PartialFile =>
      file(k, 2, tasks, { command: 'run', base: { result, dir: `/scenarios/${k}` } });
    refuse(
      [run(1, [0, 1, 2], 'a'.repeat(64)), run(2, [3, 4], 'b'.repeat(64))],
      "p/partial-2-of-2.json: its base simulation differs from p/partial-1-of-2.json's",
    );
    // The folders may differ between machines; the first partial's is where merge reads the files.
    const merged = checkPartials([run(2, [3, 4], 'a'.repeat(64)), run(1, [0, 1, 2], 'a'.repeat(64))]);
    expect(merged.base).toEqual({ result: 'a'.repeat(64), dir: '/scenarios/2' });
    // A unit's result need not be an array (a run's units), but must be an object.
    refuse(
      [
        run(1, [0, 1, 2], 'a'),
        file(2, 2, [3], {
          command: 'run',
          base: { result: 'a', dir: '/' },
          outcomes: { '3': [], '4': 7 as never },
        }),
      ],
      'task "4" is not one of',
    );
  });

  it('refuses a shard given twice, a task in two partials or in none, a task that is not one of the sweep', () => {
    refuse([file(1, 2, [0, 1, 2]), file(1, 2, [0, 1, 2]), file(2, 2, [3, 4])], 'shard 1 of 2 given twice');
    refuse(
      [file(1, 2, [0, 1, 2]), file(2, 2, [2, 3, 4])],
      'task 2 is in both p/partial-1-of-2.json and p/partial-2-of-2.json',
    );
    refuse([file(1, 2, [0, 1]), file(2, 2, [3])], 'tasks 2, 4 of 5 in no partial');
    refuse([file(1, 2, [0, 1, 2]), file(2, 2, [3, 4, 5])], 'task "5" is not one of the sweep\'s 5 tasks');
  });
});
