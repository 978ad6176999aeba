import * as vscode from 'vscode';
import type { SendResult } from '../../core';
import { refuse, type CommandDefinition } from './shared';

/** Send Job: dispatch the top of the queue once (or mark it next when every slot is busy). */
export const sendJob: CommandDefinition = {
  id: 'jobQueue.sendJob',
  run(ctx): SendResult | undefined {
    if (!ctx.requireTrust()) return undefined;
    const result = ctx.service.sendNextJob();
    if (result.outcome === 'refused') refuse(result.message);
    else if (result.outcome === 'pending') vscode.window.setStatusBarMessage(`$(debug-step-over) Job #${result.job.id} starts as soon as a slot frees`, 4000);
    return result;
  },
};
