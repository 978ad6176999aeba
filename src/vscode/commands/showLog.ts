import * as vscode from 'vscode';
import { jobCommand, refuse } from './shared';

/** Show Job Log: the run's output file in an editor (VS Code reloads it as the job writes). */
export const showLog = jobCommand('jobQueue.showLog', {
  placeHolder: 'Show the log of which job?',
  fromHistory: true,
  applies: (job) => job.logPath !== undefined,
  async run(_ctx, job) {
    if (!job.logPath) return refuse(`Job #${job.id} has not run yet, so it has no log.`);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(job.logPath));
    const editor = await vscode.window.showTextDocument(document, { preview: true });
    const end = document.lineAt(Math.max(0, document.lineCount - 1)).range.end;
    editor.selection = new vscode.Selection(end, end);
    editor.revealRange(new vscode.Range(end, end));
    return document.uri.toString();
  },
});
