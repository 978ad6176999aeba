// JobService: the one facade. It owns the queue, the flags (autoRun, paused), the running jobs and
// the history; every change goes through it, is persisted, and is announced as an event.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JobError } from './errors';
import type { Disposable, JobServiceEvent, JobServiceListener } from './events';
import * as lifecycle from './lifecycle';
import {
  JobSpecSchema, QUEUE_SNAPSHOT_VERSION, isActive,
  type InterruptedPolicy, type Job, type JobSpec, type JobSpecInput, type Progress, type QueueSnapshot,
} from './model';
import { emptyOpenReport, type OpenReport } from './openReport';
import { OutputTail } from './outputTail';
import type { QueueRole } from './ownership/role';
import { estimateEta, latestProgress, median } from './progress';
import { LocalProcessRunner } from './runner/localRunner';
import type { JobExecution, JobRunner, RunExit } from './runner/types';
import { HistoryLog } from './store/historyLog';
import { QueueStore, emptySnapshot } from './store/queueStore';

export interface JobServiceOptions {
  storageDir: string;
  maxParallelJobs?: number;
  cancelGraceMs?: number;
  interruptedPolicy?: InterruptedPolicy;
  /** Finished runs kept in the history. */
  historyLimit?: number;
  /** Shell that runs each command line (POSIX: `$SHELL -c`). */
  shell?: string;
  /** Where jobs run; local processes unless a test or another backend says otherwise. */
  runner?: JobRunner;
  /** How often a running job's log is looked at for output and progress. */
  outputPollMs?: number;
  /** When set, nothing is dispatched and this says why (e.g. an untrusted workspace). */
  dispatchHold?: string;
}

export type ConfigurableOptions = Partial<Pick<JobServiceOptions, 'maxParallelJobs' | 'cancelGraceMs' | 'interruptedPolicy' | 'historyLimit' | 'shell'>>;

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
  tail: OutputTail;
  lines: string[];
  progress: Progress;
  ending?: Promise<void>;
  finishedJob?: Promise<Job>;
  resolveFinished?: (job: Job) => void;
}

const DURATIONS_KEPT = 20;

export async function openJobService(options: JobServiceOptions): Promise<JobService> {
  const service = new JobService(options);
  await service.restore();
  return service;
}

export class JobService {
  readonly storageDir: string;
  private readonly runner: JobRunner;
  private readonly store: QueueStore;
  private readonly log: HistoryLog;
  private readonly listeners = new Set<JobServiceListener>();
  private options: Required<Omit<JobServiceOptions, 'runner' | 'storageDir' | 'dispatchHold'>>;
  private dispatchHold: string | undefined;

  private queued: Job[] = [];
  private readonly running = new Map<string, ActiveRun>();
  /** Finished runs, oldest first (bounded by historyLimit). */
  private history: Job[] = [];
  private readonly latestRun = new Map<string, Job>();
  private readonly durations = new Map<string, number[]>();
  private autoRun = false;
  private paused = false;
  private nextId = 1;
  private disposed = false;
  private outputTimer: NodeJS.Timeout | undefined;
  private currentRole: QueueRole = { kind: 'owner' };
  /** What opening found (also announced as events, but before any view could subscribe). */
  readonly openReport: OpenReport = emptyOpenReport();

  constructor(options: JobServiceOptions) {
    this.storageDir = options.storageDir;
    this.runner = options.runner ?? new LocalProcessRunner();
    this.options = {
      maxParallelJobs: 1,
      cancelGraceMs: 5000,
      interruptedPolicy: 'requeueAndPause',
      historyLimit: 5000,
      shell: defaultShell(),
      outputPollMs: 250,
    };
    this.applyOptions(options);
    this.dispatchHold = options.dispatchHold;
    fs.mkdirSync(this.logsDir, { recursive: true });
    this.store = new QueueStore(path.join(this.storageDir, 'queue.json'), (error) =>
      this.emit({ type: 'storeWarning', message: `Could not save the queue: ${String(error)}` }));
    this.log = new HistoryLog(path.join(this.storageDir, 'history.jsonl'));
  }

  /** One flat folder of run logs (`<id>.<attempt>.log`, plus the runner's exit journal): a folder per job would cost a mkdir per start. */
  private get logsDir(): string {
    return path.join(this.storageDir, 'logs');
  }

  get role(): QueueRole {
    return this.currentRole;
  }

  /** Adds a job from any window: the owner queues it, a follower forwards it to the owner. */
  submit(input: JobSpecInput): SubmitResult {
    return { kind: 'queued', job: this.enqueue(input) };
  }

  get canPauseJobs(): boolean {
    return this.runner.canPauseJobs;
  }

  // ---- reading -------------------------------------------------------------------------------

  getSnapshot(): QueueView {
    return {
      queued: [...this.queued],
      running: [...this.running.values()].map((r) => r.job),
      autoRun: this.autoRun,
      paused: this.paused,
      maxParallelJobs: this.options.maxParallelJobs,
    };
  }

  /** Finished runs, newest first. */
  getHistory(): Job[] {
    return [...this.history].reverse();
  }

  getHistoryPage(offset: number, limit: number): Job[] {
    const end = Math.max(0, this.history.length - offset);
    const start = Math.max(0, end - limit);
    return this.history.slice(start, end).reverse();
  }

  get historySize(): number {
    return this.history.length;
  }

  getJob(id: string): Job | undefined {
    return this.running.get(id)?.job ?? this.queued.find((j) => j.id === id) ?? this.latestRun.get(id);
  }

  getQueuePosition(id: string): number | undefined {
    const index = this.queued.findIndex((j) => j.id === id);
    return index < 0 ? undefined : index + 1;
  }

  getProgress(id: string): Progress | undefined {
    const run = this.running.get(id);
    return run ? { ...run.progress } : undefined;
  }

  getOutputTail(id: string): string[] {
    return [...(this.running.get(id)?.lines ?? [])];
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

  enqueue(input: JobSpecInput): Job {
    this.assertOpen();
    const parsed = JobSpecSchema.safeParse(input);
    if (!parsed.success) {
      throw new JobError('invalidSpec', `Invalid job: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; ')}`);
    }
    return this.addToQueue(parsed.data, undefined);
  }

  retryJob(id: string, changes: Partial<JobSpec> = {}): Job {
    this.assertOpen();
    const original = this.requireJob(id);
    lifecycle.assertCan('retry', original);
    const parsed = JobSpecSchema.safeParse({ ...original.spec, ...changes });
    if (!parsed.success) {
      throw new JobError('invalidSpec', `Invalid changes: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    return this.addToQueue(parsed.data, original.id);
  }

  moveJob(id: string, toIndex: number): void {
    this.assertOpen();
    const job = this.requireJob(id);
    lifecycle.assertCan('move', job);
    if (!Number.isInteger(toIndex)) throw new JobError('invalidArgument', `Queue position must be a whole number, not ${toIndex}`);
    const from = this.queued.indexOf(job);
    const to = Math.min(Math.max(0, toIndex), this.queued.length - 1);
    if (from === to) return;
    this.queued.splice(from, 1);
    this.queued.splice(to, 0, job);
    this.saveSnapshot();
    this.emitQueue();
  }

  removeJob(id: string): void {
    this.assertOpen();
    const job = this.requireJob(id);
    lifecycle.assertCan('remove', job);
    this.queued = this.queued.filter((j) => j !== job);
    this.log.append('removed', job);
    this.saveSnapshot();
    this.emit({ type: 'jobRemoved', jobId: id });
    this.emitQueue();
  }

  cancelAllQueued(): number {
    this.assertOpen();
    const cancelled = this.queued;
    if (cancelled.length === 0) return 0;
    this.queued = [];
    const now = Date.now();
    for (const job of cancelled) this.recordFinished(lifecycle.cancelledWhileQueued(job, now));
    this.saveSnapshot();
    for (const job of cancelled) this.emit({ type: 'jobRemoved', jobId: job.id });
    this.emitQueue();
    return cancelled.length;
  }

  async clearHistory(): Promise<void> {
    this.assertOpen();
    this.log.append('historyCleared', undefined);
    this.history = [];
    this.latestRun.clear();
    this.compactHistory();
    this.emit({ type: 'historyCleared' });
    await this.pruneLogs();
  }

  // ---- flags and dispatch --------------------------------------------------------------------

  setAutoRun(enabled: boolean): void {
    this.assertOpen();
    if (this.autoRun === enabled) return;
    this.autoRun = enabled;
    this.flagsChanged();
  }

  setQueuePaused(paused: boolean): void {
    this.assertOpen();
    if (this.paused === paused) return;
    this.paused = paused;
    this.flagsChanged();
  }

  /** Holds all dispatch with a reason (undefined lifts the hold and dispatches what is due). */
  setDispatchHold(reason: string | undefined): void {
    this.dispatchHold = reason;
    this.dispatch();
  }

  get dispatchHeldBecause(): string | undefined {
    return this.dispatchHold;
  }

  configure(options: ConfigurableOptions): void {
    const before = this.options.maxParallelJobs;
    this.applyOptions(options);
    if (this.options.maxParallelJobs > before) this.dispatch();
  }

  /**
   * Send Job: dispatch the top job once. It marks the job pending and runs the one dispatch path,
   * so a free slot starts it now and a busy queue starts it when a slot frees (auto-run or not).
   */
  sendNextJob(): SendResult {
    this.assertOpen();
    if (this.dispatchHold !== undefined) return { outcome: 'refused', reason: 'held', message: this.dispatchHold };
    if (this.paused) return { outcome: 'refused', reason: 'paused', message: 'The queue is paused: resume it to send a job.' };
    if (this.queued.length === 0) return { outcome: 'refused', reason: 'empty', message: 'The queue is empty: there is no job to send.' };
    const index = this.queued.findIndex((j) => !j.pending);
    if (index < 0) return { outcome: 'refused', reason: 'alreadyPending', message: 'Every queued job is already waiting for a free slot.' };
    const job: Job = { ...this.queued[index]!, pending: true };
    this.queued[index] = job;
    this.dispatch();
    const run = this.running.get(job.id);
    if (run) return { outcome: 'started', job: run.job };
    this.saveSnapshot();
    this.emit({ type: 'jobChanged', job });
    return { outcome: 'pending', job };
  }

  // ---- running jobs --------------------------------------------------------------------------

  pauseJob(id: string): Job {
    this.assertOpen();
    const run = this.requireRun(id, 'pause');
    if (!this.canPauseJobs) throw new JobError('notSupported', 'Pausing a job is not supported on this platform; pause the queue instead.', id);
    run.execution.pause();
    return this.updateRun(run, lifecycle.paused(run.job, Date.now()), 'paused');
  }

  resumeJob(id: string): Job {
    this.assertOpen();
    const run = this.requireRun(id, 'resume');
    run.execution.resume();
    return this.updateRun(run, lifecycle.resumed(run.job, Date.now()), 'resumed');
  }

  /** Queued: leaves the queue (cancelled, in history). Running/paused: its process tree is ended. */
  async cancelJob(id: string): Promise<Job> {
    this.assertOpen();
    const job = this.requireJob(id);
    lifecycle.assertCan('cancel', job);
    if (job.status === 'queued') {
      this.queued = this.queued.filter((j) => j !== job);
      const cancelled = this.recordFinished(lifecycle.cancelledWhileQueued(job, Date.now()));
      this.saveSnapshot();
      this.emit({ type: 'jobRemoved', jobId: id });
      this.emitQueue();
      return cancelled;
    }
    return this.endRun(this.running.get(id)!, 'cancel');
  }

  /** Ends the run and puts the same job (same id) at the bottom of the queue. */
  async cancelAndRequeue(id: string): Promise<Job> {
    this.assertOpen();
    const run = this.requireRun(id, 'cancelAndRequeue');
    await this.endRun(run, 'cancelAndRequeue');
    return this.queued.find((j) => j.id === id) ?? run.job;
  }

  // ---- lifetime ------------------------------------------------------------------------------

  /** Resolves once every change made so far is on disk. */
  flush(): Promise<void> {
    return this.store.flush();
  }

  /** Flushes everything to disk and stops watching. Running jobs go on; the next open adopts them. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.outputTimer) clearInterval(this.outputTimer);
    for (const run of this.running.values()) run.execution.detach();
    await this.store.flush();
    this.log.close();
    this.listeners.clear();
  }

  /** Loads the persisted state, reconciles it with the history log, and finds running jobs again. */
  async restore(): Promise<void> {
    const loaded = this.store.load();
    const snapshot: QueueSnapshot = loaded.kind === 'loaded' ? loaded.snapshot : { ...emptySnapshot(), ...(loaded.kind === 'corrupt' ? loaded.partial : {}) };
    const warnings: JobServiceEvent[] = [];
    if (loaded.kind === 'corrupt') {
      warnings.push({
        type: 'storeWarning',
        message: `The saved queue was damaged (${loaded.reason}); a copy was kept and every valid job was restored.`,
        backupPath: loaded.backupPath,
      });
    }
    const { events, badLines, backupPath } = this.log.load(loaded.kind === 'loaded' ? loaded.snapshot.historyCheck : undefined);
    if (badLines > 0) {
      warnings.push({ type: 'storeWarning', message: `${badLines} damaged line(s) in the job history were skipped; a copy of the file was kept.`, ...(backupPath ? { backupPath } : {}) });
    }

    this.autoRun = snapshot.autoRun;
    this.paused = snapshot.paused;
    this.nextId = snapshot.nextId;
    // Keyed by id, in queue order (a Map keeps insertion order): replay stays linear in the log.
    const queued = new Map<string, Job>(snapshot.queued.map((j) => [j.id, { ...j, status: 'queued' }]));
    const running = new Map(snapshot.running.map((j) => [j.id, j]));
    // The snapshot is written behind the log: replay what the log knows and the snapshot may not.
    const replayFrom = loaded.kind === 'loaded' ? snapshot.seq : 0;
    let cleared = 0;
    events.forEach((event, index) => {
      if (event.type === 'historyCleared') cleared = index + 1;
    });
    for (const [index, event] of events.entries()) {
      const job = event.job;
      if (job) this.nextId = Math.max(this.nextId, numericId(job.id) + 1);
      if (index >= cleared && job && event.type === 'finished') this.addToHistory(job);
      if (event.seq <= replayFrom || !job) continue;
      queued.delete(job.id);
      running.delete(job.id);
      if (isActive(job.status)) running.set(job.id, job);
      else if (job.status === 'queued' && event.type !== 'removed') queued.set(job.id, job);
    }
    this.queued = [...queued.values()];
    this.trimHistory();
    for (const job of running.values()) this.reattach(job);
    this.compactIfLarge();
    for (const warning of warnings) this.emit(warning);
    this.saveSnapshot();
    this.dispatch();
  }

  // ---- internals -----------------------------------------------------------------------------

  private addToQueue(spec: JobSpec, retryOf: string | undefined): Job {
    const job: Job = { id: String(this.nextId++), spec, ...(retryOf ? { retryOf } : {}), status: 'queued', attempt: 0, createdAt: Date.now() };
    this.queued.push(job);
    this.log.append('enqueued', job);
    this.saveSnapshot();
    this.emit({ type: 'jobChanged', job });
    this.emitQueue();
    this.dispatch();
    return this.getJob(job.id)!;
  }

  /** The one dispatch path, for auto-run and Send Job alike. */
  private dispatch(): void {
    if (this.disposed || this.dispatchHold !== undefined) return;
    while (!this.paused && this.running.size < this.options.maxParallelJobs) {
      const index = this.nextIndex();
      if (index < 0) break;
      const [job] = this.queued.splice(index, 1);
      this.start(job!);
    }
    // Get the log of the job most likely to start next ready while the current ones run.
    const next = this.queued[this.nextIndex()] ?? (this.autoRun ? undefined : this.queued[0]);
    if (next && !this.paused) this.runner.prepareLog?.(this.logPathFor(next));
  }

  /** Which queued job dispatch takes next: a pending one (Send Job), else the top with auto-run. */
  private nextIndex(): number {
    const pending = this.queued.findIndex((j) => j.pending);
    return pending >= 0 ? pending : this.autoRun && this.queued.length > 0 ? 0 : -1;
  }

  private logPathFor(job: Job): string {
    return path.join(this.logsDir, `${job.id}.${job.attempt + 1}.log`);
  }

  private start(queuedJob: Job): void {
    const logPath = this.logPathFor(queuedJob);
    const job = lifecycle.started(queuedJob, Date.now(), logPath);
    const refusal = this.checkCanStart(job);
    if (refusal) {
      this.emitQueue();
      this.finishRun(job, { error: refusal, finishedAt: Date.now() }, undefined);
      return;
    }
    let execution: JobExecution;
    try {
      execution = this.runner.start({ jobId: job.id, attempt: job.attempt, spec: job.spec, logPath, shell: this.options.shell });
    } catch (error) {
      this.emitQueue();
      this.finishRun(job, { error: `Could not start: ${(error as Error).message}`, finishedAt: Date.now() }, undefined);
      return;
    }
    const withHandle: Job = { ...job, run: execution.handle };
    this.track(withHandle, execution);
    this.log.append('started', withHandle);
    this.saveSnapshot();
    this.emit({ type: 'jobChanged', job: withHandle });
    this.emitQueue();
  }

  /** Why the job cannot start here, said plainly (rather than a bare exit code 127 later). */
  private checkCanStart(job: Job): string | undefined {
    const shell = this.options.shell;
    if (path.isAbsolute(shell) && !fs.existsSync(shell)) return `Could not start: the shell does not exist: ${shell} (setting jobQueue.shell)`;
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
    const run: ActiveRun = { job, execution, intent: undefined, tail: new OutputTail(job.logPath ?? ''), lines: [], progress: {} };
    run.finishedJob = new Promise((resolve) => (run.resolveFinished = resolve));
    this.running.set(job.id, run);
    this.refreshProgress(run);
    void execution.exited.then((exit) => {
      if (!this.disposed && this.running.get(job.id) === run) this.onRunExited(run, exit);
    });
    this.ensureOutputTimer();
    return run;
  }

  private reattach(job: Job): void {
    const result = job.run ? this.runner.reattach(job.run, job.logPath) : { kind: 'unknown' as const, reason: 'it has no run record' };
    if (result.kind === 'running') {
      const run = this.track(job, result.execution);
      this.log.append('adopted', job);
      this.emit({ type: 'jobAdopted', job: run.job });
      return;
    }
    if (result.kind === 'finished') {
      this.finishRun(job, result.exit, undefined);
      return;
    }
    const lost = lifecycle.interrupted(job, Date.now(), `the host stopped while it ran and ${result.reason}`);
    this.recordFinished(lost);
    const policy = this.options.interruptedPolicy;
    if (policy === 'keepInHistory') return;
    const back = lifecycle.requeued(job);
    this.queued.unshift(back);
    this.log.append('returned', back);
    this.emit({ type: 'jobChanged', job: back });
    this.emitQueue();
    // No dispatch here: restore() dispatches once every running job has been found again.
    if (policy === 'requeueAndPause' && !this.paused) {
      this.paused = true;
      this.emit({ type: 'flagsChanged', autoRun: this.autoRun, paused: this.paused });
    }
  }

  /** The job as it is now (queued, running, else its latest finished run); the caller checks the action. */
  private requireJob(id: string): Job {
    if (typeof id !== 'string' || id === '') throw new JobError('invalidArgument', 'No job id was given.');
    const job = this.getJob(id);
    if (!job) throw new JobError('unknownJob', `There is no job #${id}.`, id);
    return job;
  }

  private requireRun(id: string, action: lifecycle.JobAction): ActiveRun {
    const job = this.requireJob(id);
    lifecycle.assertCan(action, job);
    return this.running.get(id)!;
  }

  private updateRun(run: ActiveRun, job: Job, type: 'paused' | 'resumed'): Job {
    run.job = job;
    this.log.append(type, job);
    this.saveSnapshot();
    this.emit({ type: 'jobChanged', job });
    this.refreshProgress(run);
    return job;
  }

  private endRun(run: ActiveRun, intent: Exclude<lifecycle.EndIntent, undefined>): Promise<Job> {
    run.intent ??= intent;
    run.ending ??= run.execution.terminate(this.options.cancelGraceMs);
    return run.finishedJob!;
  }

  private onRunExited(run: ActiveRun, exit: RunExit): void {
    // A cancel waits for the whole tree to be gone before the run counts as finished.
    const settle = () => {
      if (this.running.get(run.job.id) !== run) return;
      const done = this.finishRun(run.job, exit, run.intent);
      run.resolveFinished?.(done);
    };
    if (run.ending) void run.ending.then(settle);
    else settle();
  }

  private finishRun(job: Job, exit: RunExit, intent: lifecycle.EndIntent): Job {
    this.running.delete(job.id);
    const done = this.recordFinished(lifecycle.finished(job, exit, intent));
    if (intent === 'cancelAndRequeue') {
      const back = lifecycle.requeued(job);
      this.queued.push(back);
      this.log.append('returned', back);
      this.emit({ type: 'jobChanged', job: back });
      this.emitQueue();
    }
    this.saveSnapshot();
    this.dispatch();
    if (this.running.size === 0) {
      if (this.outputTimer) clearInterval(this.outputTimer);
      this.outputTimer = undefined;
      this.runner.forgetFinishedRuns?.();
    }
    return done;
  }

  private recordFinished(job: Job): Job {
    this.log.append('finished', job);
    this.addToHistory(job);
    this.trimHistory();
    this.compactIfLarge();
    this.emit({ type: 'jobChanged', job });
    this.emit({ type: 'historyAdded', entry: job });
    return job;
  }

  private addToHistory(job: Job): void {
    this.history.push(job);
    this.latestRun.set(job.id, job);
    if (job.status === 'completed' && job.startedAt !== undefined && job.finishedAt !== undefined) {
      const list = this.durations.get(job.spec.command) ?? [];
      list.push(job.finishedAt - job.startedAt - (job.pausedMs ?? 0));
      if (list.length > DURATIONS_KEPT) list.shift();
      this.durations.set(job.spec.command, list);
    }
  }

  private trimHistory(): void {
    const excess = this.history.length - this.options.historyLimit;
    if (excess <= 0) return;
    for (const old of this.history.splice(0, excess)) {
      if (this.latestRun.get(old.id) === old) this.latestRun.delete(old.id);
    }
  }

  /**
   * Bounded growth: once the log holds twice the kept history (plus slack), rewrite it once. Each
   * rewrite is O(log) but happens every ~historyLimit events, so appends stay O(1) amortised.
   */
  private compactIfLarge(): void {
    if (this.log.lines <= Math.max(this.options.historyLimit * 2, 64)) return;
    this.compactHistory();
    void this.pruneLogs();
  }

  /** Rewrites the log keeping what is still queued, running or in the kept history, in order. */
  private compactHistory(): void {
    // Everything on disk is valid (validated at open or written here): no need to validate again.
    const all = this.log.load(this.log.check()).events;
    const live = new Set([...this.queued.map((j) => j.id), ...this.running.keys()]);
    const keptRuns = new Set(this.history);
    const keptKeys = new Set([...keptRuns].map((j) => `${j.id}#${j.attempt}#${j.finishedAt}`));
    this.log.compact(all, (e) => {
      if (!e.job) return false;
      if (live.has(e.job.id)) return true;
      return e.type === 'finished' && keptKeys.has(`${e.job.id}#${e.job.attempt}#${e.job.finishedAt}`);
    });
  }

  /** Deletes the logs of jobs that are no longer queued, running or in the kept history. */
  private async pruneLogs(): Promise<void> {
    const files = await fs.promises.readdir(this.logsDir).catch(() => [] as string[]);
    const keep = (id: string) => this.latestRun.has(id) || this.running.has(id) || this.queued.some((j) => j.id === id);
    const kept = new Map<string, boolean>();
    const doomed = files.filter((f) => {
      const id = f.slice(0, f.indexOf('.'));
      if (!kept.has(id)) kept.set(id, keep(id));
      return !kept.get(id);
    });
    await Promise.all(doomed.map((f) => fs.promises.rm(path.join(this.logsDir, f), { force: true })));
  }

  private ensureOutputTimer(): void {
    if (this.outputTimer || this.disposed) return;
    this.outputTimer = setInterval(() => {
      for (const run of this.running.values()) void this.pollOutput(run);
    }, this.options.outputPollMs);
    this.outputTimer.unref();
  }

  private async pollOutput(run: ActiveRun): Promise<void> {
    const read = await run.tail.readIfChanged().catch(() => undefined);
    if (this.disposed || this.running.get(run.job.id) !== run) return;
    if (read) {
      run.lines = read.lines;
      this.emit({ type: 'output', jobId: run.job.id, tail: [...read.lines] });
    }
    this.refreshProgress(run);
  }

  private refreshProgress(run: ActiveRun): void {
    const percent = latestProgress(run.lines);
    const elapsedMs = Math.max(0, (run.job.pausedAt ?? Date.now()) - (run.job.startedAt ?? Date.now()) - (run.job.pausedMs ?? 0));
    const eta = estimateEta({ percent, elapsedMs, typicalDurationMs: median(this.durations.get(run.job.spec.command) ?? []) });
    const next: Progress = { ...(percent !== undefined ? { percent } : {}), ...eta };
    const before = run.progress;
    // ETA drifts every tick; announce it when it moves by a second or more, percent on any change.
    const moved = before.percent !== next.percent || before.etaSource !== next.etaSource ||
      Math.abs((before.etaMs ?? -1e9) - (next.etaMs ?? -1e9)) >= 1000;
    if (!moved) return;
    run.progress = next;
    this.emit({ type: 'progress', jobId: run.job.id, progress: { ...next } });
  }

  private flagsChanged(): void {
    this.saveSnapshot();
    this.emit({ type: 'flagsChanged', autoRun: this.autoRun, paused: this.paused });
    this.dispatch();
  }

  private saveSnapshot(): void {
    this.store.save(() => ({
      version: QUEUE_SNAPSHOT_VERSION,
      seq: this.log.seq,
      nextId: this.nextId,
      autoRun: this.autoRun,
      paused: this.paused,
      queued: this.queued,
      running: [...this.running.values()].map((r) => r.job),
      historyCheck: this.log.check(),
    }));
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

  private applyOptions(options: ConfigurableOptions): void {
    const next = { ...this.options };
    if (options.maxParallelJobs !== undefined) next.maxParallelJobs = positiveInt(options.maxParallelJobs, 'maxParallelJobs');
    if (options.cancelGraceMs !== undefined) next.cancelGraceMs = Math.max(0, options.cancelGraceMs);
    if (options.historyLimit !== undefined) next.historyLimit = positiveInt(options.historyLimit, 'historyLimit');
    if (options.interruptedPolicy !== undefined) next.interruptedPolicy = options.interruptedPolicy;
    if (options.shell) next.shell = options.shell;
    if ('outputPollMs' in options && typeof options.outputPollMs === 'number') next.outputPollMs = options.outputPollMs;
    this.options = next;
  }

  private assertOpen(): void {
    if (this.disposed) throw new JobError('disposed', 'The job queue has been closed.');
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new JobError('invalidArgument', `${name} must be a whole number of at least 1, not ${value}`);
  return value;
}

function numericId(id: string): number {
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : 0;
}

export function defaultShell(): string {
  if (process.platform === 'win32') return process.env.ComSpec ?? 'cmd.exe';
  return process.env.SHELL || '/bin/sh';
}

