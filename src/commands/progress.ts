import cliProgress from 'cli-progress';

/*
 * Progress on stderr. On a terminal: a bar, shown only once the work has taken more than a second
 * (a quick run never flashes one) and cleared when done. Elsewhere (pipes, CI logs): one line per
 * step, as before. With --quiet or --json: nothing.
 */

export type ProgressMode = 'bar' | 'lines' | 'off';

export class Progress {
  private bar: cliProgress.SingleBar | null = null;
  private done = 0;
  private readonly started = Date.now();

  constructor(
    private total: number,
    private readonly mode: ProgressMode,
    private readonly write: (text: string) => void,
    private readonly delayMs = 1000,
  ) {}

  /** More steps than first announced (e.g. the charts, known once the simulation is done). */
  addSteps(n: number): void {
    this.total += n;
    this.bar?.setTotal(this.total);
  }

  /** One step finished; `label` says which ("simulated cmi (1/2)"); `log`: a line too when not on a terminal. */
  tick(label: string, log = true): void {
    this.done++;
    if (this.mode === 'lines' && log) this.write(`  ${label}\n`);
    if (this.mode !== 'bar') return;
    if (this.bar === null && Date.now() - this.started >= this.delayMs && this.done < this.total) {
      this.bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: 'servesim {bar} {percentage}% | {task}',
          barsize: 30,
          hideCursor: true,
          clearOnComplete: true,
          gracefulExit: true,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(this.total, this.done, { task: label });
      return;
    }
    this.bar?.update(this.done, { task: label });
  }

  /** Clears the bar (if any); call before printing results. */
  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

/** Progress for a sweep whose size grows as it runs: a bar on a terminal, else nothing. */
export function sweepProgress(progress: Progress, label: string): (done: number, total: number) => void {
  let announced = 0;
  return (done, total) => {
    if (total > announced) progress.addSteps(total - announced);
    announced = Math.max(announced, total);
    progress.tick(`${label} ${done}/${total}`, false);
  };
}
