import { InputError } from '../errors.js';
import { SloClass, SloPercentile, type Slo } from '../scenario/schema.js';
import { parseDuration } from '../scenario/units.js';

const FLAG = '--slo';
const EXAMPLE = 'e.g. --slo p95=2s or --slo p99=5s,class=all';

/**
 * `servesim run --slo p95=2s[,class=interactive|batch|all]` → the SLO it names (docs/slo.md).
 * Bad input is an InputError naming `--slo` and the part at fault (exit 2).
 */
export function parseSloFlag(v: unknown): Slo {
  if (Array.isArray(v)) throw new InputError(`given more than once; give it once (${EXAMPLE})`, FLAG);
  const text = typeof v === 'string' ? v.trim() : '';
  if (text === '') throw new InputError(`needs a value: a percentile and a target, ${EXAMPLE}`, FLAG);
  const [head, ...rest] = text.split(',').map((p) => p.trim());
  const m = /^([^=]*)=(.*)$/.exec(head!);
  if (!m) throw new InputError(`expected <percentile>=<target>, got "${head}"; ${EXAMPLE}`, FLAG);
  const percentile = SloPercentile.safeParse(m[1]!.trim().toLowerCase());
  if (!percentile.success)
    throw new InputError(
      `unknown percentile "${m[1]}"; use ${SloPercentile.options.join(', ')} (${EXAMPLE})`,
      `${FLAG} percentile`,
    );
  const target = parseDuration(m[2]!.trim());
  if (target === undefined)
    throw new InputError(
      `target "${m[2]}" is not a duration${/^\s*-/.test(m[2]!) ? ' (it must be positive)' : ''}; write e.g. 2s, 500ms or 1m`,
      `${FLAG} target`,
    );
  if (!(target > 0))
    throw new InputError(`target must be greater than zero, got "${m[2]}"`, `${FLAG} target`);
  let cls: Slo['class'] = 'interactive';
  for (const part of rest) {
    const kv = /^class=(.*)$/.exec(part);
    const c = kv ? SloClass.safeParse(kv[1]!.trim()) : undefined;
    if (!kv)
      throw new InputError(
        `unknown part "${part}"; after the target only class=… may follow (${EXAMPLE})`,
        FLAG,
      );
    if (!c?.success)
      throw new InputError(`unknown class "${kv[1]}"; use ${SloClass.options.join(', ')}`, `${FLAG} class`);
    cls = c.data;
  }
  return { percentile: percentile.data, target, class: cls };
}
