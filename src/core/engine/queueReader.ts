// The reading half of JobService: what is queued, running and finished, why a queued job waits,
// progress and output, and the events. Reads only; every change goes through JobService.
import type { Disposable, JobServiceListener } from '../events';
import type { Job, Progress } from '../model';
import type { OpenReport } from '../openReport';
import type { RunDetails } from '../runner/types';
import type { QueueState } from './queueState';
import { whyWaits, type LaneView, type WaitReason } from './scheduling';

export interface QueueView {
  queued: Job[];
  running: Job[];
  autoRun: boolean;
  paused: boolean;
  /** The `default` lane's slots. */
  maxParallelJobs: number;
  /** Every configured lane (`default` first) with its slots, its own pause and what runs in it. */
  lanes: LaneView[];
}

export class QueueReader {
  constructor(protected readonly state: QueueState) {}

  /** What opening found (also announced as events, but before any view could subscribe). */
  get openReport(): OpenReport {
    return this.state.openReport;
  }

  get canPauseJobs(): boolean {
    return this.state.runners.local.canPauseJobs;
  }

  /** Whether this running job's backend can pause it (a local process on POSIX, a Slurm job). */
  canPauseJob(job: Pick<Job, 'spec'>): boolean {
    return this.state.runners.for(job).canPauseJobs;
  }

  /** The backend's full account of a running job's run (Slurm: `scontrol show job`); undefined when it has none. */
  async describeRun(id: string): Promise<string | undefined> {
    const execution = this.state.running.get(id)?.execution;
    return execution?.describe ? execution.describe() : undefined;
  }

  /** What the job's backend shows about its current run (Slurm: id, state, node...); undefined for a local run. */
  getRunDetails(id: string): RunDetails | undefined {
    // A follower has no run of its own to ask: what the owner published.
    return this.state.running.get(id)?.execution.details?.() ?? this.state.followedDetails.get(id);
  }

  // ---- reading -------------------------------------------------------------------------------

  getSnapshot(): QueueView {
    const s = this.state;
    return {
      queued: [...s.queued],
      running: s.runningJobs(),
      autoRun: s.autoRun,
      paused: s.paused,
      maxParallelJobs: s.options.maxParallelJobs,
      lanes: this.getLanes(),
    };
  }

  /** Every configured lane (`default` first) with its slots, pause and running jobs — without copying the queue. */
  getLanes(): LaneView[] {
    return [...this.state.laneUses()].map(([name, lane]) => ({ name, ...lane }));
  }

  /** Whether the lane is paused (its own pause, not the queue's): O(1), for views that ask per row. */
  isLanePaused(name: string): boolean {
    return this.state.lanes[name]?.paused ?? false;
  }

  /** How many jobs are queued and running, and the flags: what a view's chrome needs, without copying the queue. */
  getCounts(): { queued: number; running: number; autoRun: boolean; paused: boolean } {
    const s = this.state;
    return { queued: s.queued.length, running: s.running.size + s.followedRunning.length, autoRun: s.autoRun, paused: s.paused };
  }

  /** The running (and paused) jobs: this host's, or a follower's view of the owner's. */
  getRunning(): Job[] {
    return this.state.runningJobs();
  }

  /** Queued jobs `offset`…`offset + limit` in queue order (a page, for views of long queues). */
  getQueuedPage(offset: number, limit: number): Job[] {
    return this.state.queued.slice(offset, offset + limit);
  }

  /** Why a queued job does not start now (held, waits for Job #3, not before …, its lane paused or full); undefined when it is not queued. */
  getWaitReason(id: string): WaitReason | undefined {
    const job = this.state.queued.find((j) => j.id === id);
    return job && whyWaits(job, this.state.schedulingView());
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
}
