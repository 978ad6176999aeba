// Tells the user when this window starts or stops running the queue. Becoming the owner is said
// once per change (e.g. the window that ran the queue was closed and this one took over).
import type * as vscode from 'vscode';
import { describeOwner, type JobService, type QueueRole } from '../core';
import { Disposable } from './lifecycle';
import { notify } from './notices';

export class RoleNotices extends Disposable {
  private last: QueueRole['kind'];

  constructor(service: JobService, private readonly log: vscode.LogOutputChannel) {
    super();
    this.last = service.role.kind;
    if (service.role.kind === 'follower') log.info(`Another VS Code window runs this queue: ${describeOwner(service.role.owner)}. This window shows it and passes new jobs to it.`);
    this._register(service.onDidChange((e) => {
      if (e.type === 'roleChanged') this.changed(e.role);
    }));
  }

  private changed(role: QueueRole): void {
    const previous = this.last;
    this.last = role.kind;
    if (role.kind === 'follower') {
      this.log.info(`Another VS Code window now runs this queue: ${describeOwner(role.owner)}.`);
    } else if (previous === 'follower') {
      this.log.info('This window now runs the queue.');
      void notify('info', 'This window now runs the queue.');
    }
  }
}
