import * as vscode from 'vscode';
import { jobCommand, refuse } from './shared';

/** Show Job Log: the run's output file in an editor, following the end while the job runs. */
export const showLog = jobCommand('jobQueue.showLog', {
  placeHolder: 'Show the log of which job?',
  fromHistory: true,
  applies: (job) => job.logPath !== undefined,
  async run(ctx, job) {
    if (!job.logPath) return refuse(`Job #${job.id} has not run yet, so it has no log.`);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(job.logPath));
    const editor = await vscode.window.showTextDocument(document, { preview: true });
    ctx.followLog(editor);
    return document.uri.toString();
  },
});
