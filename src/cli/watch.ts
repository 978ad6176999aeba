// `jobq wait ID…` (blocks until the jobs end, exits with its exit code, like `pueue wait`; while the
// job is queued it says why it waits, on stderr, when it starts waiting and whenever that changes)
// and `jobq log [-f] ID` (prints the run's output log; -f follows it until the job ends). Both read
// the files only, polling cheaply (JobWatch: a stat per poll, appended lines only).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isFinished } from '../core/model';
import { LOCK_NAME } from '../core/ownership/ownerLock';
import { UsageError } from './args';
import type { Io } from './io';
import { queuedReason } from './queuedReason';
import { JobWatch, ownerStatus, readQueue, readSnapshot, savedRequestOutcome, type Seen } from './queueFolder';

const POLL_MS = 200;
const CHUNK = 64 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function known(seen: Seen, id: string): Seen {
  if (seen.kind === 'unknown') throw new UsageError(`There is no job #${id} in this queue.`);
  return seen;
}

/** An end is believed once two polls agree: a run recorded `finished` may be put back (`returned`) a moment later. */
async function untilEnded(watch: JobWatch, pollMs: number, onPoll?: (seen: Seen) => void): Promise<Seen> {
  let candidate = false;
  for (;;) {
    const seen = watch.poll();
    onPoll?.(seen);
    const ended = seen.kind === 'removed' || (seen.kind === 'job' && isFinished(seen.job.status));
    if (ended && candidate) return seen;
    candidate = ended;
    await sleep(ended ? Math.min(pollMs, 100) : pollMs);
  }
}

/**
 * `jobq wait 3 4 5`: every job at once (unknown ids refused before any wait); the exit status is the
 * worst — 0 only if all completed, else the highest of their statuses (a cancelled job's is 1).
 */
export async function waitForJobs(io: Io, dir: string, ids: readonly string[], pollMs = POLL_MS): Promise<number> {
  const watches = ids.map((id) => {
    const watch = new JobWatch(dir, id);
    known(watch.poll(), id);
    return { id, watch };
  });
  const codes = await Promise.all(watches.map(({ id, watch }) => waitWatching(io, dir, id, watch, pollMs)));
  return Math.max(...codes);
}

/** `jobq wait --all`: every job queued or running now (jobs queued later are not waited for). */
export async function waitForAll(io: Io, dir: string, pollMs = POLL_MS): Promise<number> {
  const view = readQueue(dir);
  const ids = [...view.running, ...view.queued].map((j) => j.id);
  if (ids.length === 0) {
    io.err('jobq: no job is queued or running: nothing to wait for.\n');
    return 0;
  }
  return waitForJobs(io, dir, ids, pollMs);
}

export async function waitFor(io: Io, dir: string, id: string, pollMs = POLL_MS): Promise<number> {
  const watch = new JobWatch(dir, id);
  known(watch.poll(), id);
  return waitWatching(io, dir, id, watch, pollMs);
}

async function waitWatching(io: Io, dir: string, id: string, watch: JobWatch, pollMs: number): Promise<number> {
  const reasons = new WaitReasons(io, dir, id);
  const seen = await untilEnded(watch, pollMs, (now) => reasons.update(now));
  return exitCodeOf(io, seen);
}

/**
 * `jobq wait <request id>`: a request `jobq add` saved while no window could take it. Waits until a
 * window takes it, then for its job's end; a request refused when the queue opened (the job it waits
 * for failed meanwhile) exits 1 with the reason.
 */
export async function waitForRequest(io: Io, dir: string, requestId: string, pollMs = POLL_MS): Promise<number> {
  for (;;) {
    const outcome = savedRequestOutcome(dir, requestId);
    if (outcome.kind === 'queued') return waitFor(io, dir, outcome.jobId, pollMs);
    if (outcome.kind === 'refused') {
      io.err(`jobq: the job was not queued: ${outcome.reason}\n`);
      return 1;
    }
    if (outcome.kind === 'unknown') throw new UsageError(`There is no request ${requestId} in this queue (or it was answered more than a day ago).`);
    await sleep(pollMs);
  }
}

/** A start time passing changes the reason with no file changing: looked at again this often. */
const RECHECK_MS = 1000;

/**
 * Says why a queued job waits — once when it starts waiting, then only when the reason changes.
 * The snapshot is read again only when the queue's files (or the owner's lock) changed, or a second passed.
 */
class WaitReasons {
  private said: string | undefined;
  private filesSeen = '';
  private checkedAt = 0;

  constructor(private readonly io: Io, private readonly dir: string, private readonly id: string) {}

  update(seen: Seen): void {
    if (seen.kind !== 'job' || seen.job.status !== 'queued') {
      if (this.said !== undefined && seen.kind === 'job' && seen.job.status === 'running') this.say(`Job #${this.id} is running.`);
      return;
    }
    const files = this.filesNow();
    if (files === this.filesSeen && Date.now() - this.checkedAt < RECHECK_MS) return;
    this.filesSeen = files;
    this.checkedAt = Date.now();
    this.say(`Job #${this.id} waits: ${queuedReason(readSnapshot(this.dir), seen.job, ownerStatus(this.dir))}.`);
  }

  private say(text: string): void {
    if (text === this.said) return;
    this.said = text;
    this.io.err(`jobq: ${text}\n`);
  }

  /** The queue's files and the owner's lock, by size and time: what a change of reason shows up in. */
  private filesNow(): string {
    return ['queue.json', 'history.jsonl', LOCK_NAME].map((name) => {
      try {
        const stat = fs.statSync(path.join(this.dir, name));
        return `${stat.size}:${stat.mtimeMs}`;
      } catch {
        return '-';
      }
    }).join('|');
  }
}

/** completed → 0; failed → its exit code (1 without one); cancelled, interrupted, removed → 1, said on stderr. */
export function exitCodeOf(io: Io, seen: Seen): number {
  if (seen.kind !== 'job') {
    io.err(`jobq: Job #${seen.kind === 'removed' ? seen.job.id : '?'} was removed from the queue without running.\n`);
    return 1;
  }
  const { job } = seen;
  switch (job.status) {
    case 'completed': return 0;
    case 'failed':
      io.err(`jobq: Job #${job.id} failed${job.exitCode !== undefined ? ` (exit ${job.exitCode})` : ''}${job.error ? `: ${job.error}` : ''}.\n`);
      // A failure must never read as success: a code a process cannot exit with here (0, > 255, negative) is 1.
      return job.exitCode !== undefined && job.exitCode > 0 && job.exitCode <= 255 ? job.exitCode : 1;
    default:
      io.err(`jobq: Job #${job.id} was ${job.status}${job.error ? `: ${job.error}` : ''}.\n`);
      return 1;
  }
}

export async function printLog(io: Io, dir: string, id: string, follow: boolean, pollMs = POLL_MS): Promise<number> {
  const watch = new JobWatch(dir, id);
  const first = known(watch.poll(), id) as Extract<Seen, { kind: 'job' | 'removed' }>;
  if (!follow) {
    if (!first.job.logPath) {
      io.err(`jobq: Job #${id} has not started yet: there is no output.\n`);
      return 1;
    }
    copyFrom(io, first.job.logPath, 0);
    return 0;
  }
  // Follows the newest run: a queued job's log once it starts, from its first byte, to the job's end.
  let logPath = runningLog(first);
  let offset = 0;
  const seen = await untilEnded(watch, pollMs, (now) => {
    const current = runningLog(now);
    if (current && current !== logPath) {
      logPath = current;
      offset = 0;
    }
    if (logPath) offset = copyFrom(io, logPath, offset);
  });
  const last = seen.kind === 'job' ? seen.job.logPath : undefined;
  if (last) copyFrom(io, last, last === logPath ? offset : 0);
  return 0;
}

/** The log a follower should read now: the running run's, else (ended) the last run's; none while queued. */
function runningLog(seen: Seen): string | undefined {
  if (seen.kind !== 'job') return undefined;
  return seen.job.status === 'queued' ? undefined : seen.job.logPath;
}

/** Copies `file` from `offset` to the end, in chunks (a log can be huge); returns the new offset. */
function copyFrom(io: Io, file: string, offset: number): number {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return offset; // not created yet, or pruned with its job
  }
  try {
    const buffer = Buffer.alloc(CHUNK);
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, CHUNK, offset);
      if (read <= 0) return offset;
      io.out(Buffer.from(buffer.subarray(0, read)));
      offset += read;
    }
  } finally {
    fs.closeSync(fd);
  }
}
