import { can } from '../../core';
import { jobCommand } from './shared';

/** Pause Job: SIGSTOP to the job's process group (hidden where the platform cannot). */
export const pauseJob = jobCommand('jobQueue.pauseJob', {
  placeHolder: 'Pause which running job?',
  applies: (job) => can('pause', job.status),
  run: (ctx, job) => ctx.service.pauseJob(job.id),
});
