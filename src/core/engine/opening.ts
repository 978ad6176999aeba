// Opening a folder: as its owner (load, find every running job again by looking, record what
// became of each, only then dispatch), or as a follower (re-read the owner's files, read-only).
// Also the owner's inbox: what other windows and the terminal command asked for.
import * as os from 'node:os';
import * as lifecycle from '../lifecycle';
import type { Job } from '../model';
import { forgetFindings } from '../openReport';
import type { JobExecution } from '../runner/types';
import type { RecoveredState } from '../recovery';
import type { Dispatcher } from './dispatcher';
import { runsToPullBack } from './earlyStarts';
import type { InboxRequests } from './inboxRequests';
import type { QueueState } from './queueState';

export class Opening {
  constructor(private readonly state: QueueState, private readonly dispatcher: Dispatcher, private readonly inbox: InboxRequests) {}

  /** Loads the folder as its owner, then finds every running job again, by looking. */
  restoreAsOwner(): void {
    const s = this.state;
    this.letRunsGo(); // a failed attempt before this one may have adopted some
    forgetFindings(s.openReport);
    const loaded = this.take(s.files.loadAsOwner((warning) => s.warn(warning, true)));
    s.endsToSettle = true;
    s.files.takenRequests = loaded.takenRequests;
    // First the fate of every run, then the records, then the journal, then dispatch (slots counted).
    const fates = loaded.running.map((job) => ({ job, fate: s.files.lookFor(s.runners.for(job), job) }))
      // Runs started ahead of their dependencies last: whether one was being pulled back depends on how those ended.
      .sort((a, b) => Number(a.job.after !== undefined) - Number(b.job.after !== undefined));
    this.dispatcher.restoring = true;
    try {
      for (const { job, fate } of fates) {
        // A run stopped (not ended by itself) while its dependency had gone back to the queue or failed
        // was being pulled back when its host went away: the pull-back's cause is on the disk before
        // the pull-back acts, so it is resolved the same way here. A run that exited by itself keeps its end.
        const exit = fate.kind === 'finished' && fate.exit.kind !== 'exited' ? fate.exit : fate.kind === 'unknown' ? { kind: 'unknown' as const, reason: fate.reason, finishedAt: Date.now() } : undefined;
        const pulledBack = exit ? runsToPullBack([job], s.schedulingView().lookup)[0] : undefined;
        if (exit && pulledBack) s.openReport.endedWhileClosed.push(this.dispatcher.finishRun(job, exit, pulledBack.intent));
        else if (fate.kind === 'running') this.adopt(job, fate.execution);
        else if (fate.kind === 'finished') s.openReport.endedWhileClosed.push(this.dispatcher.finishRun(job, fate.exit, undefined));
        else if (fate.kind === 'neverStarted' && !rebootedSince(job.startedAt)) this.returnUnstarted(job);
        else if (fate.kind === 'neverStarted') this.interrupt(job, 'the machine restarted since, so whether it began cannot be known');
        else this.interrupt(job, fate.reason);
      }
      s.files.commit();
    } finally {
      this.dispatcher.restoring = false;
    }
    this.dispatcher.forgetExitRecordsIfIdle();
    s.saveSnapshot();
    s.compactIfLarge();
    s.emit({ type: 'reloaded' });
    s.emitQueue();
    this.inbox.removeStaleReplies();
    // A dependency that ended badly (or went back to the queue) while no window watched: before the
    // inbox adds jobs that could be submitted against those runs.
    this.dispatcher.pullBackEarlyStarts();
    // What was saved while no window ran the queue: a refusal is told with what the open found, once.
    this.inbox.refusalsDuringOpen = s.openReport.refusedRequests;
    try {
      this.drainInbox();
    } finally {
      this.inbox.refusalsDuringOpen = undefined;
    }
    this.dispatcher.dispatch();
  }

  /**
   * This host lost the lock (or its restore failed): it stops watching its runs as their owner. They
   * go on running and their records stay as they are, for the host that owns the folder to adopt.
   */
  stepDown(): void {
    this.letRunsGo();
    this.reloadAsFollower();
  }

  private letRunsGo(): void {
    const s = this.state;
    for (const run of s.running.values()) run.execution.detach();
    s.running.clear();
    s.followedRunning = [];
    s.followedDetails.clear();
    s.monitor.clear();
  }

  /** A follower re-reads the owner's files (read-only) and re-renders. */
  reloadAsFollower(): void {
    const s = this.state;
    for (const run of s.running.values()) run.execution.detach();
    s.running.clear();
    const loaded = this.take(s.files.loadAsFollower());
    const before = new Set(s.followedRunning.map((j) => j.id));
    s.followedRunning = loaded.running;
    s.followedDetails = s.files.runDetails.read();
    for (const job of loaded.running) {
      if (before.has(job.id)) s.monitor.update(job);
      else s.monitor.watch(job);
    }
    for (const id of before) if (!loaded.running.some((j) => j.id === id)) s.monitor.unwatch(id);
    s.emit({ type: 'reloaded' });
  }

  /** Makes what was loaded the state: flags, lanes, ids, the queue and the history. */
  private take(loaded: RecoveredState): RecoveredState {
    const s = this.state;
    s.autoRun = loaded.autoRun;
    s.paused = loaded.paused;
    s.lanes = loaded.lanes;
    s.nextId = loaded.nextId;
    s.queued = loaded.queued;
    s.history.replace(loaded.finished, s.options.historyLimit);
    return loaded;
  }

  /** Acts on what other windows and the terminal command asked for (engine/inboxRequests.ts). */
  drainInbox(): void {
    this.inbox.drain();
  }

  private adopt(job: Job, execution: JobExecution): void {
    const s = this.state;
    const confirmed: Job = { ...job, run: execution.handle };
    s.files.record('adopted', confirmed);
    this.dispatcher.track(confirmed, execution);
    s.openReport.adopted.push(confirmed);
    s.emit({ type: 'jobAdopted', job: confirmed });
  }

  /** Its `starting` intent was written but the runner proves the command never ran: it is still queued. */
  private returnUnstarted(job: Job): void {
    const back = lifecycle.requeued({ ...job, attempt: Math.max(0, job.attempt - 1) });
    this.state.files.record('returned', back);
    this.state.queued.unshift(back);
    this.state.emit({ type: 'jobChanged', job: back });
  }

  private interrupt(job: Job, reason: string): void {
    const s = this.state;
    const lost = lifecycle.interrupted(job, Date.now(), `the host stopped while it ran and ${reason}`);
    s.files.record('finished', lost);
    s.addFinished(lost);
    s.openReport.interrupted.push(lost);
    const policy = s.options.interruptedPolicy;
    if (policy === 'keepInHistory') return;
    const back = lifecycle.requeued(job);
    s.files.record('returned', back);
    s.queued.unshift(back);
    s.emit({ type: 'jobChanged', job: back });
    if (policy === 'requeueAndPause' && !s.paused) {
      s.paused = true;
      s.openReport.pausedBecause = `Job #${job.id} was interrupted when VS Code stopped, so the queue was paused: nothing re-runs behind your back. Check it, then resume the queue.`;
      s.emit({ type: 'flagsChanged', autoRun: s.autoRun, paused: s.paused });
    }
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
