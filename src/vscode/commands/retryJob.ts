import type { Job } from '../../core';
import { callerSource } from '../callerSource';
import { performRowAction } from './rowActions';
import { jobCommand } from './shared';

/**
 * Retry Job: a NEW job from THAT run's spec (retryOf = its id) at the bottom of the queue. The row is
 * one finished run of the history — an earlier run of a job that is queued or running again too —
 * and the engine is told exactly which one. Asked for with an id (not a person's click in our UI), the
 * new job comes from the caller and lands held for approval like the API's.
 */
export const retryJob = jobCommand('jobQueue.retryJob', {
  placeHolder: 'Retry which finished run?',
  action: 'retry',
  // A retry asked for by an id from elsewhere is that caller's new job: the approval rule applies.
  run: (ctx, row, _args, by) => (ctx.requireTrust() ? performRowAction(ctx.service, 'retry', row, by === 'external' ? { changes: { source: callerSource() } } : {}) as Job : undefined),
});
