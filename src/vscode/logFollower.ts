// Show Job Log as Text opens a run's output as a read-only document named after the job ("Job #4 ·
// build · run 2.log", not "4.2.log"), escape codes taken out, for search and copy. While the job runs the document is refreshed as the job writes, and an
// editor whose cursor sat at the end is kept at the end, like `tail -f`. Move the cursor up to stop
// following.
import * as vscode from 'vscode';
import { jobTitle, type Job, type JobService } from '../core';
import { Disposable } from './lifecycle';
import { EscapeStripper, LogChunks } from './logTerminal/logChunks';
import { jobName } from './tree/jobPresentation';

export const JOB_LOG_SCHEME = 'jobqueue-log';
/** A log bigger than this shows its end only (the editor would struggle, and the end is what matters). */
const SHOWN_BYTES = 16 * 1024 * 1024;
const REFRESH_MS = 200;

/** What a run's log is called, in the editor and the Terminal panel: `Job #4 · build · run 2`. */
export function runTitle(run: Pick<Job, 'id' | 'attempt' | 'spec'>): string {
  const title = jobTitle(run).replace(/[\\/\r\n\t]+/g, ' ').trim();
  return [jobName(run), title.length > 40 ? `${title.slice(0, 39)}…` : title, run.attempt > 1 ? `run ${run.attempt}` : ''].filter(Boolean).join(' · ');
}

/** The document of one run's log: its name says which job (and which run) it is. */
export function jobLogUri(run: Pick<Job, 'id' | 'attempt' | 'spec'>): vscode.Uri {
  const name = runTitle(run);
  return vscode.Uri.from({ scheme: JOB_LOG_SCHEME, path: `/${name}.log`, query: new URLSearchParams({ id: run.id, attempt: String(run.attempt) }).toString() });
}

function runOf(uri: vscode.Uri): { id: string; attempt: number } | undefined {
  if (uri.scheme !== JOB_LOG_SCHEME) return undefined;
  const query = new URLSearchParams(uri.query);
  const id = query.get('id');
  const attempt = Number(query.get('attempt'));
  return id && Number.isInteger(attempt) ? { id, attempt } : undefined;
}

export class LogFollower extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  /** Line count of each followed log before its latest refresh. */
  private readonly lastLineCount = new Map<string, number>();
  private readonly dueRefresh = new Map<string, NodeJS.Timeout>();
  /** What each open log document shows (escape codes taken out), and where its reads of the file got to. */
  private readonly shown = new Map<string, { chunks: LogChunks; stripper: EscapeStripper; text: string }>();

  constructor(private readonly service: JobService) {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(JOB_LOG_SCHEME, this));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e.document)));
    this._register(vscode.workspace.onDidCloseTextDocument((d) => {
      const key = d.uri.toString();
      this.lastLineCount.delete(key);
      this.shown.delete(key);
    }));
    this._register(service.onDidChange((e) => {
      // New output of a run, and its end (the last lines): refresh the open documents of that job.
      if (e.type === 'output') this.refresh(e.jobId);
      else if (e.type === 'historyAdded') this.refresh(e.entry.id);
      else if (e.type === 'reloaded') for (const doc of this.openLogs()) this.schedule(doc.uri);
    }));
    this._register({ dispose: () => this.dueRefresh.forEach((t) => clearTimeout(t)) });
  }

  /** Starts following a log just opened in `editor`. */
  follow(editor: vscode.TextEditor): void {
    this.lastLineCount.set(editor.document.uri.toString(), editor.document.lineCount);
    revealEnd(editor);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const run = runOf(uri);
    const logPath = run && this.logPathOf(run);
    if (!run || !logPath) return `The log of this run is no longer kept${run ? ` (${jobName(run.id)}, run ${run.attempt})` : ''}.\n`;
    const key = uri.toString();
    let shown = this.shown.get(key);
    // A followed log only grows: read what was added since the last refresh, not the whole file again
    // (and its end again once what is shown has grown far past the limit).
    if (!shown || shown.chunks.logPath !== logPath || shown.text.length > 2 * SHOWN_BYTES) {
      shown = { chunks: new LogChunks(logPath, SHOWN_BYTES), stripper: new EscapeStripper(), text: '' };
      this.shown.set(key, shown);
    }
    const state = shown;
    await state.chunks.readNew((text) => (state.text += state.stripper.strip(text)));
    return state.text;
  }

  /** The file behind a run's log: the job as it is now when that is the run, else that run in the history. */
  private logPathOf(run: { id: string; attempt: number }): string | undefined {
    const current = this.service.getJob(run.id);
    if (current && current.attempt === run.attempt && current.logPath !== undefined && current.status !== 'queued') return current.logPath;
    return this.service.getHistory().find((j) => j.id === run.id && j.attempt === run.attempt && j.logPath !== undefined)?.logPath;
  }

  private openLogs(): vscode.TextDocument[] {
    return vscode.workspace.textDocuments.filter((d) => d.uri.scheme === JOB_LOG_SCHEME && !d.isClosed);
  }

  private refresh(jobId: string): void {
    for (const doc of this.openLogs()) if (runOf(doc.uri)?.id === jobId) this.schedule(doc.uri);
  }

  private schedule(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.dueRefresh.has(key)) return;
    this.dueRefresh.set(key, setTimeout(() => {
      this.dueRefresh.delete(key);
      if (!this.isDisposed) this.changed.fire(uri);
    }, REFRESH_MS));
  }

  private onChange(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const before = this.lastLineCount.get(key);
    if (before === undefined) return;
    this.lastLineCount.set(key, document.lineCount);
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== document) continue;
      // Follow only while the cursor is on the old last line: the user scrolled up to read otherwise.
      if (editor.selection.active.line >= before - 1) revealEnd(editor);
    }
  }
}

function revealEnd(editor: vscode.TextEditor): void {
  const end = editor.document.lineAt(Math.max(0, editor.document.lineCount - 1)).range.end;
  editor.selection = new vscode.Selection(end, end);
  editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.Default);
}
