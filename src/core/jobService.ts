// JobService: the one facade. It owns the queue, the flags (autoRun, paused), the running jobs and
// the history; every change goes through it, is made durable, and is announced as an event.
//
// Record before you act: a change is in the history log (and, where it matters, fsynced) before its
// effect can happen — a job's `starting` intent before its process exists, an acknowledged enqueue
// before enqueue returns. Only one host writes a storage folder (see ownership/): others follow.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { JobError, isJobError } from './errors';
import type { Disposable, JobServiceEvent, JobServiceListener } from './events';
import { HistoryBook } from './historyBook';
import * as lifecycle from './lifecycle';
import { JobSpecSchema, type Job, type JobSpec, type JobSpecInput, type Progress } from './model';
import { emptyOpenReport, type OpenReport } from './openReport';
import {
  ConfigurableOptionsSchema, JobServiceOptionsSchema, applyOptions, defaultOptions, parseOptions,
  type ConfigurableOptions, type EffectiveOptions, type JobServiceOptions,
} from './options';
import { QueueOwnership } from './ownership/queueOwnership';
import type { QueueRole } from './ownership/role';
import { RunMonitor } from './runMonitor';
import { LocalProcessRunner } from './runner/localRunner';
import { shellProblem } from './runner/shellCheck';
import type { JobExecution, JobRunner, RunExit } from './runner/types';
import { QueueFiles } from './store/queueFiles';

export type { ConfigurableOptions, JobServiceOptions } from './options';
export { defaultShell } from './options';

export interface QueueView {
  queued: Job[];
  running: Job[];
  autoRun: boolean;
  paused: boolean;
  maxParallelJobs: number;
}

/** enqueue from any window: queued here (owner), or passed to the owner through its inbox (follower). */
export type SubmitResult =
  | { kind: 'queued'; job: Job }
  | { kind: 'forwarded'; requestId: string; message: string };

export type SendResult =
  | { outcome: 'started'; job: Job }
  | { outcome: 'pending'; job: Job }
  | { outcome: 'refused'; reason: 'paused' | 'empty' | 'alreadyPending' | 'held'; message: string };

interface ActiveRun {
  job: Job;
  execution: JobExecution;
  intent: lifecycle.EndIntent;
  ending?: Promise<void>;
  finished: Promise<Job>;
  resolveFinished: (job: Job) => void;
}

/** After a write failed (disk full), dispatch is tried again this much later. */
const STORAGE_RETRY_MS = 5000;

export async function openJobService(options: JobServiceOptions): Promise<JobService> {
  const parsed = parseOptions(JobServiceOptionsSchema, options, 'job queue options');
  const service = new JobService(parsed);
  await service.open();
  return service;
}

export class JobService {
  readonly storageDir: string;
  /** What opening found (also announced as events, but before any view could subscribe). */
  readonly openReport: OpenReport = emptyOpenReport();
  private readonly runner: JobRunner;
  private readonly files: QueueFiles;
  private readonly ownership: QueueOwnership;
  private readonly listeners = new Set<JobServiceListener>();
  private options: EffectiveOptions;
  private dispatchHold: string | undefined;

  private queued: Job[] = [];
  private readonly running = new Map<string, ActiveRun>();
  /** A follower's view of the owner's running jobs (no process of ours behind them). */
  private followedRunning: Job[] = [];
  private readonly history = new HistoryBook();
  private readonly monitor: RunMonitor;
  private autoRun = false;
  private paused = false;
  private nextId = 1;
  private disposed = false;
  private dispatching = false;
  /** While opening resolves the running jobs: nothing dispatches and no exit record is dropped. */
  private restoring = false;
  private dispatchAgain = false;
  private storageRetry: NodeJS.Timeout | undefined;
  /** A run's end could not be recorded: keep the runner's exit records until the next open. */
  private unrecordedEnds = false;

  constructor(options: JobServiceOptions) {
    const parsed = parseOptions(JobServiceOptionsSchema, options, 'job queue options');
    this.storageDir = parsed.storageDir;
    this.runner = parsed.runner ?? new LocalProcessRunner();
    this.options = applyOptions(defaultOptions(), parsed);
    this.dispatchHold = parsed.dispatchHold;
    this.files = new QueueFiles(this.storageDir, (message) => this.warn({ message }));
    this.monitor = new RunMonitor(this.options.outputPollMs, (command) => this.history.typicalDuration(command), (e) => this.emit(e));
    this.ownership = new QueueOwnership(this.storageDir, parsed.ownerLabel ?? 'another VS Code window', this.options.outputPollMs * 2, {
      becomeOwner: () => this.restoreAsOwner(),
      follow: () => this.reloadAsFollower(),
      roleChanged: (role) => this.emit({ type: 'roleChanged', role }),
      drainInbox: () => this.drainInbox(),
    });
  }

  /** Opens the folder: as its owner (restoring and adopting), as a follower, or unclaimed while unused. */
  async open(): Promise<void> {
    this.ownership.open();
  }

  get role(): QueueRole {
    return this.ownership.role;
  }

  get canPauseJobs(): boolean {
    return this.runner.canPauseJobs;
  }

  // ---- reading -------------------------------------------------------------------------------

  getSnapshot(): QueueView {
    return {
      queued: [...this.queued],
      running: this.ownership.isFollower ? [...this.followedRunning] : [...this.running.values()].map((r) => r.job),
      autoRun: this.autoRun,
      paused: this.paused,
      maxParallelJobs: this.options.maxParallelJobs,
    };
  }

  /** Finished runs, newest first. */
  getHistory(): Job[] {
    return this.history.all();
  }

  getHistoryPage(offset: number, limit: number): Job[] {
    return this.history.page(offset, limit);
  }

  get historySize(): number {
    return this.history.size;
  }

  getJob(id: string): Job | undefined {
    return this.running.get(id)?.job ?? this.followedRunning.find((j) => j.id === id) ?? this.queued.find((j) => j.id === id) ?? this.history.latest(id);
  }

  getQueuePosition(id: string): number | undefined {
    const index = this.queued.findIndex((j) => j.id === id);
    return index < 0 ? undefined : index + 1;
  }

  getProgress(id: string): Progress | undefined {
    return this.monitor.progress(id);
  }

  getOutputTail(id: string): string[] {
    return this.monitor.lines(id);
  }

  isAutoRunEnabled(): boolean {
    return this.autoRun;
  }

  isQueuePaused(): boolean {
    return this.paused;
  }

  onDidChange(listener: JobServiceListener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  // ---- queue changes -------------------------------------------------------------------------

  /** Adds a job from any window: the owner queues it, a follower forwards it to the owner. */
  submit(input: JobSpecInput): SubmitResult {
    this.assertOpen();
    const spec = parseSpec(input, 'Invalid job');
    if (this.ownership.claimIfUnclaimed() === 'follower') {
      const request = this.files.forward(spec, this.ownership.selfLabel);
      return { kind: 'forwarded', requestId: request.requestId, message: `Job “${spec.label || spec.command}” was passed to the window that runs this queue; it appears there and here in a moment.` };
    }
    return { kind: 'queued', job: this.addToQueue(spec, {}) };
  }

  /** Queues a job here; only the owner may (use submit() from a window that may be a follower). */
  enqueue(input: JobSpecInput): Job {
    this.assertOwner();
    return this.addToQueue(parseSpec(input, 'Invalid job'), {});
  }

  /**
   * Retry: a NEW job from a finished run's spec (retryOf = its id). `run` names one run in the
   * history (e.g. an earlier run of a job that is queued or running again); without it, the job as it is now.
   */
  retryJob(id: string, changes: Partial<JobSpec> = {}, run?: { attempt: number; finishedAt?: number }): Job {
    this.assertOwner();
    const original = run ? this.getHistory().find((r) => r.id === id && r.attempt === run.attempt && (run.finishedAt === undefined || r.finishedAt === run.finishedAt)) : this.requireJob(id);
    if (!original) throw new JobError('unknownJob', `There is no run ${run?.attempt} of job #${String(id).slice(0, 40)} in the history.`, id);
    lifecycle.assertCan('retry', original);
    return this.addToQueue(parseSpec({ ...original.spec, ...changes }, 'Invalid changes'), { retryOf: original.id });
  }

  moveJob(id: string, toIndex: number): void {
    this.assertOwner();
    const job = this.requireJob(id);
    lifecycle.assertCan('move', job);
    if (!Number.isInteger(toIndex)) throw new JobError('invalidArgument', `Queue position must be a whole number, not ${toIndex}`);
    const from = this.queued.indexOf(job);
    const to = Math.min(Math.max(0, toIndex), this.queued.length - 1);
    if (from === to) return;
    const before = this.queued;
    this.queued = [...before];
    this.queued.splice(from, 1);
    this.queued.splice(to, 0, job);
    // The order lives only in the snapshot: make it durable now, or undo.
    this.saveNowOrUndo(() => (this.queued = before));
    this.emitQueue();
  }

  removeJob(id: string): void {
    this.assertOwner();
    const job = this.requireJob(id);
    lifecycle.assertCan('remove', job);
    this.files.record('removed', job);
    this.queued = this.queued.filter((j) => j !== job);
    this.saveSnapshot();
    this.emit({ type: 'jobRemoved', jobId: id });
    this.emitQueue();
  }

  cancelAllQueued(): number {
    this.assertOwner();
    const cancelled = this.queued;
    if (cancelled.length === 0) return 0;
    const now = Date.now();
    const records = cancelled.map((job) => lifecycle.cancelledWhileQueued(job, now));
    this.files.recordAll(records.map((job) => ({ type: 'finished' as const, job })));
    this.queued = [];
    for (const job of records) this.addFinished(job);
    this.saveSnapshot();
    for (const job of cancelled) this.emit({ type: 'jobRemoved', jobId: job.id });
    this.emitQueue();
    return cancelled.length;
  }

  async clearHistory(): Promise<void> {
    this.assertOwner();
    this.files.record('historyCleared', undefined);
    this.history.clear();
    this.compactHistory();
    this.emit({ type: 'historyCleared' });
    await this.files.pruneLogs((id) => this.isKnown(id));
  }

  // ---- flags and dispatch --------------------------------------------------------------------

  setAutoRun(enabled: boolean): void {
    this.assertOwner();
    if (this.autoRun === enabled) return;
    this.autoRun = enabled;
    this.flagsChanged(() => (this.autoRun = !enabled));
  }

  setQueuePaused(paused: boolean): void {
    this.assertOwner();
    if (this.paused === paused) return;
    this.paused = paused;
    this.flagsChanged(() => (this.paused = !paused));
  }

  /** Holds all dispatch with a reason (undefined lifts the hold and dispatches what is due). */
  setDispatchHold(reason: string | undefined): void {
    this.dispatchHold = reason;
    this.dispatch();
  }

  configure(options: ConfigurableOptions): void {
    const parsed = parseOptions(ConfigurableOptionsSchema, options, 'settings');
    const before = this.options.maxParallelJobs;
    this.options = applyOptions(this.options, parsed);
    if (this.options.maxParallelJobs > before) this.dispatch();
  }

  /**
   * Send Job: dispatch the top job once. It marks the job pending and runs the one dispatch path,
   * so a free slot starts it now and a busy queue starts it when a slot frees (auto-run or not).
   */
  sendNextJob(): SendResult {
    this.assertOwner();
    if (this.dispatchHold !== undefined) return { outcome: 'refused', reason: 'held', message: this.dispatchHold };
    if (this.paused) return { outcome: 'refused', reason: 'paused', message: 'The queue is paused: resume it to send a job.' };
    if (this.queued.length === 0) return { outcome: 'refused', reason: 'empty', message: 'The queue is empty: there is no job to send.' };
    const index = this.queued.findIndex((j) => !j.pending);
    if (index < 0) return { outcome: 'refused', reason: 'alreadyPending', message: 'Every queued job is already waiting for a free slot.' };
    const before = this.queued[index]!;
    const job: Job = { ...before, pending: true };
    this.queued[index] = job;
    this.dispatch();
    const run = this.running.get(job.id);
    if (run) return { outcome: 'started', job: run.job };
    this.saveNowOrUndo(() => {
      const at = this.queued.indexOf(job);
      if (at >= 0) this.queued[at] = before;
    });
    this.emit({ type: 'jobChanged', job });
    return { outcome: 'pending', job };
  }

  // ---- running jobs --------------------------------------------------------------------------

  pauseJob(id: string): Job {
    this.assertOwner();
    const run = this.requireRun(id, 'pause');
    if (!this.canPauseJobs) throw new JobError('notSupported', 'Pausing a job is not supported on this platform; pause the queue instead.', id);
    const job = this.updateRun(run, lifecycle.paused(run.job, Date.now()), 'paused');
    run.execution.pause();
    return job;
  }

  resumeJob(id: string): Job {
    this.assertOwner();
    const run = this.requireRun(id, 'resume');
    const job = this.updateRun(run, lifecycle.resumed(run.job, Date.now()), 'resumed');
    run.execution.resume();
    return job;
  }

  /** Queued: leaves the queue (cancelled, in history). Running/paused: its process tree is ended. */
  async cancelJob(id: string): Promise<Job> {
    this.assertOwner();
    const job = this.requireJob(id);
    lifecycle.assertCan('cancel', job);
    if (job.status === 'queued') {
      const cancelled = lifecycle.cancelledWhileQueued(job, Date.now());
      this.files.record('finished', cancelled);
      this.queued = this.queued.filter((j) => j !== job);
      this.addFinished(cancelled);
      this.saveSnapshot();
      this.emit({ type: 'jobRemoved', jobId: id });
      this.emitQueue();
      return cancelled;
    }
    return this.endRun(this.running.get(id)!, 'cancel');
  }

  /** Ends the run and puts the same job (same id) at the bottom of the queue. */
  async cancelAndRequeue(id: string): Promise<Job> {
    this.assertOwner();
    const run = this.requireRun(id, 'cancelAndRequeue');
    await this.endRun(run, 'cancelAndRequeue');
    return this.queued.find((j) => j.id === id) ?? run.job;
  }

  // ---- lifetime ------------------------------------------------------------------------------

  /** Resolves once every change made so far is on disk. */
  flush(): Promise<void> {
    return this.files.flush();
  }

  /** Flushes everything to disk and stops watching. Running jobs go on; the next owner adopts them. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.storageRetry) clearTimeout(this.storageRetry);
    this.monitor.dispose();
    for (const run of this.running.values()) run.execution.detach();
    await this.files.flush().catch((error: unknown) => console.error('[job-queue] final save failed', error));
    this.files.close();
    this.ownership.dispose();
    this.listeners.clear();
  }

  // ---- opening: owner, follower ---------------------------------------------------------------

  /** Loads the folder as its owner, then finds every running job again, by looking. */
  private restoreAsOwner(): void {
    this.followedRunning = [];
    this.monitor.clear();
    const state = this.files.loadAsOwner((warning) => this.warn(warning, true));
    this.autoRun = state.autoRun;
    this.paused = state.paused;
    this.nextId = state.nextId;
    this.queued = state.queued;
    this.history.replace(state.finished, this.options.historyLimit);
    this.files.takenRequests = state.takenRequests;
    // First the fate of every run, then the records, then the journal, then dispatch (slots counted).
    const fates = state.running.map((job) => ({ job, fate: this.files.lookFor(this.runner, job) }));
    this.restoring = true;
    try {
      for (const { job, fate } of fates) {
        if (fate.kind === 'running') this.adopt(job, fate.execution);
        else if (fate.kind === 'finished') this.openReport.endedWhileClosed.push(this.finishRun(job, fate.exit, undefined));
        else if (fate.kind === 'neverStarted' && !rebootedSince(job.startedAt)) this.returnUnstarted(job);
        else if (fate.kind === 'neverStarted') this.interrupt(job, 'the machine restarted since, so whether it began cannot be known');
        else this.interrupt(job, fate.reason);
      }
      this.files.commit();
    } finally {
      this.restoring = false;
    }
    this.forgetExitRecordsIfIdle();
    this.compactIfLarge();
    this.saveSnapshot();
    this.emit({ type: 'reloaded' });
    this.emitQueue();
    this.drainInbox();
    this.dispatch();
  }

  /** A follower re-reads the owner's files (read-only) and re-renders. */
  private reloadAsFollower(): void {
    for (const run of this.running.values()) run.execution.detach();
    this.running.clear();
    const state = this.files.loadAsFollower();
    this.autoRun = state.autoRun;
    this.paused = state.paused;
    this.nextId = state.nextId;
    this.queued = state.queued;
    this.history.replace(state.finished, this.options.historyLimit);
    const before = new Set(this.followedRunning.map((j) => j.id));
    this.followedRunning = state.running;
    for (const job of state.running) {
      if (before.has(job.id)) this.monitor.update(job);
      else this.monitor.watch(job);
    }
    for (const id of before) if (!state.running.some((j) => j.id === id)) this.monitor.unwatch(id);
    this.emit({ type: 'reloaded' });
  }

  private adopt(job: Job, execution: JobExecution): void {
    const confirmed: Job = { ...job, run: execution.handle };
    this.files.record('adopted', confirmed);
    this.track(confirmed, execution);
    this.openReport.adopted.push(confirmed);
    this.emit({ type: 'jobAdopted', job: confirmed });
  }

  /** Its `starting` intent was written but the runner proves the command never ran: it is still queued. */
  private returnUnstarted(job: Job): void {
    const back = lifecycle.requeued({ ...job, attempt: Math.max(0, job.attempt - 1) });
    this.files.record('returned', back);
    this.queued.unshift(back);
    this.emit({ type: 'jobChanged', job: back });
  }

  private interrupt(job: Job, reason: string): void {
    const lost = lifecycle.interrupted(job, Date.now(), `the host stopped while it ran and ${reason}`);
    this.files.record('finished', lost);
    this.addFinished(lost);
    this.openReport.interrupted.push(lost);
    const policy = this.options.interruptedPolicy;
    if (policy === 'keepInHistory') return;
    const back = lifecycle.requeued(job);
    this.files.record('returned', back);
    this.queued.unshift(back);
    this.emit({ type: 'jobChanged', job: back });
    if (policy === 'requeueAndPause' && !this.paused) {
      this.paused = true;
      this.openReport.pausedBecause = `Job #${job.id} was interrupted when VS Code stopped, so the queue was paused: nothing re-runs behind your back. Check it, then resume the queue.`;
      this.emit({ type: 'flagsChanged', autoRun: this.autoRun, paused: this.paused });
    }
  }

  /** Enqueues what followers forwarded (each request once, even across a crash between the two). */
  private drainInbox(): void {
    if (this.disposed) return;
    for (const entry of this.files.takeInbox((warning) => this.warn(warning))) {
      // The same request twice (a copy left by a crash between enqueue and removal) is taken once.
      if (!this.files.takenRequests.has(entry.requestId)) {
        try {
          this.addToQueue(entry.spec, { requestId: entry.requestId, fromWindow: entry.from });
        } catch (error) {
          // Disk full: the request stays in the inbox for the next try; nothing is lost.
          this.storageFailed(error);
          return;
        }
      }
      this.files.doneWithInboxRequest(entry);
    }
  }

  // ---- internals -----------------------------------------------------------------------------

  private addToQueue(spec: JobSpec, link: { retryOf?: string; requestId?: string; fromWindow?: string }): Job {
    const job: Job = {
      id: String(this.nextId),
      spec: link.fromWindow ? { ...spec, source: spec.source ?? { kind: 'otherWindow', window: link.fromWindow } } : spec,
      ...(link.retryOf ? { retryOf: link.retryOf } : {}),
      ...(link.requestId ? { requestId: link.requestId } : {}),
      status: 'queued',
      attempt: 0,
      createdAt: Date.now(),
    };
    this.files.record('enqueued', job); // throws storageFailed: nothing acknowledged
    this.nextId++;
    if (link.requestId) this.files.takenRequests.add(link.requestId);
    this.queued.push(job);
    this.saveSnapshot();
    this.emit({ type: 'jobChanged', job });
    this.emitQueue();
    this.dispatch();
    return this.getJob(job.id)!;
  }

  /**
   * The one dispatch path, for auto-run and Send Job alike. Never re-entered: a run that ends while
   * dispatching (a job that cannot start) asks for another round instead of calling back in.
   */
  private dispatch(): void {
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    if (this.disposed || this.restoring || this.dispatchHold !== undefined || !this.ownership.isOwner) return;
    this.dispatching = true;
    try {
      do {
        this.dispatchAgain = false;
        this.dispatchRound();
      } while (this.dispatchAgain && !this.disposed);
    } finally {
      this.dispatching = false;
    }
    this.forgetExitRecordsIfIdle();
    // Get the log of the job most likely to start next ready while the current ones run.
    const next = this.queued[this.nextIndex()] ?? (this.autoRun ? undefined : this.queued[0]);
    if (next && !this.paused) this.runner.prepareLog?.(this.files.logPathFor(next));
  }

  /** Starts what the free slots allow: every intent made durable at once (group commit), then the processes. */
  private dispatchRound(): void {
    const taken: Job[] = [];
    let left = 0;
    while (!this.paused && this.running.size + taken.length < this.options.maxParallelJobs) {
      const index = this.nextIndex();
      if (index < 0) break;
      const job = this.queued.splice(index, 1)[0]!;
      left++;
      const refusal = this.checkCanStart(job);
      // A job that cannot start has no effect to record ahead: it fails at once, plainly.
      if (refusal) this.finishRun(lifecycle.started(job, Date.now(), this.files.logPathFor(job)), { error: refusal, finishedAt: Date.now() }, undefined);
      else taken.push(job);
    }
    if (taken.length === 0) {
      if (left > 0) this.emitQueue();
      return;
    }
    const intents = taken.map((job) => lifecycle.started(job, Date.now(), this.files.logPathFor(job)));
    try {
      this.files.recordAll(intents.map((job) => ({ type: 'starting' as const, job })));
    } catch (error) {
      // Nothing may start that is not recorded: put them back, say why, try again later.
      this.queued.unshift(...taken);
      this.storageFailed(error);
      return;
    }
    const held = intents.flatMap((job) => this.start(job) ?? []);
    // After the starts: views re-read the snapshot on this event, and the jobs must be running by then.
    this.emitQueue();
    this.saveSnapshot();
    // The processes exist but wait at their gate until the intents are on the disk (one sync for
    // the round, off the main thread): record before you act, with spawning and syncing overlapped.
    if (held.length > 0) {
      this.files.commitNow().then(
        () => held.forEach((run) => run.execution.release()),
        (error: unknown) => this.abandonHeld(held, error),
      ).catch((error: unknown) => console.error('[job-queue] releasing started jobs failed', error));
    }
  }

  /** The intents could not be made durable: runs still at their gate go back to the queue, never begun. */
  private abandonHeld(held: readonly ActiveRun[], error: unknown): void {
    const back: Job[] = [];
    for (const run of held) {
      if (this.running.get(run.job.id) !== run || !run.execution.abandon()) continue;
      this.running.delete(run.job.id);
      this.monitor.unwatch(run.job.id);
      back.push(lifecycle.requeued({ ...run.job, attempt: run.job.attempt - 1 }));
    }
    for (const job of back) this.files.recordLoosely('returned', job);
    this.queued.unshift(...back);
    for (const job of back) this.emit({ type: 'jobChanged', job });
    if (back.length > 0) this.emitQueue();
    this.saveSnapshot();
    this.storageFailed(error);
  }

  /** Which queued job dispatch takes next: a pending one (Send Job), else the top with auto-run. */
  private nextIndex(): number {
    const pending = this.queued.findIndex((j) => j.pending);
    if (pending >= 0) return pending;
    return this.autoRun && this.queued.length > 0 ? 0 : -1;
  }

  /** Makes the run's process (held at its gate) and tracks it; undefined when it could not be made. */
  private start(job: Job): ActiveRun | undefined {
    let execution: JobExecution;
    try {
      execution = this.runner.start({ jobId: job.id, attempt: job.attempt, spec: job.spec, logPath: job.logPath!, shell: this.options.shell });
    } catch (error) {
      this.finishRun(job, { error: `Could not start: ${(error as Error).message}`, finishedAt: Date.now() }, undefined);
      return undefined;
    }
    const confirmed: Job = { ...job, run: execution.handle };
    // Synced with the intents when it can be; if it is lost, the durable intent is resolved by looking.
    this.files.recordLoosely('started', confirmed);
    const run = this.track(confirmed, execution);
    this.emit({ type: 'jobChanged', job: confirmed });
    return run;
  }

  /** Why the job cannot start here, said plainly (rather than a bare exit code 127 later). */
  private checkCanStart(job: Job): string | undefined {
    const shell = shellProblem(this.options.shell, job.spec.env?.PATH ?? process.env.PATH);
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

  private track(job: Job, execution: JobExecution): ActiveRun {
    let resolveFinished!: (job: Job) => void;
    const finished = new Promise<Job>((resolve) => (resolveFinished = resolve));
    const run: ActiveRun = { job, execution, intent: undefined, finished, resolveFinished };
    this.running.set(job.id, run);
    this.monitor.watch(job);
    void execution.exited.then((exit) => {
      if (!this.disposed && this.running.get(job.id) === run) this.onRunExited(run, exit);
    });
    return run;
  }

  /** The job as it is now (queued, running, else its latest finished run); the caller checks the action. */
  private requireJob(id: string): Job {
    if (typeof id !== 'string' || id === '') throw new JobError('invalidArgument', 'No job id was given.');
    const job = this.getJob(id);
    if (!job) throw new JobError('unknownJob', `There is no job #${id.slice(0, 40)}.`, id);
    return job;
  }

  private requireRun(id: string, action: lifecycle.JobAction): ActiveRun {
    const job = this.requireJob(id);
    lifecycle.assertCan(action, job);
    return this.running.get(id)!;
  }

  private updateRun(run: ActiveRun, job: Job, type: 'paused' | 'resumed'): Job {
    this.files.recordDurably(type, job);
    run.job = job;
    this.saveSnapshot();
    this.emit({ type: 'jobChanged', job });
    this.monitor.update(job);
    return job;
  }

  private endRun(run: ActiveRun, intent: Exclude<lifecycle.EndIntent, undefined>): Promise<Job> {
    run.intent ??= intent;
    run.ending ??= run.execution.terminate(this.options.cancelGraceMs);
    return run.finished;
  }

  private onRunExited(run: ActiveRun, exit: RunExit): void {
    // A cancel waits for the whole tree to be gone before the run counts as finished.
    const settle = () => {
      if (this.running.get(run.job.id) !== run) return;
      run.resolveFinished(this.finishRun(run.job, exit, run.intent));
    };
    if (run.ending) void run.ending.then(settle, settle);
    else settle();
  }

  private finishRun(job: Job, exit: RunExit, intent: lifecycle.EndIntent): Job {
    const done = lifecycle.finished(job, exit, intent);
    const back = intent === 'cancelAndRequeue' ? lifecycle.requeued(job) : undefined;
    try {
      this.files.recordAll([{ type: 'finished', job: done }, ...(back ? [{ type: 'returned' as const, job: back }] : [])]);
    } catch (error) {
      // The end is known here but not on disk: the runner's exit record stays until the next open.
      this.unrecordedEnds = true;
      this.storageFailed(error);
    }
    this.running.delete(job.id);
    this.monitor.unwatch(job.id);
    this.addFinished(done);
    if (back) {
      this.queued.push(back);
      this.emit({ type: 'jobChanged', job: back });
      this.emitQueue();
    }
    this.compactIfLarge();
    this.saveSnapshot();
    this.dispatch();
    this.forgetExitRecordsIfIdle();
    return done;
  }

  /** With nothing running, every exit record is in the history: the runner may drop them. */
  private forgetExitRecordsIfIdle(): void {
    if (this.running.size === 0 && !this.dispatching && !this.restoring && !this.unrecordedEnds) this.runner.forgetFinishedRuns?.();
  }

  private addFinished(job: Job): void {
    this.history.add(job);
    this.history.trim(this.options.historyLimit);
    this.emit({ type: 'jobChanged', job });
    this.emit({ type: 'historyAdded', entry: job });
  }

  private isKnown(id: string): boolean {
    return this.history.latest(id) !== undefined || this.running.has(id) || this.queued.some((j) => j.id === id);
  }

  /** Bounded growth: once the log holds twice the kept history (plus slack), rewrite it once. */
  private compactIfLarge(): void {
    if (this.files.logLines <= Math.max(this.options.historyLimit * 2, 64)) return;
    this.compactHistory();
    void this.files.pruneLogs((id) => this.isKnown(id));
  }

  /** Rewrites the log keeping what is still queued, running or in the kept history, in order. */
  private compactHistory(): void {
    const live = new Set([...this.queued.map((j) => j.id), ...this.running.keys()]);
    this.files.compact(live, this.history.keptKeys());
  }

  private flagsChanged(undo: () => void): void {
    this.saveNowOrUndo(undo);
    this.emit({ type: 'flagsChanged', autoRun: this.autoRun, paused: this.paused });
    this.dispatch();
  }

  private saveSnapshot(): void {
    this.files.saveSnapshot(() => this.snapshotState());
  }

  /** For changes that live only in the snapshot (order, flags): durable before acknowledged. */
  private saveNowOrUndo(undo: () => void): void {
    try {
      this.files.saveSnapshotNow(this.snapshotState());
    } catch (error) {
      undo();
      throw error;
    }
  }

  private snapshotState() {
    return { nextId: this.nextId, autoRun: this.autoRun, paused: this.paused, queued: this.queued, running: [...this.running.values()].map((r) => r.job) };
  }

  private storageFailed(error: unknown): void {
    this.warn({ message: isJobError(error) ? error.message : `Could not save the queue: ${String(error)}` });
    if (this.storageRetry || this.disposed) return;
    this.storageRetry = setTimeout(() => {
      this.storageRetry = undefined;
      this.dispatch();
    }, STORAGE_RETRY_MS);
    this.storageRetry.unref();
  }

  private warn(warning: { message: string; backupPath?: string }, duringOpen = false): void {
    if (duringOpen) this.openReport.warnings.push(warning);
    this.emit({ type: 'storeWarning', ...warning });
  }

  private emitQueue(): void {
    this.emit({ type: 'queueChanged', queuedIds: this.queued.map((j) => j.id) });
  }

  private emit(event: JobServiceEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        // A broken view must not break the queue.
        console.error('[job-queue] listener failed', error);
      }
    }
  }

  private assertOpen(): void {
    if (this.disposed) throw new JobError('disposed', 'The job queue has been closed.');
  }

  /** Every change is made by the folder's owner; an unused folder is claimed by its first change. */
  private assertOwner(): void {
    this.assertOpen();
    if (this.ownership.claimIfUnclaimed() === 'follower') throw new JobError('notOwner', this.ownership.notOwnerMessage());
  }
}

/**
 * "Never started" is proven by the runner's own records, which are not synced to the disk: after a
 * power loss or reboot their absence proves nothing, and the job is treated as interrupted.
 */
function rebootedSince(at: number | undefined): boolean {
  const bootedAt = Date.now() - os.uptime() * 1000;
  return at === undefined || at < bootedAt;
}

function parseSpec(input: unknown, what: string): JobSpec {
  const parsed = JobSpecSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new JobError('invalidSpec', `${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; ')}`);
}
