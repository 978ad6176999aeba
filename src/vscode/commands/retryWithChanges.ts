import * as vscode from 'vscode';
import { assertCan } from '../../core/lifecycle';
import { jobName } from '../tree/jobPresentation';
import { performRowAction } from './rowActions';
import { jobCommand } from './shared';

/** Retry with Changes…: edit the command line before the new job is queued. */
export const retryWithChanges = jobCommand('jobQueue.retryWithChanges', {
  placeHolder: 'Retry which finished run with changes?',
  action: 'retry',
  async run(ctx, row) {
    if (!ctx.requireTrust()) return undefined;
    const { job } = row;
    // Refused before asking, when the row is not a finished run.
    assertCan('retry', row);
    const command = await vscode.window.showInputBox({
      title: `Retry ${jobName(job)} with changes`,
      prompt: `Edit the command line; the retry is a new job, linked to ${jobName(job)}${job.attempt > 1 ? ` (run ${job.attempt})` : ''}.`,
      value: job.spec.command,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Enter a command line to run.'),
    });
    if (!command?.trim()) return undefined;
    return performRowAction(ctx.service, 'retry', row, { changes: { command: command.trim() } });
  },
});
