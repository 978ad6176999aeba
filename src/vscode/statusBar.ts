// One status-bar item with one icon (statusBarText.ts): the queue at a glance, and whether another window runs it. Clicking it
// opens the running-job card. Re-rendered from the service on every event (`reloaded` included).
import * as vscode from 'vscode';
import { describeOwner, jobTitle, type JobService } from '../core';
import { Disposable } from './lifecycle';
import { statusBarText } from './statusBarText';
import { jobName } from './tree/jobPresentation';

const UPDATE_MS = 250;

export class QueueStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('jobQueue.status', vscode.StatusBarAlignment.Left, 50));
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly service: JobService) {
    super();
    this.item.name = 'Job Queue';
    this.item.command = 'jobQueue.showRunningJob';
    this._register(service.onDidChange((e) => {
      if (e.type !== 'output') this.schedule();
    }));
    this._register({ dispose: () => this.timer && clearTimeout(this.timer) });
    this.update();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      if (!this.isDisposed) this.update();
    }, UPDATE_MS);
  }

  update(): void {
    const { running, queued, paused, autoRun } = this.service.getSnapshot();
    const role = this.service.role;
    const follower = role.kind === 'follower';
    // A follower always says so: what it shows is another window's queue.
    if (running.length === 0 && queued.length === 0 && !follower) {
      this.item.hide();
      return;
    }
    const percent = running.length === 1 ? this.service.getProgress(running[0]!.id)?.percent : undefined;
    this.item.text = statusBarText({ running, queued: queued.length, paused, follower, percent }) ?? '';
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**Job Queue** — ${running.length} running, ${queued.length} queued${paused ? ', queue paused' : ''}, auto-run ${autoRun ? 'on' : 'off'}\n\n`);
    if (role.kind === 'follower') tooltip.appendText(`Run by another VS Code window: ${describeOwner(role.owner)}. Jobs added here are passed to it.`).appendMarkdown('\n\n');
    for (const job of running) tooltip.appendMarkdown(`$(play) ${jobName(job)} `).appendText(jobTitle(job)).appendMarkdown(` — ${job.status}\n\n`);
    tooltip.appendMarkdown('Click to show the running job.');
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Job Queue${follower ? ', run by another window' : ''}: ${running.length} running, ${queued.length} queued${paused ? ', paused' : ''}` };
    this.item.show();
  }
}
