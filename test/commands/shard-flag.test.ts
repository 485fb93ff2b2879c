import { describe, expect, it } from 'vitest';
import { parseShard, shardFlag } from '../../src/commands/shard-flag.js';
import { InputError } from '../../src/errors.js';

/* `--shard K/N` and `--shards N` with the array-job index (design §11.7). */

const none = {};
const refuse = (f: () => unknown, text: string): void => {
  expect(f).toThrow(InputError);
  expect(f).toThrow(text);
};

describe('parseShard', () => {
  it('reads K/N, 1-based, spaces allowed', () => {
    expect(parseShard('1/1')).toEqual({ k: 1, n: 1 });
    expect(parseShard('2/8')).toEqual({ k: 2, n: 8 });
    expect(parseShard(' 8 / 8 ')).toEqual({ k: 8, n: 8 });
  });

  it('refuses K outside 1..N, N < 1 and anything not K/N, naming --shard', () => {
    refuse(() => parseShard('0/3'), '--shard 0/3: K must be between 1 and 3');
    refuse(() => parseShard('4/3'), '--shard 4/3: K must be between 1 and 3');
    refuse(() => parseShard('1/0'), '--shard 1/0: N must be a whole number ≥ 1');
    for (const bad of ['', '3', '1/3/4', '-1/3', '1.5/3', 'a/b', '1/'])
      refuse(
        () => parseShard(bad),
        `--shard must be K/N (slice K of N, 1-based), e.g. --shard 2/8; got "${bad}"`,
      );
  });
});

describe('shardFlag', () => {
  it('is undefined without either flag, whatever the environment says', () => {
    expect(shardFlag({}, { AWS_BATCH_JOB_ARRAY_INDEX: '2' })).toBeUndefined();
  });

  it('takes K = index + 1 from AWS_BATCH_JOB_ARRAY_INDEX or JOB_COMPLETION_INDEX', () => {
    expect(shardFlag({ shards: '4' }, { AWS_BATCH_JOB_ARRAY_INDEX: '0' })).toEqual({ k: 1, n: 4 });
    expect(shardFlag({ shards: '4' }, { JOB_COMPLETION_INDEX: '3' })).toEqual({ k: 4, n: 4 });
    // Both set (a Batch job on EKS, say) is fine when they agree.
    expect(shardFlag({ shards: '4' }, { AWS_BATCH_JOB_ARRAY_INDEX: '2', JOB_COMPLETION_INDEX: '2' })).toEqual(
      {
        k: 3,
        n: 4,
      },
    );
    // An explicit --shard wins over the environment.
    expect(shardFlag({ shard: '1/2' }, { JOB_COMPLETION_INDEX: '1' })).toEqual({ k: 1, n: 2 });
  });

  it('refuses --shards without an index, an index out of range or not whole, and both flags', () => {
    refuse(
      () => shardFlag({ shards: '3' }, none),
      "--shards 3 takes this shard's index from AWS_BATCH_JOB_ARRAY_INDEX or JOB_COMPLETION_INDEX",
    );
    refuse(() => shardFlag({ shards: '3' }, { JOB_COMPLETION_INDEX: ' ' }), 'neither is set');
    refuse(
      () => shardFlag({ shards: '3' }, { JOB_COMPLETION_INDEX: '3' }),
      'JOB_COMPLETION_INDEX=3 is outside 0..2 for --shards 3',
    );
    refuse(
      () => shardFlag({ shards: '3' }, { AWS_BATCH_JOB_ARRAY_INDEX: '-1' }),
      'AWS_BATCH_JOB_ARRAY_INDEX must be a whole number ≥ 0',
    );
    refuse(
      () => shardFlag({ shards: '3' }, { AWS_BATCH_JOB_ARRAY_INDEX: '0', JOB_COMPLETION_INDEX: '1' }),
      'AWS_BATCH_JOB_ARRAY_INDEX=0 and JOB_COMPLETION_INDEX=1 disagree',
    );
    refuse(
      () => shardFlag({ shards: '0' }, { JOB_COMPLETION_INDEX: '0' }),
      '--shards must be a whole number ≥ 1',
    );
    refuse(
      () => shardFlag({ shards: 'two' }, { JOB_COMPLETION_INDEX: '0' }),
      '--shards must be a whole number ≥ 1',
    );
    refuse(
      () => shardFlag({ shard: '1/3', shards: '3' }, { JOB_COMPLETION_INDEX: '0' }),
      'give either --shard K/N or --shards N',
    );
    refuse(() => shardFlag({ shard: ['1/3', '2/3'] }, none), '--shard given more than once');
  });
});
