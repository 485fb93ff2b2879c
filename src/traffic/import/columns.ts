import { InputError } from '../../errors.js';
import { MSG } from '../messages.js';
import type { TraceKind } from '../trace/format.js';

/*
 * Which input column plays which role (timestamp, tokens, class, counts): explicit names from the
 * flags, else the first alias found. Only these columns are ever read.
 */

/** Column roles and the names recognised for each (compared lower-case, ignoring `_`, `-`, spaces). */
export const COLUMN_ALIASES = {
  time: ['t_s', 'timestamp', 'time', 'ts', 'arrival_time', 'created_at', 'datetime', 'date', 'start_time'],
  input: [
    'input_tokens',
    'input_length',
    'prompt_tokens',
    'context_tokens',
    'request_tokens',
    'input_token_count',
    'num_input_tokens',
    'prompt_len',
  ],
  output: [
    'output_tokens',
    'output_length',
    'completion_tokens',
    'generated_tokens',
    'response_tokens',
    'output_token_count',
    'num_output_tokens',
    'response_len',
  ],
  class: ['class', 'request_class'],
  requests: ['requests', 'invocations', 'count', 'request_count', 'num_requests'],
  throttles: ['throttles', 'invocation_throttles'],
  modelCopies: ['model_copies', 'model_copy', 'modelcopy', 'copies'],
} as const;
export type ColumnRole = keyof typeof COLUMN_ALIASES;

const FLAG: Record<ColumnRole, string> = {
  time: '--time-column',
  input: '--input-column',
  output: '--output-column',
  class: '--class-column',
  requests: '--requests-column',
  throttles: '--throttles-column',
  modelCopies: '--copies-column',
};

const ROLE_NAME: Record<ColumnRole, string> = {
  time: 'timestamp',
  input: 'input-token',
  output: 'output-token',
  class: 'class',
  requests: 'request-count',
  throttles: 'throttles',
  modelCopies: 'model-copies',
};
function normalize(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.]/g, '');
}

/** The column index of each role, from explicit names or aliases; errors list the columns found. */
export function resolveColumns(
  found: readonly string[],
  named: Partial<Record<ColumnRole, string>>,
  kind: TraceKind | 'auto',
  where: string,
): { kind: TraceKind; index: Record<ColumnRole, number>; names: Partial<Record<ColumnRole, string>> } {
  const norm = found.map(normalize);
  const index = {} as Record<ColumnRole, number>;
  const names: Partial<Record<ColumnRole, string>> = {};
  for (const role of Object.keys(COLUMN_ALIASES) as ColumnRole[]) {
    const explicit = named[role];
    let i = -1;
    if (explicit !== undefined) {
      i = found.indexOf(explicit);
      if (i < 0) i = norm.indexOf(normalize(explicit));
      if (i < 0) throw new InputError(MSG.unknownColumn(explicit, found, FLAG[role]), where);
    } else {
      for (const alias of COLUMN_ALIASES[role]) {
        i = norm.indexOf(normalize(alias));
        if (i >= 0) break;
      }
    }
    index[role] = i;
    if (i >= 0) names[role] = found[i]!;
  }
  const resolvedKind: TraceKind = kind === 'auto' ? (index.requests >= 0 ? 'binned' : 'requests') : kind;
  const required: ColumnRole[] =
    resolvedKind === 'binned' ? ['time', 'requests', 'input', 'output'] : ['time', 'input', 'output'];
  for (const role of required)
    if (index[role] < 0)
      throw new InputError(
        MSG.missingColumn(ROLE_NAME[role], COLUMN_ALIASES[role], found, FLAG[role]),
        where,
      );
  return { kind: resolvedKind, index, names };
}
