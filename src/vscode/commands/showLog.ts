import * as vscode from 'vscode';
import { jobLogUri } from '../logFollower';
import { RUNNING_JOB_VIEW_TYPE } from '../runningJobCard/runningJobCard';
import { jobName } from '../tree/jobPresentation';
import { jobCommand, refuse } from './shared';

/**
 * Show Job Log: the run's output in the Terminal panel, as the job's own terminal would have shown it
 * (colours, redrawn lines, links), following the end while it runs. Returns the terminal's name.
 */
export const showLog = jobCommand('jobQueue.showLog', {
  placeHolder: 'Show the log of which run?',
  action: 'showLog',
  run(ctx, { job }) {
    const { logPath } = job;
    if (!logPath) return refuse(`${jobName(job)} has not run yet, so it has no log.`);
    return ctx.showLogTerminal({ ...job, logPath }).name;
  },
});

/** Show Job Log as Text: the run's output in an editor named after the job, escape codes taken out, following the end while it runs. */
export const showLogAsText = jobCommand('jobQueue.showLogAsText', {
  placeHolder: 'Show the log of which run as text?',
  action: 'showLog',
  async run(ctx, { job }) {
    if (!job.logPath) return refuse(`${jobName(job)} has not run yet, so it has no log.`);
    const document = await vscode.workspace.openTextDocument(jobLogUri(job));
    // From the running-job card (its tab is active): beside it, so the card stays in view.
    const editor = await vscode.window.showTextDocument(document, { preview: true, ...(isCardActive() ? { viewColumn: vscode.ViewColumn.Beside } : {}) });
    ctx.followLog(editor);
    return document.uri.toString();
  },
});

function isCardActive(): boolean {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputWebview && input.viewType.endsWith(RUNNING_JOB_VIEW_TYPE);
}
