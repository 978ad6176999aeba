// The owner's changes to the queue itself: add, move, remove, cancel queued jobs, Send Job, clear
// the history. Each is recorded (or, when it lives only in the snapshot, synced) before it is
// acknowledged, and announced. JobService checks who may act and on what; this does the act.
import { JobError } from '../errors';
import * as lifecycle from '../lifecycle';
import { withUnbufferedOutput } from '../environment';
import type { Job, JobSpec } from '../model';
import type { Dispatcher } from './dispatcher';
import type { QueueState } from './queueState';
import type { Schedule } from './scheduleEdits';

export interface QueueLink {
  retryOf?: string;
  requestId?: string;
  fromWindow?: string;
}

/**
 * What every new job gets at enqueue, whoever sent it (a window, the API, the terminal's inbox), so
 * its record says what it runs with: PYTHONUNBUFFERED=1 (the setting) unless it sets its own.
 */
function withEnqueueRules(spec: JobSpec, unbufferedOutput: boolean): JobSpec {
  const env = unbufferedOutput ? withUnbufferedOutput(spec.env, process.env) : spec.env;
  return env === spec.env ? spec : { ...spec, env };
}

export class QueueEdits {
  constructor(private readonly state: QueueState, private readonly dispatcher: Dispatcher) {}

  /** Adds a job at the bottom of the queue; `schedule` was validated by ScheduleEdits.prepare. */
  add(spec: JobSpec, link: QueueLink, schedule: Schedule = {}): Job {
    const s = this.state;
    const job: Job = {
      id: String(s.nextId),
      spec: withEnqueueRules({ ...spec, ...(link.fromWindow ? { source: spec.source ?? { kind: 'otherWindow', window: link.fromWindow } } : {}) }, s.options.unbufferedOutput),
      ...(link.retryOf ? { retryOf: link.retryOf } : {}),
      ...(link.requestId ? { requestId: link.requestId } : {}),
      status: 'queued',
      attempt: 0,
      createdAt: Date.now(),
      ...schedule,
    };
    s.files.record('enqueued', job); // throws storageFailed: nothing acknowledged
    s.nextId++;
    if (link.requestId) s.files.takenRequests.add(link.requestId);
    s.queued.push(job);
    s.saveSnapshot();
    s.emit({ type: 'jobChanged', job });
    s.emitQueue();
    this.dispatcher.dispatch();
    return s.running.get(job.id)?.job ?? s.queued.find((j) => j.id === job.id) ?? s.history.latest(job.id) ?? job;
  }

  move(job: Job, toIndex: number): void {
    const s = this.state;
    if (!Number.isInteger(toIndex)) throw new JobError('invalidArgument', `Queue position must be a whole number, not ${toIndex}`);
    const from = s.queued.indexOf(job);
    const to = Math.min(Math.max(0, toIndex), s.queued.length - 1);
    if (from === to) return;
    const before = s.queued;
    s.queued = [...before];
    s.queued.splice(from, 1);
    s.queued.splice(to, 0, job);
    // The order lives only in the snapshot: make it durable now, or undo.
    s.saveNowOrUndo(() => (s.queued = before));
    s.emitQueue();
  }

  remove(job: Job): void {
    const s = this.state;
    s.files.record('removed', job);
    s.queued = s.queued.filter((j) => j !== job);
    s.saveSnapshot();
    s.emit({ type: 'jobRemoved', jobId: job.id });
    s.emitQueue();
  }

  /** A queued job leaves the queue as cancelled (in the history). */
  cancelQueued(job: Job): Job {
    const s = this.state;
    const cancelled = lifecycle.cancelledWhileQueued(job, Date.now());
    s.files.record('finished', cancelled);
    s.queued = s.queued.filter((j) => j !== job);
    s.addFinished(cancelled);
    s.saveSnapshot();
    s.emit({ type: 'jobRemoved', jobId: job.id });
    s.emitQueue();
    this.dispatcher.dispatch(); // its after-success dependents leave the queue with it
    return cancelled;
  }

  cancelAllQueued(): number {
    const s = this.state;
    const cancelled = s.queued;
    if (cancelled.length === 0) return 0;
    const now = Date.now();
    const records = cancelled.map((job) => lifecycle.cancelledWhileQueued(job, now));
    s.files.recordAll(records.map((job) => ({ type: 'finished' as const, job })));
    s.queued = [];
    for (const job of records) s.addFinished(job);
    s.saveSnapshot();
    for (const job of cancelled) s.emit({ type: 'jobRemoved', jobId: job.id });
    s.emitQueue();
    return cancelled.length;
  }

  async clearHistory(): Promise<void> {
    const s = this.state;
    s.files.record('historyCleared', undefined);
    s.history.clear();
    s.emit({ type: 'historyCleared' });
    s.saveSnapshot();
    await s.compactHistory();
  }

  /** A flag changed (auto-run, paused): synced before acknowledged, or undone; then dispatch. */
  flagsChanged(undo: () => void): void {
    const s = this.state;
    s.saveNowOrUndo(undo);
    s.emit({ type: 'flagsChanged', autoRun: s.autoRun, paused: s.paused });
    this.dispatcher.dispatch();
  }
}
