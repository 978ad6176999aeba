import { can } from '../../core';
import { jobCommand } from './shared';

/** Remove from Queue: the job leaves the queue without a run (kept in the history log as removed). */
export const removeJob = jobCommand('jobQueue.removeJob', {
  placeHolder: 'Remove which queued job?',
  applies: (job) => can('remove', job.status),
  run: (ctx, job) => {
    ctx.service.removeJob(job.id);
    return true;
  },
});
