import { describe, expect, it } from 'vitest';
import { Progress, sweepProgress } from '../../src/commands/progress.js';
import { displayWidth } from '../../src/report/text/width.js';

describe('Progress', () => {
  it('writes one line per logged step when not on a terminal', () => {
    const lines: string[] = [];
    const p = new Progress(2, 'lines', (t) => lines.push(t));
    p.tick('simulated a (1/2)');
    p.tick('simulated b (2/2)');
    p.addSteps(1);
    p.tick('rendered chart (1/1)', false);
    p.stop();
    expect(lines).toEqual(['  simulated a (1/2)\n', '  simulated b (2/2)\n']);
  });

  it('writes nothing when off (--quiet, --json)', () => {
    const lines: string[] = [];
    const p = new Progress(1, 'off', (t) => lines.push(t));
    p.tick('simulated a (1/1)');
    p.stop();
    expect(lines).toEqual([]);
  });

  it('shows no bar for work shorter than its delay', () => {
    const lines: string[] = [];
    const p = new Progress(3, 'bar', (t) => lines.push(t), 60_000);
    p.tick('step');
    p.tick('step');
    p.stop();
    expect(lines).toEqual([]);
  });
});

describe('Progress share and ETA (issue 18: never backwards)', () => {
  it('keeps the share it showed when a later phase announces more steps', () => {
    // The case: break-even at 47 of 56 steps (83.9 %), then sensitivity adds 41 more.
    const p = new Progress(56, 'off', () => undefined);
    for (let i = 0; i < 47; i++) p.tick('break-even');
    expect(p.share()).toBeCloseTo(47 / 56, 12);
    p.addSteps(41);
    expect(p.share()).toBeCloseTo(47 / 56, 12); // not 47 / 97 = 48 %
    // The 50 steps left (9 + 41) share the remaining 9/56 of the bar: 9/56 ÷ 50 each.
    p.tick('sensitivity 1/41');
    expect(p.share()).toBeCloseTo(47 / 56 + 9 / 56 / 50, 12);
    for (let i = 1; i < 50; i++) p.tick('sensitivity');
    expect(p.share()).toBeCloseTo(1, 12);
  });

  it('never decreases over a run whose work is discovered as it goes', () => {
    const p = new Progress(10, 'off', () => undefined);
    const shares: number[] = [];
    const grow = sweepProgress(p, 'analysis');
    const step = (f: () => void) => {
      f();
      shares.push(p.share());
    };
    for (let i = 0; i < 10; i++) step(() => p.tick('simulated'));
    // A sweep that finds its size in rounds: 8, then 20, then 41 points.
    for (let d = 1; d <= 41; d++) step(() => grow(d, d <= 8 ? 8 : d <= 20 ? 20 : 41));
    p.addSteps(5); // the charts
    for (let i = 0; i < 5; i++) step(() => p.tick('rendered', false));
    for (let i = 1; i < shares.length; i++) expect(shares[i]!).toBeGreaterThanOrEqual(shares[i - 1]!);
    expect(shares.at(-1)).toBeCloseTo(1, 12);
  });

  it('keeps a reserved part of the bar for work announced later', () => {
    // `servesim run`: the 10 simulations fill the first quarter; the analyses, announced later, the rest.
    const p = new Progress(10, 'off', () => undefined);
    p.reserve(0.75);
    for (let i = 0; i < 10; i++) p.tick('simulated');
    expect(p.share()).toBeCloseTo(0.25, 12); // not 100 % with most of the work to come
    // 4 sweep steps, keeping 20 % of the remaining 0.75 (0.15) for the charts: each step 0.6 / 4.
    p.addSteps(4, 0.2);
    p.tick('sweep');
    p.tick('sweep');
    expect(p.share()).toBeCloseTo(0.25 + 0.15 + 0.15, 12);
    p.tick('sweep');
    p.tick('sweep');
    expect(p.share()).toBeCloseTo(0.85, 12);
    p.addSteps(3); // the charts take the last 0.15
    for (let i = 0; i < 3; i++) p.tick('rendered');
    expect(p.share()).toBeCloseTo(1, 12);
  });

  it('estimates the time left from the pace so far', () => {
    let t = 0;
    const p = new Progress(
      4,
      'off',
      () => undefined,
      0,
      () => t,
    );
    t = 500;
    p.tick('a');
    expect(p.etaSeconds()).toBeNull(); // under a second: too early to say
    t = 10_000;
    p.tick('b');
    // Half done in 10 s: 10 s to go.
    expect(p.etaSeconds()).toBeCloseTo(10, 9);
  });

  it('draws a bar whose percentage never drops and whose line fits the terminal', () => {
    let t = 0;
    const drawn: string[] = [];
    const p = new Progress(
      3,
      'bar',
      (s) => drawn.push(s),
      1000,
      () => t,
      60,
    );
    for (const step of ['a', 'b']) {
      t += 2000;
      p.tick(`simulated ${step} with a label long enough to be cut at sixty columns`);
    }
    p.addSteps(10);
    for (let i = 0; i < 11; i++) {
      t += 2000;
      p.tick(`sweep ${i}`);
    }
    p.stop();
    const bars = drawn.filter((s) => s.includes('%'));
    expect(bars.length).toBeGreaterThan(5);
    const pcts = bars.map((s) => Number(/ (\d+)%/.exec(s)![1]));
    for (let i = 1; i < pcts.length; i++) expect(pcts[i]!).toBeGreaterThanOrEqual(pcts[i - 1]!);
    for (const s of bars) expect(displayWidth(s.replace('\r\x1b[K', ''))).toBeLessThan(60);
    expect(bars.some((s) => / ETA \d+s/.test(s))).toBe(true);
    expect(drawn.at(-1)).toBe('\r\x1b[K'); // cleared
  });
});
