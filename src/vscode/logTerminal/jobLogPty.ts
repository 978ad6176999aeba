// The pseudoterminal behind Show Job Log: it writes a run's log as the Terminal panel wants it (`\r\n`
// line ends), streams what the job writes while the run is active — on each `output` event, and
// once a second for a follower window, which gets none — and, when the run ends, reads to the end
// and writes one dim line saying how it ended. Typing into it does nothing but say so once. Only
// VS Code's types are used here (its Pseudoterminal interface): the unit tests drive it in plain Node.
import { EventEmitter } from 'node:events';
import type * as vscode from 'vscode';
import { isActive, type Job, type JobService } from '../../core';
import { jobName } from '../tree/jobName';
import { LogChunks, TerminalNewlines } from './logChunks';

/** A terminal shows at most this much of a log's end (its scrollback would drop the rest anyway). */
const TAIL_BYTES = 4 * 1024 * 1024;
/** While the run goes on, the log is also looked at this often (a follower window gets no output events). */
const FOLLOW_POLL_MS = 1000;
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

export type LogRun = Pick<Job, 'id' | 'attempt' | 'spec'> & { logPath: string };

/** How a finished run ended, in one line for the end of its log. */
export function endLine(run: Pick<Job, 'status' | 'exitCode' | 'signal' | 'error'>): string {
  const how = [run.status, run.exitCode !== undefined ? `exit ${run.exitCode}` : '', run.signal ? `signal ${run.signal}` : '', run.error ?? ''];
  return `── ${how.filter(Boolean).join(' · ')} ──`;
}

export class JobLogPty implements vscode.Pseudoterminal {
  private readonly written = new EventEmitter<{ data: [string] }>();
  readonly onDidWrite: vscode.Event<string> = (listener) => {
    this.written.on('data', listener);
    return { dispose: () => this.written.off('data', listener) };
  };
  private readonly chunks: LogChunks;
  private readonly newlines = new TerminalNewlines();
  private following: vscode.Disposable[] = [];
  /** Reads happen one after another, in order; `queued`: one is waiting already and will read to the end. */
  private reads: Promise<void> = Promise.resolve();
  private queued = false;
  private atLineStart = true;
  private toldReadOnly = false;
  private closed = false;

  constructor(private readonly service: JobService, private readonly run: LogRun) {
    this.chunks = new LogChunks(run.logPath, TAIL_BYTES);
  }

  open(): void {
    const current = this.service.getJob(this.run.id);
    if (current && current.attempt === this.run.attempt && isActive(current.status)) {
      const poll = setInterval(() => this.pump(), FOLLOW_POLL_MS);
      this.following = [
        { dispose: () => clearInterval(poll) },
        this.service.onDidChange((e) => {
          if (e.type === 'output' && e.jobId === this.run.id) this.pump();
          else if (e.type === 'historyAdded' && e.entry.id === this.run.id && e.entry.attempt === this.run.attempt) this.end(e.entry);
        }),
      ];
      this.pump();
    } else {
      this.end(this.service.getHistory().find((j) => j.id === this.run.id && j.attempt === this.run.attempt));
    }
  }

  handleInput(): void {
    if (this.toldReadOnly) return;
    this.toldReadOnly = true;
    this.line(`This is ${jobName(this.run)}'s log: it takes no input.`);
  }

  close(): void {
    this.closed = true;
    this.stopFollowing();
    this.written.removeAllListeners();
  }

  /** Reads what the job wrote since the last read (one read waiting at a time is enough: it reads to the end). */
  private pump(): void {
    if (this.queued) return;
    this.queued = true;
    this.reads = this.reads.then(async () => {
      this.queued = false;
      await this.chunks.readNew((text) => this.write(this.newlines.convert(text)));
    }).catch((error: unknown) => this.line(`The log could not be read: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** The run ended: what it wrote last, then how it ended. */
  private end(finished: Job | undefined): void {
    this.stopFollowing();
    this.pump();
    this.reads = this.reads.then(() => {
      if (finished) this.line(endLine(finished));
    });
  }

  private stopFollowing(): void {
    for (const d of this.following.splice(0)) d.dispose();
  }

  private line(text: string): void {
    this.write(`${this.atLineStart ? '' : '\r\n'}${DIM}${text}${RESET}\r\n`);
  }

  private write(data: string): void {
    if (this.closed || !data) return;
    this.atLineStart = data.endsWith('\n');
    this.written.emit('data', data);
  }
}

