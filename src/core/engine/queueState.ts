// The state one queue's engine shares between its parts (the facade, the dispatcher, the opening):
// what is queued, running and finished, the flags, and the ways every change is made durable and
// announced. One object, so each part reads the same truth; only JobService exposes it.
import type { JobServiceEvent, JobServiceListener } from '../events';
import { HistoryBook } from '../historyBook';
import type * as lifecycle from '../lifecycle';
import { DEFAULT_LANE, backendOf, type Job, type LaneState } from '../model';
import { emptyOpenReport, type OpenReport, type StoreWarning } from '../openReport';
import type { EffectiveOptions } from '../options';
import { RunMonitor } from '../runMonitor';
import type { JobExecution, RunDetails } from '../runner/types';
import type { Runners } from './runners';
import type { QueueFiles, SnapshotState } from '../store/queueFiles';
import { isJobError } from '../errors';
import { laneOf, type ClusterUse, type LaneUse, type SchedulingView } from './scheduling';

/** A run this host started or adopted and watches until it ends. */
export interface ActiveRun {
  job: Job;
  execution: JobExecution;
  intent: lifecycle.EndIntent;
  ending?: Promise<void>;
  finished: Promise<Job>;
  resolveFinished: (job: Job) => void;
}

export class QueueState {
  queued: Job[] = [];
  readonly running = new Map<string, ActiveRun>();
  /** A follower's view of the owner's running jobs (no process of ours behind them). */
  followedRunning: Job[] = [];
  /** A follower: the live details of the owner's runs, as the owner last published them. */
  followedDetails = new Map<string, RunDetails>();
  readonly history = new HistoryBook();
  readonly monitor: RunMonitor;
  /** What opening found (also announced as events, but before any view could subscribe). */
  readonly openReport: OpenReport = emptyOpenReport();
  readonly listeners = new Set<JobServiceListener>();
  autoRun = false;
  paused = false;
  /** Lanes' own flags (paused), by name; persisted in the snapshot. */
  lanes: Record<string, LaneState> = {};
  nextId = 1;
  disposed = false;
  /** When set, nothing is dispatched and this says why (e.g. an untrusted workspace). */
  dispatchHold: string | undefined;
  /** A job ended (or the queue was opened): dispatch looks for dependents that can no longer run. */
  endsToSettle = true;
  /** A run's end could not be recorded: keep the runner's exit records until the next open. */
  unrecordedEnds = false;
  /** Asked for again after a write failed (disk full): set by the dispatcher. */
  retryLater: () => void = () => undefined;

  constructor(readonly files: QueueFiles, readonly runners: Runners, public options: EffectiveOptions) {
    this.monitor = new RunMonitor(options.outputPollMs, (command) => this.history.typicalDuration(command), (e) => this.emit(e));
  }
  /** The owner publishes its runs' live details for follower windows (see store/runDetailsFile.ts). */
  publishRunDetails(): void {
    const details = new Map<string, RunDetails>();
    for (const [id, run] of this.running) {
      const shown = run.execution.details?.();
      if (shown) details.set(id, shown);
    }
    this.files.runDetails.publish(details);
  }


  snapshotState(): SnapshotState {
    return { nextId: this.nextId, autoRun: this.autoRun, paused: this.paused, lanes: this.lanes, queued: this.queued, running: [...this.running.values()].map((r) => r.job) };
  }

  /** The running jobs: this host's runs, or (a follower) the owner's as last read. */
  runningJobs(): Job[] {
    return [...[...this.running.values()].map((r) => r.job), ...this.followedRunning];
  }

  /** Every configured lane (`default` has maxParallelJobs slots) with its flag and what runs in it. */
  laneUses(): Map<string, LaneUse> {
    const lanes = new Map<string, LaneUse>();
    const add = (name: string, slots: number) => lanes.set(name, { slots, paused: this.lanes[name]?.paused ?? false, running: 0 });
    add(DEFAULT_LANE, this.options.maxParallelJobs);
    for (const [name, slots] of Object.entries(this.options.lanes)) add(name, slots);
    for (const job of this.runningJobs()) {
      if (backendOf(job.spec) !== 'local') continue; // a Slurm job takes a cluster slot, not its lane's
      const lane = lanes.get(laneOf(job));
      if (lane) lane.running++;
    }
    return lanes;
  }

  /** The queue's jobs on the Slurm cluster now, and how many may be. */
  clusterUse(): ClusterUse {
    return { slots: this.options.slurmMaxJobs, running: this.runningJobs().filter((j) => backendOf(j.spec) === 'slurm').length };
  }

  /** What the scheduling rules read, now. */
  schedulingView(): SchedulingView {
    let queuedById: Map<string, Job> | undefined;
    return {
      now: Date.now(),
      paused: this.paused,
      lanes: this.laneUses(),
      cluster: this.clusterUse(),
      lookup: (id) =>
        this.running.get(id)?.job ??
        this.followedRunning.find((j) => j.id === id) ??
        (queuedById ??= new Map(this.queued.map((j) => [j.id, j]))).get(id) ??
        this.history.latest(id),
    };
  }

  /** Replaces a queued job's record in place (its position is kept). */
  replaceQueued(before: Job, after: Job): void {
    const at = this.queued.indexOf(before);
    if (at >= 0) this.queued[at] = after;
  }

  /** Schedules a coalesced snapshot write (transitions are already durable in the log). */
  saveSnapshot(): void {
    this.files.saveSnapshot(() => this.snapshotState());
  }

  /** For changes that live only in the snapshot (order, flags): durable before acknowledged, or undone. */
  saveNowOrUndo(undo: () => void): void {
    try {
      this.files.saveSnapshotNow(this.snapshotState());
    } catch (error) {
      undo();
      throw error;
    }
  }

  addFinished(job: Job): void {
    this.endsToSettle = true;
    this.history.add(job);
    this.history.trim(this.options.historyLimit);
    this.emit({ type: 'jobChanged', job });
    this.emit({ type: 'historyAdded', entry: job });
  }

  /** Whether a job's files are still wanted (queued, running, or a kept run). */
  isKnown(id: string): boolean {
    return this.history.latest(id) !== undefined || this.running.has(id) || this.queued.some((j) => j.id === id);
  }

  /** Bounded growth: once the log has doubled since it was last rewritten, rewrite it (in the background). */
  compactIfLarge(): void {
    if (!this.files.worthCompacting(this.queued.length + this.running.size + this.options.historyLimit)) return;
    this.compactHistory().catch((error: unknown) => this.storageFailed(error)); // tried again at a later end
  }

  /**
   * Rewrites the log keeping what is still queued, running or in the kept history (and whatever
   * the saved snapshot does not include yet), in order; then deletes the run logs nobody needs.
   */
  async compactHistory(): Promise<void> {
    await this.files.compact(() => ({ live: new Set([...this.queued.map((j) => j.id), ...this.running.keys()]), keptRuns: this.history.keptKeys() }));
    if (!this.disposed) await this.files.pruneLogs((id) => this.isKnown(id));
  }

  /** A write failed: say so plainly, and have dispatch try again later. */
  storageFailed(error: unknown): void {
    this.warn({ message: isJobError(error) ? error.message : `Could not save the queue: ${String(error)}` });
    this.retryLater();
  }

  warn(warning: StoreWarning, duringOpen = false): void {
    if (duringOpen) this.openReport.warnings.push(warning);
    this.emit({ type: 'storeWarning', ...warning });
  }

  emitLanes(): void {
    this.emit({ type: 'lanesChanged', lanes: [...this.laneUses()].map(([name, lane]) => ({ name, ...lane })) });
  }

  emitQueue(): void {
    // The count, not the ids: a list of 100,000 ids at every change would make each enqueue O(queue).
    this.emit({ type: 'queueChanged', queued: this.queued.length });
  }

  emit(event: JobServiceEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        // A broken view must not break the queue.
        console.error('[job-queue] listener failed', error);
      }
    }
  }
}
