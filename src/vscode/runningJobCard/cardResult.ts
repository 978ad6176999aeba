// Which finished run the card keeps once nothing runs: the last running job's run, from the moment
// it ends until another job starts or the user dismisses it. A run that went back to the queue
// (Cancel + Return) is not a result: the job is waiting again. No `vscode` import: unit-tested.
import { isFinished, type Job } from '../../core';

export interface RunRef {
  id: string;
  attempt: number;
}

export class LastResult {
  private running: RunRef[] = [];
  private kept: RunRef | undefined;

  /** The run kept, if any. */
  get current(): RunRef | undefined {
    return this.kept;
  }

  /**
   * Called with the running jobs after every change. When the last of them has ended, the run among
   * those that ended last is kept; as soon as anything runs, nothing is.
   */
  observe(running: readonly Job[], find: (id: string) => Job | undefined): void {
    if (running.length > 0) {
      this.kept = undefined;
    } else if (this.running.length > 0) {
      const ended = this.running
        .map((ref) => find(ref.id))
        .filter((job): job is Job => job !== undefined && isFinished(job.status) && this.running.some((r) => r.id === job.id && r.attempt === job.attempt))
        .sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0));
      const last = ended[ended.length - 1];
      this.kept = last ? { id: last.id, attempt: last.attempt } : undefined;
    }
    this.running = running.map((job) => ({ id: job.id, attempt: job.attempt }));
  }

  dismiss(): void {
    this.kept = undefined;
  }
}
