import * as vscode from 'vscode';
import { can } from '../../core';
import { jobCommand } from './shared';

/** Retry with Changes…: edit the command line (and label) before the new job is queued. */
export const retryWithChanges = jobCommand('jobQueue.retryWithChanges', {
  placeHolder: 'Retry which finished job with changes?',
  fromHistory: true,
  applies: (job) => can('retry', job.status),
  async run(ctx, job) {
    if (!ctx.requireTrust()) return undefined;
    const command = await vscode.window.showInputBox({
      title: `Retry job #${job.id} with changes`,
      prompt: 'Edit the command line; the retry is a new job linked to this one.',
      value: job.spec.command,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Enter a command line to run.'),
    });
    if (!command?.trim()) return undefined;
    return ctx.service.retryJob(job.id, { command: command.trim() });
  },
});
