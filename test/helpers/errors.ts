import { expect } from 'vitest';
import { InputError } from '../../src/errors.js';

/** The InputError `f` throws; fails the test when it throws something else or nothing. */
export function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}
