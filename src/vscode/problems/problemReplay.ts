// Problem matchers with VS Code's own matching: when a run of a job that names problem matchers ends,
// its output is replayed through a task — a CustomExecution whose pseudoterminal writes the job's
// log — that carries those matchers, so VS Code's matcher engine (the same one `tsc`/`eslint` tasks
// use) puts the findings in the Problems panel. Nothing here matches a line itself.
//
// Clearing follows VS Code's rules: a task run with a matcher first forgets the findings that
// matcher's owner reported before, so the next run of the job (a retry, a return to the queue)
// replaces the last run's findings, and a clean run clears them. Replays go one at a time; the task is
// hidden and closes itself.
import * as vscode from 'vscode';
import { isFinished, type Job, type JobService } from '../../core';
import { Disposable } from '../lifecycle';
import { LogChunks, TerminalNewlines } from '../logTerminal/logChunks';
import { jobName } from '../tree/jobPresentation';

/** The task type of a replay (contributed in package.json's `taskDefinitions`). */
export const REPLAY_TASK_TYPE = 'jobQueue';
/** The end of a log that is replayed: a matcher's findings of a longer one are in its last lines. */
const REPLAY_BYTES = 8 * 1024 * 1024;
/** A replay that never ends (VS Code never ran it) must not hold the next one back for ever. */
const REPLAY_GIVE_UP_MS = 60_000;

type ReplayedRun = Pick<Job, 'id' | 'attempt' | 'spec' | 'retryOf'> & { logPath: string };

/** A pseudoterminal that writes a log once, to its end, then closes. */
class LogReplayPty implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;

  constructor(private readonly logPath: string) {}

  open(): void {
    void this.replay();
  }

  close(): void {
    this.written.dispose();
  }

  private async replay(): Promise<void> {
    const newlines = new TerminalNewlines();
    let last = '';
    try {
      await new LogChunks(this.logPath, REPLAY_BYTES).readNew((text) => {
        last = text;
        this.written.fire(newlines.convert(text));
      });
      // The last line counts only once it is ended.
      if (last && !last.endsWith('\n')) this.written.fire('\r\n');
    } finally {
      this.closed.fire(0);
    }
  }
}

/** The workspace folder the job ran in (for the matcher's relative paths), else the first one, else the workspace. */
function scopeOf(run: ReplayedRun): vscode.WorkspaceFolder | vscode.TaskScope.Workspace {
  const cwd = run.spec.cwd;
  const folder = cwd ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(cwd)) : undefined;
  return folder ?? vscode.workspace.workspaceFolders?.[0] ?? vscode.TaskScope.Workspace;
}

export function replayTask(run: ReplayedRun, lineage: string): vscode.Task {
  const task = new vscode.Task(
    { type: REPLAY_TASK_TYPE, job: lineage },
    scopeOf(run),
    `${jobName(run)} problems`,
    'Job Queue',
    new vscode.CustomExecution(() => Promise.resolve(new LogReplayPty(run.logPath))),
    run.spec.problemMatchers ?? [],
  );
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Never, focus: false, echo: false, showReuseMessage: false, close: true, panel: vscode.TaskPanelKind.Dedicated };
  return task;
}

export class ProblemReplay extends Disposable {
  private replays: Promise<void> = Promise.resolve();

  constructor(private readonly service: JobService, private readonly log: vscode.LogOutputChannel) {
    super();
    this._register(service.onDidChange((e) => {
      if (e.type !== 'historyAdded') return;
      const { logPath } = e.entry;
      if (!e.entry.spec.problemMatchers?.length || logPath === undefined || !isFinished(e.entry.status)) return;
      const entry = e.entry;
      this.replays = this.replays.then(() => this.replay({ ...entry, logPath }))
        .catch((error: unknown) => this.log.warn(`The output of ${jobName(entry)} could not be given to its problem matchers: ${error instanceof Error ? error.message : String(error)}`));
    }));
  }

  /** The first job of a retry chain: one task identity per job and its retries. */
  private lineageOf(run: ReplayedRun): string {
    let id = run.id;
    let retryOf = run.retryOf;
    const history = this.service.getHistory();
    for (let hops = 0; retryOf !== undefined && hops < 1000; hops++) {
      id = retryOf;
      retryOf = history.find((j) => j.id === id)?.retryOf;
    }
    return id;
  }

  private async replay(run: ReplayedRun): Promise<void> {
    if (this.isDisposed) return;
    const lineage = this.lineageOf(run);
    const task = replayTask(run, lineage);
    let settle: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => (settle = resolve));
    const watch = vscode.tasks.onDidEndTask((e) => {
      const { definition } = e.execution.task;
      if (definition.type === REPLAY_TASK_TYPE && definition.job === lineage) settle();
    });
    const giveUp = setTimeout(settle, REPLAY_GIVE_UP_MS);
    try {
      await vscode.tasks.executeTask(task);
      await ended;
    } finally {
      clearTimeout(giveUp);
      watch.dispose();
    }
  }
}
