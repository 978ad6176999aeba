import { can } from '../../core';
import { jobCommand } from './shared';

/** Cancel and Return to Queue: end the run; the same job goes back to the bottom of the queue. */
export const cancelAndRequeue = jobCommand('jobQueue.cancelAndRequeue', {
  placeHolder: 'Cancel and return which running job to the queue?',
  applies: (job) => can('cancelAndRequeue', job.status),
  run: (ctx, job) => ctx.service.cancelAndRequeue(job.id),
});
