// Show Job Log follows a running job like `tail -f`: VS Code reloads the log as the job writes it,
// and an editor whose cursor sat at the end is kept at the end. Move the cursor up to stop following.
import * as vscode from 'vscode';
import type { JobService } from '../core';
import { Disposable } from './lifecycle';

export class LogFollower extends Disposable {
  /** Line count of each followed log before its latest reload. */
  private readonly lastLineCount = new Map<string, number>();

  constructor(private readonly service: JobService) {
    super();
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e.document)));
    this._register(vscode.workspace.onDidCloseTextDocument((d) => this.lastLineCount.delete(d.uri.toString())));
  }

  /** Starts following a log just opened in `editor`. */
  follow(editor: vscode.TextEditor): void {
    this.lastLineCount.set(editor.document.uri.toString(), editor.document.lineCount);
    revealEnd(editor);
  }

  private onChange(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const before = this.lastLineCount.get(key);
    if (before === undefined) return;
    this.lastLineCount.set(key, document.lineCount);
    if (!this.isRunningLog(document.uri.fsPath)) return;
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== document) continue;
      // Follow only while the cursor is on the old last line: the user scrolled up to read otherwise.
      if (editor.selection.active.line >= before - 1) revealEnd(editor);
    }
  }

  private isRunningLog(fsPath: string): boolean {
    return this.service.getSnapshot().running.some((job) => job.logPath === fsPath);
  }
}

function revealEnd(editor: vscode.TextEditor): void {
  const end = editor.document.lineAt(Math.max(0, editor.document.lineCount - 1)).range.end;
  editor.selection = new vscode.Selection(end, end);
  editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.Default);
}
