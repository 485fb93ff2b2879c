import { displayWidth, wrap } from '../report/text/width.js';

/*
 * Progress on stderr. On a terminal: one bar line with the share done and an ETA, shown only once
 * the work has taken more than a second (a quick run never flashes one) and cleared when done.
 * Elsewhere (pipes, CI logs): one line per step. With --quiet or --json: nothing.
 *
 * The share never goes backwards (issue 18). Work is announced as it is discovered (the charts once
 * the simulation is done, a sweep's points as it runs), so `done / total` would drop each time; instead,
 * steps added later share out what was left of the bar: from the share shown when they arrive, each
 * step advances it by (1 − that share − reserve) / (steps left), where `reserve` is a part of the bar
 * kept for work not announced yet (`reserve`, `addSteps(n, keep)`). The ETA is
 * elapsed × (1 − share) / share.
 */

export type ProgressMode = 'bar' | 'lines' | 'off';

/** Redraw at most this often (ms): a fast sweep would otherwise flood a slow terminal. */
const REDRAW_MS = 100;
/** No ETA before this share and this many ms: the first steps say little about the rest. */
const ETA_FROM = { share: 0.02, ms: 1000 };

export class Progress {
  private done = 0;
  /** The share shown when steps were last added, the steps done then, and the share kept for later work. */
  private base = { share: 0, done: 0, reserve: 0 };
  private readonly started: number;
  private shown = false;
  private drawn = -Infinity;

  constructor(
    private total: number,
    private readonly mode: ProgressMode,
    private readonly write: (text: string) => void,
    private readonly delayMs = 1000,
    /** Tests: the clock (ms). */
    private readonly now: () => number = Date.now,
    /** Columns of the terminal the bar is drawn on. */
    private readonly columns = process.stderr.columns || 80,
  ) {
    this.started = now();
  }

  /**
   * Keeps `share` (0–1) of what is left of the bar for work announced later: the steps announced so
   * far fill the rest. `servesim run` keeps most of it for the analyses that follow the simulations.
   */
  reserve(share: number): void {
    this.rebase(this.share(), share);
  }

  /**
   * More steps than first announced (e.g. the charts, known once the simulation is done); `keep`
   * (0–1) of what is then left of the bar stays reserved for work announced after them.
   */
  addSteps(n: number, keep = 0): void {
    if (n <= 0) return;
    const now = this.share(); // before the new steps: they only share out what is left
    this.total += n;
    this.rebase(now, keep);
  }

  private rebase(now: number, keep: number): void {
    this.base = { share: now, done: this.done, reserve: keep * (1 - now) };
  }

  /** The share of the work done, 0–1: never less than at any earlier call. */
  share(): number {
    const { share, done, reserve } = this.base;
    const left = this.total - done;
    if (left <= 0) return this.total > 0 ? 1 - reserve : share;
    return Math.min(1, share + ((1 - share - reserve) * Math.min(left, this.done - done)) / left);
  }

  /** Seconds to go at the pace so far; null too early to say. */
  etaSeconds(): number | null {
    const s = this.share();
    const elapsed = this.now() - this.started;
    if (s < ETA_FROM.share || elapsed < ETA_FROM.ms) return null;
    return ((elapsed / 1000) * (1 - s)) / s;
  }

  /** One step finished; `label` says which ("simulated cmi (1/2)"); `log`: a line too when not on a terminal. */
  tick(label: string, log = true): void {
    this.done++;
    if (this.mode === 'lines' && log) this.write(`  ${label}\n`);
    if (this.mode !== 'bar') return;
    const t = this.now();
    if (!this.shown && (t - this.started < this.delayMs || this.done >= this.total)) return;
    if (this.shown && t - this.drawn < REDRAW_MS) return;
    this.shown = true;
    this.drawn = t;
    this.write(`\r\x1b[K${this.line(label)}`);
  }

  /** `servesim ██████░░░░ 62% ETA 1m 05s | simulated cmi (1/10)`, within the terminal's width. */
  line(label: string): string {
    const s = this.share();
    const filled = Math.round(s * 20);
    const eta = this.etaSeconds();
    const head = `servesim ${'█'.repeat(filled)}${'░'.repeat(20 - filled)} ${Math.floor(s * 100)}%${eta === null ? '' : ` ETA ${duration(eta)}`}`;
    const room = this.columns - 1 - displayWidth(head) - 3;
    return room >= 8 ? `${head} | ${wrap(label, room)[0] ?? ''}` : head;
  }

  /** Clears the bar (if any); call before printing results. */
  stop(): void {
    if (this.shown) this.write('\r\x1b[K');
    this.shown = false;
  }
}

/** `45s`, `3m 05s`, `1h 02m`. */
function duration(s: number): string {
  const x = Math.round(s);
  if (x < 60) return `${x}s`;
  if (x < 3600) return `${Math.floor(x / 60)}m ${String(x % 60).padStart(2, '0')}s`;
  return `${Math.floor(x / 3600)}h ${String(Math.floor((x % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Progress for a sweep whose size grows as it runs: a bar on a terminal, else nothing. `keep`: the
 * part of the bar left for work after the sweep (as `Progress.addSteps`).
 */
export function sweepProgress(
  progress: Progress,
  label: string,
  keep = 0,
): (done: number, total: number) => void {
  let announced = 0;
  return (done, total) => {
    if (total > announced) progress.addSteps(total - announced, keep);
    announced = Math.max(announced, total);
    progress.tick(`${label} ${done}/${total}`, false);
  };
}
