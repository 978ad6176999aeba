// Finish / failure notifications, per `jobQueue.notifications`, with Show Log and Retry actions.
import * as vscode from 'vscode';
import { jobTitle, type Job, type JobService } from '../core';
import { formatShortDuration, runElapsedMs } from '../shared/format';
import { Disposable } from './lifecycle';
import type { NotificationLevel } from './settings';

export class FinishNotifications extends Disposable {
  constructor(service: JobService, private level: () => NotificationLevel) {
    super();
    this._register(service.onDidChange((e) => {
      if (e.type === 'historyAdded') void this.notify(e.entry);
    }));
  }

  private async notify(job: Job): Promise<void> {
    const level = this.level();
    // Cancelling is the user's own act: no need to tell them. Never-started jobs have nothing to show.
    if (level === 'none' || job.status === 'cancelled' || job.startedAt === undefined) return;
    if (level === 'failures' && job.status === 'completed') return;
    const name = `Job #${job.id} “${jobTitle(job).slice(0, 80)}”`;
    const took = formatShortDuration(runElapsedMs(job, Date.now()));
    const actions = ['Show Log', ...(job.status === 'completed' ? [] : ['Retry'])];
    let choice: string | undefined;
    if (job.status === 'completed') {
      choice = await vscode.window.showInformationMessage(`${name} completed in ${took}.`, ...actions);
    } else if (job.status === 'failed') {
      const why = job.error ?? (job.signal ? `killed by ${job.signal}` : `exit code ${job.exitCode}`);
      choice = await vscode.window.showErrorMessage(`${name} failed (${why}) after ${took}.`, ...actions);
    } else {
      choice = await vscode.window.showWarningMessage(`${name} was interrupted: ${job.error ?? 'its end is unknown'}.`, ...actions);
    }
    if (choice === 'Show Log') await vscode.commands.executeCommand('jobQueue.showLog', job.id);
    if (choice === 'Retry') await vscode.commands.executeCommand('jobQueue.retryJob', job.id);
  }
}
