import { can } from '../../core';
import { jobCommand } from './shared';

/** Resume Job: SIGCONT to a paused job's process group. */
export const resumeJob = jobCommand('jobQueue.resumeJob', {
  placeHolder: 'Resume which paused job?',
  applies: (job) => can('resume', job.status),
  run: (ctx, job) => ctx.service.resumeJob(job.id),
});
