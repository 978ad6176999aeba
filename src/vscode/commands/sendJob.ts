import * as vscode from 'vscode';
import type { SendResult } from '../../core';
import { isJobNode } from '../tree/jobsTree';
import { isPersonGesture } from './gesture';
import { asReference, performWaitAction } from './rowActions';
import { refuse, resolveRows, type CommandDefinition } from './shared';

/**
 * Send Job. From the title bar or the palette: the first queued job that can start, once (or marked
 * next when every slot of its lane is busy). On a job (its row, or its id): that job — released if
 * it is held (for approval too, when a person sent it from our UI: that is the user's approval; an
 * id passed by another extension may not), its start time dropped.
 */
export const sendJob: CommandDefinition = {
  id: 'jobQueue.sendJob',
  async run(ctx, ...args): Promise<SendResult | undefined> {
    if (!ctx.requireTrust()) return undefined;
    // A row only when it is a queued one: from the title bar VS Code can pass along the view's
    // focused row (e.g. a history row just right-clicked), which does not name the job to send.
    const onJob = isJobNode(args[0]) ? args[0].group === 'queue' : isPersonGesture(args[0]) || asReference(args[0]) !== undefined;
    let result: SendResult;
    if (onJob) {
      const { rows: [row], origin } = await resolveRows(ctx, args, { action: 'send', placeHolder: 'Send which queued job?' });
      if (!row) return undefined;
      // Sending a job held for approval approves it: only a person's own click may (gesture.ts).
      result = (await performWaitAction(ctx.service, 'send', row, { by: origin })) as SendResult;
    } else {
      result = ctx.service.sendNextJob();
    }
    if (result.outcome === 'refused') refuse(result.message);
    else if (result.outcome === 'pending') vscode.window.setStatusBarMessage(`$(debug-step-over) Job #${result.job.id} starts as soon as a slot frees`, 4000);
    return result;
  },
};
