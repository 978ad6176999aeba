// The append-only history: one JSON line per transition. Lines are only ever appended, except by
// compact(), which rewrites the file (atomically) keeping the surviving lines in their order.
import * as fs from 'node:fs';
import { HISTORY_EVENT_VERSION, HistoryEventSchema, type HistoryEvent, type HistoryEventType, type Job } from '../model';
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

  constructor(private readonly file: string) {}

  get seq(): number {
    return this.lastSeq;
  }

  get lines(): number {
    return this.lineCount;
  }

  load(): HistoryLoadResult {
    this.lastSeq = 0;
    this.lineCount = 0;
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], badLines: 0 };
      throw error;
    }
    const events: HistoryEvent[] = [];
    let badLines = 0;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;
      if (line.trim() === '') continue;
      const event = parseLine(line);
      // A line must also advance the sequence: a duplicated or reordered line is as bad as a torn one.
      if (event && event.seq > this.lastSeq) {
        events.push(event);
        this.lastSeq = event.seq;
      } else {
        badLines++;
      }
    }
    this.lineCount = events.length;
    if (badLines === 0) return { events, badLines };
    const backupPath = backupCorruptFile(this.file);
    // Rewrite without the bad lines so they are reported once, not at every start.
    this.rewrite(events);
    return { events, badLines, backupPath };
  }

  /** Appends one event synchronously: the order on disk is the order of the calls. */
  append(type: HistoryEventType, job: Job | undefined, at: number = Date.now()): HistoryEvent {
    const event: HistoryEvent = { v: HISTORY_EVENT_VERSION, seq: ++this.lastSeq, at, type, ...(job ? { job } : {}) };
    this.fd ??= fs.openSync(this.file, 'a');
    fs.writeSync(this.fd, JSON.stringify(event) + '\n');
    this.lineCount++;
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
    writeFileAtomicSync(this.file, events.map((e) => JSON.stringify(e) + '\n').join(''));
    this.lineCount = events.length;
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
