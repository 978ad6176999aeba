// Starting and ending runs: the one dispatch path (auto-run and Send Job alike), the gate that keeps
// a process from acting before its start is durable, and the record of each run's end.
import * as fs from 'node:fs';
import * as lifecycle from '../lifecycle';
import type { Job } from '../model';
import { shellProblem } from '../runner/shellCheck';
import type { JobExecution, RunExit } from '../runner/types';
import type { ActiveRun, QueueState } from './queueState';

/** After a write failed (disk full), dispatch is tried again this much later. */
const STORAGE_RETRY_MS = 5000;

export class Dispatcher {
  private dispatching = false;
  private dispatchAgain = false;
  /** While opening resolves the running jobs: nothing dispatches and no exit record is dropped. */
  restoring = false;
  private storageRetry: NodeJS.Timeout | undefined;

  constructor(private readonly state: QueueState, private readonly mayDispatch: () => boolean) {
    state.retryLater = () => this.retryLater();
  }

  /**
   * The one dispatch path. Never re-entered: a run that ends while dispatching (a job that cannot
   * start) asks for another round instead of calling back in.
   */
  dispatch(): void {
    const s = this.state;
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    if (s.disposed || this.restoring || s.dispatchHold !== undefined || !this.mayDispatch()) return;
    this.dispatching = true;
    try {
      do {
        this.dispatchAgain = false;
        this.dispatchRound();
      } while (this.dispatchAgain && !s.disposed);
    } finally {
      this.dispatching = false;
    }
    this.forgetExitRecordsIfIdle();
    // Get the log of the job most likely to start next ready while the current ones run.
    const next = s.queued[this.nextIndex()] ?? (s.autoRun ? undefined : s.queued[0]);
    if (next && !s.paused) s.runner.prepareLog?.(s.files.logPathFor(next));
  }

  /** Makes the process of a run found running again part of this host's runs. */
  track(job: Job, execution: JobExecution): ActiveRun {
    let resolveFinished!: (job: Job) => void;
    const finished = new Promise<Job>((resolve) => (resolveFinished = resolve));
    const run: ActiveRun = { job, execution, intent: undefined, finished, resolveFinished };
    this.state.running.set(job.id, run);
    this.state.monitor.watch(job);
    void execution.exited.then((exit) => {
      if (!this.state.disposed && this.state.running.get(job.id) === run) this.onRunExited(run, exit);
    });
    return run;
  }

  /** Asks a run to end; resolves with its finished record once its whole tree is gone. */
  endRun(run: ActiveRun, intent: Exclude<lifecycle.EndIntent, undefined>): Promise<Job> {
    run.intent ??= intent;
    run.ending ??= run.execution.terminate(this.state.options.cancelGraceMs);
    return run.finished;
  }

  /** Records a run's end (and, for cancel + return, puts the job back), then dispatches. */
  finishRun(job: Job, exit: RunExit, intent: lifecycle.EndIntent): Job {
    const s = this.state;
    const done = lifecycle.finished(job, exit, intent);
    const back = intent === 'cancelAndRequeue' ? lifecycle.requeued(job) : undefined;
    try {
      s.files.recordAll([{ type: 'finished', job: done }, ...(back ? [{ type: 'returned' as const, job: back }] : [])]);
    } catch (error) {
      // The end is known here but not on disk: the runner's exit record stays until the next open.
      s.unrecordedEnds = true;
      s.storageFailed(error);
    }
    s.running.delete(job.id);
    s.monitor.unwatch(job.id);
    s.addFinished(done);
    if (back) {
      s.queued.push(back);
      s.emit({ type: 'jobChanged', job: back });
      s.emitQueue();
    }
    s.compactIfLarge();
    s.saveSnapshot();
    this.dispatch();
    this.forgetExitRecordsIfIdle();
    return done;
  }

  /** With nothing running, every exit record is in the history: the runner may drop them. */
  forgetExitRecordsIfIdle(): void {
    const s = this.state;
    if (s.running.size === 0 && !this.dispatching && !this.restoring && !s.unrecordedEnds) s.runner.forgetFinishedRuns?.();
  }

  dispose(): void {
    if (this.storageRetry) clearTimeout(this.storageRetry);
  }

  /** Starts what the free slots allow: every intent recorded, processes made (held), one sync, then released. */
  private dispatchRound(): void {
    const s = this.state;
    const taken: Job[] = [];
    let left = 0;
    while (!s.paused && s.running.size + taken.length < s.options.maxParallelJobs) {
      const index = this.nextIndex();
      if (index < 0) break;
      const job = s.queued.splice(index, 1)[0]!;
      left++;
      const refusal = this.checkCanStart(job);
      // A job that cannot start has no effect to record ahead: it fails at once, plainly.
      if (refusal) this.finishRun(lifecycle.started(job, Date.now(), s.files.logPathFor(job)), { error: refusal, finishedAt: Date.now() }, undefined);
      else taken.push(job);
    }
    if (taken.length === 0) {
      if (left > 0) s.emitQueue();
      return;
    }
    const intents = taken.map((job) => lifecycle.started(job, Date.now(), s.files.logPathFor(job)));
    try {
      s.files.recordAll(intents.map((job) => ({ type: 'starting' as const, job })));
    } catch (error) {
      // Nothing may start that is not recorded: put them back, say why, try again later.
      s.queued.unshift(...taken);
      s.storageFailed(error);
      return;
    }
    const held = intents.flatMap((job) => this.start(job) ?? []);
    // After the starts: views re-read the snapshot on this event, and the jobs must be running by then.
    s.emitQueue();
    s.saveSnapshot();
    // The processes exist but wait at their gate until the intents are on the disk (one sync for
    // the round, off the main thread): record before you act, with spawning and syncing overlapped.
    if (held.length > 0) {
      s.files.commitNow().then(
        () => held.forEach((run) => run.execution.release()),
        (error: unknown) => this.abandonHeld(held, error),
      ).catch((error: unknown) => console.error('[job-queue] releasing started jobs failed', error));
    }
  }

  /** The intents could not be made durable: runs still at their gate go back to the queue, never begun. */
  private abandonHeld(held: readonly ActiveRun[], error: unknown): void {
    const s = this.state;
    const back: Job[] = [];
    for (const run of held) {
      if (s.running.get(run.job.id) !== run || !run.execution.abandon()) continue;
      s.running.delete(run.job.id);
      s.monitor.unwatch(run.job.id);
      back.push(lifecycle.requeued({ ...run.job, attempt: run.job.attempt - 1 }));
    }
    for (const job of back) s.files.recordLoosely('returned', job);
    s.queued.unshift(...back);
    for (const job of back) s.emit({ type: 'jobChanged', job });
    if (back.length > 0) s.emitQueue();
    s.saveSnapshot();
    s.storageFailed(error);
  }

  /** Which queued job dispatch takes next: a pending one (Send Job), else the top with auto-run. */
  private nextIndex(): number {
    const s = this.state;
    const pending = s.queued.findIndex((j) => j.pending);
    if (pending >= 0) return pending;
    return s.autoRun && s.queued.length > 0 ? 0 : -1;
  }

  /** Makes the run's process (held at its gate) and tracks it; undefined when it could not be made. */
  private start(job: Job): ActiveRun | undefined {
    const s = this.state;
    let execution: JobExecution;
    try {
      execution = s.runner.start({ jobId: job.id, attempt: job.attempt, spec: job.spec, logPath: job.logPath!, shell: s.options.shell });
    } catch (error) {
      this.finishRun(job, { error: `Could not start: ${(error as Error).message}`, finishedAt: Date.now() }, undefined);
      return undefined;
    }
    const confirmed: Job = { ...job, run: execution.handle };
    // Synced with the intents when it can be; if it is lost, the durable intent is resolved by looking.
    s.files.recordLoosely('started', confirmed);
    const run = this.track(confirmed, execution);
    s.emit({ type: 'jobChanged', job: confirmed });
    return run;
  }

  /** Why the job cannot start here, said plainly (rather than a bare exit code 127 later). */
  private checkCanStart(job: Job): string | undefined {
    const shell = shellProblem(this.state.options.shell, job.spec.env?.PATH ?? process.env.PATH);
    if (shell) return shell;
    const cwd = job.spec.cwd;
    if (cwd === undefined) return undefined;
    try {
      if (fs.statSync(cwd).isDirectory()) return undefined;
      return `Could not start: the working folder is not a folder: ${cwd}`;
    } catch {
      return `Could not start: the working folder does not exist: ${cwd}`;
    }
  }

  private onRunExited(run: ActiveRun, exit: RunExit): void {
    // A cancel waits for the whole tree to be gone before the run counts as finished.
    const settle = () => {
      if (this.state.running.get(run.job.id) !== run) return;
      run.resolveFinished(this.finishRun(run.job, exit, run.intent));
    };
    if (run.ending) void run.ending.then(settle, settle);
    else settle();
  }

  private retryLater(): void {
    if (this.storageRetry || this.state.disposed) return;
    this.storageRetry = setTimeout(() => {
      this.storageRetry = undefined;
      this.dispatch();
    }, STORAGE_RETRY_MS);
    this.storageRetry.unref();
  }
}
