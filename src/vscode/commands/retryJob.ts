import type { Job } from '../../core';
import { performRowAction } from './rowActions';
import { jobCommand } from './shared';

/**
 * Retry Job: a NEW job from THAT run's spec (retryOf = its id) at the bottom of the queue. The row is
 * one finished run of the history — an earlier run of a job that is queued or running again too —
 * and the engine is told exactly which one.
 */
export const retryJob = jobCommand('jobQueue.retryJob', {
  placeHolder: 'Retry which finished run?',
  action: 'retry',
  run: (ctx, row) => (ctx.requireTrust() ? performRowAction(ctx.service, 'retry', row) as Job : undefined),
});
