// The queue's files as the terminal command sees them: read-only, with the loader a follower window
// uses (nothing repaired, nothing rewritten — the window that runs the queue does that), and a cheap
// way to watch one job: the history log is stat'ed each poll and only the lines appended since are
// read (a compaction, which replaces the file, means one full reload).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HistoryEventSchema, type Job, type QueueSnapshot } from '../core/model';
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

/** Whether a live VS Code window runs the queue (holds owner.lock). */
export function ownerRuns(dir: string): boolean {
  try {
    const owner = readOwner(dir);
    return typeof owner === 'object' && isOwnerAlive(owner);
  } catch {
    return false;
  }
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
