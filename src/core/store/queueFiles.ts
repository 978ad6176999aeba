// Everything one queue keeps on disk, behind one door: the snapshot (queue.json), the history log
// (history.jsonl), run logs and the runner's exit records (logs/), and the inbox (inbox/).
// Nothing is created until the queue is used: opening an unused folder writes nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { QUEUE_SNAPSHOT_VERSION, type HistoryEventType, type Job, type JobSpec, type QueueSnapshot, type ScheduleInput } from '../model';
import { readInbox, setAsideDamaged, writeInboxRequest, type AddRequest, type InboxRequest } from '../ownership/inbox';
import { removeStaleReplies, writeReply, type InboxReply } from '../ownership/replies';
import { recoverState, type RecoveredState } from '../recovery';
import type { JobRunner, LocateResult } from '../runner/types';
import { removeStalePartials } from './atomicFile';
import { restrictToUser } from './userOnlyFiles';
import { HistoryLog } from './historyLog';
import { RUN_DETAILS_FILE, RunDetailsFile } from './runDetailsFile';
import { QueueStore, emptySnapshot } from './queueStore';
import { runKey } from '../historyBook';

export type SnapshotState = Pick<QueueSnapshot, 'nextId' | 'autoRun' | 'paused' | 'queued' | 'running' | 'lanes'>;
type Warn = (warning: { message: string; backupPath?: string }) => void;

/** An inbox request waiting for the owner, and its file (deleted once it is done). */
export interface InboxItem {
  file: string;
  request: InboxRequest;
}

export class QueueFiles {
  private readonly store: QueueStore;
  private readonly log: HistoryLog;
  /** Inbox requests already enqueued (filled by recovery): a request is never enqueued twice. */
  takenRequests = new Set<string>();
  private commitScheduled: NodeJS.Immediate | undefined;
  private commitPending: Promise<void> = Promise.resolve();
  private compacting: Promise<void> | undefined;
  private compactAgain: Promise<void> | undefined;
  /** Lines the last compaction left (0: none since the log was loaded). */
  private keptAtLastCompaction = 0;
  /** The owner's running jobs' live details, for follower windows. */
  readonly runDetails: RunDetailsFile;

  constructor(readonly dir: string, private readonly warn: (message: string) => void) {
    this.runDetails = new RunDetailsFile(dir, (error) => this.warn(`Could not publish the running jobs' details: ${String(error)}`));
    this.store = new QueueStore(path.join(dir, 'queue.json'), (error) => this.warn(`Could not save the queue: ${String(error)}`));
    this.log = new HistoryLog(path.join(dir, 'history.jsonl'));
  }

  /** One flat folder of run logs (`<id>.<attempt>.log`, plus the runner's exit journal): a folder per job would cost a mkdir per start. */
  get logsDir(): string {
    return path.join(this.dir, 'logs');
  }

  /** Where the next run of a queued job logs. */
  logPathFor(job: Job): string {
    return path.join(this.logsDir, `${job.id}.${job.attempt + 1}.log`);
  }

  /** Whether this folder holds a queue at all (an unused folder is left untouched). */
  static holdsQueue(dir: string): boolean {
    return ['queue.json', 'history.jsonl', 'inbox'].some((name) => fs.existsSync(path.join(dir, name)));
  }

  // ---- loading ---------------------------------------------------------------------------------

  /** The owner's load: damaged files are copied aside and repaired; stale temp files are removed. */
  loadAsOwner(warn: Warn): RecoveredState {
    fs.mkdirSync(this.logsDir, { recursive: true });
    restrictToUser(this.dir);
    removeStalePartials(this.dir);
    return this.load(warn, false);
  }

  /** A follower's load: reads only, repairs nothing (the owner does). */
  loadAsFollower(): RecoveredState {
    return this.load(() => undefined, true);
  }

  private load(warn: Warn, readOnly: boolean): RecoveredState {
    const loaded = this.store.load({ readOnly });
    const snapshot: QueueSnapshot = loaded.kind === 'loaded' ? loaded.snapshot : { ...emptySnapshot(), ...(loaded.kind === 'corrupt' ? loaded.partial : {}) };
    if (loaded.kind === 'corrupt') {
      warn({ message: `The saved queue was damaged (${loaded.reason}); a copy was kept and every valid job was restored.`, ...(loaded.backupPath ? { backupPath: loaded.backupPath } : {}) });
    }
    const history = this.log.load(loaded.kind === 'loaded' ? loaded.snapshot.historyCheck : undefined, { readOnly, seqFloor: loaded.kind === 'loaded' ? loaded.snapshot.seq : 0 });
    this.keptAtLastCompaction = 0;
    if (history.badLines > 0 || history.tornTail || history.renumbered) {
      const what = [
        history.badLines > 0 ? `${history.badLines} damaged line(s) were skipped` : '',
        history.tornTail ? 'a half-written last line was removed' : '',
        history.renumbered ? 'out-of-order lines were renumbered and kept' : '',
      ].filter(Boolean).join(', ');
      const kept = history.backupPath ? 'a copy of the file was kept' : history.repairFailed ? `the repair waits until it can be written (${history.repairFailed.message})` : 'nothing was changed on disk';
      warn({ message: `The job history needed repair: ${what}; ${kept}.`, ...(history.backupPath ? { backupPath: history.backupPath } : {}) });
    }
    // A renumbered log no longer lines up with the snapshot's seq: replay all of it.
    const replayFrom = loaded.kind === 'loaded' && !history.renumbered ? snapshot.seq : 0;
    return recoverState(snapshot, history.events, replayFrom);
  }

  /** What became of a job the records say is running: resolved by looking, never by running it again. */
  lookFor(runner: JobRunner, job: Job): LocateResult {
    if (job.run) return runner.reattach(job.run, job.logPath);
    if (runner.locate && job.logPath) return runner.locate({ jobId: job.id, attempt: job.attempt, logPath: job.logPath });
    return { kind: 'unknown', reason: 'its start was never confirmed' };
  }

  /** Stamp of what a follower has seen: changes whenever the owner writes. */
  static stamp(dir: string): string {
    return ['queue.json', 'history.jsonl', RUN_DETAILS_FILE].map((name) => {
      try {
        const stat = fs.statSync(path.join(dir, name));
        return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
      } catch {
        return '-';
      }
    }).join('|');
  }

  // ---- the history log -------------------------------------------------------------------------

  /**
   * Appends one record: in the file, in order, when this returns (a host crash cannot lose it), and
   * synced to the disk by the end of this turn of the event loop at the latest. Throws storageFailed.
   */
  record(type: HistoryEventType, job: Job | undefined): void {
    this.log.append(type, job);
    this.commitSoon();
  }

  recordAll(entries: ReadonlyArray<{ type: HistoryEventType; job: Job }>): void {
    for (const entry of entries) this.log.append(entry.type, entry.job);
    this.commitSoon();
  }

  /** Appends and fsyncs before returning: what is acknowledged survives power loss. */
  recordDurably(type: HistoryEventType, job: Job): void {
    this.log.append(type, job);
    this.log.commit();
  }

  /** A record whose loss is repaired by recovery (e.g. `started` after a durable `starting`). */
  recordLoosely(type: HistoryEventType, job: Job): void {
    try {
      this.record(type, job);
    } catch (error) {
      this.warn(`Could not record that job #${job.id} ${type}: ${(error as Error).message}`);
    }
  }

  commit(): void {
    this.log.commit();
  }

  /**
   * Group commit for changes that start nothing (enqueue, remove, a run's end): appended now, synced
   * off the main thread with every other change of the same turn of the event loop — a burst of
   * 1,000 enqueues costs one sync, not 1,000. flush() waits for it.
   */
  private commitSoon(): void {
    if (this.commitScheduled) return;
    this.commitScheduled = setImmediate(() => {
      this.commitScheduled = undefined;
      this.commitPending = this.log.commitAsync().catch((error: unknown) => this.warn((error as Error).message));
    });
  }

  /** Resolves once every record so far is on the disk (shares a sync in flight); rejects with storageFailed. */
  commitNow(): Promise<void> {
    if (this.commitScheduled) clearImmediate(this.commitScheduled);
    this.commitScheduled = undefined;
    return this.log.commitAsync();
  }

  get syncCount(): number {
    return this.log.syncCount;
  }

  /**
   * Rewrites the log in the background keeping the events of live jobs, the finished events of kept
   * runs — and every event the snapshot in the file does not include yet: until a snapshot that
   * reflects a change has landed, the log is the only record of it (a job finished, cancelled or
   * removed there would otherwise come back as queued at the next open). `keeping` is asked when the
   * rewrite starts. One at a time: a call while one runs is served by one more after it. Rejects
   * with storageFailed (the log is then as it was).
   */
  compact(keeping: () => { live: ReadonlySet<string>; keptRuns: ReadonlySet<string> }): Promise<void> {
    if (this.compacting) return (this.compactAgain ??= this.compacting.catch(() => undefined).then(() => {
      this.compactAgain = undefined;
      return this.compact(keeping);
    }));
    const run = async () => {
      const { live, keptRuns } = keeping();
      const snapshotHas = this.store.landedSeq;
      const lines = await this.log.compact((e) => {
        if (e.seq > snapshotHas) return true;
        if (!e.job) return false;
        if (live.has(e.job.id)) return true;
        return e.type === 'finished' && keptRuns.has(runKey(e.job));
      });
      if (lines !== undefined) this.keptAtLastCompaction = lines;
    };
    const compacting = run();
    this.compacting = compacting;
    const clear = () => {
      if (this.compacting === compacting) this.compacting = undefined;
    };
    compacting.then(clear, clear);
    return compacting;
  }

  /**
   * Whether the log has grown enough for a rewrite to pay: to twice what the last one kept (or what
   * `liveLines` are expected to need). Between two rewrites at least as many lines are appended as
   * the first kept, so a run's end costs the same, amortised, at 10 and at 100,000 queued.
   */
  worthCompacting(liveLines: number): boolean {
    return !this.compacting && this.log.lines > 2 * Math.max(this.keptAtLastCompaction, liveLines) + 64;
  }

  /** Deletes the logs of jobs that are no longer queued, running or in the kept history. */
  async pruneLogs(isKnown: (id: string) => boolean): Promise<void> {
    const files = await fs.promises.readdir(this.logsDir).catch(() => [] as string[]);
    const kept = new Map<string, boolean>();
    const doomed = files.filter((f) => {
      const id = f.slice(0, f.indexOf('.'));
      if (!/^\d+$/.test(id)) return false; // the exit journal and anything not a run log
      if (!kept.has(id)) kept.set(id, isKnown(id));
      return !kept.get(id);
    });
    await Promise.all(doomed.map((f) => removeLog(path.join(this.logsDir, f))));
  }

  // ---- the snapshot ----------------------------------------------------------------------------

  /** Schedules a coalesced write (the log is authoritative for transitions; this may lag). */
  saveSnapshot(render: () => SnapshotState): void {
    this.store.save(() => this.fullSnapshot(render()));
  }

  /** Writes and fsyncs now, for changes that live only in the snapshot (order, flags). */
  saveSnapshotNow(state: SnapshotState): void {
    this.store.saveNow(this.fullSnapshot(state));
  }

  private fullSnapshot(state: SnapshotState): QueueSnapshot {
    return { version: QUEUE_SNAPSHOT_VERSION, seq: this.log.seq, historyCheck: this.log.check(), ...state };
  }

  /** Resolves once every change so far is on the disk (log synced, snapshot written). */
  async flush(): Promise<void> {
    // A rewrite under way finishes first (its failure is reported where it was started).
    await this.compacting?.catch(() => undefined);
    await this.commitPending;
    await this.commitNow();
    await this.store.flush();
  }

  close(): void {
    if (this.commitScheduled) clearImmediate(this.commitScheduled);
    this.commitScheduled = undefined;
    this.log.close();
  }

  // ---- the inbox -------------------------------------------------------------------------------

  forward(spec: JobSpec, from: string, schedule?: ScheduleInput): AddRequest {
    return writeInboxRequest(this.dir, spec, from, schedule);
  }

  /** Requests waiting, oldest first; damaged ones are set aside (with a warning). Already-taken ones too: the caller answers and removes them. */
  takeInbox(warn: Warn): InboxItem[] {
    const items: InboxItem[] = [];
    for (const entry of readInbox(this.dir)) {
      if (entry.kind === 'damaged') {
        const copy = setAsideDamaged(entry.file);
        warn({ message: `A request passed to this queue (from another window or the terminal) could not be read (${entry.reason}); it was kept aside.`, backupPath: copy });
      } else {
        items.push({ file: entry.file, request: entry.request });
      }
    }
    return items;
  }

  /** Answers a request whose sender waits for it (throws storageFailed). */
  answer(reply: Omit<InboxReply, 'v' | 'at'>): void {
    writeReply(this.dir, reply);
  }

  /** Answers nobody read, older than a day. */
  removeStaleReplies(): void {
    removeStaleReplies(this.dir);
  }

  doneWithInboxRequest(item: InboxItem): void {
    fs.rmSync(item.file, { force: true });
  }
}

/**
 * A run log, and — when the log is a link to the output a backend wrote into its output folder —
 * that output and its exit file. Only a link a backend made for this very run is followed (its
 * target is named `<run key>…<ext>` after the log's own id and attempt), so a copied or edited
 * folder never reaches into another queue's files. Never rejects: pruning is tidying up.
 */
async function removeLog(file: string): Promise<void> {
  const target = await fs.promises.readlink(file).catch(() => undefined);
  const run = path.basename(file).replace(/\.log$/, '');
  if (target !== undefined && path.basename(target).startsWith(`jq-${run}-`)) {
    const output = path.resolve(path.dirname(file), target);
    for (const f of [output, `${output}.exit`]) await fs.promises.rm(f, { force: true }).catch(() => undefined);
  }
  await fs.promises.rm(file, { force: true }).catch(() => undefined);
}
