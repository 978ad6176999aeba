// JobService: the one facade. It owns the queue, the flags (autoRun, paused), the running jobs and
// the history; every change goes through it, is made durable, and is announced as an event.
//
// Record before you act: a change is in the history log before its effect can happen — a job's
// `starting` intent is synced before its process may begin (engine/dispatcher.ts), a change that
// lives only in the snapshot is synced before the call returns. Only one host writes a storage
// folder (ownership/): the others follow it. The parts: engine/queueState (the shared state),
// engine/dispatcher (starting and ending runs), engine/opening (owner restore, follower reload),
// engine/queueEdits and engine/scheduleEdits (the owner's changes), engine/queueReader (reading).
import { JobError } from './errors';
import * as lifecycle from './lifecycle';
import { JobSpecSchema, type AfterInput, type Job, type JobSpec, type JobSpecInput, type ScheduleInput } from './model';
import {
  ConfigurableOptionsSchema, JobServiceOptionsSchema, applyOptions, defaultOptions, parseOptions,
  type ConfigurableOptions, type JobServiceOptions,
} from './options';
import { QueueOwnership } from './ownership/queueOwnership';
import type { QueueRole } from './ownership/role';
import { LocalProcessRunner } from './runner/localRunner';
import { Runners } from './engine/runners';
import { QueueFiles } from './store/queueFiles';
import { Dispatcher } from './engine/dispatcher';
import { InboxRequests } from './engine/inboxRequests';
import { Opening } from './engine/opening';
import { QueueEdits } from './engine/queueEdits';
import { QueueState, type ActiveRun } from './engine/queueState';
import { ScheduleEdits, type SendResult } from './engine/scheduleEdits';
import { QueueReader } from './engine/queueReader';

export type { ConfigurableOptions, JobServiceOptions } from './options';

export type { QueueView } from './engine/queueReader';

/** retryJob's changes: the spec's fields, and how the new job waits (its lane is the old one's unless given). */
export type RetryChanges = Partial<JobSpec> & ScheduleInput;

/** enqueue from any window: queued here (owner), or passed to the owner through its inbox (follower). */
export type SubmitResult =
  | { kind: 'queued'; job: Job }
  | { kind: 'forwarded'; requestId: string; message: string };

export type { SendResult } from './engine/scheduleEdits';
export type { AfterInput } from './model';
export type { WaitReason, LaneView } from './engine/scheduling';
export { describeWait } from './engine/scheduling';

export async function openJobService(options: JobServiceOptions): Promise<JobService> {
  const service = new JobService(options);
  await service.open();
  return service;
}

export class JobService extends QueueReader {
  readonly storageDir: string;
  private readonly dispatcher: Dispatcher;
  private readonly opening: Opening;
  private readonly edits: QueueEdits;
  private readonly schedule: ScheduleEdits;
  private readonly ownership: QueueOwnership;

  constructor(options: JobServiceOptions) {
    const parsed = parseOptions(JobServiceOptionsSchema, options, 'job queue options');
    const files = new QueueFiles(parsed.storageDir, (message) => state.warn({ message }));
    const state: QueueState = new QueueState(files, new Runners(parsed.runner ?? new LocalProcessRunner(), parsed.backends), applyOptions(defaultOptions(), parsed));
    super(state);
    this.storageDir = parsed.storageDir;
    this.state.dispatchHold = parsed.dispatchHold;
    this.dispatcher = new Dispatcher(this.state, () => this.ownership.mayDispatch());
    this.edits = new QueueEdits(this.state, this.dispatcher);
    this.schedule = new ScheduleEdits(this.state, this.dispatcher);
    const inbox = new InboxRequests(this.state, {
      add: (spec, link, schedule) => this.edits.add(spec, link, this.schedule.prepare(spec, schedule)),
      retry: (id, requestId) => this.retry(id, {}, undefined, requestId),
      operations: this,
    });
    this.opening = new Opening(this.state, this.dispatcher, inbox);
    this.ownership = new QueueOwnership(this.storageDir, parsed.ownerLabel ?? 'another VS Code window', this.state.options.outputPollMs * 2, {
      becomeOwner: () => this.opening.restoreAsOwner(),
      follow: () => this.opening.reloadAsFollower(),
      stepDown: () => this.opening.stepDown(),
      roleChanged: (role) => this.state.emit({ type: 'roleChanged', role }),
      drainInbox: () => this.opening.drainInbox(),
      dispatch: () => this.dispatcher.dispatch(),
      warn: (message, duringOpen) => this.state.warn({ message }, duringOpen),
    });
  }

  /** Opens the folder: as its owner (restoring and adopting), as a follower, or unclaimed while unused. */
  async open(): Promise<void> {
    // A backend that finds its runs with a command (Slurm: squeue) asks it now, asynchronously and
    // bounded, so that finding them again (reattach, synchronous) needs no command on this thread.
    await Promise.all(this.state.runners.all().map((runner) => runner.prepareToReattach?.()));
    this.ownership.open();
  }

  get role(): QueueRole {
    return this.ownership.role;
  }

  // ---- queue changes -------------------------------------------------------------------------

  /**
   * Adds a job from any window: the owner queues it, a follower forwards it to the owner. `schedule`:
   * what it waits for, held, its start time, its lane (refused with invalidArgument saying why).
   */
  submit(input: JobSpecInput, schedule?: ScheduleInput): SubmitResult {
    this.assertOpen();
    const spec = parseSpec(input, 'Invalid job');
    const access = this.ownership.claimIfUnclaimed();
    if (access !== 'owner') {
      // A follower passes it to the owner; a window whose open failed keeps it in its own inbox until it opens.
      this.schedule.prepare(spec, schedule); // refused here already when it would be there
      const request = this.state.files.forward(spec, this.ownership.selfLabel, schedule);
      const where = access === 'follower' ? 'was passed to the window that runs this queue; it appears there and here in a moment' : 'is saved and queued as soon as this window can open the queue';
      return { kind: 'forwarded', requestId: request.requestId, message: `Job “${spec.label || spec.command}” ${where}.` };
    }
    return { kind: 'queued', job: this.edits.add(spec, {}, this.schedule.prepare(spec, schedule)) };
  }

  /** Queues a job here; only the owner may (use submit() from a window that may be a follower). */
  enqueue(input: JobSpecInput, schedule?: ScheduleInput): Job {
    this.assertOwner();
    const spec = parseSpec(input, 'Invalid job');
    return this.edits.add(spec, {}, this.schedule.prepare(spec, schedule));
  }

  /**
   * Retry: a NEW job from a finished run's spec (retryOf = its id). `run` names one run in the
   * history (e.g. an earlier run of a job that is queued or running again); without it, the job as it is now.
   */
  retryJob(id: string, changes: RetryChanges = {}, run?: { attempt: number; finishedAt?: number }): Job {
    return this.retry(id, changes, run);
  }

  /** `requestId`: a retry asked through the inbox, made exactly once (the new job carries the id). */
  private retry(id: string, changes: RetryChanges, run?: { attempt: number; finishedAt?: number }, requestId?: string): Job {
    this.assertOwner();
    const original = run ? this.getHistory().find((r) => r.id === id && r.attempt === run.attempt && (run.finishedAt === undefined || r.finishedAt === run.finishedAt)) : this.requireJob(id);
    if (!original) throw new JobError('unknownJob', `There is no run ${run?.attempt} of job #${String(id).slice(0, 40)} in the history.`, id);
    lifecycle.assertCan('retry', original);
    // A retry keeps the lane; what it waits for, a hold or a start time are given anew (the old ones were about the old wait).
    const { after, hold, notBefore, lane, ...specChanges } = changes;
    const spec = parseSpec({ ...original.spec, ...specChanges }, 'Invalid changes');
    const schedule = this.schedule.prepare(spec, { after, hold, notBefore, lane }, original.lane ? { lane: original.lane } : {});
    return this.edits.add(spec, { retryOf: original.id, ...(requestId ? { requestId } : {}) }, schedule);
  }

  moveJob(id: string, toIndex: number): void {
    this.assertOwner();
    const job = this.requireJob(id);
    lifecycle.assertCan('move', job);
    this.edits.move(job, toIndex);
  }

  /** Refused while queued jobs wait for it (cancel it instead: they fail with it, or change them first). */
  removeJob(id: string): void {
    this.assertOwner();
    const job = this.requireJob(id);
    lifecycle.assertCan('remove', job);
    const dependents = this.state.queued.filter((j) => j.after?.ids.includes(id)).map((j) => `Job #${j.id}`);
    if (dependents.length > 0) throw new JobError('invalidState', `${dependents.join(', ')} ${dependents.length > 1 ? 'wait' : 'waits'} for Job #${id}: change ${dependents.length > 1 ? 'their' : 'its'} dependencies first, or cancel Job #${id}.`, id);
    this.edits.remove(job);
  }

  // ---- how queued jobs wait ------------------------------------------------------------------

  /** Held: skipped by dispatch until released (Send Job on it releases it). */
  hold(id: string): Job {
    this.assertOwner();
    return this.schedule.hold(this.requireQueued(id, 'held'));
  }

  /** Releases a held job; `by: 'external'` (the API) may not release one held for the user's approval. */
  release(id: string, by: 'user' | 'external' = 'user'): Job {
    this.assertOwner();
    return this.schedule.release(this.requireQueued(id, 'released'), by);
  }

  /** What a queued job waits for; unknown ids, itself and cycles are refused. No ids (or null) clears them. */
  setDependencies(id: string, after: AfterInput): Job {
    this.assertOwner();
    return this.schedule.setDependencies(this.requireQueued(id, 'given dependencies'), after);
  }

  /** Not started before `at` (epoch ms); undefined clears it. */
  setStartTime(id: string, at: number | undefined): Job {
    this.assertOwner();
    return this.schedule.setStartTime(this.requireQueued(id, 'given a start time'), at);
  }

  /** A lane's own pause (the queue's pause still pauses every lane). */
  setLanePaused(name: string, paused: boolean): void {
    this.assertOwner();
    this.schedule.setLanePaused(name, paused);
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
    const before = JSON.stringify([...this.state.laneUses()]);
    this.state.options = applyOptions(this.state.options, parsed);
    if (JSON.stringify([...this.state.laneUses()]) === before) return;
    this.state.emitLanes();
    this.dispatcher.dispatch();
  }

  /** Send Job: the first queued job that can start, now or as soon as a slot of its lane frees. */
  sendNextJob(): SendResult {
    this.assertOwner();
    return this.schedule.send();
  }

  /**
   * Send Job on one queued job: released if held, its start time dropped; refused while it waits for
   * others. `by: 'external'` may not send (approve) a job held for the user's approval.
   */
  sendJob(id: string, by: 'user' | 'external' = 'user'): SendResult {
    this.assertOwner();
    return this.schedule.send(this.requireQueued(id, 'sent').id, by);
  }

  // ---- running jobs --------------------------------------------------------------------------

  pauseJob(id: string): Job {
    this.assertOwner();
    const run = this.requireRun(id, 'pause');
    if (!this.canPauseJob(run.job)) throw new JobError('notSupported', 'Pausing a job is not supported on this platform; pause the queue instead.', id);
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

  private requireQueued(id: string, past: string): Job {
    const job = this.requireJob(id);
    if (job.status !== 'queued') throw new JobError('invalidState', `Job #${job.id} is ${job.status}: only a queued job can be ${past}.`, job.id);
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
    const access = this.ownership.claimIfUnclaimed();
    if (access === 'follower') throw new JobError('notOwner', this.ownership.notOwnerMessage());
    if (access === 'openFailed') throw new JobError('storageFailed', this.ownership.notOwnerMessage());
  }
}

function parseSpec(input: unknown, what: string): JobSpec {
  const parsed = JobSpecSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new JobError('invalidSpec', `${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; ')}`);
}
