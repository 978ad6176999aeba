// The line above the Jobs view (TreeView.message): who runs this queue when it is another window,
// and why the queue is paused when opening paused it (interrupted runs). The paused line stays while
// the queue stays paused for that reason and goes once the user resumes it.
import type * as vscode from 'vscode';
import type { JobService, JobServiceEvent, QueueRole } from '../core';
import { Disposable } from './lifecycle';
import { jobsViewMessage } from './openReportText';

export class JobsViewMessage extends Disposable {
  private role: QueueRole;
  private pausedBecause: string | undefined;

  constructor(private readonly service: JobService, private readonly view: Pick<vscode.TreeView<unknown>, 'message'>, pausedBecause: string | undefined) {
    super();
    this.role = service.role;
    this.pausedBecause = pausedBecause !== undefined && service.isQueuePaused() ? pausedBecause : undefined;
    this._register(service.onDidChange((e) => this.onEngineEvent(e)));
    this.render();
  }

  /** What the view shows now (for tests and diagnostics). */
  get message(): string | undefined {
    return this.view.message || undefined;
  }

  private onEngineEvent(e: JobServiceEvent): void {
    if (e.type !== 'flagsChanged' && e.type !== 'roleChanged' && e.type !== 'reloaded') return;
    this.role = e.type === 'roleChanged' ? e.role : this.service.role;
    // Resumed (by the user, here or in the owner window): the reason no longer holds.
    if (!this.service.isQueuePaused()) this.pausedBecause = undefined;
    this.render();
  }

  private render(): void {
    this.view.message = jobsViewMessage({ role: this.role, ...(this.pausedBecause !== undefined ? { pausedBecause: this.pausedBecause } : {}) }) ?? '';
  }
}
