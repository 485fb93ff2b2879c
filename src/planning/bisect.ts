/**
 * The one bisection the planning searches share (the SLO's cheapest count, sensitivity thresholds,
 * the fitted slots per copy). Each has a bracket whose ends answer a yes/no question differently
 * and asks it at the middle until the ends are adjacent whole numbers (`'integer'`) or at most
 * `step` apart, assuming the answer changes once in between.
 */

/**
 * Narrows [`yes`, `no`] — `test(yes)` true, `test(no)` false; either may be the larger — by
 * asking `test` at the midpoint (rounded down for integers) and moving the end that gave the same
 * answer. Tests are asked one at a time, in order, so a test may record what it saw.
 * Example: yes 1, no 100, test x ≤ 37, 'integer' → {yes: 37, no: 38} after 6 tests.
 */
export async function bisect(
  yes: number,
  no: number,
  test: (x: number) => Promise<boolean>,
  step: number | 'integer',
): Promise<{ yes: number; no: number }> {
  const integer = step === 'integer';
  const width = integer ? 1 : step;
  while (Math.abs(no - yes) > width) {
    const mid = integer ? Math.floor((yes + no) / 2) : (yes + no) / 2;
    if (await test(mid)) yes = mid;
    else no = mid;
  }
  return { yes, no };
}
