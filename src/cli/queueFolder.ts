// The queue's files as the terminal command sees them: read-only, with the loader a follower window
// uses (nothing repaired, nothing rewritten — the window that runs the queue does that), and a cheap
// way to watch one job: the history log is stat'ed each poll and only the lines appended since are
// read (a compaction, which replaces the file, means one full reload).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HistoryEventSchema, type Job, type QueueSnapshot } from '../core/model';
import { readInbox } from '../core/ownership/inbox';
import { openFailure } from '../core/ownership/ownerHealth';
import { readReply } from '../core/ownership/replies';
import { isOwnerAlive, readOwner } from '../core/ownership/ownerLock';
import type { RecoveredState } from '../core/recovery';
import { QueueFiles } from '../core/store/queueFiles';
import { QueueStore, emptySnapshot } from '../core/store/queueStore';

export type QueueView = Pick<RecoveredState, 'queued' | 'running' | 'finished' | 'autoRun' | 'paused'>;

/** The queue as its files say now; an empty one when the folder holds none yet. */
export function readQueue(dir: string): QueueView {
  if (!QueueFiles.holdsQueue(dir)) return { queued: [], running: [], finished: [], autoRun: false, paused: false };
  return new QueueFiles(dir, () => undefined).loadAsFollower();
}

/**
 * The queue's snapshot alone (queue.json: the queued and running jobs, the flags, the lanes'
 * pauses) — cheap whatever the history's size, and at most a few ms behind the log: enough to say
 * why a job waits. Empty when there is none yet or it cannot be read (the owner repairs it).
 */
export function readSnapshot(dir: string): QueueSnapshot {
  try {
    const loaded = new QueueStore(path.join(dir, 'queue.json'), () => undefined).load({ readOnly: true });
    return loaded.kind === 'loaded' ? loaded.snapshot : emptySnapshot();
  } catch {
    return emptySnapshot();
  }
}

/**
 * Who runs the queue: nobody (no live host holds owner.lock), a window that runs it, or a window that
 * holds it but could not open it (it tries again by itself; a request waits in the inbox meanwhile).
 */
export type OwnerStatus =
  | { kind: 'none' }
  | { kind: 'running' }
  | { kind: 'openFailed'; reason: string };

export function ownerStatus(dir: string): OwnerStatus {
  try {
    const owner = readOwner(dir);
    if (typeof owner !== 'object' || !isOwnerAlive(owner)) return { kind: 'none' };
    const reason = openFailure(dir, owner);
    return reason === undefined ? { kind: 'running' } : { kind: 'openFailed', reason };
  } catch {
    return { kind: 'none' };
  }
}


/** What became of a request `jobq add` saved: still waiting in the inbox, queued as a job, refused, or not known. */
export type SavedRequestOutcome =
  | { kind: 'waiting' }
  | { kind: 'queued'; jobId: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'unknown' };

export function savedRequestOutcome(dir: string, requestId: string): SavedRequestOutcome {
  const view = readQueue(dir);
  // The job carries its request's id, so a request taken long ago (its answer read and gone) is still found.
  const job = [...view.running, ...view.queued, ...view.finished].find((j) => j.requestId === requestId);
  if (job) return { kind: 'queued', jobId: job.id };
  const reply = readReply(dir, requestId);
  if (reply?.jobId !== undefined && reply.error === undefined) return { kind: 'queued', jobId: reply.jobId };
  if (reply) return { kind: 'refused', reason: reply.error ?? 'no job was made' };
  if (readInbox(dir).some((entry) => entry.kind === 'request' && entry.request.requestId === requestId)) return { kind: 'waiting' };
  return { kind: 'unknown' };
}

/** The job as it is now: running, else queued, else its latest finished run. */
export function findJob(view: QueueView, id: string): Job | undefined {
  return view.running.find((j) => j.id === id) ?? view.queued.find((j) => j.id === id) ?? view.finished.filter((j) => j.id === id).at(-1);
}

export type Seen = { kind: 'unknown' } | { kind: 'removed'; job: Job } | { kind: 'job'; job: Job };

/** One job, followed through the history log's appends. */
export class JobWatch {
  private readonly file: string;
  private ino = -1;
  private offset = 0;
  private seen: Seen = { kind: 'unknown' };

  constructor(private readonly dir: string, private readonly id: string) {
    this.file = path.join(dir, 'history.jsonl');
  }

  /** What the files say about the job now (re-read only when the log changed). */
  poll(): Seen {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.file);
    } catch {
      return this.ino === -1 ? this.reload(undefined) : this.seen;
    }
    if (stat.ino !== this.ino || stat.size < this.offset) return this.reload(stat);
    if (stat.size > this.offset) this.readAppended(stat.size);
    return this.seen;
  }

  private reload(stat: fs.Stats | undefined): Seen {
    const job = findJob(readQueue(this.dir), this.id);
    this.seen = job ? { kind: 'job', job } : { kind: 'unknown' };
    this.ino = stat?.ino ?? -1;
    this.offset = stat?.size ?? 0;
    // Lines appended after the stat and before the load are read again: replaying them is harmless.
    return this.seen;
  }

  private readAppended(size: number): void {
    const fd = fs.openSync(this.file, 'r');
    let text: string;
    try {
      const buffer = Buffer.alloc(size - this.offset);
      const read = fs.readSync(fd, buffer, 0, buffer.length, this.offset);
      text = buffer.subarray(0, read).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
    // Only whole lines: a line being appended is read at the next poll.
    const end = text.lastIndexOf('\n');
    if (end < 0) return;
    this.offset += Buffer.byteLength(text.slice(0, end + 1));
    for (const line of text.slice(0, end).split('\n')) {
      if (!line.includes(`"id":"${this.id}"`)) continue; // cheap pre-filter: most lines are other jobs'
      let event;
      try {
        event = HistoryEventSchema.safeParse(JSON.parse(line));
      } catch {
        continue;
      }
      if (!event.success || event.data.job?.id !== this.id) continue;
      this.seen = event.data.type === 'removed' ? { kind: 'removed', job: event.data.job } : { kind: 'job', job: event.data.job };
    }
  }
}
