// JobService: the one facade. It owns the queue, the flags (autoRun, paused), the running jobs and
// the history; every change goes through it, is made durable, and is announced as an event.
//
// Record before you act: a change is in the history log before its effect can happen — a job's
// `starting` intent is synced before its process may begin (engine/dispatcher.ts), a change that
// lives only in the snapshot is synced before the call returns. Only one host writes a storage
// folder (ownership/): the others follow it. The parts: engine/queueState (the shared state),
// engine/dispatcher (starting and ending runs), engine/opening (owner restore, follower reload).
import { JobError } from './errors';
import type { Disposable, JobServiceListener } from './events';
import * as lifecycle from './lifecycle';
import { JobSpecSchema, type Job, type JobSpec, type JobSpecInput, type Progress } from './model';
import type { OpenReport } from './openReport';
import {
  ConfigurableOptionsSchema, JobServiceOptionsSchema, applyOptions, defaultOptions, parseOptions,
  type ConfigurableOptions, type JobServiceOptions,
} from './options';
import { QueueOwnership } from './ownership/queueOwnership';
import type { QueueRole } from './ownership/role';
import { LocalProcessRunner } from './runner/localRunner';
import { QueueFiles } from './store/queueFiles';
import { Dispatcher } from './engine/dispatcher';
import { Opening } from './engine/opening';
import { QueueEdits, type SendResult } from './engine/queueEdits';
import { QueueState, type ActiveRun } from './engine/queueState';

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

export type { SendResult } from './engine/queueEdits';

export async function openJobService(options: JobServiceOptions): Promise<JobService> {
  const service = new JobService(options);
  await service.open();
  return service;
}

export class JobService {
  readonly storageDir: string;
  private readonly state: QueueState;
  private readonly dispatcher: Dispatcher;
  private readonly opening: Opening;
  private readonly edits: QueueEdits;
  private readonly ownership: QueueOwnership;

  constructor(options: JobServiceOptions) {
    const parsed = parseOptions(JobServiceOptionsSchema, options, 'job queue options');
    this.storageDir = parsed.storageDir;
    const files = new QueueFiles(this.storageDir, (message) => this.state.warn({ message }));
    this.state = new QueueState(files, parsed.runner ?? new LocalProcessRunner(), applyOptions(defaultOptions(), parsed));
    this.state.dispatchHold = parsed.dispatchHold;
    this.dispatcher = new Dispatcher(this.state, () => this.ownership.isOwner);
    this.edits = new QueueEdits(this.state, this.dispatcher);
    this.opening = new Opening(this.state, this.dispatcher, (spec, link) => this.edits.add(spec, link));
    this.ownership = new QueueOwnership(this.storageDir, parsed.ownerLabel ?? 'another VS Code window', this.state.options.outputPollMs * 2, {
      becomeOwner: () => this.opening.restoreAsOwner(),
      follow: () => this.opening.reloadAsFollower(),
      roleChanged: (role) => this.state.emit({ type: 'roleChanged', role }),
      drainInbox: () => this.opening.drainInbox(),
    });
  }

  /** Opens the folder: as its owner (restoring and adopting), as a follower, or unclaimed while unused. */
  async open(): Promise<void> {
    this.ownership.open();
  }

  /** What opening found (also announced as events, but before any view could subscribe). */
  get openReport(): OpenReport {
    return this.state.openReport;
  }

  get role(): QueueRole {
    return this.ownership.role;
  }

  get canPauseJobs(): boolean {
    return this.state.runner.canPauseJobs;
  }

  // ---- reading -------------------------------------------------------------------------------

  getSnapshot(): QueueView {
    const s = this.state;
    return {
      queued: [...s.queued],
      running: this.ownership.isFollower ? [...s.followedRunning] : [...s.running.values()].map((r) => r.job),
      autoRun: s.autoRun,
      paused: s.paused,
      maxParallelJobs: s.options.maxParallelJobs,
    };
  }

  /** Finished runs, newest first. */
  getHistory(): Job[] {
    return this.state.history.all();
  }

  getHistoryPage(offset: number, limit: number): Job[] {
    return this.state.history.page(offset, limit);
  }

  get historySize(): number {
    return this.state.history.size;
  }

  getJob(id: string): Job | undefined {
    const s = this.state;
    return s.running.get(id)?.job ?? s.followedRunning.find((j) => j.id === id) ?? s.queued.find((j) => j.id === id) ?? s.history.latest(id);
  }

  getQueuePosition(id: string): number | undefined {
    const index = this.state.queued.findIndex((j) => j.id === id);
    return index < 0 ? undefined : index + 1;
  }

  getProgress(id: string): Progress | undefined {
    return this.state.monitor.progress(id);
  }

  getOutputTail(id: string): string[] {
    return this.state.monitor.lines(id);
  }

  isAutoRunEnabled(): boolean {
    return this.state.autoRun;
  }

  isQueuePaused(): boolean {
    return this.state.paused;
  }

  onDidChange(listener: JobServiceListener): Disposable {
    this.state.listeners.add(listener);
    return { dispose: () => this.state.listeners.delete(listener) };
  }

  // ---- queue changes -------------------------------------------------------------------------

  /** Adds a job from any window: the owner queues it, a follower forwards it to the owner. */
  submit(input: JobSpecInput): SubmitResult {
    this.assertOpen();
    const spec = parseSpec(input, 'Invalid job');
    if (this.ownership.claimIfUnclaimed() === 'follower') {
      const request = this.state.files.forward(spec, this.ownership.selfLabel);
      return { kind: 'forwarded', requestId: request.requestId, message: `Job “${spec.label || spec.command}” was passed to the window that runs this queue; it appears there and here in a moment.` };
    }
    return { kind: 'queued', job: this.edits.add(spec, {}) };
  }

  /** Queues a job here; only the owner may (use submit() from a window that may be a follower). */
  enqueue(input: JobSpecInput): Job {
    this.assertOwner();
    return this.edits.add(parseSpec(input, 'Invalid job'), {});
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
    return this.edits.add(parseSpec({ ...original.spec, ...changes }, 'Invalid changes'), { retryOf: original.id });
  }

  moveJob(id: string, toIndex: number): void {
    this.assertOwner();
    const job = this.requireJob(id);
    lifecycle.assertCan('move', job);
    this.edits.move(job, toIndex);
  }

  removeJob(id: string): void {
    this.assertOwner();
    const job = this.requireJob(id);
    lifecycle.assertCan('remove', job);
    this.edits.remove(job);
  }

  cancelAllQueued(): number {
    this.assertOwner();
    return this.edits.cancelAllQueued();
  }

  clearHistory(): Promise<void> {
    this.assertOwner();
    return this.edits.clearHistory();
  }

  // ---- flags and dispatch --------------------------------------------------------------------

  setAutoRun(enabled: boolean): void {
    this.assertOwner();
    if (this.state.autoRun === enabled) return;
    this.state.autoRun = enabled;
    this.edits.flagsChanged(() => (this.state.autoRun = !enabled));
  }

  setQueuePaused(paused: boolean): void {
    this.assertOwner();
    if (this.state.paused === paused) return;
    this.state.paused = paused;
    this.edits.flagsChanged(() => (this.state.paused = !paused));
  }

  /** Holds all dispatch with a reason (undefined lifts the hold and dispatches what is due). */
  setDispatchHold(reason: string | undefined): void {
    this.state.dispatchHold = reason;
    this.dispatcher.dispatch();
  }

  configure(options: ConfigurableOptions): void {
    const parsed = parseOptions(ConfigurableOptionsSchema, options, 'settings');
    const before = this.state.options.maxParallelJobs;
    this.state.options = applyOptions(this.state.options, parsed);
    if (this.state.options.maxParallelJobs > before) this.dispatcher.dispatch();
  }

  /** Send Job: the top job now, or as soon as a slot frees (see QueueEdits.sendNext). */
  sendNextJob(): SendResult {
    this.assertOwner();
    return this.edits.sendNext();
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
    const s = this.state;
    const job = this.requireJob(id);
    lifecycle.assertCan('cancel', job);
    if (job.status === 'queued') return this.edits.cancelQueued(job);
    return this.dispatcher.endRun(s.running.get(id)!, 'cancel');
  }

  /** Ends the run and puts the same job (same id) at the bottom of the queue. */
  async cancelAndRequeue(id: string): Promise<Job> {
    this.assertOwner();
    const run = this.requireRun(id, 'cancelAndRequeue');
    await this.dispatcher.endRun(run, 'cancelAndRequeue');
    return this.state.queued.find((j) => j.id === id) ?? run.job;
  }

  // ---- lifetime ------------------------------------------------------------------------------

  /** Resolves once every change made so far is on disk. */
  flush(): Promise<void> {
    return this.state.files.flush();
  }

  /** Flushes everything to disk and stops watching. Running jobs go on; the next owner adopts them. */
  async dispose(): Promise<void> {
    const s = this.state;
    if (s.disposed) return;
    s.disposed = true;
    this.dispatcher.dispose();
    s.monitor.dispose();
    for (const run of s.running.values()) run.execution.detach();
    await s.files.flush().catch((error: unknown) => console.error('[job-queue] final save failed', error));
    s.files.close();
    this.ownership.dispose();
    s.listeners.clear();
  }

  // ---- internals -----------------------------------------------------------------------------

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
    return this.state.running.get(id)!;
  }

  /** Pause and resume are recorded (and synced) before the signal is sent. */
  private updateRun(run: ActiveRun, job: Job, type: 'paused' | 'resumed'): Job {
    const s = this.state;
    s.files.recordDurably(type, job);
    run.job = job;
    s.saveSnapshot();
    s.emit({ type: 'jobChanged', job });
    s.monitor.update(job);
    return job;
  }

  private assertOpen(): void {
    if (this.state.disposed) throw new JobError('disposed', 'The job queue has been closed.');
  }

  /** Every change is made by the folder's owner; an unused folder is claimed by its first change. */
  private assertOwner(): void {
    this.assertOpen();
    if (this.ownership.claimIfUnclaimed() === 'follower') throw new JobError('notOwner', this.ownership.notOwnerMessage());
  }
}

function parseSpec(input: unknown, what: string): JobSpec {
  const parsed = JobSpecSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new JobError('invalidSpec', `${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; ')}`);
}
