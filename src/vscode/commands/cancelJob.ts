import { can } from '../../core';
import { jobCommand } from './shared';

/** Cancel Job: a queued job leaves the queue; a running one has its whole process tree ended. */
export const cancelJob = jobCommand('jobQueue.cancelJob', {
  placeHolder: 'Cancel which job?',
  applies: (job) => can('cancel', job.status),
  run: (ctx, job) => ctx.service.cancelJob(job.id),
});
