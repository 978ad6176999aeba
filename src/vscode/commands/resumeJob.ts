import { performRowAction } from './rowActions';
import { jobCommand } from './shared';

/** Resume Job: SIGCONT to a paused job's process group. */
export const resumeJob = jobCommand('jobQueue.resumeJob', {
  placeHolder: 'Resume which paused job?',
  action: 'resume',
  run: (ctx, row) => performRowAction(ctx.service, 'resume', row),
});
