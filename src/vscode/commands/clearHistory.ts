import * as vscode from 'vscode';
import type { CommandDefinition } from './shared';

/** Clear History (asks first; `{ confirm: false }` skips the question, for scripts and tests). */
export const clearHistory: CommandDefinition = {
  id: 'jobQueue.clearHistory',
  async run(ctx, options?: { confirm?: boolean }): Promise<boolean> {
    const count = ctx.service.historySize;
    if (count === 0) {
      void vscode.window.showInformationMessage('The history is already empty.');
      return false;
    }
    if (options?.confirm !== false) {
      const answer = await vscode.window.showWarningMessage(`Clear the history of ${count} finished run${count === 1 ? '' : 's'} and delete their logs?`, { modal: true }, 'Clear History');
      if (answer !== 'Clear History') return false;
    }
    await ctx.service.clearHistory();
    return true;
  },
};
