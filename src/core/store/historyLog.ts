// The append-only history: one JSON line per transition. Lines are only ever appended, except by
// compact(), which rewrites the file (atomically) keeping the surviving lines in their order.
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import { HISTORY_EVENT_VERSION, HistoryEventSchema, type HistoryCheck, type HistoryEvent, type HistoryEventType, type Job } from '../model';
import { backupCorruptFile, writeFileAtomicSync } from './atomicFile';

export interface HistoryLoadResult {
  events: HistoryEvent[];
  /** Lines that could not be read; the file was copied to `backupPath` before anything else. */
  badLines: number;
  backupPath?: string;
}

export class HistoryLog {
  private fd: number | undefined;
  private lastSeq = 0;
  /** Lines in the file (valid ones); drives when compaction is worth it. */
  private lineCount = 0;
  /** Running hash and size of the file's content, all of it valid: see HistoryCheck. */
  private hash: Hash = createHash('sha256');
  private bytes = 0;

  constructor(private readonly file: string) {}

  get seq(): number {
    return this.lastSeq;
  }

  get lines(): number {
    return this.lineCount;
  }

  /** What is on disk and known valid, for the next open to skip re-validating it. */
  check(): HistoryCheck {
    return { bytes: this.bytes, sha256: this.hash.copy().digest('hex') };
  }

  /**
   * Reads and validates every line. A prefix that `trusted` vouches for (same length, same hash:
   * validated by an earlier open or written by this code) is only JSON-parsed, not re-validated.
   */
  load(trusted?: HistoryCheck): HistoryLoadResult {
    this.lastSeq = 0;
    this.lineCount = 0;
    this.hash = createHash('sha256');
    this.bytes = 0;
    let buffer: Buffer;
    try {
      buffer = fs.readFileSync(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], badLines: 0 };
      throw error;
    }
    let trustedBytes = 0;
    if (trusted && trusted.bytes <= buffer.length) {
      this.hash.update(buffer.subarray(0, trusted.bytes));
      if (this.hash.copy().digest('hex') === trusted.sha256) trustedBytes = trusted.bytes;
      else this.hash = createHash('sha256');
    }
    if (trustedBytes === 0) this.hash = createHash('sha256');
    const events: HistoryEvent[] = [];
    let badLines = 0;
    const take = (text: string, validate: boolean) => {
      let start = 0;
      while (start < text.length) {
        let end = text.indexOf('\n', start);
        if (end < 0) end = text.length;
        const line = text.slice(start, end);
        start = end + 1;
        if (line.trim() === '') continue;
        const event = validate ? parseLine(line) : (JSON.parse(line) as HistoryEvent);
        // A line must also advance the sequence: a duplicated or reordered line is as bad as a torn one.
        if (event && event.seq > this.lastSeq) {
          events.push(event);
          this.lastSeq = event.seq;
        } else {
          badLines++;
        }
      }
    };
    take(buffer.toString('utf8', 0, trustedBytes), false);
    take(buffer.toString('utf8', trustedBytes), true);
    this.lineCount = events.length;
    if (badLines === 0) {
      this.hash.update(buffer.subarray(trustedBytes));
      this.bytes = buffer.length;
      return { events, badLines };
    }
    const backupPath = backupCorruptFile(this.file);
    // Rewrite without the bad lines so they are reported once, not at every start.
    this.rewrite(events);
    return { events, badLines, backupPath };
  }

  /** Appends one event synchronously: the order on disk is the order of the calls. */
  append(type: HistoryEventType, job: Job | undefined, at: number = Date.now()): HistoryEvent {
    const event: HistoryEvent = { v: HISTORY_EVENT_VERSION, seq: ++this.lastSeq, at, type, ...(job ? { job } : {}) };
    const line = JSON.stringify(event) + '\n';
    this.fd ??= fs.openSync(this.file, 'a');
    fs.writeSync(this.fd, line);
    this.lineCount++;
    this.hash.update(line);
    this.bytes += Buffer.byteLength(line);
    return event;
  }

  /** Keeps only the events `keep` says yes to, in their order; one atomic rewrite. */
  compact(events: readonly HistoryEvent[], keep: (event: HistoryEvent) => boolean): HistoryEvent[] {
    const kept = events.filter(keep);
    this.rewrite(kept);
    return kept;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private rewrite(events: readonly HistoryEvent[]): void {
    this.close();
    const content = events.map((e) => JSON.stringify(e) + '\n').join('');
    writeFileAtomicSync(this.file, content);
    this.lineCount = events.length;
    this.hash = createHash('sha256').update(content);
    this.bytes = Buffer.byteLength(content);
  }
}

function parseLine(line: string): HistoryEvent | undefined {
  try {
    const parsed = HistoryEventSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
