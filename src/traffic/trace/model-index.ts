import { InputError } from '../../errors.js';
import { MSG } from '../messages.js';
import { isModelName } from './format.js';

/**
 * The `model` column's names as small integers (issue 21 item 4): a reader keeps one index per
 * row instead of a string, and only when the file has the column, so a single-model trace costs
 * nothing. Names come from the header's `models=` list (then a row naming another is an error) or,
 * without it, in order of first appearance. Each name is validated once, when first met.
 */
export class ModelIndex {
  /** The names by index; grows as rows name new models when the header listed none. */
  readonly names: string[];
  private readonly byName = new Map<string, number>();
  private readonly listed: boolean;

  constructor(listed: readonly string[] | undefined) {
    this.listed = listed !== undefined;
    this.names = [...(listed ?? [])];
    this.names.forEach((n, i) => this.byName.set(n, i));
  }

  /** The index of a row's model; `where` (file:line) is built only for a bad or new name. */
  of(raw: string | undefined, where: () => string): number {
    const known = raw === undefined ? undefined : this.byName.get(raw);
    if (known !== undefined) return known;
    const name = raw?.trim() ?? '';
    if (name !== raw) {
      const again = this.byName.get(name);
      if (again !== undefined) return again;
    }
    if (!isModelName(name)) throw new InputError(MSG.badModelName(name), where());
    if (this.listed) throw new InputError(MSG.modelNotListed(name, this.names), where());
    this.byName.set(name, this.names.length);
    this.names.push(name);
    return this.names.length - 1;
  }

  /** The index of `name`, or −1 when no row (or the header) has named it yet. */
  find(name: string): number {
    return this.byName.get(name) ?? -1;
  }

  /** Whether the header listed the names (so `names` is complete before any row is read). */
  get complete(): boolean {
    return this.listed;
  }
}
