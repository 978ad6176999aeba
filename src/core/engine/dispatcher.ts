// Starting and ending runs: the one dispatch path (auto-run and Send Job alike), the gate that keeps
// a process from acting before its start is durable, and the record of each run's end.
import * as lifecycle from '../lifecycle';
import { shellOf, type Job } from '../model';
import type { JobExecution, RunExit } from '../runner/types';
import type { ActiveRun, QueueState } from './queueState';
import { failedDependents, isDue, pickRound } from './scheduling';
import { dependencyWait, mayStartMoreEarly, runsToPullBack } from './earlyStarts';

/** After a write failed (disk full), dispatch is tried again this much later. */
const STORAGE_RETRY_MS = 5000;
/** A run's end seen while the lock is not confirmed as ours is looked at again this much later. */
const END_RECHECK_MS = 500;
/** setTimeout's longest delay; a start time further ahead is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Dispatcher {
  private dispatching = false;
  private dispatchAgain = false;
  /** While opening resolves the running jobs: nothing dispatches and no exit record is dropped. */
  restoring = false;
  private storageRetry: NodeJS.Timeout | undefined;
  /** Dispatches when the earliest start time (`notBefore`) of a queued job comes. */
  private dueTimer: { at: number; timer: NodeJS.Timeout } | undefined;
  private nextDue: number | undefined;
  private lastPending: Job[] = [];
  /** Start times up to this moment have been announced as reached. */
  private dueAnnouncedUntil = Date.now();

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
    if (s.disposed || this.restoring || !this.mayDispatch()) return;
    this.dispatching = true;
    try {
      do {
        this.dispatchAgain = false;
        // Even when nothing may start (paused, untrusted): a job that can never run leaves the queue.
        this.settleDependents();
        if (s.dispatchHold === undefined) this.dispatchRound();
      } while (this.dispatchAgain && !s.disposed);
    } finally {
      this.dispatching = false;
    }
    this.forgetExitRecordsIfIdle();
    if (s.dispatchHold !== undefined) return;
    this.scheduleDue();
    // Get the log of the job most likely to start next ready while the current ones run.
    const view = s.schedulingView();
    const due = (j: Job) => isDue(j, view.now, view.lookup);
    const next = this.lastPending.find((j) => !s.running.has(j.id) && due(j)) ?? s.queued.find(due);
    if (next && !s.paused) s.runners.for(next).prepareLog?.(s.files.logPathFor(next));
  }

  /**
   * After-success jobs whose dependency failed (or was cancelled, or interrupted, and is not queued
   * again) leave the queue as failed, with the reason — recorded like any end, down the chains.
   */
  private settleDependents(): void {
    const s = this.state;
    // Only an end (or opening) can leave a dependent with a failed dependency: look only then.
    if (!s.endsToSettle) return;
    s.endsToSettle = false;
    const view = s.schedulingView();
    const failed = failedDependents(s.queued, view.lookup, view.now);
    if (failed.length === 0) return;
    try {
      s.files.recordAll(failed.map((job) => ({ type: 'finished' as const, job })));
    } catch (error) {
      s.endsToSettle = true;
      s.storageFailed(error); // they stay queued (and never start: they are not due); tried again later
      return;
    }
    const gone = new Set(failed.map((j) => j.id));
    s.queued = s.queued.filter((j) => !gone.has(j.id));
    for (const job of failed) {
      s.addFinished(job);
      s.emit({ type: 'jobRemoved', jobId: job.id });
    }
    s.emitQueue();
    s.saveSnapshot();
  }

  /** A timer for the earliest start time still ahead (unref'd: it never keeps the host alive). */
  private scheduleDue(): void {
    const at = this.nextDue;
    if (this.dueTimer && this.dueTimer.at === at) return;
    if (this.dueTimer) clearTimeout(this.dueTimer.timer);
    this.dueTimer = undefined;
    if (at === undefined || this.state.disposed) return;
    const timer = setTimeout(() => {
      this.dueTimer = undefined;
      const now = Date.now();
      const since = this.dueAnnouncedUntil;
      this.dueAnnouncedUntil = now;
      // Views show "not before …": tell them the wait is over (each job once).
      for (const job of this.state.queued) if (job.notBefore !== undefined && job.notBefore > since && job.notBefore <= now) this.state.emit({ type: 'jobChanged', job });
      this.dispatch();
    }, Math.min(Math.max(0, at - Date.now()) + 1, MAX_TIMER_MS));
    timer.unref();
    this.dueTimer = { at, timer };
  }

  /** Makes the process of a run found running again part of this host's runs. */
  track(job: Job, execution: JobExecution): ActiveRun {
    let resolveFinished!: (job: Job) => void;
    const finished = new Promise<Job>((resolve) => (resolveFinished = resolve));
    const run: ActiveRun = { job, execution, intent: undefined, finished, resolveFinished };
    this.state.running.set(job.id, run);
    this.state.monitor.watch(job);
    execution.onDetailsChanged?.(() => {
      if (this.state.running.get(job.id) !== run) return;
      this.state.publishRunDetails();
      this.state.emit({ type: 'runDetailsChanged', jobId: job.id });
    });
    void execution.exited.then((exit) => {
      if (!this.state.disposed && this.state.running.get(job.id) === run) this.onRunExited(run, exit);
    });
    return run;
  }

  /** Asks a run to end; resolves with its finished record once its whole tree is gone. */
  endRun(run: ActiveRun, intent: NonNullable<lifecycle.EndIntent>): Promise<Job> {
    // Slurm counts the cancel as an end (afterany): its early-started dependents come back first,
    // so none can begin before the job it waits for runs again.
    if (intent === 'cancelAndRequeue' && run.intent === undefined) {
      for (const other of this.state.running.values()) {
        if (other !== run && other.intent === undefined && other.job.after?.ids.includes(run.job.id)) void this.endRun(other, 'cancelAndRequeue').catch((error: unknown) => console.error('[job-queue] returning a dependent', error));
      }
    }
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
    if (s.files.runDetails.published(job.id)) s.publishRunDetails();
    s.addFinished(done);
    if (back) {
      s.queued.push(back);
      s.emit({ type: 'jobChanged', job: back });
      s.emitQueue();
    }
    s.saveSnapshot();
    s.compactIfLarge();
    this.pullBackEarlyStarts();
    this.dispatch(); // which lets the runners forget their exit records once nothing runs
    return done;
  }

  /** With nothing running, every exit record is in the history: the runner may drop them. */
  forgetExitRecordsIfIdle(): void {
    const s = this.state;
    if (s.running.size === 0 && !this.dispatching && !this.restoring && !s.unrecordedEnds) for (const runner of s.runners.all()) runner.forgetFinishedRuns?.();
  }

  dispose(): void {
    if (this.storageRetry) clearTimeout(this.storageRetry);
    if (this.dueTimer) clearTimeout(this.dueTimer.timer);
    this.dueTimer = undefined;
  }

  /**
   * Starts what each lane's free slots allow (see scheduling.pickRound): every intent recorded,
   * processes made (held), one sync, then released.
   */
  private dispatchRound(): void {
    const s = this.state;
    const round = pickRound(s.queued, s.schedulingView(), s.autoRun);
    this.nextDue = round.nextDue;
    this.lastPending = round.pending;
    if (round.take.length === 0) return;
    const picked = new Set(round.take);
    const before = s.queued;
    s.queued = s.queued.filter((j) => !picked.has(j));
    const taken: Job[] = [];
    for (const job of round.take) {
      const refusal = s.runners.for(job).checkCanStart(job.spec, shellOf(job.spec, s.options.shell));
      // A job that cannot start has no effect to record ahead: it fails at once, plainly.
      if (refusal) this.finishRun(lifecycle.started(job, Date.now(), s.files.logPathFor(job)), { kind: 'failedToStart', reason: refusal, finishedAt: Date.now() }, undefined);
      else taken.push(job);
    }
    if (taken.length === 0) {
      s.emitQueue();
      return;
    }
    const intents = taken.map((job) => lifecycle.started(job, Date.now(), s.files.logPathFor(job)));
    try {
      s.files.recordAll(intents.map((job) => ({ type: 'starting' as const, job })));
      // A backend whose runs begin at once (no gate) gets its intents on the disk first.
      if (intents.some((job) => !s.runners.for(job).startsHeld)) s.files.commit();
    } catch (error) {
      // Nothing may start that is not recorded: put them back where they were, say why, try again later.
      const back = new Set([...taken, ...s.queued]);
      s.queued = before.filter((j) => back.has(j));
      s.storageFailed(error);
      return;
    }
    const held = intents.flatMap((job) => this.start(job) ?? []);
    // A job waiting for one just submitted to Slurm may be submitted now too: another round.
    if (mayStartMoreEarly(taken, s.queued)) this.dispatchAgain = true;
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
    this.pullBackEarlyStarts();
  }

  /** Makes the run's process (held at its gate) and tracks it; undefined when it could not be made. */
  private start(job: Job): ActiveRun | undefined {
    const s = this.state;
    let execution: JobExecution;
    try {
      // Started ahead of its dependencies (Slurm): the backend waits for their runs, by their freshest handles.
      execution = s.runners.start(job, s.options.shell, dependencyWait(job, s.schedulingView().lookup, (dep) => s.running.get(dep.id)?.execution.handle ?? dep.run!));
    } catch (error) {
      this.finishRun(job, { kind: 'failedToStart', reason: `Could not start: ${(error as Error).message}`, finishedAt: Date.now() }, undefined);
      return undefined;
    }
    const confirmed: Job = { ...job, run: execution.handle };
    // Synced with the intents when it can be; if it is lost, the durable intent is resolved by looking.
    s.files.recordLoosely('started', confirmed);
    const run = this.track(confirmed, execution);
    s.emit({ type: 'jobChanged', job: confirmed });
    return run;
  }

  /**
   * Runs started ahead of their dependencies (Slurm, --dependency) whose wait cannot be met as
   * submitted any more: ended, and failed or put back in the queue (see earlyStarts.runsToPullBack).
   */
  pullBackEarlyStarts(): void {
    const s = this.state;
    if (this.restoring) return;
    const active = [...s.running.values()].filter((run) => run.intent === undefined);
    for (const { job, intent } of runsToPullBack(active.map((run) => run.job), s.schedulingView().lookup)) {
      void this.endRun(s.running.get(job.id)!, intent).catch((error: unknown) => console.error('[job-queue] ending a run whose dependency failed', error));
    }
  }

  private onRunExited(run: ActiveRun, exit: RunExit): void {
    // A cancel waits for the whole tree to be gone before the run counts as finished.
    const settle = () => {
      if (this.state.disposed || this.state.running.get(run.job.id) !== run) return;
      // Only the owner records an end. A lock replaced under this window (found at the next tick)
      // means the new owner finds this end by looking; recording it here too would write it twice.
      // Looked at again shortly: a step down lets the run go (and this stops), an unreadable lock
      // that reads fine again records it.
      if (!this.mayDispatch()) {
        setTimeout(settle, END_RECHECK_MS).unref();
        return;
      }
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
