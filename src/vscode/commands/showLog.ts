import * as vscode from 'vscode';
import { jobLogUri } from '../logFollower';
import { jobName } from '../tree/jobPresentation';
import { jobCommand, refuse } from './shared';

/** Show Job Log: the run's output in an editor named after the job, following the end while it runs. */
export const showLog = jobCommand('jobQueue.showLog', {
  placeHolder: 'Show the log of which run?',
  action: 'showLog',
  async run(ctx, { job }) {
    if (!job.logPath) return refuse(`${jobName(job)} has not run yet, so it has no log.`);
    const document = await vscode.workspace.openTextDocument(jobLogUri(job));
    const editor = await vscode.window.showTextDocument(document, { preview: true });
    ctx.followLog(editor);
    return document.uri.toString();
  },
});
