// The append-only history: one JSON line per transition. Lines are only ever appended, except by
// compact() and by the repairs of load(), which rewrite the file atomically (a copy kept first).
//
// What is durable when — the promise is that no acknowledged change is ever lost:
// - append() returns once the whole line is in the file. From then on it survives the host process
//   being killed or crashing (the kernel holds it). An append that cannot be written completely
//   (disk full, I/O error) throws storageFailed and leaves the file byte for byte as it was, and
//   seq, check() and lines unchanged: the change did not happen, so it must not be acknowledged.
// - commit() returns once everything appended so far is synced to the disk (fdatasync, plus the
//   folder once after this log created the file). From then on it survives a power loss or a kernel
//   crash. Callers append the records of one change, then commit() once before any effect of it
//   (spawning a process, acknowledging an action): a group commit, one sync for several records.
//   (On macOS fsync does not flush the drive's own cache; Node offers no F_FULLFSYNC.)
// - compact() and load()'s repairs write the new file durably (synced, renamed, folder synced).
// - A crash mid-append can leave a partial last line; the next load() cuts it away (after keeping a
//   copy) so the next append starts on a fresh line. Such a line was never acknowledged.
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobError } from '../errors';
import { HISTORY_EVENT_VERSION, type HistoryCheck, type HistoryEvent, type HistoryEventType, type Job } from '../model';
import { USER_ONLY_FILE, backupCorruptFile, commitTemp, discardTemp, fsyncDirectory, writeFileAtomicSync, writeSynced, writeTemp } from './atomicFile';
import { filterLines, readPrefix, readRange } from './historyCompaction';
import { scanHistory } from './historyScan';
import { errnoError, errorCode, storageFailed } from './storageError';

/** Completes "Could not … in <folder>". */
const SAVE_ACTION = 'save the job history';

export interface HistoryLoadResult {
  /** Every valid line, in file order (renumbered if `renumbered`). */
  events: HistoryEvent[];
  /** Lines skipped: unreadable ones, and exact duplicates of an earlier line (see `duplicates`). */
  badLines: number;
  /** Of `badLines`, exact copies of an earlier line (same seq, same bytes): nothing was lost. */
  duplicates: number;
  /** The file ended in a half-written line (a crash or a full disk mid-append): it was cut away. */
  tornTail: boolean;
  /**
   * Some valid lines did not advance the sequence; all were kept in file order and the log was
   * rewritten with seqs numbered on from `seqFloor`. A snapshot's `seq` no longer lines up with the
   * log: replay all of it.
   */
  renumbered: boolean;
  /** The copy of the file kept before it was changed. */
  backupPath?: string;
  /**
   * The repair could not be written (a full disk). `events` are as repaired all the same; the file
   * is repaired before the next append, which throws storageFailed until it can be.
   */
  repairFailed?: JobError;
}

export interface HistoryLoadOptions {
  /** Read only (a window that does not own the queue): nothing is copied, cut or rewritten now. */
  readOnly?: boolean;
  /**
   * The seq the snapshot includes. The next append numbers after it even when compaction dropped the
   * lines that reached it: a seq the snapshot already covers is never given again (replay would skip it).
   */
  seqFloor?: number;
}

/** A change the file still needs before anything may be appended to it. */
interface PendingRepair {
  backup: boolean;
  backupPath?: string;
  apply(): void;
}

export class HistoryLog {
  private fd: number | undefined;
  private lastSeq = 0;
  /** Lines in the file (valid ones); drives when compaction is worth it. */
  private lineCount = 0;
  /** Running hash and size of the file's content, all of it valid: see HistoryCheck. */
  private hash: Hash = createHash('sha256');
  private bytes = 0;
  /** Appended since the last sync: commit() has work to do. */
  private unsynced = false;
  /** This log created the file: its folder entry is synced once, with the next commit. */
  private folderUnsynced = false;
  private syncs = 0;
  private syncing: Promise<void> | undefined;
  private syncAgain: Promise<void> | undefined;
  private repair: PendingRepair | undefined;
  /** Bumped whenever the file is read again, rewritten or closed: a background compaction gives up. */
  private generation = 0;

  constructor(private readonly file: string) {}

  get seq(): number {
    return this.lastSeq;
  }

  get lines(): number {
    return this.lineCount;
  }

  /** fsyncs done by commit() (the log, and its folder once after creating it): for the benchmark. */
  get syncCount(): number {
    return this.syncs;
  }

  /** What is on disk and known valid, for the next open to skip re-validating it. */
  check(): HistoryCheck {
    return { bytes: this.bytes, sha256: this.hash.copy().digest('hex') };
  }

  /**
   * Reads every line and keeps every valid one (see HistoryLoadResult for the repairs). A prefix that
   * `trusted` vouches for (same length, same hash: validated by an earlier open or written by this
   * code) is only JSON-parsed, not validated again. Throws storageFailed only if the file cannot be
   * read; a repair that cannot be written is reported in `repairFailed`.
   */
  load(trusted?: HistoryCheck, options: HistoryLoadOptions = {}): HistoryLoadResult {
    this.generation++;
    this.lastSeq = options.seqFloor ?? 0;
    this.lineCount = 0;
    this.hash = createHash('sha256');
    this.bytes = 0;
    // A fresh read decides what the file needs.
    this.repair = undefined;
    let buffer: Buffer;
    try {
      buffer = fs.readFileSync(this.file);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return { events: [], badLines: 0, duplicates: 0, tornTail: false, renumbered: false };
      throw storageFailed('read the job history', this.file, error);
    }
    const trustedBytes = this.trustedPrefix(buffer, trusted);
    const scan = scanHistory(buffer, trustedBytes);
    const renumbered = scan.outOfOrder > 0;
    const floor = options.seqFloor ?? 0;
    // Renumbered past the floor, so a later open from the same snapshot replays them too.
    const events = renumbered ? scan.events.map((event, index) => ({ ...event, seq: floor + index + 1 })) : scan.events;
    this.lastSeq = Math.max(floor, events.length > 0 ? events[events.length - 1]!.seq : 0);
    this.lineCount = events.length;
    const result: HistoryLoadResult = { events, badLines: scan.badLines + scan.duplicates, duplicates: scan.duplicates, tornTail: scan.tornTail, renumbered };

    if (scan.badLines > 0 || scan.duplicates > 0 || renumbered) {
      // Rewritten without the skipped lines, so they are reported once, not at every start.
      const content = events.map((e) => JSON.stringify(e) + '\n').join('');
      this.hash = createHash('sha256').update(content);
      this.bytes = Buffer.byteLength(content);
      this.repair = { backup: true, apply: () => this.rewrite(content, events.length) };
    } else {
      // Everything up to the last newline is valid; the hash continues from the trusted prefix.
      if (trustedBytes === 0) this.hash = createHash('sha256');
      this.hash.update(buffer.subarray(trustedBytes, scan.completeBytes));
      this.bytes = scan.completeBytes;
      if (scan.tornTail) this.repair = { backup: true, apply: () => this.cutTo(scan.completeBytes) };
    }
    const repair = this.repair;
    if (!repair || options.readOnly) return result;
    try {
      this.runRepair();
    } catch (error) {
      result.repairFailed = storageFailed(SAVE_ACTION, this.file, error);
    }
    if (repair.backupPath) result.backupPath = repair.backupPath;
    return result;
  }

  /**
   * Appends one event synchronously: the order on disk is the order of the calls. All or nothing:
   * on failure it throws storageFailed, and the file, seq, check() and lines are as before.
   */
  append(type: HistoryEventType, job: Job | undefined, at: number = Date.now()): HistoryEvent {
    try {
      this.runRepair();
    } catch (error) {
      throw storageFailed(SAVE_ACTION, this.file, error);
    }
    const event: HistoryEvent = { v: HISTORY_EVENT_VERSION, seq: this.lastSeq + 1, at, type, ...(job ? { job } : {}) };
    const line = Buffer.from(JSON.stringify(event) + '\n', 'utf8');
    const fd = this.openForAppend();
    let written = 0;
    try {
      // A write can be short (a disk filling up): loop until the whole line is in, or it throws.
      while (written < line.length) {
        const n = fs.writeSync(fd, line, written, line.length - written);
        if (n <= 0) throw errnoError('ENOSPC', 'the disk accepted no more bytes');
        written += n;
      }
    } catch (error) {
      if (written > 0) this.takeBack(fd, written);
      throw storageFailed(SAVE_ACTION, this.file, error);
    }
    this.lastSeq = event.seq;
    this.lineCount++;
    this.hash.update(line);
    this.bytes += line.length;
    this.unsynced = true;
    return event;
  }

  /**
   * Syncs everything appended since the last commit to the disk (no-op if nothing was). When it
   * returns, those records survive a power loss. Throws storageFailed; the records stay in the file
   * and the next commit() tries again.
   */
  commit(): void {
    if (!this.unsynced) return;
    const fd = this.openForAppend();
    try {
      fs.fdatasyncSync(fd);
      this.syncs++;
      if (this.folderUnsynced) {
        if (fsyncDirectory(path.dirname(this.file))) this.syncs++;
        this.folderUnsynced = false;
      }
    } catch (error) {
      throw storageFailed(SAVE_ACTION, this.file, error);
    }
    this.unsynced = false;
  }

  /**
   * commit() off the main thread (the sync runs in libuv's pool, so the extension host's event loop
   * never waits on the disk). Calls while one is in flight share the next sync: a group commit.
   * Rejects with storageFailed; the records stay in the file and the next commit tries again.
   */
  commitAsync(): Promise<void> {
    if (this.syncing) {
      // What was appended since that sync began is not covered by it: one more, shared by all callers.
      this.syncAgain ??= this.syncing.catch(() => undefined).then(() => {
        this.syncAgain = undefined;
        return this.commitAsync();
      });
      return this.syncAgain;
    }
    if (!this.unsynced) return Promise.resolve();
    this.unsynced = false;
    const fd = this.openForAppend();
    const folder = this.folderUnsynced;
    this.folderUnsynced = false;
    const syncing = new Promise<void>((resolve, reject) => {
      fs.fdatasync(fd, (error) => {
        // Closed or rewritten meanwhile: a rewrite syncs the whole new file, a close follows a flush.
        if (error && this.fd !== fd) return resolve();
        if (error) {
          this.unsynced = true;
          this.folderUnsynced ||= folder;
          reject(storageFailed(SAVE_ACTION, this.file, error));
          return;
        }
        this.syncs++;
        if (folder && fsyncDirectory(path.dirname(this.file))) this.syncs++;
        resolve();
      });
    });
    this.syncing = syncing;
    const clear = () => {
      if (this.syncing === syncing) this.syncing = undefined;
    };
    syncing.then(clear, clear);
    return syncing;
  }

  /**
   * Keeps only the events `keep` says yes to, in their order, without holding the thread for the
   * whole file: the part of the log that is in the file now is read, filtered (a slice of lines per
   * turn of the event loop) and written to a temp file asynchronously (synced); then, in one step,
   * what was appended meanwhile is copied over as it is, synced, and the temp file replaces the log
   * (the folder synced before and after, so a snapshot renamed earlier is durable first). Resolves
   * with the lines now in the log, or `undefined` when the log was read again, repaired, rewritten
   * or closed meanwhile (nothing changed). Rejects with storageFailed; the log is then as it was.
   */
  async compact(keep: (event: Pick<HistoryEvent, 'seq' | 'type' | 'job'>) => boolean): Promise<number | undefined> {
    if (this.repair) return undefined; // the file needs its repair (an append runs it) before a rewrite
    const generation = this.generation;
    const cut = this.bytes;
    let prefix: Buffer;
    try {
      prefix = await readPrefix(this.file, cut);
    } catch (error) {
      throw storageFailed(SAVE_ACTION, this.file, error);
    }
    if (generation !== this.generation) return undefined;
    const kept = await filterLines(prefix, keep, () => generation !== this.generation);
    if (kept === undefined) return undefined;
    const temp = await writeTemp(this.file, kept.content, SAVE_ACTION);
    if (generation !== this.generation) {
      discardTemp(temp);
      return undefined;
    }
    // From here to the rename nothing yields: no append can fall between the copy and the swap.
    let tailLines = 0;
    try {
      const tail = readRange(this.file, cut, this.bytes);
      for (const byte of tail) if (byte === 0x0a) tailLines++;
      if (tail.length > 0) writeSynced(temp, tail, 'a');
      kept.hash.update(tail);
      fsyncDirectory(path.dirname(this.file));
    } catch (error) {
      discardTemp(temp);
      throw storageFailed(SAVE_ACTION, this.file, error);
    }
    this.close();
    commitTemp(temp, this.file, SAVE_ACTION);
    fsyncDirectory(path.dirname(this.file));
    this.hash = kept.hash;
    this.bytes = kept.bytes + (this.bytes - cut);
    this.lineCount = kept.lines + tailLines;
    // Everything in the new file is synced, including whatever was appended and not yet committed.
    this.unsynced = false;
    this.folderUnsynced = false;
    return this.lineCount;
  }

  close(): void {
    this.generation++;
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) fs.closeSync(fd);
  }

  /** Bytes of `buffer` that `trusted` vouches for: a prefix ending on a line boundary with the same hash. */
  private trustedPrefix(buffer: Buffer, trusted: HistoryCheck | undefined): number {
    if (!trusted || trusted.bytes === 0 || trusted.bytes > buffer.length || buffer[trusted.bytes - 1] !== 0x0a) return 0;
    this.hash.update(buffer.subarray(0, trusted.bytes));
    return this.hash.copy().digest('hex') === trusted.sha256 ? trusted.bytes : 0;
  }

  /** Brings the file to what load() decided it must be: a copy first, then the change. Throws. */
  private runRepair(): void {
    const repair = this.repair;
    if (!repair) return;
    if (repair.backup && !repair.backupPath) repair.backupPath = backupCorruptFile(this.file);
    repair.apply();
    this.repair = undefined;
  }

  private openForAppend(): number {
    if (this.fd !== undefined) return this.fd;
    try {
      try {
        this.fd = fs.openSync(this.file, 'ax', USER_ONLY_FILE);
        this.folderUnsynced = true;
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
        this.fd = fs.openSync(this.file, 'a');
      }
    } catch (error) {
      throw storageFailed(SAVE_ACTION, this.file, error);
    }
    return this.fd;
  }

  /** Cuts off the `written` bytes of a failed append, so the file is what it was before it. */
  private takeBack(fd: number, written: number): void {
    let length = this.bytes;
    try {
      // Appends go to the end: the file was `written` bytes shorter before this one.
      length = fs.fstatSync(fd).size - written;
    } catch {
      // Fall back on the tracked length, which equals the file's while this log is its only writer.
    }
    try {
      fs.ftruncateSync(fd, length);
    } catch {
      // Still torn: nothing may be appended until it is cut (no copy needed: it was never acknowledged).
      this.repair = { backup: false, apply: () => this.cutTo(length) };
    }
  }

  private cutTo(length: number): void {
    if (this.fd !== undefined) fs.ftruncateSync(this.fd, length);
    else fs.truncateSync(this.file, length);
  }

  /** Replaces the file durably with `content`; the state follows only once it has. */
  private rewrite(content: string, lines: number): void {
    this.close();
    writeFileAtomicSync(this.file, content, SAVE_ACTION);
    this.lineCount = lines;
    // Everything in the new file is synced, including whatever was appended and not yet committed.
    this.unsynced = false;
    this.folderUnsynced = false;
  }
}
