import type { Argv } from 'yargs';
import { DEFAULT_DEADLINE_MS, DEFAULT_TIMEOUT_MS, durationText, type NetworkBounds } from '../network.js';
import { durationFlag, single } from './trace/flags.js';

/*
 * `--timeout` and `--deadline`, the flags of every command that calls AWS (trace import
 * cloudwatch, replay, prices refresh; issue 17 item 2). Retries follow AWS_MAX_ATTEMPTS and
 * AWS_RETRY_MODE (src/network.ts).
 */

/** The two flags' yargs options. */
export const NETWORK_FLAGS = {
  timeout: {
    type: 'string',
    describe: `Most time one AWS request may take, answer included (default ${durationText(DEFAULT_TIMEOUT_MS)}; retries: AWS_MAX_ATTEMPTS)`,
  },
  deadline: {
    type: 'string',
    describe: `Most time all the AWS requests may take together (default ${durationText(DEFAULT_DEADLINE_MS)})`,
  },
} as const;

/** Adds `--timeout DURATION` and `--deadline DURATION`. */
export const networkFlags = <T>(y: Argv<T>) =>
  y.option('timeout', NETWORK_FLAGS.timeout).option('deadline', NETWORK_FLAGS.deadline);

/** The bounds the flags give; a bad duration is exit 2 naming the flag. */
export function networkBounds(argv: Record<string, unknown>): NetworkBounds {
  const ms = (name: string): number | undefined => {
    const v = single(argv[name], name);
    return v === undefined ? undefined : Math.max(1, Math.round(durationFlag(v, `--${name}`) * 1000));
  };
  const timeoutMs = ms('timeout');
  const deadlineMs = ms('deadline');
  return {
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(deadlineMs !== undefined ? { deadlineMs } : {}),
  };
}
