// Show Job Log: a run's output where VS Code shows terminal output — a read-only pseudoterminal in the
// Terminal panel, so colours, redrawn progress lines, VS Code's own file:line link detection and Find
// all work as in the user's terminal. While the run goes on, what the job writes is streamed in (the
// log file is read in bounded chunks from where the last read ended); when it ends, one dim line says
// how. Typing into it does nothing: it is a view of a file, not a shell.
import * as vscode from 'vscode';
import { isActive, type Job, type JobService } from '../../core';
import { Disposable } from '../lifecycle';
import { runTitle } from '../logFollower';
import { jobName } from '../tree/jobPresentation';
import { LogChunks, TerminalNewlines } from './logChunks';

/** A terminal shows at most this much of a log's end (its scrollback would drop the rest anyway). */
const TAIL_BYTES = 4 * 1024 * 1024;
/** While the run goes on, the log is also looked at this often (a follower window gets no output events). */
const FOLLOW_POLL_MS = 1000;
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

type LogRun = Pick<Job, 'id' | 'attempt' | 'spec'> & { logPath: string };

/** How a finished run ended, in one line for the end of its log. */
export function endLine(run: Pick<Job, 'status' | 'exitCode' | 'signal' | 'error'>): string {
  const how = [run.status, run.exitCode !== undefined ? `exit ${run.exitCode}` : '', run.signal ? `signal ${run.signal}` : '', run.error ?? ''];
  return `── ${how.filter(Boolean).join(' · ')} ──`;
}

class JobLogPty implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.written.event;
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
    this.written.dispose();
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
    this.written.fire(data);
  }
}

/** The log terminals open now, one per run: asking again for a run's log shows its terminal. */
export class JobLogTerminals extends Disposable {
  private readonly open = new Map<string, vscode.Terminal>();

  constructor(private readonly service: JobService) {
    super();
    this._register(vscode.window.onDidCloseTerminal((closed) => {
      for (const [key, terminal] of this.open) if (terminal === closed) this.open.delete(key);
    }));
    this._register({ dispose: () => this.open.forEach((terminal) => terminal.dispose()) });
  }

  show(run: LogRun): vscode.Terminal {
    const key = `${run.id}:${run.attempt}`;
    let terminal = this.open.get(key);
    if (!terminal) {
      terminal = vscode.window.createTerminal({
        name: runTitle(run),
        pty: new JobLogPty(this.service, run),
        iconPath: new vscode.ThemeIcon('output'),
        // Its pseudoterminal lives in this extension host: a reload could not bring it back.
        isTransient: true,
      });
      this.open.set(key, terminal);
    }
    terminal.show();
    return terminal;
  }
}
