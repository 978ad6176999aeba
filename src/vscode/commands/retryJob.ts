import { can } from '../../core';
import { jobCommand } from './shared';

/** Retry Job: a NEW job with the same spec (retryOf = the old id) at the bottom of the queue. */
export const retryJob = jobCommand('jobQueue.retryJob', {
  placeHolder: 'Retry which finished job?',
  fromHistory: true,
  applies: (job) => can('retry', job.status),
  run: (ctx, job) => (ctx.requireTrust() ? ctx.service.retryJob(job.id) : undefined),
});
