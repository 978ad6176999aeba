import * as vscode from 'vscode';
import type { CommandDefinition } from './shared';

/** Cancel All Queued (asks first; `{ confirm: false }` skips the question, for scripts and tests). */
export const cancelAllQueued: CommandDefinition = {
  id: 'jobQueue.cancelAllQueued',
  async run(ctx, options?: { confirm?: boolean }): Promise<number> {
    const count = ctx.service.getSnapshot().queued.length;
    if (count === 0) {
      void vscode.window.showInformationMessage('The queue is already empty.');
      return 0;
    }
    if (options?.confirm !== false) {
      const answer = await vscode.window.showWarningMessage(`Cancel all ${count} queued job${count === 1 ? '' : 's'}? Running jobs keep running.`, { modal: true }, 'Cancel All Queued');
      if (answer !== 'Cancel All Queued') return 0;
    }
    return ctx.service.cancelAllQueued();
  },
};
